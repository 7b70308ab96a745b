"""Byte-level helpers shared by the readers: opening files safely, sniffing their first bytes, file-level
problem records and one-line descriptions of JSON decode errors."""

from __future__ import annotations

import gzip
import json
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import orjson

from dslint.model import RawRecord, ReadProblem, Source

# How much of a file is sniffed for a wide-encoding BOM or binary content.
HEAD_SIZE = 8192
UTF8_BOM = b"\xef\xbb\xbf"
# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (BOM FF FE 00 00)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (BOM 00 00 FE FF)"),
    (b"\xff\xfe", "UTF-16 (BOM FF FE)"),
    (b"\xfe\xff", "UTF-16 (BOM FE FF)"),
)
_GZIP_MAGIC = b"\x1f\x8b"
# orjson's nesting limit (it reports "depth limit exceeded" past it).
ORJSON_MAX_DEPTH = 1024
_JSON_TYPE_NAMES = {list: "a JSON array", dict: "a JSON object", str: "a JSON string", bool: "a JSON boolean"}
_JSON_TYPE_NAMES.update({int: "a JSON number", float: "a JSON number", type(None): "JSON null"})


class JsonError(NamedTuple):
    """A decode error in words: `reason`, 1-based `line` and `column`, and `offset` (in characters)."""

    reason: str
    line: int
    column: int
    offset: int


def json_type_name(value: Any) -> str:
    """`a JSON array`, `JSON null` ... for messages such as "record is a JSON array, expected an object"."""
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def file_record(display: str, problem: ReadProblem, message: str, line: int | None = 1) -> RawRecord:
    """A file-level problem: `source.index == -1`, line 1 (or None where the file type has no lines)."""
    return RawRecord(Source(display, line, -1), None, problem, message)


def os_error_message(exc: OSError) -> str:
    """`cannot read file: Permission denied`, without repeating the path the diagnostic already shows."""
    return f"cannot read file: {exc.strerror or exc}"


def not_regular_file(path: Path) -> str | None:
    """Why `path` cannot be read as a data file, or None if it is a regular file.

    Checked before opening so that a FIFO is reported instead of blocking the run forever. Raises OSError
    when the path cannot be stat-ed (vanished, permission denied on a parent).
    """
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "cannot read file: it is a directory"
    if stat.S_ISFIFO(mode):
        return "cannot read file: it is a FIFO (named pipe); dslint reads regular files only"
    return "cannot read file: it is not a regular file (socket or device)"


def open_binary(path: Path) -> BinaryIO:
    """Open a data file for reading bytes, decompressing `.gz` files transparently."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def regular_file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a data file (not regular, or cannot be stat-ed), or None."""
    try:
        return not_regular_file(path)
    except OSError as exc:
        return os_error_message(exc)


def open_checked(path: Path) -> BinaryIO | str:
    """An open binary stream on the regular file `path`, or the one-line reason it cannot be read."""
    problem = regular_file_problem(path)
    if problem is not None:
        return problem
    try:
        return open_binary(path)
    except OSError as exc:
        return os_error_message(exc)


def head_problem(head: bytes) -> str | None:
    """Why a file whose first bytes are `head` is not UTF-8 text, or None."""
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return f"file is {encoding}; dslint reads UTF-8"
    nul = head.find(b"\x00")
    if nul < 0:
        return None
    if head.startswith(_GZIP_MAGIC):
        return "file is gzip-compressed; name it with a .gz suffix (e.g. data.jsonl.gz)"
    if not head.strip(b"\x00"):
        return "file starts with only NUL bytes (zero-filled or sparse: an interrupted download or copy?)"
    # Text in UTF-16 without a BOM has a NUL in every other byte; say so, it is the usual culprit.
    if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
        return f"binary content (NUL byte at offset {nul}); the file looks like UTF-16 without a BOM"
    return f"binary content (NUL byte at offset {nul}); not a text file"


def describe_json_error(exc: orjson.JSONDecodeError, data: bytes, subject: str) -> JsonError:
    """Describe an orjson decode error on `data` (a "line" or a "file": the `subject` of the generic message).

    Columns and the offset count characters. orjson's messages are terse and one misleads ("str is not
    valid UTF-8: surrogates not allowed" at column 1 for any bad byte), so the common cases are reworded:
    invalid UTF-8 (with the real byte and place), NaN/Infinity literals, too-deep nesting and truncation.
    """
    msg = exc.msg
    if "not valid UTF-8" in msg:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            before = data[: err.start]
            line_start = before.rfind(b"\n") + 1
            column = len(before[line_start:].decode("utf-8")) + 1
            offset = len(before.decode("utf-8"))
            return JsonError(f"not valid UTF-8: byte 0x{data[err.start]:02x}", before.count(b"\n") + 1, column, offset)
    doc = exc.doc if isinstance(exc.doc, str) else ""
    literal = _literal_at(doc, exc.pos)
    if literal is not None:
        reason = f"non-standard JSON literal {literal}"
    elif "depth" in msg:
        reason = f"JSON nested too deep (more than {ORJSON_MAX_DEPTH} levels)"
    elif "end of data" in msg:
        # orjson counts the trailing newline, so it places the end on the next line: place it after
        # the last character instead.
        text = data.rstrip().decode("utf-8", "replace")
        line_start = text.rfind("\n") + 1
        return JsonError("truncated JSON (unexpected end of data)", text.count("\n") + 1,
                         len(text) - line_start + 1, len(text))
    elif "byte order mark" in msg:
        reason = "a UTF-8 byte order mark (BOM) inside the data (concatenated files?)"
    else:
        reason = f"{subject} is not valid JSON: {msg}"
    return JsonError(reason, exc.lineno, exc.colno, exc.pos)


def _literal_at(doc: str, pos: int) -> str | None:
    """The NaN/Infinity literal orjson stopped at, if any (for `-Infinity` it stops after the sign)."""
    if pos > 0 and doc.startswith("-Infinity", pos - 1):
        return "-Infinity"
    for literal in ("NaN", "Infinity"):
        if doc.startswith(literal, pos):
            return literal
    return None


_NO_VALUE = object()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON literal {name}")


def surrogate_fallback(exc: orjson.JSONDecodeError, data: bytes) -> Any:
    """The value of JSON text orjson refused only for a lone surrogate escape (`"\\ud800"`), else _NO_VALUE.

    Such text is valid JSON and every Python loader accepts it, so a training run would read the record:
    it must reach the rules (SEC014 reports the surrogate), not be called invalid JSON. The stdlib decoder,
    slow but rarely needed, takes over for that one error.
    """
    if "surrogate" not in exc.msg:
        return _NO_VALUE
    try:
        # Decoded strictly first: `json.loads(bytes)` would let raw surrogate bytes (ED A0 80, invalid UTF-8)
        # through as if they were escapes.
        return json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return _NO_VALUE


def is_value(value: Any) -> bool:
    return value is not _NO_VALUE

