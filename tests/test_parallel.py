"""Parallel runs (`--jobs`): cutting a file into shards, and a parallel run reporting exactly what a serial
run reports, whatever the shard boundaries."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dslint import parallel
from dslint.engine import Settings
from dslint.model import RunResult
from dslint.readers.discover import discover
from dslint.rules import all_rules

WHITESPACE = b" \t\r\x0b\x0c"


def reference_blank_lines(block: bytes) -> int:
    """Blank lines as the reader sees them: lines holding only whitespace (the empty line included)."""
    if not block:
        return 0
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()  # the text after the last line ending is not a line
    return sum(1 for line in lines if not line.strip(WHITESPACE))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"{}", b"x", b" ", b"\t", b"\r", b"\x0b", b"\x0c", b"\n", b"\n", b"\n"]),
                max_size=40).map(b"".join))
def test_blank_lines_counts_whitespace_only_lines(block: bytes) -> None:
    assert parallel.blank_lines(block) == reference_blank_lines(block)


CHAT = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
SYSTEM_CHAT = {"messages": [{"role": "system", "content": "Be brief."}, *CHAT["messages"]]}
SHAREGPT = {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}
ALPACA = {"instruction": "Name a colour.", "input": "<noinput>", "output": "Red."}
TOOLS = {"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": None,
         "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{'x'"}}]}]}


def mixed_lines(count: int) -> list[str]:
    """A file's lines: mostly chat, with other formats, tool calls, bad JSON, duplicate keys, blank lines."""
    lines = []
    for i in range(count):
        if i % 97 == 5:
            lines.append("")
        elif i % 89 == 7:
            lines.append('{"messages": [')
        elif i % 83 == 3:
            lines.append('{"instruction": "a", "output": "b", "output": "c"}')
        else:
            record = [CHAT, SYSTEM_CHAT, CHAT, SHAREGPT, CHAT, ALPACA, CHAT, TOOLS][i % 8 if i % 5 else 0]
            lines.append(json.dumps(record))
    return lines


def check(path: Path, jobs: int, shard_bytes: int) -> RunResult:
    rules = [rule for rule in all_rules() if rule.family in ("FMT", "MIX")]
    options = {rule.code: rule.options.model_validate({"max-reported": 3})
               for rule in rules if "max_reported" in rule.options.model_fields}
    targets = discover([str(path)], root=path.parent)
    return parallel.run(targets, Settings(rules=rules, options=options), jobs, shard_bytes=shard_bytes)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="parallel runs need fork")
@pytest.mark.parametrize("bom", [False, True])
def test_a_parallel_run_reports_what_a_serial_run_reports(tmp_path: Path, bom: bool) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n".join(mixed_lines(600)) + "\n \n").encode())
    shard_bytes = 2000
    assert len(parallel.plan(discover([str(path)], root=tmp_path), shard_bytes)) > 10
    serial, sharded = check(path, 1, shard_bytes), check(path, 2, shard_bytes)
    assert serial.diagnostics, "the data should make rules fire"
    assert [d.to_dict() for d in sharded.diagnostics] == [d.to_dict() for d in serial.diagnostics]
    assert sharded.files == serial.files


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="parallel runs need fork")
@pytest.mark.parametrize("content", [
    b" \n" * 3000,  # only blank lines: an empty file
    "\n".join(mixed_lines(300)).encode("utf-16"),  # not UTF-8: unreadable
    ("\n".join(mixed_lines(300)) + "\n").encode() + b'{"messages": [',  # ends in a cut-off line
], ids=["blank", "utf-16", "truncated"])
def test_files_a_parallel_run_reads_whole_or_cuts_oddly(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(content)
    serial, sharded = check(path, 1, 1000), check(path, 2, 1000)
    assert serial.diagnostics
    assert [d.to_dict() for d in sharded.diagnostics] == [d.to_dict() for d in serial.diagnostics]
    assert sharded.files == serial.files


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="parallel runs need fork")
@pytest.mark.parametrize("jobs", [1, 2])
def test_repeated_keys_are_searched_only_when_a_rule_reports_them(
        tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(mixed_lines(300)) + "\n")
    targets = discover([str(path)], root=tmp_path)
    reporting = [rule for rule in all_rules() if rule.code == "FMT005"]
    others = [rule for rule in all_rules() if rule.family == "FMT" and rule.code != "FMT005"]
    found = parallel.run(targets, Settings(rules=reporting), jobs, shard_bytes=2000)
    assert {d.code for d in found.diagnostics} == {"FMT005"}

    def searched(*args: object) -> bool:
        raise AssertionError("searched for repeated keys that no rule reports")

    monkeypatch.setattr("dslint.readers.jsonl.may_have_duplicates", searched)
    assert parallel.run(targets, Settings(rules=others), jobs, shard_bytes=2000).diagnostics
