"""Tabular readers: CSV (a header row, one record per row) and Parquet (pyarrow, imported lazily)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import orjson

from dslint.model import RawRecord, ReadProblem, Source
from dslint.readers import ReaderError, Target
from dslint.readers.bytes_util import HEAD_SIZE, file_record, head_problem, open_checked, regular_file_problem

# Columns whose cells often hold JSON (a conversation exported to a spreadsheet): a cell starting with
# `[` or `{` is decoded, and kept as text when it is not valid JSON.
JSON_COLUMNS = frozenset({"messages", "conversations", "chosen", "rejected", "history", "prompt", "completion"})
# Cells beyond the header's width are kept under this key, so the data is visible rather than dropped.
EXTRA_CELLS_KEY = "_extra"
PARQUET_BATCH_ROWS = 1024
_MAX_FIELD = 2**31 - 1  # the largest limit csv accepts on every platform (it is a C long)


def read_csv(target: Target) -> Iterator[RawRecord]:
    """Rows of a CSV file as records keyed by the header; `line` is the physical line a row starts on."""
    assert target.path is not None, "a csv target always has a path"
    display = target.display
    stream = open_checked(target.path)
    if isinstance(stream, str):
        yield file_record(display, ReadProblem.UNREADABLE_FILE, stream)
        return
    with stream:
        problem = head_problem(stream.read(HEAD_SIZE))
        stream.seek(0)
        if problem is not None:
            yield file_record(display, ReadProblem.UNREADABLE_FILE, problem)
            return
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        yield from _csv_rows(display, text)


class _RowLines:
    """Feeds csv.reader its lines and keeps those of the row being read (`start_row` begins a new list)."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self._next = iter(text).__next__
        self.lines: list[str] = []

    def start_row(self) -> None:
        self.lines = []

    def __iter__(self) -> _RowLines:
        return self

    def __next__(self) -> str:
        line = self._next()
        self.lines.append(line)
        return line


def _unclosed_quote(lines: list[str]) -> bool:
    """Whether the lines of a row end inside a quoted cell, as csv's default (lenient) mode reads them: such a
    cell runs on to the end of the file and csv says nothing (a file cut short, a stray quote)."""
    if '"' not in lines[0]:  # a row spanning lines, or ending in a quote, opens one on its first line
        return False
    quoted = False
    for line in lines:
        at, size, field_start = 0, len(line), True
        while at < size:
            if quoted:
                close = line.find('"', at)
                if close < 0:
                    break  # the cell goes on with the next line
                if line.startswith('"', close + 1):
                    at = close + 2  # a doubled quote stands for one
                    continue
                quoted, field_start, at = False, False, close + 1
            elif field_start and line[at] == '"':
                quoted, at = True, at + 1
            else:  # an unquoted cell (a quote in it is text) or what follows a closing quote
                comma = line.find(",", at)
                if comma < 0:
                    break
                field_start, at = True, comma + 1
    return quoted


def _csv_rows(display: str, text: io.TextIOWrapper) -> Iterator[RawRecord]:
    # Cells of a whole conversation easily pass csv's default 128 KiB limit; the limit is process-wide,
    # so it is only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_FIELD))
    lines = _RowLines(text)
    reader = csv.reader(lines)
    header: list[str] | None = None
    index = 0
    # The last row is held back until the next one starts: only the last row can run on to the end of the
    # file inside a quote, and then it is no record but a problem.
    held: RawRecord | None = None
    stopped: str | None = None  # why reading stopped early
    last: tuple[int, list[str]] | None = None  # (start line, lines) of the last row read
    try:
        while True:
            start = reader.line_num + 1
            lines.start_row()
            row = next(reader, None)
            if row is None:
                break
            if not row:  # a blank line
                continue
            last = (start, lines.lines)
            if held is not None:
                yield held
                held = None
            if header is None:
                header = row
                continue
            held = RawRecord(Source(display, start, index), _row_record(header, row))
            index += 1
    except csv.Error as exc:
        stopped = f"stopped reading: CSV error at line {reader.line_num}: {exc}"
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        stopped = f"stopped reading: not valid UTF-8 (byte 0x{byte:02x}) near line {reader.line_num + 1}"
    else:
        if last is not None and _unclosed_quote(last[1]):
            first, end = last[0], last[0] + len(last[1]) - 1
            where = f"line {first}" if first == end else f"lines {first}-{end}"
            message = (f"stopped reading: the quoted cell opened on line {first} is never closed, so {where} (to "
                       "the end of the file) would be one cell")
            yield file_record(display, ReadProblem.UNREADABLE_FILE, message, line=first)
            return
    if held is not None:
        yield held
    if stopped is not None:
        yield file_record(display, ReadProblem.UNREADABLE_FILE, stopped)
        return
    if index == 0:
        message = "file is empty" if header is None else "file holds a header but no rows"
        yield file_record(display, ReadProblem.EMPTY_FILE, message)


def _row_record(header: list[str], row: list[str]) -> dict[str, Any]:
    """A row as a dict (a later duplicate column name wins, as in csv.DictReader); short rows pad with ""."""
    record: dict[str, Any] = {name: _cell(name, cell) for name, cell in zip(header, row, strict=False)}
    for name in header[len(row) :]:
        record.setdefault(name, "")
    if len(row) > len(header):
        record[EXTRA_CELLS_KEY] = row[len(header) :]
    return record


def _cell(column: str, cell: str) -> Any:
    if column in JSON_COLUMNS and cell[:1] in ("[", "{"):
        try:
            return orjson.loads(cell)
        except orjson.JSONDecodeError:
            return cell
    return cell


def read_parquet(target: Target) -> Iterator[RawRecord]:
    """Rows of a Parquet file, streamed in batches; `line` is None and `index` the row number."""
    assert target.path is not None, "a parquet target always has a path"
    try:
        import pyarrow
        from pyarrow import parquet
    except ImportError as exc:
        raise ReaderError("reading .parquet files needs pyarrow: pip install 'dslint[parquet]'") from exc
    display = target.display
    problem = regular_file_problem(target.path)
    if problem is not None:
        yield file_record(display, ReadProblem.UNREADABLE_FILE, problem, line=None)
        return
    index = 0
    try:
        with parquet.ParquetFile(target.path) as table:
            for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS):
                for row in batch.to_pylist():
                    yield RawRecord(Source(display, None, index), row)
                    index += 1
    except (pyarrow.ArrowException, OSError) as exc:
        # pyarrow's messages can span lines; the first one says what is wrong.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        yield file_record(display, ReadProblem.UNREADABLE_FILE, f"not a readable Parquet file: {reason}", line=None)
        return
    if index == 0:
        yield file_record(display, ReadProblem.EMPTY_FILE, "file holds no rows", line=None)
