"""JSON reader: the accepted layouts, record lines, salvage of broken files, and bad input as problems."""

from __future__ import annotations

import gzip
import json
import os
import threading
from pathlib import Path

import pytest

from dslint.model import RawRecord, ReadProblem
from dslint.readers.json_file import RECORD_KEYS, looks_like_record

from .helpers import ReadBytes, problems, read_target, values

INVALID = ReadProblem.INVALID_JSON
NOT_OBJECT = ReadProblem.NOT_AN_OBJECT


@pytest.fixture
def read_json(read_bytes: ReadBytes) -> ReadBytes:
    return lambda content: read_bytes(content, "data.json")


def test_pretty_printed_array_with_lines(read_json: ReadBytes) -> None:
    records_in = [{"instruction": f"task {i} [x] {{y}}", "output": 'a]}"{'} for i in range(3)]
    records = read_json(json.dumps(records_in, indent=2))
    assert values(records) == records_in
    assert problems(records) == [(None, 0, 2), (None, 1, 6), (None, 2, 10)]


def test_compact_array_on_one_line(read_json: ReadBytes) -> None:
    records = read_json('[{"a": 1},{"a": [2, {"b": 3}]}, {"a": 4}]')
    assert problems(records) == [(None, 0, 1), (None, 1, 1), (None, 2, 1)]


def test_single_record_object(read_json: ReadBytes) -> None:
    records = read_json('\n\n  {"messages": [{"role": "user", "content": "hi"}]}\n')
    assert values(records) == [{"messages": [{"role": "user", "content": "hi"}]}]
    assert problems(records) == [(None, 0, 3)]


def test_object_holding_one_list_of_records(read_json: ReadBytes) -> None:
    content = '{"version": 2, "meta": {"tags": [{"x": 1}]},\n "data": [\n  {"text": "a"},\n  {"text": "b"}\n ]}'
    records = read_json(content)
    assert values(records) == [{"text": "a"}, {"text": "b"}]
    assert problems(records) == [(None, 0, 3), (None, 1, 4)]


@pytest.mark.parametrize(
    ("content", "shown"),
    [('"just text"', "a JSON string"), ("42", "a JSON number"), ("null", "JSON null"), ("true", "a JSON boolean")],
)
def test_top_level_scalar(read_json: ReadBytes, content: bytes | str, shown: str) -> None:
    [record] = read_json(content)
    assert (record.problem, record.source.index) == (NOT_OBJECT, -1)
    assert record.message == f"file holds {shown}, expected an array of records or an object"


@pytest.mark.parametrize("content", ['{"name": "x", "version": 1}', '{"a": [1], "b": [2]}', '{"tags": ["x", "y"]}'])
def test_object_without_records(read_json: ReadBytes, content: bytes | str) -> None:
    [record] = read_json(content)
    assert (record.problem, record.source.index) == (ReadProblem.UNREADABLE_FILE, -1)
    assert record.message.startswith("no records found: the top-level object has no record key")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        ("  \n\t\n", "file holds only whitespace"),
        ("[]", "file holds an empty JSON array"),
        ('{"data": []}', "the list of records at /data is empty"),
    ],
)
def test_empty(read_json: ReadBytes, content: bytes | str, message: str) -> None:
    [record] = read_json(content)
    assert (record.problem, record.message) == (ReadProblem.EMPTY_FILE, message)


def test_array_of_non_objects(read_json: ReadBytes) -> None:
    records = read_json('[\n {"a": 1},\n "text",\n 3,\n [1, 2],\n null\n]')
    assert problems(records) == [
        (None, 0, 2),
        (NOT_OBJECT, 1, None),
        (NOT_OBJECT, 2, None),
        (NOT_OBJECT, 3, 5),
        (NOT_OBJECT, 4, None),
    ]
    assert records[1].message == "record is a JSON string, expected an object"
    assert records[3].message == "record is a JSON array, expected an object"


def test_truncated_file_salvages_the_records_before_the_error(read_json: ReadBytes) -> None:
    content = '[\n  {"a": 1},\n  {"a": 2},\n  {"a": 3'
    records = read_json(content)
    assert problems(records) == [(None, 0, 2), (None, 1, 3), (INVALID, 2, 4)]
    assert records[2].message == (
        "truncated JSON (unexpected end of data) at line 4, column 10; the 2 records before it were read"
    )


