"""What a fix is: edits at JSON pointers inside one record, or dropping the record, with an applicability.

Applicability follows ruff: a *safe* fix keeps the meaning of the record and is applied by `--fix`; an
*unsafe* fix may change what the model learns (merging turns, removing text, dropping a record) and is
applied only with `--unsafe-fixes`; a *display-only* fix is shown and never applied.

Edits follow JSON Patch (RFC 6902) semantics for `replace`, `remove` and `add`, with pointers relative to
the record, applied in order (a later edit sees the record as the earlier ones left it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class EditOp(str, enum.Enum):
    REPLACE = "replace"
    REMOVE = "remove"
    ADD = "add"


@dataclass(frozen=True, slots=True)
class Edit:
    """One change at a JSON pointer of the record. `value` is unused by `remove`."""

    op: EditOp
    pointer: str
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"op": self.op.value, "path": self.pointer}
        if self.op is not EditOp.REMOVE:
            found["value"] = self.value
        return found


@dataclass(frozen=True, slots=True)
class Fix:
    """How to repair one finding: `edits` to the record, or `drop` the whole record."""

    message: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()
    drop: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "applicability": self.applicability.value,
            "edits": [edit.to_dict() for edit in self.edits],
            "drop": self.drop,
        }


def replace(pointer: str, value: Any) -> Edit:
    return Edit(EditOp.REPLACE, pointer, value)


def remove(pointer: str) -> Edit:
    return Edit(EditOp.REMOVE, pointer)


def add(pointer: str, value: Any) -> Edit:
    return Edit(EditOp.ADD, pointer, value)


def safe(message: str, *edits: Edit) -> Fix:
    return Fix(message, Applicability.SAFE, tuple(edits))


def unsafe(message: str, *edits: Edit) -> Fix:
    return Fix(message, Applicability.UNSAFE, tuple(edits))


def drop_record(message: str, applicability: Applicability = Applicability.UNSAFE) -> Fix:
    """Drop the whole record (a duplicate, an unrepairable record); unsafe unless said otherwise."""
    return Fix(message, applicability, (), drop=True)
