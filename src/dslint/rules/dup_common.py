"""Pieces the DUP rule modules share: options, how a location is named, and finding construction."""

from __future__ import annotations

from pydantic import Field

from dslint.model import Source, Violation
from dslint.rules.base import RuleOptions

# Why 0.9: rapidfuzz's normalised Indel similarity of a sentence-length text and the same text with one
# typo, a changed punctuation mark or one short inserted word is 0.92-0.98, while two different requests
# built from one template ("Translate to French: ...") stay under 0.85 once the variable part is a few
# words long. Measured on the planted-duplicate benchmark (benchmarks/dup/) and the GPTeacher files.
DEFAULT_THRESHOLD = 0.9
DEFAULT_MAX_CHARS = 4000


class NearOptions(RuleOptions):
    """Options of the near-duplicate rules."""

    threshold: float = Field(
        DEFAULT_THRESHOLD, gt=0.0, le=1.0,
        description="Lowest similarity (rapidfuzz normalised Indel, 0-1) of two normalised texts that are "
                    "near-duplicates.",
    )
    max_chars: int = Field(
        DEFAULT_MAX_CHARS, ge=100,
        description="Characters of each normalised text that are compared (and kept until the end of the run).",
    )


def where(source: Source, here: str) -> str:
    """`record 3 (line 4)` plus ` in other.jsonl` when the record is in another file than `here`."""
    place = f"record {source.index}"
    if source.line is not None:
        place += f" (line {source.line})"
    if source.path != here:
        place += f" in {source.path}"
    return place


def record_finding(message: str, source: Source, pointer: str | None, digest: str) -> Violation:
    return Violation(message, pointer, source, digest)


def percent(similarity: float) -> str:
    """A similarity as a whole percentage, rounded down: 99.6% is `99%`, never a misleading `100%`."""
    return f"{int(similarity * 100 + 1e-9)}%"
