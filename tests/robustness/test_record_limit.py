"""The record size limit (`max-record-bytes`): lines over it are measured, reported and skipped, never
held whole; every other line reads exactly as without a limit."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dslint.cli import main
from dslint.config import Config
from dslint.model import ReadProblem
from dslint.readers import Target, read
from dslint.readers.limits import DEFAULT_MAX_RECORD_BYTES, OversizeLine, bounded_lines, parse_byte_size, prefixed

from .conftest import fuzz_settings

LINES = st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=12)


@fuzz_settings(4)
@given(lines=LINES, limit=st.integers(1, 30), final_newline=st.booleans(), crlf=st.booleans())
def test_bounded_lines_match_plain_lines(lines: list[bytes], limit: int, final_newline: bool, crlf: bool) -> None:
    ending = b"\r\n" if crlf else b"\n"
    data = ending.join(lines) + (ending if final_newline and lines else b"")
    got = list(bounded_lines(io.BytesIO(data), limit))
    expected = io.BytesIO(data).readlines()
    assert len(got) == len(expected)
    for line, plain in zip(got, expected, strict=True):
        content = plain.removesuffix(b"\n")  # the limit counts everything but the newline (a CR too)
        if len(content) <= limit:
            assert line == plain
        else:
            assert type(line) is OversizeLine
            assert (line, line.size, line.limit) == (b"", len(content), limit)


def test_a_line_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    record = json.dumps({"instruction": "Name a colour.", "output": "Red."}).encode()
    path = tmp_path / "data.jsonl"
    path.write_bytes(record + b"\n" + record + b"x\n" + record)
    records = list(read(Target("jsonl", path.name, path), max_record_bytes=len(record)))
    assert [(r.problem, r.source.line, r.source.index) for r in records] == [
        (None, 1, 0), (ReadProblem.INVALID_JSON, 2, 1), (None, 3, 2)]
    assert records[1].message.startswith(f"record not checked: the line is {len(record) + 1:,} bytes")


def test_prefixed_stream_reads_the_head_then_the_rest() -> None:
    stream = prefixed(b"ab\ncd", io.BytesIO(b"ef\ngh"))
    assert list(bounded_lines(stream, 100)) == [b"ab\n", b"cdef\n", b"gh"]


@pytest.mark.parametrize(("text", "size"), [("1", 1), (4096, 4096), ("64MiB", 64 << 20), ("1 GB", 10**9),
                                            ("2kib", 2048)])
def test_sizes_parse(text: str | int, size: int) -> None:
    assert parse_byte_size(text) == size


@pytest.mark.parametrize("text", ["0", "-5", "lots", "1.5.2MB", ""])
def test_bad_sizes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_byte_size(text)


def test_the_limit_comes_from_the_config_and_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Config().max_record_bytes == DEFAULT_MAX_RECORD_BYTES
    assert Config.model_validate({"max-record-bytes": "1KiB"}).max_record_bytes == 1024
    monkeypatch.chdir(tmp_path)
    big = json.dumps({"instruction": "Summarise.", "input": "w " * 1000, "output": "W."})
    (tmp_path / "data.jsonl").write_text(big + "\n")
    (tmp_path / "dslint.toml").write_text('max-record-bytes = "1KiB"\n')
    configured = CliRunner().invoke(main, ["check", "data.jsonl", "--format", "concise", "--select", "FMT001"])
    assert configured.exit_code == 1 and "over the max-record-bytes limit of 1,024 bytes" in configured.stdout
    overridden = CliRunner().invoke(main, ["check", "data.jsonl", "--select", "FMT001", "--max-record-bytes", "1MiB"])
    assert overridden.exit_code == 0, overridden.output
