"""What the DUP rules compare: a record's prompt, its answer and the whole example, normalised.

Normalisation makes copies that differ only in ways a reader (or a tokenizer's effect on training) does not
care about compare equal: Unicode NFKC, case (casefold), runs of whitespace (collapsed to one space within a
line, blank lines dropped) and punctuation at the end of each message (`Why?` and `why` are the same
question).

Every view is computed once per example, however many DUP rules look at it (`views` keeps the last one).
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import NamedTuple

from dslint.model import ASSISTANT, SYSTEM, USER, Example

# Punctuation and spaces stripped from the end of every message before comparing.
TRAILING = " .!?,;:…。！？、，；：\"'”’)]"
SEPARATOR = "\n"  # between the turns of one view


def normalise(text: str) -> str:
    """Text as the DUP rules compare it: NFKC, casefolded, whitespace collapsed within each line (blank
    lines dropped, line breaks kept: verification can then tell template lines apart), trailing
    punctuation gone."""
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
    if "\n" in text or "\r" in text:
        lines = (" ".join(line.split()) for line in text.splitlines())
        return "\n".join(line for line in lines if line).rstrip(TRAILING)
    return " ".join(text.split()).rstrip(TRAILING)


class Views(NamedTuple):
    """The normalised texts of one example; empty strings where the example has no such part."""

    whole: str  # every turn (system included) as `role: text`, one per line; alternatives after
    prompt: str  # the user turns before the first answer (Alpaca: instruction and input)
    answer: str  # the first assistant answer after the prompt
    prompt_pointer: str | None  # where the prompt starts in the record


_last: tuple[Example | None, Views | None] = (None, None)


def views(example: Example) -> Views:
    """The normalised views of an example (the last one is remembered: several rules ask in a row)."""
    global _last
    if _last[0] is example and _last[1] is not None:
        return _last[1]
    found = _compute(example)
    _last = (example, found)
    return found


def _compute(example: Example) -> Views:
    whole: list[str] = []
    prompt: list[str] = []
    answer = ""
    pointer: str | None = None
    answered = False
    for turn in example.turns:
        text = normalise(turn.content)
        whole.append(f"{turn.role.value}: {text}")
        if answered or turn.role is SYSTEM:
            continue
        if turn.role is USER:
            prompt.append(text)
            if pointer is None:
                pointer = turn.pointer
        elif turn.role is ASSISTANT and prompt:
            answer, answered = text, True
    for turn in example.alternatives:
        whole.append(f"alternative: {normalise(turn.content)}")
    return Views(SEPARATOR.join(whole), SEPARATOR.join(prompt), answer, pointer)


def digest(text: str) -> bytes:
    """A 16-byte digest of a normalised text (the key of exact-duplicate detection)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