def test_nan_inside_an_element(read_json: ReadBytes) -> None:
    records = read_json('[{"a": 1},\n {"a": NaN}, {"a": 3}]')
    assert problems(records) == [(None, 0, 1), (INVALID, 1, 2)]
    assert records[1].message.startswith("non-standard JSON literal NaN at line 2, column 8")


def test_broken_object_is_a_file_level_error(read_json: ReadBytes) -> None:
    [record] = read_json('{"messages": [1, 2,]}')
    assert (record.problem, record.source.index, record.source.line) == (INVALID, -1, 1)
    assert record.message == "file is not valid JSON: trailing comma is not allowed at line 1, column 19"


def test_invalid_utf8_in_the_middle(read_json: ReadBytes) -> None:
    records = read_json(b'[{"a": 1},\n{"a": "\xc3\xa9\xfe"},\n{"a": 3}]')
    assert problems(records) == [(None, 0, 1), (INVALID, 1, 2)]
    assert records[1].message.startswith("not valid UTF-8: byte 0xfe at line 2, column 9")


def test_nesting_100000_deep(read_json: ReadBytes) -> None:
    [record] = read_json("[" * 100_000 + "]" * 100_000)
    assert record.problem is INVALID
    assert "nested too deep" in record.message


def test_deep_element_after_good_ones(read_json: ReadBytes) -> None:
    records = read_json('[{"a": 1}, ' + "[" * 5000 + "]" * 5000 + "]")
    assert [r.problem for r in records] == [None, INVALID]


def test_json_lines_in_a_json_file(read_json: ReadBytes) -> None:
    records = read_json('{"a": 1}\n{"a": 2}\n\nnot json\n')
    assert problems(records) == [(None, 0, 1), (None, 1, 2), (INVALID, 2, 4)]


def test_duplicate_keys_per_record(read_json: ReadBytes) -> None:
    records = read_json('[\n {"a": 1, "a": 2},\n {"b": "{\\"c\\": 1, \\"c\\": 2}"},\n {"d": {"e": 1, "e": 1}}\n]')
    assert [len(r.notes) for r in records] == [1, 0, 1]
    assert records[0].notes[0][1:] == ('duplicate key "a" in the record; JSON loaders keep only the last value', "/a")
    assert records[2].notes[0][2] == "/d/e"


def test_duplicate_keys_in_a_single_record_file_and_in_a_holder(read_json: ReadBytes) -> None:
    [record] = read_json('{"text": "x", "text": "y"}')
    assert record.notes[0][2] == "/text"
    records = read_json('{"id": 1, "data": [{"a": 1, "a": 2}, {"b": 1}], "id": 2}')
    assert [len(r.notes) for r in records] == [1, 0]


def test_utf8_bom_and_crlf(read_json: ReadBytes) -> None:
    records = read_json(b'\xef\xbb\xbf[\r\n {"a": 1},\r\n {"a": 2}\r\n]\r\n')
    assert problems(records) == [(None, 0, 2), (None, 1, 3)]


def test_utf16_and_binary(read_json: ReadBytes) -> None:
    [record] = read_json('[{"a": 1}]'.encode("utf-16"))
    assert record.message == "file is UTF-16 (BOM FF FE); dslint reads UTF-8"
    [record] = read_json(b"\x00\x01\x02garbage")
    assert record.message.startswith("binary content")


def test_large_single_line(read_json: ReadBytes) -> None:
    text = "z" * (20 * 1024 * 1024)
    records = read_json(json.dumps([{"text": text}, {"text": "b"}]))
    assert [r.value["text"] for r in records] == [text, "b"]


def test_gzip(tmp_path: Path) -> None:
    path = tmp_path / "data.json.gz"
    path.write_bytes(gzip.compress(b'[{"a": 1},\n{"a": 2}]'))
    assert problems(read_target(path)) == [(None, 0, 1), (None, 1, 2)]
    path.write_bytes(gzip.compress(b'[{"a": 1}]')[:-6])
    [record] = read_target(path)
    assert record.problem is ReadProblem.UNREADABLE_FILE


def test_fifo_does_not_block(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    path = tmp_path / "x.json"
    os.mkfifo(path)
    result: list[RawRecord] = []
    worker = threading.Thread(target=lambda: result.extend(read_target(path)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert result[0].problem is ReadProblem.UNREADABLE_FILE


def test_looks_like_record() -> None:
    assert RECORD_KEYS == ("messages", "conversations", "instruction", "prompt", "chosen", "output", "text")
    assert looks_like_record({"conversations": []})
    assert not looks_like_record({"data": []})
