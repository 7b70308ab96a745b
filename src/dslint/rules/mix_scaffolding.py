"""Other formats' scaffolding inside one piece of content, for MIX005. Every pattern is compiled at import.

Code is never searched: fenced blocks (``` or ~~~, to their closing fence or the end of the text) and
inline code spans are blanked first, since explaining a format in code is legitimate content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dslint.text import strip_code


def _maybe(text: str) -> bool:
    """Quick test: a text failing it cannot match any pattern below (most texts). Plain substring
    searches, several times faster than one case-insensitive regex alternation; a one-character search
    (a memchr) goes first where it can, since most texts hold no `#`, `<`, `]` or `:` at all."""
    return (
        ("#" in text and "###" in text)
        or ("<" in text and "<|im_" in text)
        or ("]" in text and "INST]" in text)
        or "elow is an instruction" in text
        or "ELOW IS AN INSTRUCTION" in text
        or (":" in text and ("ssistant" in text or "SSISTANT" in text))
    )


_ALPACA = re.compile(
    r"^[ \t]*###[ \t]*(?:Instruction|Input|Response)[ \t]*:|Below is an instruction that describes a task",
    re.IGNORECASE | re.MULTILINE,
)
_CHATML = re.compile(r"<\|im_start\|>[ \t]*(?:system|user|assistant|tool)?|<\|im_end\|>")
_LLAMA = re.compile(r"\[/?INST\]")
# Role labels starting a line, capitalised or in capitals (a lower-case `user:` is usually data, e.g. YAML).
_USER_LABEL = re.compile(r"^[ \t]*(?:###[ \t]*)?(?:Human|HUMAN|User|USER)[ \t]*:", re.MULTILINE)
_ASSISTANT_LABEL = re.compile(r"^[ \t]*(?:###[ \t]*)?(?:Assistant|ASSISTANT)[ \t]*:", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Scaffolding:
    kind: str
    markers: tuple[str, ...]  # what was found, as written (two role labels, or one marker)
    position: int

    @property
    def quoted(self) -> str:
        return " and ".join(repr(marker) for marker in self.markers)


def find(text: str, alpaca_headers: bool) -> Scaffolding | None:
    """The first foreign scaffolding in one piece of content, or None.

    `alpaca_headers`: also look for Alpaca's prompt headers (not in Alpaca's own fields, where MIX005
    looks for chat markers only).
    """
    if not _maybe(text):
        return None
    text = strip_code(text)
    found: list[Scaffolding] = []
    if alpaca_headers:
        _first(found, _ALPACA, text, "Alpaca prompt header")
    _first(found, _CHATML, text, "ChatML marker")
    _first(found, _LLAMA, text, "Llama [INST] marker")
    user = _USER_LABEL.search(text)
    assistant = _ASSISTANT_LABEL.search(text) if user else None
    if user and assistant:
        labels = (user.group(0).strip(), assistant.group(0).strip())
        found.append(Scaffolding("transcript role labels", labels, min(user.start(), assistant.start())))
    return min(found, key=lambda s: s.position) if found else None


def _first(found: list[Scaffolding], pattern: re.Pattern[str], text: str, kind: str) -> None:
    match = pattern.search(text)
    if match:
        found.append(Scaffolding(kind, (match.group(0).strip(),), match.start()))
