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
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes; 0 (default): all cores for large inputs, one for small.")
@_config_options
def check(paths: tuple[str, ...], select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          fail_on: str | None, output_format: str, output: str | None, statistics: bool, quiet: bool,
          exit_zero: bool, force_exclude: bool, color: str, no_progress: bool, jobs: int,
          config_path: Path | None, isolated: bool) -> None:
    """Check datasets (files, directories, `-` for stdin, `hf:org/name` for the Hub)."""
    from dslint import parallel
    from dslint.output import render
    from dslint.progress import Progress
    from dslint.readers import ReaderError
    from dslint.readers.discover import discover
    from dslint.resolve import Overrides
    from dslint.rules import rule_by_code

    overrides = Overrides(select=select or None, extend_select=extend_select, ignore=ignore, fail_on=fail_on)
    loaded, settings = _load_settings(config_path, isolated, overrides)
    try:
        targets = discover(paths or ["."], root=Path.cwd(), exclude=_excludes(loaded),
                           force_exclude=force_exclude)
        progress = Progress(enabled=not no_progress and sys.stderr.isatty())
        result = parallel.run(targets, settings, jobs or parallel.auto_jobs(targets), progress.update)
        progress.close()
    except ReaderError as exc:
        _fail(str(exc))
        return
    text = render(result, output_format, rules=rule_by_code(), color=_use_color(color, output),
                  statistics=statistics, quiet=quiet, version=__version__)
    _write(text, output)
    if result.internal_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.failing() and not exit_zero else EXIT_CLEAN)


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

    write_text_atomic(Path(output), text)


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
