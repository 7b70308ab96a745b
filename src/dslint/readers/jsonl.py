"""JSON Lines reader (`.jsonl`, `.ndjson`, their `.gz` forms, and stdin): one record per line, streamed.

This is the hot path. The loop hands each raw line (bytes) straight to orjson and does nothing else per
line unless something is wrong; memory stays flat whatever the file size.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import orjson

from dslint.model import RawRecord, ReadProblem, Source, text_digest
from dslint.readers import Target
from dslint.readers.bytes_util import (
    HEAD_SIZE,
    UTF8_BOM,
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
from dslint.readers.limits import DEFAULT_MAX_RECORD_BYTES, OversizeLine, bounded_lines, prefixed

# A file whose first this-many non-blank lines are all invalid JSON is not JSON Lines: stop there.
GARBAGE_LINES = 20


def read_jsonl(target: Target, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES, *,
               duplicate_keys: bool = True) -> Iterator[RawRecord]:
    """Records of a JSON Lines file, or of stdin for a target of kind "stdin" (shown as `target.display`).
    A line longer than `max_record_bytes` is reported, not read whole; `duplicate_keys=False` skips the
    search for repeated keys (when nothing reports them)."""
    if target.kind == "stdin":
        yield from read_stream(target.display, sys.stdin.buffer, max_record_bytes, duplicate_keys=duplicate_keys)
        return
    assert target.path is not None, "a jsonl target always has a path"
    stream = open_checked(target.path)
    if isinstance(stream, str):
        yield file_record(target.display, ReadProblem.UNREADABLE_FILE, stream)
        return
    with stream:
        yield from read_stream(target.display, stream, max_record_bytes, duplicate_keys=duplicate_keys)


def read_stream(display: str, stream: BinaryIO, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES, *,
                duplicate_keys: bool = True) -> Iterator[RawRecord]:
    """Records of a binary stream of JSON Lines: sniff the first bytes, then iterate by lines (each read
    in pieces of at most `max_record_bytes`, so no line is ever held whole beyond that)."""
    try:
        origin = stream.tell() if stream.seekable() else None
        head = stream.read(HEAD_SIZE)
        problem = head_problem(head)
        if problem is not None:
            yield file_record(display, ReadProblem.UNREADABLE_FILE, problem)
            return
        start = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
        lines: BinaryIO
        if origin is not None:  # a file (plain or gzip): reading on from the start is the fastest
            stream.seek(origin + start)
            lines = stream
        else:  # a pipe: the head is gone from it, so it is read again from memory
            lines = prefixed(head[start:], stream)
        yield from iter_records(display, bounded_lines(lines, max_record_bytes), duplicate_keys=duplicate_keys)
    except (OSError, EOFError, zlib.error) as exc:
        # A read error part-way (a truncated or corrupt .gz, a disk error): keep what was read, say why it stopped.
        reason = os_error_message(exc) if isinstance(exc, OSError) else f"cannot read file: {exc}"
        yield file_record(display, ReadProblem.UNREADABLE_FILE, reason)


def iter_records(display: str, lines: Iterable[bytes], *, first_line: int = 1, first_index: int = 0,
                 whole: bool = True, duplicate_keys: bool = True) -> Iterator[RawRecord]:
    """Records of JSON Lines given as raw lines (each with its line ending); the hot loop.

    A parallel run reads a large file in shards: `first_line` and `first_index` place a shard in its
    file, and `whole=False` leaves the file-level verdicts (empty file) to the caller. The test for
    repeated keys costs 2-3 us a record (a third of reading one): `duplicate_keys=False` skips it.
    """
    loads = orjson.loads
    decode_error = orjson.JSONDecodeError
    new_tuple = tuple.__new__  # `Source(...)` runs a Python-level __new__: half the cost per record
    count = bytes.count
    index = first_index
    invalid = 0
    lineno = first_line - 1
    for lineno, line in enumerate(lines, first_line):
        try:
            value = loads(line)
        except decode_error as exc:
            if line.isspace():  # a blank line: JSON Lines tools skip them, so do we
                continue
            if type(line) is OversizeLine:
                yield RawRecord(Source(display, lineno, index), None, ReadProblem.INVALID_JSON, line.describe(),
                                text_digest=f"oversize:{line.size}")
                index += 1
                continue
            value = surrogate_fallback(exc, line)
            if is_value(value):
                yield _decoded(display, lineno, index, line, value)
                index += 1
                continue
            error = describe_json_error(exc, line, "line")
            message = f"{error.reason} at column {error.column}"
            yield RawRecord(
                Source(display, lineno, index), None, ReadProblem.INVALID_JSON, message, text_digest=text_digest(line)
            )
            index += 1
            invalid += 1
            if invalid == index == GARBAGE_LINES and first_index == 0:
                message = f"stopped reading at line {lineno}: the file does not look like JSON Lines"
                yield file_record(display, ReadProblem.UNREADABLE_FILE, message)
                return
            continue
        if type(value) is dict:
            if duplicate_keys and may_have_duplicates(line, value, count(line, b":")):
                notes = duplicate_key_notes(line)
                if notes:
                    yield RawRecord(Source(display, lineno, index), value, notes=notes)
                    index += 1
                    continue
            yield RawRecord(new_tuple(Source, (display, lineno, index)), value)
        else:
            message = f"record is {json_type_name(value)}, expected an object"
            yield RawRecord(
                Source(display, lineno, index), value, ReadProblem.NOT_AN_OBJECT, message, text_digest=text_digest(line)
            )
        index += 1
    if index == 0 and whole:
        message = "file is empty" if lineno == 0 else "file holds only blank lines"
        yield file_record(display, ReadProblem.EMPTY_FILE, message)


def _decoded(display: str, lineno: int, index: int, line: bytes, value: object) -> RawRecord:
    """A record decoded off the hot path (see surrogate_fallback)."""
    source = Source(display, lineno, index)
    if type(value) is dict:
        return RawRecord(source, value, notes=duplicate_key_notes(line))
    message = f"record is {json_type_name(value)}, expected an object"
    return RawRecord(source, value, ReadProblem.NOT_AN_OBJECT, message, text_digest=text_digest(line))

