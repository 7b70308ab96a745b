"""JSON Lines reader: records with their sources, and every kind of bad input as a problem, never a raise."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import threading
from pathlib import Path

import pytest

from dslint.model import RawRecord, ReadProblem, text_digest
from dslint.readers import Target, read
from dslint.readers.bytes_util import HEAD_SIZE
from dslint.readers.jsonl import GARBAGE_LINES, read_jsonl

from .helpers import ReadBytes, problems, read_target, values

INVALID = ReadProblem.INVALID_JSON
CHAT = '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}'


def test_records_with_lines_and_indexes_skipping_blank_lines(read_bytes: ReadBytes) -> None:
    records = read_bytes('{"a": 1}\n\n   \n{"a": 2}\n\t\r\n{"a": 3}')
    assert values(records) == [{"a": 1}, {"a": 2}, {"a": 3}]
    assert [(r.source.path, r.source.line, r.source.index) for r in records] == [
        ("data.jsonl", 1, 0),
        ("data.jsonl", 4, 1),
        ("data.jsonl", 6, 2),
    ]


def test_crlf_and_utf8_bom(read_bytes: ReadBytes) -> None:
    records = read_bytes(b'\xef\xbb\xbf{"a": "\xc3\xa9"}\r\n{"b": 2}\r\n')
    assert values(records) == [{"a": "é"}, {"b": 2}]
    assert problems(records) == [(None, 0, 1), (None, 1, 2)]


@pytest.mark.parametrize(
    ("content", "message"), [(b"", "file is empty"), (b" \n\n\t\r\n", "file holds only blank lines")]
)
def test_empty_and_whitespace_only(read_bytes: ReadBytes, content: bytes | str, message: str) -> None:
    [record] = read_bytes(content)
    assert (record.problem, record.source.index, record.message) == (ReadProblem.EMPTY_FILE, -1, message)
    assert record.is_file_level


def test_bom_only_file_is_empty(read_bytes: ReadBytes) -> None:
    [record] = read_bytes(b"\xef\xbb\xbf")
    assert record.problem is ReadProblem.EMPTY_FILE


def test_truncated_last_line(read_bytes: ReadBytes) -> None:
    records = read_bytes(CHAT + "\n" + CHAT[:40])
    assert problems(records) == [(None, 0, 1), (INVALID, 1, 2)]
    assert records[1].message == "truncated JSON (unexpected end of data) at column 41"
    assert records[1].value is None
    assert records[1].text_digest == text_digest(CHAT[:40].encode())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"a": NaN}', "non-standard JSON literal NaN at column 7"),
        ('{"a": [1, Infinity]}', "non-standard JSON literal Infinity at column 11"),
        ('{"a": -Infinity}', "non-standard JSON literal -Infinity at column 8"),
        ('{"a": 1,}', "line is not valid JSON: trailing comma is not allowed at column 8"),
        ("{'a': 1}", "line is not valid JSON: unexpected character, expected a string key at column 2"),
        ('{"a": 1} {"b": 2}', "line is not valid JSON: unexpected content after document at column 10"),
        ('{"é": x}', "line is not valid JSON: unexpected character, expected a JSON value at column 7"),
    ],
)
def test_invalid_json_messages(read_bytes: ReadBytes, line: str, message: str) -> None:
    [record] = read_bytes(line + "\n")
    assert (record.problem, record.message) == (INVALID, message)


def test_invalid_utf8_in_the_middle(read_bytes: ReadBytes) -> None:
    records = read_bytes(b'{"a": 1}\n{"a": "caf\xc3\xa9 \xff"}\n{"a": 3}\n')
    assert problems(records) == [(None, 0, 1), (INVALID, 1, 2), (None, 2, 3)]
    assert records[1].message == "not valid UTF-8: byte 0xff at column 13"


def test_utf8_bom_inside_the_file(read_bytes: ReadBytes) -> None:
    records = read_bytes(b'{"a": 1}\n\xef\xbb\xbf{"a": 2}\n')
    assert records[1].problem is INVALID
    assert "byte order mark" in records[1].message


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("[1, 2]", "a JSON array"),
        ('"text"', "a JSON string"),
        ("3.5", "a JSON number"),
        ("null", "JSON null"),
        ("true", "a JSON boolean"),
    ],
)
def test_not_an_object(read_bytes: ReadBytes, line: str, kind: str) -> None:
    [record] = read_bytes(line)
    assert record.problem is ReadProblem.NOT_AN_OBJECT
    assert record.message == f"record is {kind}, expected an object"
    assert record.value == json.loads(line)


def test_nesting_100000_deep_is_a_diagnostic(read_bytes: ReadBytes) -> None:
    [record] = read_bytes("[" * 100_000 + "]" * 100_000)
    assert record.problem is INVALID
    assert "nested too deep" in record.message


def test_single_20_mb_line(read_bytes: ReadBytes) -> None:
    content = "x" * (20 * 1024 * 1024)
    records = read_bytes(json.dumps({"text": content}) + "\n" + '{"b": 1}\n')
    assert [r.value for r in records] == [{"text": content}, {"b": 1}]
    assert records[1].source.line == 2


def test_lines_across_the_sniffed_head_stay_whole(read_bytes: ReadBytes) -> None:
    lines = [json.dumps({"i": i, "pad": "y" * (i % 97)}) for i in range(2000)]
    content = "\n".join(lines)
    assert len(content) > 3 * HEAD_SIZE
    records = read_bytes(content)
    assert [r.value["i"] for r in records] == list(range(2000))
    assert all(r.problem is None for r in records)


def test_binary_garbage(read_bytes: ReadBytes) -> None:
    [record] = read_bytes(bytes(range(256)) * 10)
    assert record.problem is ReadProblem.UNREADABLE_FILE
    assert record.message == "binary content (NUL byte at offset 0); not a text file"


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ((CHAT + "\n").encode("utf-16"), "UTF-16 (BOM FF FE)"),
        (b"\xfe\xff" + (CHAT + "\n").encode("utf-16-be"), "UTF-16 (BOM FE FF)"),
        ((CHAT + "\n").encode("utf-32"), "UTF-32 (BOM FF FE 00 00)"),
        (b"\x00\x00\xfe\xff" + (CHAT + "\n").encode("utf-32-be"), "UTF-32 (BOM 00 00 FE FF)"),
    ],
)
def test_wide_encodings(read_bytes: ReadBytes, data: bytes, shown: str) -> None:
    [record] = read_bytes(data)
    assert (record.problem, record.message) == (ReadProblem.UNREADABLE_FILE, f"file is {shown}; dslint reads UTF-8")
    assert (record.source.index, record.source.line) == (-1, 1)


def test_utf16_without_bom_gets_a_hint(read_bytes: ReadBytes) -> None:
    [record] = read_bytes((CHAT + "\n").encode("utf-16-le"))
    assert "UTF-16 without a BOM" in record.message


def test_garbage_file_stops_after_twenty_invalid_lines(read_bytes: ReadBytes) -> None:
    records = read_bytes("this is not json\n" * 100)
    assert [r.problem for r in records] == [INVALID] * GARBAGE_LINES + [ReadProblem.UNREADABLE_FILE]
    assert records[-1].message == "stopped reading at line 20: the file does not look like JSON Lines"
    assert records[-1].is_file_level


def test_one_valid_line_among_the_first_twenty_keeps_reading(read_bytes: ReadBytes) -> None:
    records = read_bytes("not json\n" * 19 + '{"a": 1}\n' + "not json\n" * 30)
    assert len(records) == 50
    assert ReadProblem.UNREADABLE_FILE not in [r.problem for r in records]


def test_duplicate_keys_top_level_and_nested(read_bytes: ReadBytes) -> None:
    line = '{"id": 1, "messages": [{"role": "user", "role": "assistant", "content": "x"}], "id": 2}'
    [record] = read_bytes(line)
    assert record.problem is None
    assert record.value == {"id": 2, "messages": [{"role": "assistant", "content": "x"}]}
    assert record.notes == (
        (ReadProblem.DUPLICATE_KEY, 'duplicate key "id" in the record; JSON loaders keep only the last value', "/id"),
        (
            ReadProblem.DUPLICATE_KEY,
            'duplicate key "role" in the object at /messages/0; JSON loaders keep only the last value',
            "/messages/0/role",
        ),
    )


@pytest.mark.parametrize(
    "line",
    [
        '{"a" : 1, "a" : 2}',  # whitespace before the colon
        '{"a":1,"a":2}',
        '{"x": "\\u003a\\u003A", "a": 1, "a": 2}',  # escaped colons cannot hide the duplicate
        '{"x": "\\u003a", "a": 1, "a": 2}',  # ... not even when they balance the colon counts exactly
        '{"k/~": 1, "k/~": 2}',
        '{"a": {"b": {"c": [{"d": 1, "d": 2}]}}}',
    ],
)
def test_duplicate_keys_are_found_whatever_the_formatting(read_bytes: ReadBytes, line: str) -> None:
    [record] = read_bytes(line)
    assert [note[0] for note in record.notes] == [ReadProblem.DUPLICATE_KEY]


def test_duplicate_keys_are_not_searched_when_asked_not_to(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"a": "x: y", "a": 2}\n')
    [record] = read(Target("jsonl", path.name, path), duplicate_keys=False)
    assert (record.problem, record.value, record.notes) == (None, {"a": 2}, ())


def test_duplicate_key_pointer_escapes_the_key(read_bytes: ReadBytes) -> None:
    [record] = read_bytes('{"k/~": 1, "k/~": 2}')
    assert record.notes[0][2] == "/k~1~0"


@pytest.mark.parametrize(
    "line",
    [
        # a tool call's arguments: escaped quotes followed by colons inside a string value
        '{"messages": [{"role": "assistant", "tool_calls": [{"function": '
        '{"arguments": "{\\"a\\": 1, \\"a\\": 2}"}}]}]}',
        '{"text": "Note: a: b: c", "url": "https://x.y/z"}',
        '{"text": ":\\":\\" :"}',
        '{"x": "\\u003a", "y": 1}',  # an escaped colon and no duplicate
        '{"a": {"a": {"a": 1}}}',  # the same key in different objects
        '{"a": [{"b": 1}, {"b": 2}]}',
    ],
)
def test_no_false_duplicate_keys(read_bytes: ReadBytes, line: str) -> None:
    [record] = read_bytes(line)
    assert (record.problem, record.notes) == (None, ())


def test_duplicates_deeper_than_orjson_can_reencode(read_bytes: ReadBytes) -> None:
    depth = 300  # orjson decodes up to 1024 levels but encodes only 254
    line = '{"a": ' * depth + '{"b": 1, "b": 2}' + "}" * depth
    [record] = read_bytes(line)
    assert record.notes and record.notes[0][2] == "/a" * depth + "/b"


def test_duplicates_too_deep_for_the_stdlib_parser_are_skipped_not_raised(read_bytes: ReadBytes) -> None:
    line = '{"a": ' * 1000 + '{"b": 1, "b": 2}' + "}" * 1000
    [record] = read_bytes(line)
    assert record.problem is None
    assert record.notes == ()  # stdlib json hits its recursion limit: the check gives up quietly


def test_many_duplicates_are_capped(read_bytes: ReadBytes) -> None:
    line = "{" + ", ".join(f'"k{i}": 1, "k{i}": 2' for i in range(100)) + "}"
    [record] = read_bytes(line)
    assert len(record.notes) == 20


def test_gzip(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"a": 1}\n{"a": 2}\n'))
    assert values(read_target(path)) == [{"a": 1}, {"a": 2}]


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "data.ndjson.gz"
    data = gzip.compress("".join(json.dumps({"i": i, "t": str(i) * 50}) + "\n" for i in range(5000)).encode())
    path.write_bytes(data[: len(data) // 2])
    records = read_target(path)
    assert records[-1].problem is ReadProblem.UNREADABLE_FILE
    assert records[-1].message.startswith("cannot read file: ")
    assert len(records) > 100 and all(r.problem is None for r in records[:100])


def test_not_gzip_despite_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl.gz"
    path.write_bytes(b'{"a": 1}\n')
    [record] = read_target(path)
    assert record.problem is ReadProblem.UNREADABLE_FILE
    assert "Not a gzipped file" in record.message


def test_gzip_content_without_the_suffix_gets_a_hint(read_bytes: ReadBytes) -> None:
    [record] = read_bytes(gzip.compress(b'{"a": 1}\n' * 100))
    assert record.message == "file is gzip-compressed; name it with a .gz suffix (e.g. data.jsonl.gz)"


def test_fifo_is_reported_without_blocking(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    path = tmp_path / "x.jsonl"
    os.mkfifo(path)
    result: list[RawRecord] = []
    worker = threading.Thread(target=lambda: result.extend(read_target(path)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading a FIFO blocked"
    [record] = result
    assert record.problem is ReadProblem.UNREADABLE_FILE
    assert "FIFO" in record.message


def test_directory_and_missing_file(tmp_path: Path) -> None:
    [record] = read_target(tmp_path, kind="jsonl")
    assert record.message == "cannot read file: it is a directory"
    [record] = read_target(tmp_path / "gone.jsonl")
    assert record.message == "cannot read file: No such file or directory"
    assert (record.source.index, record.source.line) == (-1, 1)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.jsonl"
    path.write_text('{"a": 1}\n')
    path.chmod(0)
    [record] = read_target(path)
    assert record.message == "cannot read file: Permission denied"


def test_permission_denied_when_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.jsonl"
    path.write_text('{"a": 1}\n')

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("dslint.readers.bytes_util.open", refuse, raising=False)
    [record] = read_target(path)
    assert (record.problem, record.message) == (ReadProblem.UNREADABLE_FILE, "cannot read file: Permission denied")


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"a": 1}\nnope\n')))
    records = list(read_jsonl(Target("stdin", "<stdin>")))
    assert problems(records) == [(None, 0, 1), (INVALID, 1, 2)]
    assert {r.source.path for r in records} == {"<stdin>"}


def test_lone_surrogate_escape_is_read_not_called_invalid(tmp_path) -> None:
    """Valid JSON that orjson refuses (a lone surrogate escape) is decoded by the stdlib instead."""
    path = Path(tmp_path) / "s.jsonl"
    path.write_bytes(b'{"output": "cut \\ud83d"}\n{"output": NaN, "x": "\\udc00"}\n')
    first, second = list(read_jsonl(Target("jsonl", "s.jsonl", path)))
    assert first.problem is None and first.value == {"output": "cut \ud83d"}
    assert second.problem is not None and second.problem.value == "invalid-json"
