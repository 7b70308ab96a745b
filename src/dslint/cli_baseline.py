"""`dslint baseline write` and the baseline part of `dslint check --baseline`.

The baseline path comes from `--baseline`/`-o`, else the `baseline` config key (relative to the config
file), else `.dslint-baseline.json` (for `write` only: `check` uses no baseline unless told to).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from dslint.cli import _config_options, _excludes, _fail, _load_settings, main

EXIT_ERROR = 2


def configured_baseline(loaded: Any, explicit: str | None) -> Path | None:
    """The baseline a run uses: the command line's, else the config's (relative to its file), else None."""
    if explicit is not None:
        return Path(explicit)
    configured = loaded.config.baseline
    if configured is None:
        return None
    path = Path(configured)
    return path if path.is_absolute() else loaded.root / path


def apply_baseline(result: Any, path: Path) -> tuple[Any, Any]:
    """The result without baselined findings and the outcome; a broken baseline file exits 2."""
    from dslint import baseline

    try:
        loaded = baseline.load(path)
    except baseline.BaselineError as exc:
        _fail(str(exc))
        raise  # unreachable
    return baseline.apply(result, loaded)


def baseline_note(outcome: Any, output_format: str, quiet: bool, *, to_stdout: bool) -> str:
    """The baseline summary: appended to a text report, else on stderr (machine formats stay clean)."""
    if outcome is None:
        return ""
    from dslint.baseline import summary_note

    note = summary_note(outcome)
    if output_format in ("text", "concise"):
        return "" if quiet else note + "\n"
    if not quiet or outcome.stale:
        click.echo(f"dslint: {note}", err=True)
    return ""


def run_paths(paths: tuple[str, ...], loaded: Any, settings: Any, *, force_exclude: bool, jobs: int,
              no_progress: bool) -> Any:
    """Discover and check `paths` as `dslint check` does; a reader error exits 2."""
    from dslint import parallel
    from dslint.progress import Progress
    from dslint.readers import ReaderError
    from dslint.readers.discover import discover

    try:
        targets = discover(paths or ["."], root=Path.cwd(), exclude=_excludes(loaded), force_exclude=force_exclude)
        progress = Progress(enabled=not no_progress and sys.stderr.isatty())
        result = parallel.run(targets, settings, jobs or parallel.auto_jobs(targets), progress.update)
        progress.close()
    except ReaderError as exc:
        _fail(str(exc))
        raise  # unreachable
    return result


@main.group("baseline")
def baseline_group() -> None:
    """Record today's findings so that `dslint check --baseline` reports only new ones."""


@baseline_group.command("write")
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Baseline file to create or update (default: the `baseline` config key, else .dslint-baseline.json).")
@click.option("--select", multiple=True, help="Rules to enable; replaces the configured set.")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selected set.")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option("--force-exclude", is_flag=True, help="Apply `exclude` even to paths named on the command line.")
@click.option("--no-progress", is_flag=True, help="Never show the progress line on stderr.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: automatic).")
@_config_options
def baseline_write(paths: tuple[str, ...], output: str | None, select: tuple[str, ...],
                   extend_select: tuple[str, ...], ignore: tuple[str, ...], force_exclude: bool,
                   no_progress: bool, jobs: int, config_path: Path | None, isolated: bool) -> None:
    """Check PATHS and write every finding to the baseline file, replacing what it held.

    Run it on the same paths and with the same rules as `dslint check`: an entry is matched by its
    finding's fingerprint, so entries for files or rules a later check does not look at are reported stale.
    """
    from dslint import baseline
    from dslint.resolve import Overrides

    overrides = Overrides(select=select or None, extend_select=extend_select, ignore=ignore)
    loaded, settings = _load_settings(config_path, isolated, overrides)
    target = configured_baseline(loaded, output) or Path(baseline.DEFAULT_PATH)
    result = run_paths(paths, loaded, settings, force_exclude=force_exclude, jobs=jobs, no_progress=no_progress)
    new = baseline.from_diagnostics(result.diagnostics)
    previous = _previous_entries(target)
    try:
        baseline.write(target, new)
    except OSError as exc:
        _fail(f"{target}: cannot write baseline: {exc.strerror or exc}")
    findings = sum(entry.count for entry in new.entries.values())
    change = "" if previous is None else f" (was {previous} entr{'y' if previous == 1 else 'ies'})"
    click.echo(f"dslint: wrote {len(new)} baseline entr{'y' if len(new) == 1 else 'ies'} covering "
               f"{findings} finding{'' if findings == 1 else 's'} to {target}{change}", err=True)
    if result.internal_errors:
        click.echo(f"dslint: {result.internal_errors} internal error(s) were not baselined", err=True)
        sys.exit(EXIT_ERROR)


def _previous_entries(path: Path) -> int | None:
    """How many entries the existing baseline holds; None when there is none. Never overwrites a file
    that is not a dslint baseline (a mistyped `-o` must not destroy data)."""
    from dslint import baseline

    if not path.exists():
        return None
    try:
        return len(baseline.load(path))
    except baseline.BaselineError as exc:
        _fail(f"{exc}; refusing to overwrite it")
        raise  # unreachable
