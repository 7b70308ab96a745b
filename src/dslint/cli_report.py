"""`dslint report PATHS -o report.html`: the findings and the dataset's shape on one page."""

from __future__ import annotations

from pathlib import Path

import click

from dslint.cli import _config_options, _excludes, _fail, _load_settings, _write, main

DEFAULT_MAX_TOKENS = 16_385  # OpenAI chat fine-tuning's per-example limit


@main.command("report")
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file (default: stdout).")
@click.option("--format", "output_format", type=click.Choice(["html", "markdown"]), default=None,
              help="Report format (default: from the output file's suffix, else html).")
@click.option("--select", multiple=True, help="Rules to enable; replaces the configured set.")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selected set.")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Leave out findings in this baseline.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=DEFAULT_MAX_TOKENS, show_default=True,
              help="Context limit drawn on the token histogram.")
@click.option("--tokenizer", default="o200k_base", show_default=True,
              help="tiktoken encoding, OpenAI model name, tokenizer directory or Hub id for token counts.")
@click.option("--no-tokens", is_flag=True, help="Do not count tokens (faster; no histogram).")
@click.option("--examples", type=click.IntRange(min=1, max=50), default=3, show_default=True,
              help="Examples shown per rule.")
@click.option("--title", default="dslint report", show_default=True, help="The report's title.")
@click.option("--table-rows", type=click.IntRange(min=0), default=5000, show_default=True,
              help="Most findings listed in the HTML table (about 450 bytes each).")
@click.option("--force-exclude", is_flag=True, help="Apply `exclude` even to paths named on the command line.")
@click.option("--no-progress", is_flag=True, help="Never show the progress line on stderr.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: automatic).")
@_config_options
def report_command(paths: tuple[str, ...], output: str | None, output_format: str | None, select: tuple[str, ...],
                   extend_select: tuple[str, ...], ignore: tuple[str, ...], baseline_path: str | None,
                   max_tokens: int, tokenizer: str, no_tokens: bool, examples: int, title: str, table_rows: int,
                   force_exclude: bool, no_progress: bool, jobs: int, config_path: Path | None,
                   isolated: bool) -> None:
    """Check PATHS and write a report: summary cards, charts, examples per rule and every finding.

    HTML is one self-contained file (no network); Markdown suits pull-request comments, job summaries and
    dataset cards. The exit code is 0 whatever the findings (use `dslint check` as the gate).
    """
    from dslint import __version__
    from dslint.cli_baseline import apply_baseline, configured_baseline, run_paths
    from dslint.readers import ReaderError
    from dslint.readers.discover import discover
    from dslint.report.collect import collect
    from dslint.resolve import Overrides
    from dslint.rules import FAMILY_TITLES, rule_by_code

    if "-" in paths:
        _fail("report reads the data twice (findings, then statistics) and cannot read stdin; give a file")
    fmt = output_format or ("markdown" if output and output.lower().endswith((".md", ".markdown")) else "html")
    loaded, settings = _load_settings(config_path, isolated,
                                      Overrides(select=select or None, extend_select=extend_select, ignore=ignore))
    result = run_paths(paths, loaded, settings, force_exclude=force_exclude, jobs=jobs, no_progress=no_progress)
    baseline_file = configured_baseline(loaded, baseline_path)
    if baseline_file is not None:
        result, _ = apply_baseline(result, baseline_file)
    try:
        targets = discover(paths or ["."], root=Path.cwd(), exclude=_excludes(loaded), force_exclude=force_exclude)
    except ReaderError as exc:
        _fail(str(exc))
        return
    data = collect(targets, result, tokenizer=tokenizer, max_tokens=max_tokens, count_tokens=not no_tokens,
                   per_rule=examples, inline_key=settings.inline_suppression_key)
    data.title = title
    rules = rule_by_code()
    if fmt == "markdown":
        from dslint.report.markdown import render as render_markdown

        text = render_markdown(data, rules, version=__version__)
    else:
        from dslint.report.html import render as render_html

        text = render_html(data, rules, version=__version__, family_titles=FAMILY_TITLES, max_rows=table_rows)
    _write(text, output)
    if output is not None:
        click.echo(f"dslint: wrote {fmt} report to {output} ({len(text.encode('utf-8', 'replace')):,} bytes)", err=True)
