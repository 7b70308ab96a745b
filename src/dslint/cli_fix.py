"""`dslint check --fix / --unsafe-fixes / --diff`: apply the fixes findings carry, or show them as a diff.

Called by `check` after it has resolved the settings and the targets. Every target is checked for
support before anything is written; changed files are written atomically; the report shows what remains.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import click

from dslint.engine import Settings
from dslint.model import RunResult
from dslint.readers import Target

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class FixRequest:
    apply: bool  # --fix: write the files
    diff: bool  # --diff: print what would change, write nothing
    unsafe: bool  # --unsafe-fixes
    drop_unrepairable: bool  # --drop-unrepairable


def unified_diff(display: str, before: bytes, after: bytes) -> str:
    """A unified diff of the changed lines (text decoded leniently; line endings shown as they are)."""
    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"a/{display}", f"b/{display}", n=0)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def run_fix(targets: Sequence[Target], settings: Settings, request: FixRequest, *, render: Any,
            write_report: Any, exit_zero: bool) -> int:
    """Fix (or diff) every target; returns the exit code. `render(result) -> str` formats the report."""
    from dslint.atomic import write_bytes_atomic
    from dslint.fixing.loop import FixOptions, check_supported, fix_file
    from dslint.fixing.writer import UnsupportedFile

    for target in targets:
        try:
            check_supported(target)
        except (UnsupportedFile, OSError) as exc:
            click.echo(f"dslint: error: {target.display}: {exc}", err=True)
            return EXIT_ERROR
    options = FixOptions(unsafe=request.unsafe, drop_unrepairable=request.drop_unrepairable)
    results = []
    for target in targets:
        try:
            results.append(fix_file(target, settings, options))
        except (UnsupportedFile, OSError) as exc:
            click.echo(f"dslint: error: {target.display}: {exc}", err=True)
            return EXIT_ERROR
    fixed = sum(r.applied for r in results)
    remaining = [d for r in results for d in r.remaining]
    if request.diff:
        text = "".join(unified_diff(r.target.display, r.original, r.fixed) for r in results if r.changed)
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
        sys.stdout.flush()
        unsafe = sum(r.unsafe_available for r in results)
        hint = f" ({unsafe} more fixable with --unsafe-fixes)" if unsafe and not request.unsafe else ""
        click.echo(f"would fix {fixed}, {len(remaining)} would remain{hint}", err=True)
        return EXIT_FINDINGS if fixed else EXIT_CLEAN
    for result in results:
        if result.changed:
            assert result.target.path is not None
            try:
                write_bytes_atomic(result.target.path, result.fixed)
            except OSError as exc:  # a full disk: the file is left as it was
                click.echo(f"dslint: error: {result.target.display}: cannot write the fixes: "
                           f"{exc.strerror or exc}", err=True)
                return EXIT_ERROR
    run = RunResult(remaining, [f for r in results for f in r.files], settings.fail_on)
    write_report(render(run))
    unsafe = sum(r.unsafe_available for r in results)
    hint = f" ({unsafe} more fixable with --unsafe-fixes)" if unsafe and not request.unsafe else ""
    click.echo(f"{fixed} fixed, {len(remaining)} remaining{hint}", err=True)
    return EXIT_FINDINGS if run.failing() and not exit_zero else EXIT_CLEAN


def run_generate(targets: Sequence[Target], settings: Settings, request: FixRequest, new_file: str,
                 endpoint_url: str | None, model: str | None, *, render: Any, write_report: Any,
                 exit_zero: bool) -> int:
    """`check --fix --unsafe-fixes --generate NEW`: all fixes, then LLM repairs of VAG/CTX/ALN findings,
    written to NEW only (the input is left alone)."""
    from pathlib import Path

    from dslint.atomic import write_bytes_atomic
    from dslint.fixing.loop import (
        FixOptions,
        _key,
        check_supported,
        fix_file,
        lint_bytes,
    )
    from dslint.fixing.writer import (
        UnsupportedFile,
        decode_line,
        parse_json,
        rewrite_json,
        rewrite_jsonl,
        split_lines,
    )
    from dslint.generate.llm import endpoint_from_options
    from dslint.generate.regenerate import RegenerateReport, affected, regenerate_record

    def fail(message: str) -> int:
        click.echo(f"dslint: error: {message}", err=True)
        return EXIT_ERROR

    if not (request.apply and request.unsafe) or request.diff:
        return fail("--generate needs --fix and --unsafe-fixes (it rewrites content), and no --diff")
    endpoint = endpoint_from_options("--generate", endpoint_url, model)
    if isinstance(endpoint, str):
        return fail(endpoint)
    if len(targets) != 1:
        return fail("--generate works on one file at a time")
    (target,) = targets
    out = Path(new_file)
    if target.path is not None and out.resolve() == target.path.resolve():
        return fail(f"{new_file}: --generate writes a new file, never the input")
    try:
        check_supported(target)
        fixed = fix_file(target, settings, FixOptions(unsafe=True, drop_unrepairable=request.drop_unrepairable))
        data = fixed.fixed
        if target.kind == "jsonl":
            lines = dict(enumerate(split_lines(data)[1], 1))
            records: Any = {number: line for number, line in lines.items()}
        else:
            records = dict(enumerate(parse_json(data).records))
        report = RegenerateReport()
        changes: dict[int, Any] = {}
        for key, findings in sorted(affected(fixed.remaining, lambda d: _key(target, d)).items()):
            try:
                record = decode_line(records[key]) if target.kind == "jsonl" else records[key]
            except (KeyError, ValueError, RecursionError):
                continue
            if isinstance(record, dict):
                new = regenerate_record(record, findings, endpoint, report)
                if new is not None:
                    changes[key] = new
        result = (rewrite_jsonl if target.kind == "jsonl" else rewrite_json)(data, changes) if changes else data
    except (UnsupportedFile, OSError) as exc:
        return fail(f"{target.display}: {exc}")
    write_bytes_atomic(out, result)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dslint-gen-") as scratch:
        shown = Target(target.kind, new_file, out)
        run = lint_bytes(shown, result, settings, Path(scratch))
    write_report(render(run))
    click.echo(f"{fixed.applied} fixed, {report.regenerated} regenerated ({report.failed} failed), "
               f"{len(run.diagnostics)} remaining; written to {new_file}", err=True)
    for reason, count in sorted({**report.failures, **report.skipped}.items(), key=lambda item: -item[1]):
        click.echo(f"  {count:,}: {reason}", err=True)
    return EXIT_FINDINGS if run.failing() and not exit_zero else EXIT_CLEAN
