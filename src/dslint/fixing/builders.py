"""Fixes the rules attach to their findings, built from the normalised example and its raw record.

Each builder returns a `Fix` or None when the record's shape does not allow a sure repair (a typed
content part, a message with tool calls, a pointer that does not resolve): a finding without a fix is
better than a fix that breaks the record. Builders run only when a rule has found something.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dslint.fixing.model import Fix, add, remove, replace, safe, unsafe
from dslint.model import SYSTEM, Example, Turn, resolve_pointer

MERGE_SEPARATOR = "\n\n"
# Whitespace that counts as stray at a text's edges (str.strip would also take control separators).
EDGE_WHITESPACE = " \t\n\r\f\v\u00a0\u3000"


def split_pointer(pointer: str) -> tuple[str, str]:
    """(parent pointer, last token) of a JSON pointer."""
    parent, _, last = pointer.rpartition("/")
    return parent, last


def message_at(turn: Turn) -> tuple[str, int] | None:
    """(container pointer, index) of a turn that is a message object in a list, else None."""
    if turn.role_pointer is None or not isinstance(turn.message, dict):
        return None
    message, _ = split_pointer(turn.role_pointer)
    container, index = split_pointer(message)
    return (container, int(index)) if index.isdigit() else None


def strip_whitespace(raw: Any, pointer: str) -> Fix | None:
    """Strip leading and trailing whitespace of the string at `pointer` (safe)."""
    text = resolve_pointer(raw, pointer)
    if not isinstance(text, str):
        return None
    stripped = text.strip(EDGE_WHITESPACE)
    if not stripped or stripped == text:
        return None
    return safe("strip leading and trailing whitespace", replace(pointer, stripped))


def move_system_first(example: Example, turn: Turn) -> Fix | None:
    """Move a misplaced system message to the front of its list, after any leading system messages (safe)."""
    at = message_at(turn)
    if at is None:
        return None
    container, index = at
    placed = sorted((found[1], other.role) for other in example.turns
                    if (found := message_at(other)) is not None and found[0] == container)
    leading = 0
    for position, role in placed:
        if position != leading or role is not SYSTEM:
            break
        leading += 1
    if leading >= index:
        return None
    message = resolve_pointer(example.raw, f"{container}/{index}")
    if message is None:
        return None
    return safe("move the system message to the start",
                remove(f"{container}/{index}"), add(f"{container}/{leading}", message))


def _plain_text_key(turn: Turn) -> str | None:
    """The content key of a message holding plain text and no tool call, else None."""
    message = turn.message
    if not isinstance(message, dict) or turn.tool_calls or message.get("tool_calls") or message.get("function_call"):
        return None
    _, key = split_pointer(turn.pointer)
    return key if isinstance(message.get(key), str) else None


def merge_into_previous(previous: Turn, turn: Turn) -> Fix | None:
    """Merge a turn into the same-role message right before it, texts joined by a blank line (unsafe)."""
    here, before = message_at(turn), message_at(previous)
    if here is None or before is None or here[0] != before[0] or here[1] != before[1] + 1:
        return None
    key, previous_key = _plain_text_key(turn), _plain_text_key(previous)
    if key is None or previous_key is None:
        return None
    merged = previous.message[previous_key].rstrip() + MERGE_SEPARATOR + turn.message[key].lstrip()
    return unsafe(f"merge into the {previous.role.value} turn before it",
                  replace(previous.pointer, merged), remove(f"{here[0]}/{here[1]}"))


def remove_spans(raw: Any, pointer: str, pattern: re.Pattern[str], what: str) -> Fix | None:
    """Remove every match of `pattern` from the string at `pointer` (unsafe); None when the text has code
    (a token explained in code is content) or nothing would be left."""
    text = resolve_pointer(raw, pointer)
    if not isinstance(text, str) or "`" in text or "~~~" in text:
        return None
    cleaned = pattern.sub("", text)
    if cleaned == text or not cleaned.strip():
        return None
    return unsafe(f"remove {what}", replace(pointer, cleaned.strip()))


def rename_roles(pointers: tuple[tuple[str, str], ...], mapping: Mapping[str, str]) -> Fix | None:
    """Rename raw roles at their role pointers with `mapping` (safe: the vocabulary changes, not the roles)."""
    edits = [replace(pointer, mapping[role]) for pointer, role in pointers if role in mapping]
    if not edits:
        return None
    renamed = ", ".join(f"{old!r} -> {new!r}" for old, new in mapping.items()
                        if any(role == old for _, role in pointers))
    return safe(f"rename roles ({renamed})", *edits)
