"""JSON reader (`.json`, `.json.gz`): a whole document holding records.

The top level may be an array of records, one record object, or an object holding exactly one list of
records (`{"data": [...]}`). The file is parsed whole with orjson; record start lines come from one regex
pass over the bytes. A `.json` file that is really JSON Lines is read as JSON Lines, and a broken file
still yields the records before the error, so rules run on them.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Generator, Iterator
from typing import Any

import orjson

from dslint.model import RawRecord, ReadProblem, Source, escape_pointer_token, text_digest
from dslint.readers import Target
from dslint.readers.bytes_util import (
    HEAD_SIZE,
    UTF8_BOM,
    JsonError,
    describe_json_error,
    file_record,
    head_problem,
    is_value,
    json_type_name,
    open_checked,
    os_error_message,
    surrogate_fallback,
)
from dslint.readers.dupkeys import duplicate_key_notes, may_have_duplicates
from dslint.readers.jsonl import iter_records

# A top-level object holding any of these keys is one record, not a container of records.
RECORD_KEYS = ("messages", "conversations", "instruction", "prompt", "chosen", "output", "text")

# Runs of string-or-other-bytes, then one bracket (group 1): brackets inside strings are consumed with the
# string, so depth counting sees only structural brackets. Only ever run on JSON orjson accepted, and the
# scan stops at the records list's closing bracket, so the nested quantifier never has to backtrack.
_NEXT_BRACKET = re.compile(rb'(?:"[^"\\]*(?:\\.[^"\\]*)*"|[^"\[\]{}]+)*([\[\]{}])')
_OPENERS = (ord("["), ord("{"))
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LEADING_WHITESPACE = re.compile(rb"[ \t\n\r]*")


def looks_like_record(obj: dict[str, Any]) -> bool:
    """Whether a top-level object is itself a record (it has one of RECORD_KEYS)."""
    return any(key in obj for key in RECORD_KEYS)


def read_json(target: Target) -> Iterator[RawRecord]:
    """Records of a JSON file (see the module docstring for the accepted layouts)."""
    assert target.path is not None, "a json target always has a path"
    display = target.display
    data = _read_all(target)
    if isinstance(data, str):
        yield file_record(display, ReadProblem.UNREADABLE_FILE, data)
        return
    problem = head_problem(data[:HEAD_SIZE])
    if problem is not None:
        yield file_record(display, ReadProblem.UNREADABLE_FILE, problem)
        return
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if _content_start(data) == len(data):
        message = "file is empty" if not data else "file holds only whitespace"
        yield file_record(display, ReadProblem.EMPTY_FILE, message)
        return
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        document = surrogate_fallback(exc, data)
        if is_value(document):
            yield from _records(display, data, document)
        elif _is_json_lines(data):
            yield from iter_records(display, io.BytesIO(data))
        else:
            yield from _salvage(display, data, describe_json_error(exc, data, "file"))
        return
    yield from _records(display, data, document)


def _read_all(target: Target) -> bytes | str:
    """The file's bytes, or the one-line reason they cannot be read (binary content is told from the first
    bytes, before the rest is read: a 1 GB file of NULs must not be loaded to be rejected)."""
    assert target.path is not None
    stream = open_checked(target.path)
    if isinstance(stream, str):
        return stream
    try:
        with stream:
            head = stream.read(HEAD_SIZE)
            problem = head_problem(head)
            if problem is not None:
                return problem
            stream.seek(0)  # a plain or gzip file: rewinding beats copying a large file once more
            return stream.read()
    except OSError as exc:
        return os_error_message(exc)
    except (EOFError, zlib.error) as exc:  # a truncated or corrupt .json.gz
        return f"cannot read file: {exc}"


def _is_json_lines(data: bytes) -> bool:
    """Whether a file that failed to parse as one document starts with a complete object on its own line."""
    start = _content_start(data)
    end = data.find(b"\n", start)
    if end < 0:
        return False
    try:
        return type(orjson.loads(data[start:end])) is dict
    except orjson.JSONDecodeError:
        return False


def _content_start(data: bytes) -> int:
    """Offset of the first byte that is not JSON whitespace (without copying a large file to strip it)."""
    return _LEADING_WHITESPACE.match(data).end()  # type: ignore[union-attr]


def _records(display: str, data: bytes, document: Any) -> Iterator[RawRecord]:
    """Records of a parsed document, or the one problem saying why it holds none."""
    if isinstance(document, dict) and looks_like_record(document):
        start = _content_start(data)
        yield _record(Source(display, data.count(b"\n", 0, start) + 1, 0), document, data)
        return
    if isinstance(document, list):
        records, list_depth, where = document, 0, "file holds an empty JSON array"
    elif isinstance(document, dict):
        found = _record_list(document)
        if found is None:
            keys = ", ".join(orjson.dumps(key).decode() for key in list(document)[:6]) or "none"
            message = (
                f"no records found: the top-level object has no record key ({', '.join(RECORD_KEYS)}) "
                f"and no single list of records (its keys: {keys})"
            )
            yield file_record(display, ReadProblem.UNREADABLE_FILE, message)
            return
        key, records = found
        list_depth, where = 1, f"the list of records at /{escape_pointer_token(key)} is empty"
    else:
        message = f"file holds {json_type_name(document)}, expected an array of records or an object"
        yield file_record(display, ReadProblem.NOT_AN_OBJECT, message)
        return
    if not records:
        yield file_record(display, ReadProblem.EMPTY_FILE, where)
        return
    yield from _located(display, data, records, list_depth)


def _record_list(document: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """(key, list) when exactly one value is a list and it is empty or starts with an object."""
    lists = [(key, value) for key, value in document.items() if isinstance(value, list)]
    if len(lists) != 1:
        return None
    key, records = lists[0]
    return (key, records) if not records or isinstance(records[0], dict) else None


def _located(display: str, data: bytes, records: list[Any], list_depth: int) -> Iterator[RawRecord]:
    """Records with their start lines; elements that are not objects or arrays have no span and no line."""
    spans = iter(_element_spans(data, list_depth))
    line, previous = 1, 0
    for index, value in enumerate(records):
        if not isinstance(value, (dict, list)):
            yield _record(Source(display, None, index), value, None)
            continue
        span = next(spans, None)
        if span is None:  # cannot happen for JSON orjson accepted; a missing line beats a crash
            yield _record(Source(display, None, index), value, None)
            continue
        start, end = span
        line += data.count(b"\n", previous, start)
        previous = start
        yield _record(Source(display, line, index), value, data[start:end])


def _element_spans(data: bytes, list_depth: int) -> list[tuple[int, int]]:
    """Byte spans of the object/array elements of the records list, which opens at depth `list_depth`.

    At depth 1 (inside the top-level object) the records list is the only list value, so the first `[`
    there is it; containers nested in other values are never counted.
    """
    spans: list[tuple[int, int]] = []
    depth, inside, start = 0, False, 0
    for match in _NEXT_BRACKET.finditer(data):
        position = match.end() - 1
        if data[position] in _OPENERS:
            if inside and depth == list_depth + 1:
                start = position
            elif depth == list_depth and data[position] == ord("["):
                inside = True
            depth += 1
            continue
        depth -= 1
        if inside and depth == list_depth + 1:
            spans.append((start, position + 1))
        elif inside and depth == list_depth:
            break  # the records list closed; nothing after it is needed
    return spans


def _record(source: Source, value: Any, raw: bytes | None) -> RawRecord:
    """A record from its decoded value and, where known, the raw bytes of its span (for duplicate keys)."""
    if type(value) is not dict:
        message = f"record is {json_type_name(value)}, expected an object"
        # Scalars have no span; their canonical encoding identifies them just as well for fingerprints.
        digest = text_digest(raw if raw is not None else orjson.dumps(value))
        return RawRecord(source, value, ReadProblem.NOT_AN_OBJECT, message, text_digest=digest)
    if raw is not None and may_have_duplicates(raw, value, raw.count(b":")):
        return RawRecord(source, value, notes=duplicate_key_notes(raw))
    return RawRecord(source, value)


def _salvage(display: str, data: bytes, error: JsonError) -> Iterator[RawRecord]:
    """For a broken file: the array elements that end before the error, then the error itself.

    The stdlib decoder reads element by element (orjson only parses whole documents); an element is kept
    only if it ends before the point where orjson failed, so nothing orjson would reject gets through.
    """
    text = data.decode("utf-8", "replace")
    position = _WHITESPACE.match(text).end()  # type: ignore[union-attr]
    index = -1  # a broken document that is not an array: the error is file-level
    if text.startswith("[", position):
        index = yield from _salvage_elements(display, text, position + 1, error.offset)
    message = f"{error.reason} at line {error.line}, column {error.column}"
    if index > 0:
        message += f"; the {index} records before it were read"
    yield RawRecord(Source(display, error.line, index), None, ReadProblem.INVALID_JSON, message)


def _salvage_elements(display: str, text: str, position: int, limit: int) -> Generator[RawRecord, None, int]:
    """Decode array elements from `position` while they end before `limit`; returns how many."""
    decoder = json.JSONDecoder()
    index, line, previous = 0, 1, 0
    while True:
        position = _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]
        try:
            value, end = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            return index
        if end > limit:
            return index
        line += text.count("\n", previous, position)
        previous = position
        raw = text[position:end].encode("utf-8", "surrogatepass")
        yield _record(Source(display, line, index), value, raw)
        index += 1
        position = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        if not text.startswith(",", position):
            return index
        position += 1
