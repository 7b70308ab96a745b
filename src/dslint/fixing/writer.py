"""Write fixed records back into a file's bytes, changing nothing the user did not ask to change.

JSON Lines: the file is kept as a list of raw lines with their own endings; an untouched line stays byte
for byte as it was, a changed record is re-serialised in its line's own style (separators, `ensure_ascii`,
key order and unknown fields come from the parsed record), a dropped record loses its line.

A JSON file (a top-level array of records, or an object holding one records list) is spliced: only the
bytes of a changed record are replaced, by the record re-serialised in the style its original bytes were
written in (detected by serialising the original record in candidate styles, indentation relative to its
column included); a dropped record goes with its separator. When no candidate style reproduces a changed
record's bytes exactly, fixing the file is refused with a message, never written in another style.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

UTF8_BOM = b"\xef\xbb\xbf"


class UnsupportedFile(ValueError):
    """A file dslint cannot rewrite without changing what it must keep (one-line reason)."""


@dataclass(frozen=True, slots=True)
class Style:
    """How a JSON text was written: item and key separators, escaping of non-ASCII, indentation."""

    separators: tuple[str, str] = (", ", ": ")
    ensure_ascii: bool = False
    indent: int | str | None = None
    escape_slash: bool = False  # `\/` for every `/` (PHP and some other serialisers write it so)

    def dumps(self, value: Any) -> str:
        text = json.dumps(value, ensure_ascii=self.ensure_ascii, separators=self.separators, indent=self.indent)
        if self.escape_slash:
            text = text.replace("/", "\\/")  # a `/` can only be inside a string in JSON text
        # A lone surrogate cannot be written as UTF-8: keep it as the escape it was read from.
        return _SURROGATE.sub(_escape, text) if not self.ensure_ascii else text


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


_LINE_STYLES = tuple(Style(seps, ascii_only) for ascii_only in (False, True)
                     for seps in ((", ", ": "), (",", ":")))
_NON_ASCII_ESCAPE = re.compile(r"\\u(?:00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])[0-9a-fA-F]{2}")


def line_style(text: str, value: Any) -> Style:
    """The style a JSON line was written in: the one reproducing it exactly, else the closest guess."""
    styles = _LINE_STYLES
    if "\\/" in text:
        styles = styles + tuple(replace(style, escape_slash=True) for style in styles)
    for style in styles:
        try:
            if style.dumps(value) == text:
                return style
        except (TypeError, ValueError, RecursionError):
            break
    compact = '": ' not in text and '", "' not in text and ('":' in text or '","' in text)
    escaped = bool(_NON_ASCII_ESCAPE.search(text)) and text.isascii()
    return Style((",", ":") if compact else (", ", ": "), escaped)


def split_lines(data: bytes) -> tuple[bytes, list[bytes]]:
    """(BOM prefix, lines each with its own ending) as the JSON Lines reader sees them (split at LF)."""
    prefix = b""
    if data.startswith(UTF8_BOM):
        prefix, data = UTF8_BOM, data[len(UTF8_BOM):]
    lines = data.split(b"\n")
    found = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        found.append(lines[-1])
    return prefix, found


def decode_line(line: bytes) -> Any:
    """A JSON Lines record as the stdlib parses it (big integers and key order kept)."""
    return json.loads(line.decode("utf-8", "surrogatepass"))


def encode_line(original: bytes, value: Any) -> bytes:
    """A changed record as a line in the original line's style and with its ending."""
    body = original.rstrip(b"\r\n")
    ending = original[len(body):]
    text = body.decode("utf-8", "surrogatepass")
    style = line_style(text.strip(), decode_line(body))
    return style.dumps(value).encode("utf-8") + ending


def rewrite_jsonl(data: bytes, changes: dict[int, Any | None]) -> bytes:
    """The file with records replaced by line number (1-based); None drops the line."""
    prefix, lines = split_lines(data)
    out = [prefix]
    for number, line in enumerate(lines, 1):
        if number not in changes:
            out.append(line)
        elif changes[number] is not None:
            out.append(encode_line(line, changes[number]))
    return b"".join(out)


