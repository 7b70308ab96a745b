"""The gate every generated record passes: dslint's own rules, run on the batch as one dataset.

A record is rejected when a finding about it (a record finding: dataset rules' file-level findings do
not count) is at or above the gate's severity. What is kept is written; why the rest went is counted.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dslint.engine import Engine, Settings
from dslint.fixing.writer import Style
from dslint.model import Severity
from dslint.readers import Target, read

_LINE = Style((", ", ": "), False)


@dataclass
class GateResult:
    kept: list[dict[str, Any]]
    rejected: Counter[str] = field(default_factory=Counter)  # by code: name
    rejected_records: int = 0


def dumps(record: dict[str, Any]) -> bytes:
    return _LINE.dumps(record).encode("utf-8") + b"\n"


def gate(records: Sequence[dict[str, Any]], settings: Settings, level: Severity) -> GateResult:
    """The records with no finding at or above `level` under `settings`, in order."""
    if not records:
        return GateResult([])
    with tempfile.TemporaryDirectory(prefix="dslint-gen-") as directory:
        path = Path(directory) / "generated.jsonl"
        path.write_bytes(b"".join(dumps(record) for record in records))
        engine = Engine(settings)
        engine.check_records("generated.jsonl", read(Target("jsonl", "generated.jsonl", path)))
        diagnostics = engine.finish().diagnostics
    failing: dict[int, set[str]] = {}
    for diagnostic in diagnostics:
        if diagnostic.record is not None and diagnostic.severity.rank >= level.rank:
            failing.setdefault(diagnostic.record, set()).add(f"{diagnostic.code} {diagnostic.name}")
    result = GateResult([record for i, record in enumerate(records) if i not in failing])
    result.rejected_records = len(failing)
    for codes in failing.values():
        result.rejected.update(codes)
    return result
