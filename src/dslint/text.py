"""Text helpers shared by the content rules (VAG, CTX, ALN, SEC ...): what the instruction is, which user turn
an assistant turn answers, code blanked out, words counted. Cheap and allocation-light: called per record.

Add a helper here when a second rule family needs it; keep family-specific logic in the family's module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from dslint.model import Example, Role, Turn

_FENCED = re.compile(r"(```|~~~).*?(?:\1|\Z)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


class Part(NamedTuple):
    """A piece of a record's text and the JSON pointer it lives at."""

    pointer: str
    text: str


class Exchange(NamedTuple):
    """An assistant turn and the user turn it answers (the nearest user turn before it)."""

    user: Turn
    assistant: Turn
    first: bool  # the conversation's first exchange


def strip_code(text: str) -> str:
    """The text with fenced blocks and inline code spans blanked (line structure kept).

    Explaining a format, a token or a placeholder inside code is legitimate content, so pattern rules
    search the text outside code.
    """
    if "`" not in text and "~~~" not in text:
        return text
    text = _FENCED.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _INLINE_CODE.sub(" ", text)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def instruction(example: Example) -> Part | None:
    """The request: Alpaca's `instruction` field apart from its input, else the first user turn."""
    field = example.fields.get("instruction")
    if field is not None:
        return Part(*field)
    for turn in example.turns:
        if turn.role is Role.USER:
            return Part(turn.pointer, turn.content)
    return None


def supplied_input(example: Example) -> Part | None:
    """Alpaca's `input` (the material the instruction works on), or None for formats without one."""
    field = example.fields.get("input")
    return Part(*field) if field is not None else None


def exchanges(example: Example) -> Iterator[Exchange]:
    """Each assistant turn with content, and the user turn it answers; multi-turn chats turn by turn."""
    user: Turn | None = None
    first = True
    for turn in example.turns:
        if turn.role is Role.USER:
            user = turn
        elif turn.role is Role.ASSISTANT and user is not None and turn.content:
            yield Exchange(user, turn, first)
            first = False


def final_exchange(example: Example) -> Exchange | None:
    """The last assistant answer and the user turn it answers."""
    last = None
    for exchange in exchanges(example):
        last = exchange
    return last
