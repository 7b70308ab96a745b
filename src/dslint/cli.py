"""The `dslint` command line: a thin click layer over config, discovery, engine and formatters.

Everything heavy is imported inside the commands, so `dslint --version` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from dslint import __version__

OUTPUT_FORMATS = ("text", "concise", "json", "jsonl", "github", "sarif", "junit")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> None:
    """Print a one-line (or few-line) error and exit 2."""
    click.echo(f"dslint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _byte_size_option(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """`--max-record-bytes 256MiB` as bytes (None when not given)."""
    if value is None:
        return None
    from dslint.readers.limits import parse_byte_size

    try:
        return parse_byte_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _use_color(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="dslint", message="%(prog)s %(version)s")
def main() -> None:
    """dslint: the linter for LLM instruction-tuning datasets."""


def _config_options(func: Any) -> Any:
    func = click.option("--isolated", is_flag=True, help="Ignore all configuration files.")(func)
    func = click.option(
        "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
        help="Use this configuration file instead of searching for one.",
    )(func)
    return func


def _load_settings(config_path: Path | None, isolated: bool, overrides: Any) -> tuple[Any, Any]:
    from dslint.config import ConfigError, load
    from dslint.resolve import build_settings

    cwd = Path.cwd()
    try:
        loaded = load(cwd=cwd, explicit=config_path, isolated=isolated)
        return loaded, build_settings(loaded, overrides, cwd)
    except ConfigError as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--select", multiple=True, help="Rules to enable (code, prefix, name or ALL); replaces the configured set.")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selected set.")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), help="Lowest severity that fails the run (default: error).")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to a file instead of stdout.")
@click.option("--statistics", is_flag=True, help="Show counts per rule.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run.")
@click.option("--force-exclude", is_flag=True, help="Apply `exclude` even to paths named on the command line (for pre-commit).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour the text output (NO_COLOR is honoured).")
@click.option("--no-progress", is_flag=True, help="Never show the progress line on stderr.")
@click.option("--fix", "fix", is_flag=True, help="Apply safe fixes to the files (atomically), then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe fixes.")
@click.option("--diff", "diff", is_flag=True, help="Print a unified diff of what --fix would change; write nothing.")
@click.option("--drop-unrepairable", is_flag=True, help="With --fix or --diff: drop records whose structural errors no fix repairs (unsafe).")
@click.option("--generate", "generate_to", type=click.Path(dir_okay=False), help="With --fix --unsafe-fixes: also have an LLM rewrite what VAG/CTX/ALN found; write the result to this new file.")
@click.option("--judge", is_flag=True, help="Have an LLM confirm or dismiss each VAG/CTX/ALN finding (needs --endpoint and --model); dismissed findings are dropped.")
@click.option("--endpoint", help="With --generate or --judge: OpenAI-compatible API base URL (key from OPENAI_API_KEY).")
@click.option("--model", help="With --generate or --judge: the model to request.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Report only findings not in this baseline file (see `dslint baseline write`).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes; 0 (default): all cores for large inputs, one for small.")
@click.option("--max-record-bytes", callback=_byte_size_option, metavar="SIZE", help="Report JSON Lines lines longer than this instead of reading them (default 64MiB; e.g. 256MiB).")
@click.option("--against", multiple=True, metavar="PATH", help="An evaluation set (repeatable): report training prompts that duplicate its prompts (DUP005).")
@click.option("--tokenizer", metavar="NAME", help="Count tokens with this tiktoken encoding, OpenAI model name, tokenizer directory or Hub id (default o200k_base); enables TPL002.")
@click.option("--max-tokens", type=click.IntRange(min=1), metavar="N", help="Token limit per example (default 16385); enables TPL002.")
@click.option("--template", metavar="PATH_OR_ID", help="Render every example through this chat template (tokenizer directory, Hub id or .jinja file); enables the template rules.")
@_config_options
def check(paths: tuple[str, ...], select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          fail_on: str | None, output_format: str, output: str | None, statistics: bool, quiet: bool,
          exit_zero: bool, force_exclude: bool, color: str, no_progress: bool, jobs: int,
          config_path: Path | None, isolated: bool, baseline_path: str | None = None,
          fix: bool = False, unsafe_fixes: bool = False, diff: bool = False, drop_unrepairable: bool = False,
          generate_to: str | None = None, endpoint: str | None = None, model: str | None = None,
          max_record_bytes: int | None = None, against: tuple[str, ...] = (),
          tokenizer: str | None = None, max_tokens: int | None = None, template: str | None = None,
          judge: bool = False) -> None:
    """Check datasets (files, directories, `-` for stdin, `hf:org/name` for the Hub)."""
    from dslint import parallel
    from dslint.output import render
    from dslint.progress import Progress
    from dslint.readers import ReaderError
    from dslint.readers.discover import discover
    from dslint.resolve import Overrides
    from dslint.rules import rule_by_code

    overrides = Overrides(select=select or None, extend_select=extend_select, ignore=ignore, fail_on=fail_on,
                          max_record_bytes=max_record_bytes)
    loaded, settings = _load_settings(config_path, isolated, overrides)
    _apply_target(settings, tokenizer, max_tokens, template)
    try:
        targets = discover(paths or _configured_datasets(loaded), root=Path.cwd(), exclude=_excludes(loaded),
                           force_exclude=force_exclude)
        if against:
            from dslint.cli_against import split_against

            targets, settings.against = split_against(targets, against)
        if judge:
            from dslint.cli_judge import judge_endpoint

            if fix or diff or generate_to:
                _fail("--judge works on a plain check, not with --fix, --diff or --generate")
            judge_with = judge_endpoint(endpoint, model)
            if isinstance(judge_with, str):
                _fail(judge_with)
        if fix or diff or generate_to:
            from dslint.cli_fix import FixRequest, run_fix, run_generate

            runner = run_fix if not generate_to else (
                lambda *a, **k: run_generate(*a, generate_to, endpoint, model, **k))  # noqa: E731
            sys.exit(runner(targets, settings, FixRequest(fix, diff, unsafe_fixes, drop_unrepairable),
                            render=lambda r: render(r, output_format, rules=rule_by_code(), quiet=quiet,
                                                    color=_use_color(color, output), statistics=statistics,
                                                    version=__version__),
                            write_report=lambda text: _write(text, output), exit_zero=exit_zero))
        progress = Progress(enabled=not no_progress and sys.stderr.isatty())
        result = parallel.run(targets, settings, jobs or parallel.auto_jobs(targets), progress.update)
        progress.close()
        if judge:
            from dslint.cli_judge import run_judge

            result = run_judge(result, targets, settings, judge_with)  # type: ignore[arg-type]
    except ReaderError as exc:
        _fail(str(exc))
        return
    from dslint.cli_baseline import apply_baseline, baseline_note, configured_baseline

    baseline_file = configured_baseline(loaded, baseline_path)
    outcome = None
    if baseline_file is not None:
        result, outcome = apply_baseline(result, baseline_file)
    text = render(result, output_format, rules=rule_by_code(), color=_use_color(color, output),
                  statistics=statistics, quiet=quiet, version=__version__)
    _write(text + baseline_note(outcome, output_format, quiet, to_stdout=output is None), output)
    if result.internal_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.failing() and not exit_zero else EXIT_CLEAN)


def _apply_target(settings: Any, tokenizer: str | None, max_tokens: int | None, template: str | None) -> None:
    """`--tokenizer`, `--max-tokens`, `--template` into the TPL rules; an unusable target exits 2."""
    from dslint.tpl_settings import TargetError, apply_target

    try:
        apply_target(settings, tokenizer, max_tokens, template)
    except TargetError as exc:
        _fail(str(exc))


def _configured_datasets(loaded: Any) -> list[str]:
    """The configured `datasets` (relative to the config file, as seen from here), else the working directory."""
    from dslint.cli_against import configured_datasets

    return configured_datasets(loaded.config.datasets, loaded.root, Path.cwd()) or ["."]


def _excludes(loaded: Any) -> list[str]:
    """Config excludes, made relative to the working directory when the config lives elsewhere."""
    root, cwd = loaded.root, Path.cwd()
    if root == cwd:
        return list(loaded.config.exclude)
    try:
        prefix = cwd.relative_to(root).as_posix()
    except ValueError:
        return list(loaded.config.exclude)
    # A pattern anchored at the config root does not match below cwd unless it mentions the prefix.
    adjusted = []
    for pattern in loaded.config.exclude:
        if pattern.startswith("/") and pattern[1:].startswith(prefix + "/"):
            adjusted.append("/" + pattern[len(prefix) + 2:])
        else:
            adjusted.append(pattern)
    return adjusted


def _write(text: str, output: str | None) -> None:
    if output is None:
        # Bytes, not text: a lone surrogate from hostile data must not crash the write.
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
        sys.stdout.buffer.flush()
        return
    from dslint.atomic import write_text_atomic

    try:
        write_text_atomic(Path(output), text)
    except OSError as exc:  # a full disk, a missing directory: one line, and the old report stays
        _fail(f"{output}: cannot write the report: {exc.strerror or exc}")


@main.command("rule")
@click.argument("selector")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule_command(selector: str, output_format: str) -> None:
    """Show a rule's documentation (by code or name)."""
    from dslint.docs import rule_json, rule_text
    from dslint.rules import all_rules

    found = [r for r in all_rules() if selector.upper() == r.code or selector == r.name]
    if not found:
        _fail(f"unknown rule {selector!r}; `dslint rules` lists them all")
    rule = found[0]
    click.echo(rule_json(rule) if output_format == "json" else rule_text(rule))


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, severity, family and summary."""
    from dslint.docs import rules_json, rules_table
    from dslint.rules import all_rules

    rules = all_rules()
    click.echo(rules_json(rules) if output_format == "json" else rules_table(rules), nl=False)


@main.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("show")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_config_options
def config_show(output_format: str, config_path: Path | None, isolated: bool) -> None:
    """Print the resolved configuration: its source, enabled rules, severities and rule options."""
    from dslint.docs import settings_json, settings_text
    from dslint.resolve import Overrides

    loaded, settings = _load_settings(config_path, isolated, Overrides())
    render = settings_json if output_format == "json" else settings_text
    click.echo(render(loaded, settings), nl=False)


from dslint import cli_baseline as _cli_baseline  # noqa: F401  (registers `dslint baseline`)
from dslint import cli_report as _cli_report  # noqa: F401  (registers `dslint report`)
from dslint import cli_convert as _cli_convert  # noqa: F401  (registers `dslint convert`)
from dslint import cli_templates as _cli_templates  # noqa: E402,F401  (registers `dslint templates`)
from dslint import cli_stats as _cli_stats  # noqa: E402,F401  (registers `dslint stats`)
from dslint import cli_generate as _cli_generate  # noqa: F401  (registers `dslint generate`)
