"""The control-token scanner behind TPL001: one compiled pattern per token set, built once and cached.

The scan is one substring test per first character of the tokens (every table token starts with `<` or
`[`: two memchr-speed `in` tests, which nearly every text fails), then one `re.search` over a trie-shaped
pattern of every token (common prefixes factored out, so the regex engine follows one branch per
position instead of trying every token; longer tokens win). Code spans are only computed for a text that
has a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dslint import tokens_table
from dslint.text import code_spans, in_spans

MAX_TOKEN_CHARS = 200  # longer "tokens" (from configuration) are ignored: no tokenizer has such special tokens


@dataclass(frozen=True, slots=True)
class TokenHit:
    token: str
    start: int
    in_code: bool


@dataclass(frozen=True)
class Scanner:
    pattern: re.Pattern[str] | None
    tokens: frozenset[str]
    first_chars: tuple[str, ...]

    def maybe(self, text: str) -> bool:
        """Quick test: False means `text` holds no token (most texts)."""
        for char in self.first_chars:
            if char in text:
                return True
        return False

    def scan(self, text: str) -> list[TokenHit]:
        """Every control token in `text`, in order, each marked whether it sits in code."""
        pattern = self.pattern
        if pattern is None or not self.maybe(text) or pattern.search(text) is None:
            return []
        spans = code_spans(text) if ("`" in text or "~~~" in text) else []
        return [TokenHit(m.group(0), m.start(), in_spans(m.start(), spans)) for m in pattern.finditer(text)]


def table_tokens(target_families: Iterable[str], include_scaffolding: bool) -> frozenset[str]:
    """The table's tokens to look for: every family's unambiguous tokens, or (with target families) those
    families' tokens including the ambiguous ones. MIX005's markers are left out unless asked for."""
    targets = tuple(target_families)
    families = tokens_table.by_key()
    found: set[str] = set()
    if targets:
        for key in targets:
            family = families[key]
            found.update(family.tokens, family.ambiguous)
    else:
        for family in tokens_table.FAMILIES:
            found.update(family.tokens)
    if not include_scaffolding:
        found -= tokens_table.SCAFFOLDING_MARKERS
    return frozenset(found)


@lru_cache(maxsize=16)
def scanner(tokens: frozenset[str]) -> Scanner:
    usable = sorted(t for t in tokens if t and not t.isspace() and len(t) <= MAX_TOKEN_CHARS)
    if not usable:
        return Scanner(None, frozenset(), ())
    first_chars = tuple(sorted({t[0] for t in usable}))
    return Scanner(re.compile(trie_pattern(usable)), frozenset(usable), first_chars)


def trie_pattern(words: list[str]) -> str:
    """A regex matching any of `words`, shaped as their prefix trie (the longest word wins)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)  # recursion depth is bounded by MAX_TOKEN_CHARS
