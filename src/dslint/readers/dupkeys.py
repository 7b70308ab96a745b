"""Duplicate keys: JSON allows an object to repeat a key and every loader silently keeps the last value,
so a record can lose data without anyone noticing. orjson drops duplicates too, so the readers need a
cheap test on every record and an exact (slow) search on the rare record that fails it.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from dslint.model import ReadProblem, escape_pointer_token

Note = tuple[ReadProblem, str, "str | None"]

# A pathological record can repeat a key millions of times; the first few say everything.
MAX_NOTES = 20
_KEY_SHOWN = 60
# `int in bytes` is a bare memchr, while `bytes in bytes` first tries its argument as an int and pays for
# the error; hence the int here and `find` for the longer needle.
_DIGIT_3 = ord("3")


def may_have_duplicates(raw: bytes, value: dict[str, Any], colons: int) -> bool:
    """Whether `raw` (the text `value` was decoded from, holding `colons` b":" bytes) may repeat a key.

    Exact pre-filter, comparing colon counts of the raw text and of orjson's compact re-encoding:
    every key in `raw` is followed by its own ':' and every other ':' sits inside a string, where the
    re-encoding writes it unchanged. So without duplicates both counts are equal, and each dropped
    duplicate removes at least its own ':' from the re-encoding. The one way to hide a ':' from the raw
    count is the escape `\\u003a`, so a line holding `\\u003` takes the slow path too (a memchr for the byte
    "3" keeps that substring search off most lines). This costs a fraction of walking the parsed value to
    count its keys; `colons <= len(value)` settles flat records without any re-encoding.
    """
    if colons <= len(value):
        return False
    try:
        if colons != orjson.dumps(value).count(b":"):
            return True
    except orjson.JSONEncodeError:  # deeper than orjson.dumps allows (254 levels): let the slow path decide
        return True
    return _DIGIT_3 in raw and raw.find(b"\\u003") >= 0


class _Pairs(list):  # type: ignore[type-arg]
    """An object's (key, value) pairs in document order, duplicates kept (the object_pairs_hook result)."""


def duplicate_key_notes(raw: bytes) -> tuple[Note, ...]:
    """One DUPLICATE_KEY note per repeated key (per object), pointing at the key, in document order.

    Re-parses with the stdlib decoder, which can hand over every pair; a record it cannot parse (integer
    too long for its digit limit, nesting deeper than the recursion limit) yields no notes.
    """
    try:
        root = json.loads(raw, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return ()
    notes: list[Note] = []
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack and len(notes) < MAX_NOTES:
        node, pointer = stack.pop()
        if type(node) is _Pairs:
            children = [(child, f"{pointer}/{escape_pointer_token(key)}") for key, child in node]
            notes.extend(_repeats(node, children, pointer))
        elif type(node) is list:
            children = [(child, f"{pointer}/{index}") for index, child in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))
    return tuple(notes[:MAX_NOTES])


def _repeats(pairs: _Pairs, children: list[tuple[Any, str]], pointer: str) -> list[Note]:
    seen: set[str] = set()
    reported: set[str] = set()
    notes: list[Note] = []
    where = f"the object at {pointer}" if pointer else "the record"
    for (key, _), (_, child_pointer) in zip(pairs, children, strict=True):
        if key in seen and key not in reported:
            reported.add(key)
            shown = orjson.dumps(key).decode()
            if len(shown) > _KEY_SHOWN:
                shown = shown[: _KEY_SHOWN - 4] + '..."'
            message = f"duplicate key {shown} in {where}; JSON loaders keep only the last value"
            notes.append((ReadProblem.DUPLICATE_KEY, message, child_pointer))
        seen.add(key)
    return notes
