"""Verifying near-duplicate candidates: rapidfuzz similarity, equal numbers, template lines left out."""

from __future__ import annotations

import re
from typing import Any

from dslint.rules.dup_sketch import distinct


def _numpy() -> Any:
    import numpy

    return numpy


def pair_texts(texts: Any, pairs: Any) -> dict[int, str]:
    """The text of every row in `pairs`, fetched at once (`texts.fetch`: each batch decompressed once)."""
    return texts.fetch(distinct(pairs).tolist()) if len(pairs) else {}


def verified_pairs(texts: dict[int, str], pairs: Any, threshold: float) -> Any:
    """The candidate pairs whose texts (`texts`: every row of `pairs`, from `pair_texts`) are at least `threshold`
    similar (rapidfuzz normalised Indel)."""
    np = _numpy()
    if not len(pairs):
        return pairs
    from rapidfuzz import fuzz
    from rapidfuzz.process import cpdist

    from dslint.parallel import run_jobs  # not at the top: the engine imports the rules

    left = [texts[row] for row in pairs[:, 0].tolist()]
    right = [texts[row] for row in pairs[:, 1].tolist()]
    # A parallel run's workers are done by now: its cores are free for rapidfuzz's threads.
    scores = cpdist(left, right, scorer=fuzz.ratio, score_cutoff=threshold * 100, dtype=np.float32,
                    workers=run_jobs())
    keep = scores >= threshold * 100
    for number in np.flatnonzero(keep).tolist():
        if not same_numbers(left[number], right[number]):
            keep[number] = False
    return pairs[keep]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def same_numbers(text: str, other: str) -> bool:
    """Whether two texts hold the same numbers in the same order: "Add 2 and 3" and "Add 2 and 4" are
    different requests however similar their characters (maths problems, dates, quantities)."""
    return _NUMBER.findall(text) == _NUMBER.findall(other)


# A line of at least TEMPLATE_CHARS characters found in at least TEMPLATE_SHARE of the texts (and at least
# TEMPLATE_MIN of them) is template text: a pasted tool specification, a fixed instruction preamble.
TEMPLATE_CHARS = 40
TEMPLATE_SHARE = 0.01
TEMPLATE_MIN = 10


def template_lines(texts: Any, count: int) -> frozenset[str]:
    """The long lines repeated across many texts. Two records sharing a 300-character preamble are not
    near-duplicates because of it, so verification compares what is left (candidates still come from the
    whole text)."""
    if count < TEMPLATE_MIN:
        return frozenset()
    seen: dict[str, int] = {}
    for text in texts.each():
        if "\n" not in text:
            continue
        for line in set(text.split("\n")):
            if len(line) >= TEMPLATE_CHARS:
                seen[line] = seen.get(line, 0) + 1
    floor = max(TEMPLATE_MIN, TEMPLATE_SHARE * count)
    return frozenset(line for line, times in seen.items() if times >= floor)


class WithoutTemplate:
    """Texts with their template lines left out (see `template_lines`)."""

    def __init__(self, texts: Any, template: frozenset[str]) -> None:
        self.texts, self.template = texts, template

    def __getitem__(self, row: int) -> str:
        return self._without(self.texts[row])

    def fetch(self, rows: list[int]) -> dict[int, str]:
        return {row: self._without(text) for row, text in self.texts.fetch(rows).items()}

    def _without(self, text: str) -> str:
        if "\n" not in text:
            return text
        return "\n".join(line for line in text.split("\n") if line not in self.template)