@dataclass
class JsonArray:
    """A JSON file's records list and where each record's bytes are (see `parse_json`)."""

    prefix: bytes  # a BOM, if any
    body: bytes
    records: list[Any]
    spans: list[tuple[int, int]]  # one (start, end) per record
    opening: int  # offset just after the list's `[`
    closing: int  # offset of the list's `]`


def parse_json(data: bytes) -> JsonArray:
    """The records of a JSON file (a top-level array, or the one records list of a top-level object) with
    their byte spans; raises UnsupportedFile for anything else."""
    from dslint.readers.json_file import (  # the reader's own scan
        _element_spans,
        _record_list,
        looks_like_record,
    )

    prefix = UTF8_BOM if data.startswith(UTF8_BOM) else b""
    body = data[len(prefix):]
    try:
        document = json.loads(body.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UnsupportedFile(f"not a valid JSON document ({str(exc).splitlines()[0]})") from None
    if isinstance(document, list):
        records, depth = document, 0
    elif isinstance(document, dict) and not looks_like_record(document) and _record_list(document):
        records, depth = _record_list(document)[1], 1  # type: ignore[index]
    else:
        raise UnsupportedFile("only a JSON array of records (or an object holding one) can be fixed")
    spans = _element_spans(body, depth)
    if len(spans) != len(records) or not all(isinstance(r, (dict, list)) for r in records):
        raise UnsupportedFile("the records list holds values that are not objects")
    if not spans:
        raise UnsupportedFile("the records list is empty")
    opening = body.rfind(b"[", 0, spans[0][0]) + 1
    closing = body.find(b"]", spans[-1][1])
    if opening <= 0 or body[opening:spans[0][0]].strip() or closing < 0 or body[spans[-1][1]:closing].strip():
        raise UnsupportedFile("cannot locate the records list")
    return JsonArray(prefix, body, records, spans, opening, closing)


_ELEMENT_STYLES = tuple(Style(seps, ascii_only, indent) for indent in (2, 4, None, 1, 3, 8, "\t")
                        for ascii_only in (False, True)
                        for seps in (((",", ": "), (",", ":")) if indent is not None else ((", ", ": "), (",", ":"))))


def element_text(array: JsonArray, index: int, value: Any) -> bytes:
    """A changed record re-serialised in the style of the element it replaces (indentation included)."""
    start, end = array.spans[index]
    line_start = array.body.rfind(b"\n", 0, start) + 1
    lead = array.body[line_start:start]
    margin = lead.decode() if not lead.strip() else ""
    original = array.body[start:end].decode("utf-8", "surrogatepass")
    styles = _ELEMENT_STYLES
    if "\\/" in original:
        styles = styles + tuple(replace(style, escape_slash=True) for style in styles)
    for style in styles:
        try:
            text = style.dumps(array.records[index])
        except (TypeError, ValueError, RecursionError):
            break
        if style.indent is not None:
            text = text.replace("\n", "\n" + margin)
        if text == original:
            out = style.dumps(value)
            return (out.replace("\n", "\n" + margin) if style.indent is not None else out).encode("utf-8")
    raise UnsupportedFile(f"record {index}: its formatting cannot be reproduced exactly (convert the file "
                          "to JSON Lines, or write it with a standard JSON serialiser)")


def rewrite_json(data: bytes, changes: dict[int, Any | None]) -> bytes:
    """A JSON file with records replaced by index (0-based), None dropping one. Only the changed records'
    bytes change: the others, the separators and everything around the list are kept as they are."""
    array = parse_json(data)
    body, spans = array.body, array.spans
    texts = [element_text(array, i, changes[i]) if i in changes and changes[i] is not None
             else body[start:end] for i, (start, end) in enumerate(spans)]
    # Separator before element i: after `[` for the first, else after the previous element.
    separators = [body[array.opening:spans[0][0]]] + [body[spans[i - 1][1]:spans[i][0]] for i in range(1, len(spans))]
    kept = [i for i in range(len(spans)) if not (i in changes and changes[i] is None)]
    out = [array.prefix, body[:array.opening]]
    for position, i in enumerate(kept):
        out.append(separators[0] if position == 0 else separators[i])
        out.append(texts[i])
    out.append(body[spans[-1][1]:array.closing] if kept else b"")
    out.append(body[array.closing:])
    return b"".join(out)
