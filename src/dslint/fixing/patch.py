"""Apply a fix's edits to one record (JSON Patch `replace` / `remove` / `add` semantics), without mutating it.

Several fixes of one record are applied in one pass only when they cannot disturb each other: each edit
has a *scope* (the value a `replace` changes; the container an `add` or `remove` reshapes), and a fix
whose scope overlaps one already applied waits for the next pass, where it is recomputed on the new record.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from dslint.fixing.model import Edit, EditOp, Fix


class PatchError(ValueError):
    """An edit that does not fit the record (a pointer that does not resolve, a wrong container)."""


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"invalid JSON pointer {pointer!r}")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def _child(container: Any, token: str, pointer: str) -> Any:
    if isinstance(container, dict):
        if token not in container:
            raise PatchError(f"{pointer}: no key {token!r}")
        return container[token]
    if isinstance(container, list):
        if not token.isdigit() or int(token) >= len(container):
            raise PatchError(f"{pointer}: no index {token!r}")
        return container[int(token)]
    raise PatchError(f"{pointer}: not a container")


def apply_edit(record: Any, edit: Edit) -> Any:
    """The record with one edit applied (mutated in place; callers pass a copy)."""
    tokens = _tokens(edit.pointer)
    if not tokens:
        if edit.op is EditOp.REMOVE:
            raise PatchError("cannot remove the whole record; use a drop fix")
        return copy.deepcopy(edit.value)
    parent = record
    for token in tokens[:-1]:
        parent = _child(parent, token, edit.pointer)
    last = tokens[-1]
    if isinstance(parent, dict):
        if edit.op is EditOp.ADD:
            parent[last] = copy.deepcopy(edit.value)
        elif last not in parent:
            raise PatchError(f"{edit.pointer}: no key {last!r}")
        elif edit.op is EditOp.REPLACE:
            parent[last] = copy.deepcopy(edit.value)
        else:
            del parent[last]
        return record
    if isinstance(parent, list):
        if edit.op is EditOp.ADD:
            index = len(parent) if last == "-" else _index(last, len(parent) + 1, edit.pointer)
            parent.insert(index, copy.deepcopy(edit.value))
        elif edit.op is EditOp.REPLACE:
            parent[_index(last, len(parent), edit.pointer)] = copy.deepcopy(edit.value)
        else:
            del parent[_index(last, len(parent), edit.pointer)]
        return record
    raise PatchError(f"{edit.pointer}: parent is not a container")


def _index(token: str, limit: int, pointer: str) -> int:
    if not token.isdigit() or int(token) >= limit:
        raise PatchError(f"{pointer}: index {token!r} out of range")
    return int(token)


def scopes(fix: Fix) -> list[tuple[str, ...]]:
    """What each edit of a fix may change, as pointer token paths (see the module docstring)."""
    found = []
    for edit in fix.edits:
        tokens = tuple(_tokens(edit.pointer))
        found.append(tokens if edit.op is EditOp.REPLACE else tokens[:-1])
    return found


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def apply_fixes(record: Any, fixes: Iterable[Fix]) -> tuple[Any, list[Fix], bool]:
    """(new record, fixes applied, dropped) for the fixes of one record, in order.

    A drop fix wins over everything (the record goes); a fix overlapping an applied one, or failing to
    apply, is left out (the next pass recomputes it from the new record).
    """
    fixes = list(fixes)
    for fix in fixes:
        if fix.drop:
            return record, [fix], True
    current = copy.deepcopy(record)
    applied: list[Fix] = []
    taken: list[tuple[str, ...]] = []
    for fix in fixes:
        if not fix.edits:
            continue
        try:
            mine = scopes(fix)
        except PatchError:
            continue
        if any(_overlaps(scope, other) for scope in mine for other in taken):
            continue
        attempt = copy.deepcopy(current)
        try:
            for edit in fix.edits:
                attempt = apply_edit(attempt, edit)
        except PatchError:
            continue
        current = attempt
        applied.append(fix)
        taken.extend(mine)
    return current, applied, False
