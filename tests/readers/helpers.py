"""Helpers for reader tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dslint.model import RawRecord, ReadProblem
from dslint.readers import Target, read
from dslint.readers.discover import kind_for_name

# The read_bytes fixture: read_bytes(content, name="data.jsonl") -> records.
ReadBytes = Callable[..., list[RawRecord]]


def read_target(path: Path, kind: str | None = None) -> list[RawRecord]:
    """Every record of `path`, read with the reader its suffix selects (or `kind`); displayed by name."""
    resolved_kind = kind or kind_for_name(path.name)
    assert resolved_kind is not None, path
    return list(read(Target(resolved_kind, path.name, path)))


def problems(records: list[RawRecord]) -> list[tuple[ReadProblem | None, int, int | None]]:
    """(problem, index, line) per record: the shape most assertions need."""
    return [(record.problem, record.source.index, record.source.line) for record in records]


def values(records: list[RawRecord]) -> list[object]:
    """Decoded values of the records without a problem."""
    return [record.value for record in records if record.problem is None]
