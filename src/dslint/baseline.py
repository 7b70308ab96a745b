"""Baselines: record today's findings so that CI fails only on new ones.

A baseline file is JSON with a versioned schema:

    {"dslint-baseline": 1, "entries": [{"fingerprint": "...", "code": "VAG001", "path": "data.jsonl",
     "count": 1}, ...]}

Entries are keyed by the finding's fingerprint (DESIGN.md section 5: code, path, canonical record content
and pointer; not the line), so inserting records above a finding keeps it baselined and editing the record
makes it new. `count` covers identical findings (two equal records in one file share a fingerprint): a
baseline entry hides at most that many. Entries are sorted by path, code and fingerprint, so the file diffs
well and is the same on every machine. `code` and `path` are for people reading the file; only the
fingerprint matches.

An entry that hides fewer findings than its count in a run is stale (the problem was fixed or the record
changed): the run says how many there are, and `dslint baseline write` prunes them. Stale entries are a
summary note, not findings: they describe the baseline file, not the data, and must not fail a run.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dslint.model import Diagnostic, RunResult

SCHEMA_KEY = "dslint-baseline"
SCHEMA_VERSION = 1
DEFAULT_PATH = ".dslint-baseline.json"
# Findings a baseline never hides: a crashing rule is not a known problem of the data.
NEVER_BASELINED = frozenset({"DSL001"})


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a dslint baseline; the message names the file."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str
    count: int = 1


@dataclass
class Baseline:
    entries: dict[str, Entry] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class BaselineOutcome:
    """What applying a baseline did: findings hidden, and entries that matched nothing."""

    hidden: int
    stale: list[Entry]


def from_diagnostics(diagnostics: list[Diagnostic]) -> Baseline:
    counts = Counter(d.fingerprint for d in diagnostics if d.code not in NEVER_BASELINED)
    first: dict[str, Diagnostic] = {}
    for diagnostic in diagnostics:
        first.setdefault(diagnostic.fingerprint, diagnostic)
    return Baseline({
        fp: Entry(fp, first[fp].code, first[fp].path, count) for fp, count in counts.items()
    })


def dumps(baseline: Baseline) -> str:
    entries = sorted(baseline.entries.values(), key=lambda e: (e.path, e.code, e.fingerprint))
    document = {
        SCHEMA_KEY: SCHEMA_VERSION,
        "entries": [
            {"fingerprint": e.fingerprint, "code": e.code, "path": e.path, "count": e.count} for e in entries
        ],
    }
    # ensure_ascii: a path with a lone surrogate still writes as valid UTF-8.
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def write(path: Path, baseline: Baseline) -> None:
    from dslint.atomic import write_text_atomic

    write_text_atomic(path, dumps(baseline))


def load(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with `dslint baseline write`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not valid JSON: {exc}") from None
    return parse(document, str(path))


def parse(document: Any, label: str) -> Baseline:
    if not isinstance(document, dict) or SCHEMA_KEY not in document:
        raise BaselineError(f"{label}: not a dslint baseline (no {SCHEMA_KEY!r} key)")
    version = document[SCHEMA_KEY]
    if version != SCHEMA_VERSION:
        raise BaselineError(f"{label}: baseline schema version {version!r} is not supported "
                            f"(this dslint reads version {SCHEMA_VERSION})")
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list):
        raise BaselineError(f"{label}: 'entries' must be a list")
    entries: dict[str, Entry] = {}
    for number, item in enumerate(raw_entries):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"{label}: entries[{number}]: needs a string 'fingerprint'")
        count = item.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{label}: entries[{number}]: 'count' must be a positive integer")
        fingerprint = item["fingerprint"]
        previous = entries.get(fingerprint)
        total = count + (previous.count if previous else 0)
        entries[fingerprint] = Entry(fingerprint, str(item.get("code", "")), str(item.get("path", "")), total)
    return Baseline(entries)


def apply(result: RunResult, baseline: Baseline) -> tuple[RunResult, BaselineOutcome]:
    """The run without the findings the baseline covers, and what was hidden or stale."""
    remaining = {fp: entry.count for fp, entry in baseline.entries.items()}
    kept: list[Diagnostic] = []
    hidden = 0
    for diagnostic in result.diagnostics:
        left = remaining.get(diagnostic.fingerprint, 0)
        if left and diagnostic.code not in NEVER_BASELINED:
            remaining[diagnostic.fingerprint] = left - 1
            hidden += 1
        else:
            kept.append(diagnostic)
    stale = [baseline.entries[fp] for fp, left in remaining.items() if left]
    stale.sort(key=lambda e: (e.path, e.code, e.fingerprint))
    return replace(result, diagnostics=kept), BaselineOutcome(hidden, stale)


def summary_note(outcome: BaselineOutcome) -> str:
    """`12 findings hidden by the baseline; 2 baseline entries are stale (...)`, for the summary."""
    hidden = f"{outcome.hidden} finding{'' if outcome.hidden == 1 else 's'} hidden by the baseline"
    if not outcome.stale:
        return hidden + "."
    count = len(outcome.stale)
    stale = (f"{count} baseline entr{'y matches' if count == 1 else 'ies match'} no finding any more "
             "(fixed or edited records); `dslint baseline write` prunes them")
    return f"{hidden}; {stale}."
