"""CSV and Parquet readers."""

from __future__ import annotations

import builtins
import csv
import json
from pathlib import Path
from typing import Any

import pytest

from dslint.model import ReadProblem
from dslint.readers import ReaderError, Target
from dslint.readers.tabular import EXTRA_CELLS_KEY, read_parquet

from .helpers import ReadBytes, problems, read_target, values


@pytest.fixture
def read_csv(read_bytes: ReadBytes) -> ReadBytes:
    return lambda content: read_bytes(content, "data.csv")


def test_rows_keyed_by_header_with_start_lines(read_csv: ReadBytes) -> None:
    records = read_csv('instruction,input,output\nsay hi,,"hello\nthere"\n\nadd,"1, 2",3\n')
    assert values(records) == [
        {"instruction": "say hi", "input": "", "output": "hello\nthere"},
        {"instruction": "add", "input": "1, 2", "output": "3"},
    ]
    assert problems(records) == [(None, 0, 2), (None, 1, 5)]


def test_crlf_and_bom(read_csv: ReadBytes) -> None:
    records = read_csv(b'\xef\xbb\xbfprompt,completion\r\na,b\r\n"multi\r\nline",c\r\nd,e\r\n')
    assert [r.value["prompt"] for r in records] == ["a", "multi\r\nline", "d"]
    assert [r.source.line for r in records] == [2, 3, 5]


def test_json_columns_are_decoded(read_csv: ReadBytes) -> None:
    messages = [{"role": "user", "content": "hi, there"}]
    cell = json.dumps(messages).replace('"', '""')
    records = read_csv(f'messages,notes,prompt\n"{cell}","[1, 2]",[INST] not json\n')
    assert values(records) == [{"messages": messages, "notes": "[1, 2]", "prompt": "[INST] not json"}]


def test_short_and_long_rows(read_csv: ReadBytes) -> None:
    records = read_csv("a,b,c\n1\n1,2,3,4,5\n1,2,\n")
    assert values(records) == [
        {"a": "1", "b": "", "c": ""},
        {"a": "1", "b": "2", "c": "3", EXTRA_CELLS_KEY: ["4", "5"]},
        {"a": "1", "b": "2", "c": ""},
    ]


def test_duplicate_column_keeps_the_last(read_csv: ReadBytes) -> None:
    assert values(read_csv("text,text\na,b\n")) == [{"text": "b"}]


def test_large_cell(read_csv: ReadBytes) -> None:
    big = "x" * 1_000_000
    assert values(read_csv(f"text\n{big}\n")) == [{"text": big}]


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "file is empty"), ("\n\n", "file is empty"), ("a,b\n", "file holds a header but no rows")],
)
def test_empty(read_csv: ReadBytes, content: bytes | str, message: str) -> None:
    [record] = read_csv(content)
    assert (record.problem, record.message) == (ReadProblem.EMPTY_FILE, message)


def test_invalid_utf8_stops_with_a_problem(read_csv: ReadBytes) -> None:
    records = read_csv(b"text\nok\nbad \xff\n")
    assert records[-1].problem is ReadProblem.UNREADABLE_FILE
    assert "not valid UTF-8 (byte 0xff)" in records[-1].message


def test_csv_error_stops_with_a_problem(read_csv: ReadBytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reader raises csv's process-wide field limit; pin a tiny one to make csv fail on the second row.
    previous = csv.field_size_limit(10)
    monkeypatch.setattr(csv, "field_size_limit", lambda *limit: 10)
    try:
        records = read_csv("text\nok\n" + "x" * 50 + "\n")
    finally:
        monkeypatch.undo()
        csv.field_size_limit(previous)
    assert records[0].value == {"text": "ok"}
    assert records[-1].problem is ReadProblem.UNREADABLE_FILE
    assert records[-1].message == "stopped reading: CSV error at line 3: field larger than field limit (10)"


@pytest.mark.parametrize(
    ("content", "line", "where"),
    [
        ('instruction,output\na,b\nSay hi,"Hello\nworld, and more\n', 3, "lines 3-4"),  # cut short in a cell
        ('instruction,output\na,b\nSay hi,"Hello', 3, "line 3"),  # no final newline
        ('"instruction,output\na,b\n', 1, "lines 1-2"),  # the header itself
        ('text\n"a ""quoted"" word\n', 2, "line 2"),  # doubled quotes are text, the cell still open
    ],
)
def test_unclosed_quote_stops_with_a_problem(read_csv: ReadBytes, content: str, line: int, where: str) -> None:
    records = read_csv(content)
    kept = [record.value for record in records if record.problem is None]
    assert kept == ([{"instruction": "a", "output": "b"}] if content.count("a,b") and line == 3 else [])
    problem = records[-1]
    assert (problem.problem, problem.source.line) == (ReadProblem.UNREADABLE_FILE, line)
    assert problem.message == (f"stopped reading: the quoted cell opened on line {line} is never closed, so {where} "
                               "(to the end of the file) would be one cell")


@pytest.mark.parametrize(
    "content",
    [
        'text\n"say ""hi"""\n',  # a cell ending in an escaped quote
        'text\nsay "hi\n',  # a quote inside an unquoted cell is text (csv's default mode)
        'a,b\n"multi\nline","x"\n',  # a closed multi-line cell last
        'a,b\n"x"y,z\n',  # text after a closing quote (lenient) closes nothing
    ],
)
def test_closed_quotes_are_not_a_problem(read_csv: ReadBytes, content: str) -> None:
    assert problems(read_csv(content))[-1][0] is None


def test_utf16_and_binary(read_csv: ReadBytes) -> None:
    [record] = read_csv("text\nhi\n".encode("utf-16"))
    assert record.message == "file is UTF-16 (BOM FF FE); dslint reads UTF-8"
    [record] = read_csv(b"text\n\x00\x00\x00")
    assert record.message.startswith("binary content")


def test_missing_file(tmp_path: Path) -> None:
    [record] = read_target(tmp_path / "gone.csv")
    assert record.problem is ReadProblem.UNREADABLE_FILE


def _write_parquet(path: Path, rows: list[dict[str, object]]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=700)


def test_parquet_rows_stream_in_batches(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    rows = [{"messages": [{"role": "user", "content": f"q{i}"}], "id": i} for i in range(2500)]
    _write_parquet(path, rows)
    records = read_target(path)
    assert values(records) == rows
    assert [(r.source.line, r.source.index) for r in records[:2]] == [(None, 0), (None, 1)]
    assert records[-1].source.index == 2499


def test_empty_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), path)
    [record] = read_target(path)
    assert (record.problem, record.source.line, record.source.index) == (ReadProblem.EMPTY_FILE, None, -1)


@pytest.mark.parametrize("content", [b"", b"not parquet at all", b"PAR1" + b"\x00" * 100 + b"PAR1"])
def test_corrupt_parquet_is_a_problem(tmp_path: Path, content: bytes) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "bad.parquet"
    path.write_bytes(content)
    [record] = read_target(path)
    assert (record.problem, record.source.line) == (ReadProblem.UNREADABLE_FILE, None)
    assert record.message.startswith("not a readable Parquet file: ")
    assert "\n" not in record.message


def test_truncated_parquet_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "cut.parquet"
    _write_parquet(path, [{"text": str(i) * 20} for i in range(3000)])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    [record] = read_target(path)
    assert record.problem is ReadProblem.UNREADABLE_FILE


def test_parquet_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ReaderError, match=r"reading \.parquet files needs pyarrow: pip install 'dslint\[parquet\]'"):
        list(read_parquet(Target("parquet", "x.parquet", tmp_path / "x.parquet")))
