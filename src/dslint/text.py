"""Text helpers shared by the content rules (VAG, CTX, ALN, SEC ...): what the instruction is, which user turn
an assistant turn answers, code blanked out. Cheap and allocation-light: called per record.

Add a helper here when a second rule family needs it; keep family-specific logic in the family's module.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dslint.model import ASSISTANT, USER, Example, Turn

_INLINE_CODE = re.compile(r"`[^`\n]+`")


class Part(NamedTuple):
    """A piece of a record's text and the JSON pointer it lives at."""

    pointer: str
    text: str


def strip_code(text: str) -> str:
    """The text with fenced blocks and inline code spans blanked (line structure kept).

    Explaining a format, a token or a placeholder inside code is legitimate content, so pattern rules
    search the text outside code.
    """
    if "`" not in text and "~~~" not in text:
        return text
    spans = fenced_spans(text)
    if spans:
        parts: list[str] = []
        at = 0
        for start, end in spans:
            parts += (text[at:start], "\n" * text.count("\n", start, end))
            at = end
        parts.append(text[at:])
        text = "".join(parts)
    return _INLINE_CODE.sub(" ", text)


def fenced_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced block: from a ``` or ~~~ fence to the next same fence, or to the end of
    the text when it is never closed. Found with `str.find`: a lazy regex for the same spans steps through
    every character of the block (30 us for an answer holding a page of code)."""
    spans: list[tuple[int, int]] = []
    at = 0
    while True:
        ticks, tildes = text.find("```", at), text.find("~~~", at)
        if ticks < 0 and tildes < 0:
            return spans
        start = ticks if tildes < 0 or 0 <= ticks < tildes else tildes
        close = text.find(text[start:start + 3], start + 3)
        at = len(text) if close < 0 else close + 3
        spans.append((start, at))


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of fenced blocks (to their closing fence or the end) and of inline code spans."""
    spans = fenced_spans(text)
    for match in _INLINE_CODE.finditer(text):
        if not in_spans(match.start(), spans):
            spans.append((match.start(), match.end()))
    return spans


def in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def instruction(example: Example) -> Part | None:
    """The request: Alpaca's `instruction` field apart from its input, else the first user turn."""
    field = example.fields.get("instruction")
    if field is not None:
        return Part(*field)
    for turn in example.turns:
        if turn.role is USER:
            return Part(turn.pointer, turn.content)
    return None


def answered(turns: list[Turn], tool_calls: bool = True) -> list[tuple[Turn, Turn]]:
    """(user turn, assistant turn) for each assistant turn with content, with the user turn it answers (the
    nearest before it): multi-turn chats are checked turn by turn. `tool_calls=False` leaves out answers that
    carry tool calls. Plain tuples, and no loop for the usual two turns: this runs for every record."""
    if len(turns) == 2:
        user, answer = turns
        if user.role is USER and answer.role is ASSISTANT and answer.content and (
                tool_calls or not answer.tool_calls):
            return [(user, answer)]
        return []
    pairs = []
    asked: Turn | None = None
    for turn in turns:
        role = turn.role
        if role is USER:
            asked = turn
        elif role is ASSISTANT and asked is not None and turn.content and (tool_calls or not turn.tool_calls):
            pairs.append((asked, turn))
    return pairs
