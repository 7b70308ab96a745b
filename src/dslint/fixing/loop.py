"""The fix loop: lint a file, apply the applicable fixes, lint again, until nothing changes (bounded).

Each pass lints the current bytes with the same engine and settings as `dslint check` (the reader sees a
temporary copy under the file's own display path), so a fix is always computed from the record as it is
now. Only JSON Lines and top-level JSON array files can be rewritten (see `writer`). Nothing is written
here: the caller writes the result atomically, or prints a diff.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dslint.engine import Engine, Settings
from dslint.fixing.model import Applicability, Fix, drop_record
from dslint.fixing.patch import apply_fixes
from dslint.fixing.writer import (
    UnsupportedFile,
    decode_line,
    parse_json,
    rewrite_json,
    rewrite_jsonl,
    split_lines,
)
from dslint.model import Diagnostic, FileSummary, RunResult
from dslint.readers import Target, read

MAX_PASSES = 10
# Findings that leave a record unusable when no fix repaired them; `--drop-unrepairable` drops such records.
UNREPAIRABLE = frozenset({"FMT001", "FMT004", "FMT006", "FMT007", "FMT008", "FMT009", "FMT010", "FMT011"})
UNREADABLE_FILE = "FMT002"
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst")


@dataclass
class FixOptions:
    unsafe: bool = False
    drop_unrepairable: bool = False
    max_passes: int = MAX_PASSES


@dataclass
class FileResult:
    """One file's outcome: its bytes before and after, the fixes applied and what remains."""

    target: Target
    original: bytes
    fixed: bytes
    applied: int = 0
    passes: int = 0
    remaining: list[Diagnostic] = field(default_factory=list)
    files: list[FileSummary] = field(default_factory=list)
    unsafe_available: int = 0  # remaining findings an unsafe fix would repair

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def check_supported(target: Target) -> None:
    """Raise UnsupportedFile unless dslint can rewrite this kind of target in place. A JSON file whose
    layout or formatting cannot be kept is refused later, only if a fix would change it."""
    if target.kind not in ("jsonl", "json") or target.path is None:
        raise UnsupportedFile(f"--fix not supported for {target.kind} input (only JSON Lines and JSON arrays)")
    if target.path.name.lower().endswith(_COMPRESSED):
        raise UnsupportedFile("--fix not supported for compressed files")


def applicable(fix: Fix | None, options: FixOptions) -> bool:
    if fix is None or fix.applicability is Applicability.DISPLAY_ONLY:
        return False
    return fix.applicability is Applicability.SAFE or options.unsafe


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dslint-fix-") as directory:
        yield Path(directory)


def lint_bytes(target: Target, data: bytes, settings: Settings, scratch: Path) -> RunResult:
    """The findings of the whole configured rule set on `data`, reported under the target's display path."""
    assert target.path is not None
    copy = scratch / target.path.name
    copy.write_bytes(data)
    engine = Engine(settings)
    limit = getattr(settings, "max_record_bytes", None)  # the same line limit as `check`
    engine.check_records(target.display, read(Target(target.kind, target.display, copy), limit))
    return engine.finish()


def _key(target: Target, diagnostic: Diagnostic) -> int | None:
    """Where a record finding's record is: its line in JSON Lines, its index in a JSON array."""
    if diagnostic.path != target.display or diagnostic.record is None:
        return None
    return diagnostic.line if target.kind == "jsonl" else diagnostic.record


def _plan(target: Target, diagnostics: list[Diagnostic], options: FixOptions) -> dict[int, list[Fix]]:
    """The fixes to apply this pass, by record; unrepairable drops only when nothing else is left to do."""
    plan: dict[int, list[Fix]] = {}
    for diagnostic in diagnostics:
        key = _key(target, diagnostic)
        if key is not None and applicable(diagnostic.fix, options):
            plan.setdefault(key, []).append(diagnostic.fix)  # type: ignore[arg-type]
    if plan or not options.drop_unrepairable:
        return plan
    if any(d.code == UNREADABLE_FILE and d.path == target.display for d in diagnostics):
        return plan  # the reader gave up on the file (not JSON Lines at all): never empty it record by record
    for diagnostic in diagnostics:
        key = _key(target, diagnostic)
        if key is not None and diagnostic.code in UNREPAIRABLE:
            plan.setdefault(key, [drop_record(f"drop the record: {diagnostic.code} cannot be repaired")])
    return plan


def _records(target: Target, data: bytes) -> dict[int, Any] | list[Any]:
    if target.kind == "jsonl":
        _, lines = split_lines(data)
        return {number: line for number, line in enumerate(lines, 1)}
    return parse_json(data).records


def _apply(target: Target, data: bytes, plan: dict[int, list[Fix]]) -> tuple[bytes, int]:
    """(new bytes, fixes applied) for one pass's plan."""
    records = _records(target, data)
    changes: dict[int, Any | None] = {}
    applied = 0
    for key, fixes in sorted(plan.items()):
        try:
            raw = records[key]
            if any(fix.drop for fix in fixes):
                changes[key] = None
                applied += 1
                continue
            value = decode_line(raw) if target.kind == "jsonl" else raw
        except (KeyError, IndexError, ValueError, RecursionError):
            continue
        new, done, dropped = apply_fixes(value, fixes)
        if dropped:
            changes[key] = None
        elif done and new != value:
            changes[key] = new
        else:
            continue
        applied += len(done)
    if not changes:
        return data, 0
    rewrite = rewrite_jsonl if target.kind == "jsonl" else rewrite_json
    return rewrite(data, changes), applied


def fix_file(target: Target, settings: Settings, options: FixOptions) -> FileResult:
    """Run the fix loop on one file (raises UnsupportedFile for a file dslint cannot rewrite)."""
    check_supported(target)
    assert target.path is not None
    original = target.path.read_bytes()
    result = FileResult(target, original, original)
    with _scratch() as scratch:
        run = lint_bytes(target, original, settings, scratch)
        while result.passes < options.max_passes:
            plan = _plan(target, run.diagnostics, options)
            if not plan:
                break
            data, applied = _apply(target, result.fixed, plan)
            result.passes += 1
            if not applied:
                break
            result.fixed, result.applied = data, result.applied + applied
            run = lint_bytes(target, data, settings, scratch)
    result.remaining, result.files = run.diagnostics, run.files
    result.unsafe_available = sum(
        1 for d in run.diagnostics if d.fix is not None and d.fix.applicability is Applicability.UNSAFE
    )
    return result
