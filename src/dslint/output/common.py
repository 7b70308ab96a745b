"""What every formatter shares: the options, the finding line, the summary, statistics and safe strings.

Strings in findings come from datasets and are hostile by default: they may hold newlines, terminal escape
sequences, bidi overrides and lone surrogates (JSON allows `"\\ud800"`). Each format makes them safe in its
own way, through the helpers here, so that no output ever raises or breaks its own syntax.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from dslint.model import Diagnostic, FileSummary, RunResult, Severity
from dslint.output.severity import ansi_colour

if TYPE_CHECKING:
    from dslint.rules.base import Rule


@dataclass(frozen=True)
class RenderOptions:
    """What `dslint.output.render` passes to a format's `render(result, options)`."""

    rules: Mapping[str, Rule]
    version: str
    color: bool = False
    statistics: bool = False
    quiet: bool = False


# --- safe strings ----------------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters, line/paragraph separators, bidi embeddings/overrides/isolates and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def one_line(text: str) -> str:
    """`text` as one terminal-safe line: unprintable characters become backslash escapes."""
    return _UNPRINTABLE.sub(_escape_char, text)


def replace_surrogates(text: str) -> str:
    """`text` encodable as UTF-8: each lone surrogate becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


# Escaped in JSON output: lone surrogates (not UTF-8) and the characters str.splitlines() and JavaScript
# treat as line breaks, so a JSON Lines file stays one object per line for every reader.
_JSON_ESCAPED = re.compile("[\x85\u2028\u2029\ud800-\udfff]")


def dumps(value: Any, *, indent: bool = False) -> str:
    """JSON text as orjson writes it, with lone surrogates, U+0085, U+2028 and U+2029 as `\\uXXXX`."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0).decode()
    except orjson.JSONEncodeError:  # lone surrogates, or integers beyond 64 bits: same layout via json
        text = json.dumps(
            value,
            ensure_ascii=False,
            indent=2 if indent else None,
            separators=(",", ": ") if indent else (",", ":"),
        )
    # These characters can only occur inside JSON strings, where their escape means the same.
    return _JSON_ESCAPED.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# --- findings --------------------------------------------------------------------------------------------


def message_with_pointer(diagnostic: Diagnostic) -> str:
    """The message, with the JSON pointer in parentheses when there is one (raw: each format escapes it)."""
    if diagnostic.pointer is None:
        return diagnostic.message
    return f"{diagnostic.message} ({diagnostic.pointer})"


def _sgr(code: str, text: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m"


def finding_line(diagnostic: Diagnostic, *, color: bool = False) -> str:
    """`path:line: CODE [severity] message (pointer)`, one safe line; `path: CODE ...` without a line."""
    where = one_line(diagnostic.path) + ("" if diagnostic.line is None else f":{diagnostic.line}") + ":"
    code = diagnostic.code
    severity = f"[{diagnostic.severity.value}]"
    if color:
        where, code = _sgr("2", where), _sgr("1", code)
        severity = _sgr(ansi_colour(diagnostic.severity), severity)
    return f"{where} {code} {severity} {one_line(message_with_pointer(diagnostic))}"


def files(result: RunResult) -> list[FileSummary]:
    """The files read, then (sorted) every path only a diagnostic names, as an empty summary."""
    known = {summary.path for summary in result.files}
    extra = sorted({d.path for d in result.diagnostics} - known)
    return [*result.files, *(FileSummary(path) for path in extra)]


# --- summary and statistics ------------------------------------------------------------------------------

_SEVERITY_NOUNS = ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "info"))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(result: RunResult) -> str:
    """`Found N problems (...) in M records across K files.` or `All checks passed: M records in K files.`"""
    file_count = plural(len(files(result)), "file")
    if not result.diagnostics:
        return f"All checks passed: {plural(result.records, 'record')} in {file_count}."
    records = len({(d.path, d.record) for d in result.diagnostics})
    counts = ", ".join(plural(result.count(severity), noun) for severity, noun in _SEVERITY_NOUNS)
    problems = plural(len(result.diagnostics), "problem")
    return f"Found {problems} ({counts}) in {plural(records, 'record')} across {file_count}."


def statistics_lines(result: RunResult) -> list[str]:
    """Per code: count, code, name, severity; most frequent first, then by code (ruff's `--statistics`)."""
    counts = Counter(d.code for d in result.diagnostics)
    names: dict[str, str] = {}
    severities: dict[str, Severity] = {}
    for d in result.diagnostics:
        names.setdefault(d.code, one_line(d.name))
        if d.code not in severities or d.severity.rank > severities[d.code].rank:
            severities[d.code] = d.severity
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = max((len(str(count)) for _, count in rows), default=0)
    code_width = max((len(code) for code, _ in rows), default=0)
    name_width = max((len(names[code]) for code, _ in rows), default=0)
    return [
        f"{count:>{count_width}}  {code:<{code_width}}  {names[code]:<{name_width}}  {severities[code].value}"
        for code, count in rows
    ]
