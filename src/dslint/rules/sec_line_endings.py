"""SEC017: records whose line endings differ from the rest of their file, or mix styles within a record.

A dataset rule: each record is put in a category (no line break, LF, CRLF, bare CR, mixed) while the file is
read, and the records outside the file's majority are reported at the end (`minority`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import Any

from dslint.model import Example, Severity, Violation
from dslint.rules.base import DatasetRuleBase, dataset_rule
from dslint.rules.minority import Buckets, MinorityOptions, file_finding
from dslint.rules.sec_hygiene import suspects, texts
from dslint.rules.sec_hygiene_patterns import LATEX

_BARE_CR = re.compile("\r(?!\n)")
_BARE_LF = re.compile("(?<!\r)\n")


def line_endings(text: str) -> tuple[str, int, int]:
    """The line-ending style of a text holding CR ("CRLF", "CR", "LF", "mixed", or "" with no line break),
    the index of its first CR line break, and for a mixed text that of its first break of another style
    (-1 where there is none). A CR that ate a LaTeX backslash (SEC013 reports it) is not a line break."""
    crlf = text.find("\r\n")
    cr = next((m.start() for m in _BARE_CR.finditer(text) if not LATEX.match(text, m.start())), -1)
    lf = match.start() if (match := _BARE_LF.search(text)) else -1
    styles = [(index, name) for index, name in ((crlf, "CRLF"), (cr, "CR"), (lf, "LF")) if index >= 0]
    if len(styles) < 2:
        return (styles[0][1], styles[0][0] if styles[0][1] != "LF" else -1, -1) if styles else ("", -1, -1)
    first = min(index for index, name in styles if name != "LF")
    return "mixed", first, min(index for index, _ in styles if index != first)


_STYLE = {"CRLF": "CRLF (\\r\\n)", "CR": "bare CR (\\r)", "LF": "LF (\\n)"}
_MIXED_TEXT, _MIXED_RECORD = "mixed text", "mixed record"


def _record_style(example: Example) -> tuple[str, str | None, tuple[Any, ...]]:
    """The record's category ("" with no line break, "LF", "CRLF", "CR", or mixed), the pointer a finding
    would name and the detail its message needs. Only a record with a suspect text can hold a CR."""
    if not any("\r" in text for _, text in suspects(example)):
        # Not the turn at /instruction: Alpaca joins instruction and input there with a blank line.
        lf = (any("\n" in text for _, text in example.fields.values())
              or any("\n" in turn.content for turn in chain(example.turns, example.alternatives)
                     if turn.pointer != "/instruction"))
        return ("LF" if lf else ""), None, ()
    styles = [(pointer, *line_endings(text)) for pointer, text in texts(example)]
    styles = [item for item in styles if item[1]]
    for pointer, style, first, other in styles:
        if style == "mixed":
            return _MIXED_TEXT, pointer, (first, other)
    kinds = {style for _, style, _, _ in styles}
    if not kinds:
        return "", None, ()
    pointer, style, first, _ = next(item for item in styles if item[1] != "LF") if kinds != {"LF"} else styles[0]
    if len(kinds) == 1:
        return style, pointer, (first,)
    other_pointer, other_style = next((p, s) for p, s, _, _ in styles if s != style)
    return _MIXED_RECORD, pointer, (style, first, other_pointer, other_style)


@dataset_rule(code="SEC017", name="mixed-line-endings", severity=Severity.WARNING,
              summary="Records with CRLF or bare CR line endings in a file of LF records, or mixing styles",
              options=MinorityOptions)
class MixedLineEndings(DatasetRuleBase):
    r"""Records with CRLF or bare CR line endings in a file of LF records, or mixing styles

    ## What it does
    Per file, finds the line-ending style of every record's texts and, when LF (`\n`) is the most common
    style, flags the records using CRLF (`\r\n`) or bare CR (`\r`). A record mixing styles, in one text or
    across its texts, is flagged in any file. A file using CRLF throughout is consistent and never reported;
    a CR that stands for a LaTeX `\r...` command is SEC013's, not a line break.

    ## Why it matters
    The same text with different line endings tokenizes differently, so a few CRLF records teach the model
    a stray `\r` and defeat deduplication. They come from files edited or exported on Windows and merged
    with the rest.

    ## Example
    ```jsonl
    {"instruction": "List two colours.", "input": "", "output": "Red\nBlue"}
    {"instruction": "List two fruits.", "input": "", "output": "Apple\nPear"}
    {"instruction": "List two animals.", "input": "", "output": "Cat\r\nDog"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "List two colours.", "input": "", "output": "Red\nBlue"}
    {"instruction": "List two fruits.", "input": "", "output": "Apple\nPear"}
    {"instruction": "List two animals.", "input": "", "output": "Cat\nDog"}
    ```

    ## Options
    - `max-reported` (default 1000): most records listed per style and file; the rest are counted in one
      file-level finding.
    """

    def __init__(self, options: MinorityOptions) -> None:
        super().__init__(options)
        self.lf: dict[str, int] = {}  # LF records per file: only counted, never reported
        self.files: dict[str, Buckets] = {}  # per file, the other records by category (bounded by the cap)

    def observe(self, example: Example) -> None:
        category, pointer, detail = _record_style(example)
        if not category:
            return
        path = example.source.path
        if category == "LF":
            self.lf[path] = self.lf.get(path, 0) + 1
            return
        buckets = self.files.get(path)
        if buckets is None:
            buckets = self.files[path] = Buckets(self.options.max_reported)
        buckets.add_example(category, example, pointer, detail)

    def merge(self, other: MixedLineEndings) -> None:
        for path, count in other.lf.items():
            self.lf[path] = self.lf.get(path, 0) + count
        for path, theirs in other.files.items():
            mine = self.files.get(path)
            if mine is None:
                mine = self.files[path] = Buckets(self.options.max_reported)
            mine.merge(theirs)

    def finish(self) -> Iterator[Violation]:
        for path in sorted(self.files):
            by_key = self.files[path].by_key
            lf = self.lf.get(path, 0)
            counts = {key: bucket.count for key, bucket in by_key.items()}
            total = lf + sum(counts.values())
            reported = [_MIXED_TEXT, _MIXED_RECORD]
            if lf > counts.get("CRLF", 0) and lf > counts.get("CR", 0):
                reported = ["CRLF", "CR", *reported]
            for category in reported:
                bucket = by_key.get(category)
                if bucket is None:
                    continue
                for location in bucket.kept:
                    message = _message(category, location.detail, lf, total)
                    yield Violation(message, location.pointer, location.source, location.digest)
                if bucket.unlisted:
                    what = f"with {_STYLE[category]} line endings" if category in _STYLE else "mixing line endings"
                    message = (f"… and {bucket.unlisted:,} more records {what} not listed "
                               f"(max-reported is {self.options.max_reported:,})")
                    yield file_finding(path, message, "unlisted", category)


def _message(category: str, detail: tuple[Any, ...], lf: int, total: int) -> str:
    if category == _MIXED_TEXT:
        first, other = detail
        return (f"text mixes line endings: a CR line break at index {first} and a break of another style at "
                f"index {other}")
    if category == _MIXED_RECORD:
        style, first, other_pointer, other_style = detail
        return (f"record mixes line endings: this text uses {_STYLE[style]} (first at index {first}), "
                f"{other_pointer} uses {_STYLE[other_style]}")
    return (f"text uses {_STYLE[category]} line endings (first at index {detail[0]}), but {lf:,} of {total:,} "
            f"records with line breaks in this file use LF (\\n)")
