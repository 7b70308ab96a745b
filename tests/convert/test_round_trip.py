"""Conversion between every pair of formats: A -> B -> A keeps the normalised conversation, extras
included, and every output passes the FMT rules."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from dslint.convert.run import TARGETS, ConvertOptions, convert
from dslint.formats import normalise
from dslint.model import Source
from dslint.readers.discover import discover

# Records every format can hold: single and multi-turn exchanges, system prompts, extras, unicode.
PLAIN: dict[str, list[dict[str, Any]]] = {
    "alpaca": [
        {"instruction": "Add the numbers.", "input": "2 and 3", "output": "5", "id": 1},
        {"instruction": "Name a colour.", "input": "", "output": "Red.", "system": "Be brief."},
        {"instruction": "And another?", "input": "", "output": "Blue.", "history": [["Name a colour.", "Red."]]},
        {"instruction": "Traduis \u00ab bonjour \u00bb.", "input": "", "output": "Hello \U0001f600"},
    ],
    "chatml": [
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                      {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye"},
                      {"role": "assistant", "content": "Bye!"}], "meta": {"src": "x"}},
        {"messages": [{"role": "user", "content": "Caf\u00e9?"}, {"role": "assistant", "content": "Oui."}]},
    ],
    "sharegpt": [
        {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}], "id": "a"},
        {"conversations": [{"from": "system", "value": "Be kind."}, {"from": "human", "value": "Q1"},
                           {"from": "gpt", "value": "A1"}, {"from": "human", "value": "Q2"},
                           {"from": "gpt", "value": "A2"}]},
    ],
    "prompt-completion": [
        {"prompt": [{"role": "user", "content": "Hi"}], "completion": [{"role": "assistant", "content": "Hello"}]},
        {"prompt": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"},
                    {"role": "assistant", "content": "A"}, {"role": "user", "content": "Q2"}],
         "completion": [{"role": "assistant", "content": "A2"}], "split": "train"},
    ],
}
# Tool-calling conversations: chat, ShareGPT and prompt/completion hold them (ShareGPT without call ids).
TOOLS: dict[str, list[dict[str, Any]]] = {
    "chatml": [{"messages": [
        {"role": "user", "content": "Weather in Oslo?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\": \"Oslo\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "Rain"},
        {"role": "assistant", "content": "Rain in Oslo."}]}],
    "sharegpt": [{"conversations": [
        {"from": "human", "value": "Weather in Oslo?"},
        {"from": "function_call", "value": "{\"name\": \"weather\", \"arguments\": {\"city\": \"Oslo\"}}"},
        {"from": "observation", "value": "Rain"}, {"from": "gpt", "value": "Rain in Oslo."}]}],
}
TOOL_FORMATS = ("chatml", "sharegpt", "prompt-completion")


def _shape(record: dict[str, Any], extras: bool = True) -> tuple[Any, ...]:
    """What must survive a round trip: roles, texts, tool calls (name, parsed arguments) and extras."""
    example = normalise(record, Source("x", 1, 0))
    assert example.format is not None and not example.issues, (record, example.issues)
    turns = []
    for turn in example.turns:
        calls = tuple((c.name, json.loads(c.arguments) if isinstance(c.arguments, str) else c.arguments)
                      for c in turn.tool_calls)
        turns.append((turn.role.value, "" if calls else turn.content, calls))
    own = {"instruction", "input", "output", "system", "history", "messages", "conversations", "prompt", "completion"}
    return tuple(turns), {k: v for k, v in record.items() if k not in own} if extras else None


def _convert(tmp_path: Path, records: list[dict[str, Any]], target: str, name: str) -> tuple[list[Any], Any]:
    source = tmp_path / f"{name}-in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / f"{name}-out.jsonl"
    report = convert(discover([str(source)], root=tmp_path), out, ConvertOptions(target))
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return written, report


def _seed(fmt: str) -> list[dict[str, Any]]:
    return PLAIN.get(fmt) or PLAIN["chatml"]


@pytest.mark.parametrize(("first", "second"), list(itertools.product(TARGETS, TARGETS)))
def test_round_trip_keeps_the_conversation(tmp_path: Path, first: str, second: str) -> None:
    records = _seed(first)
    there, report = _convert(tmp_path, records, second, "there")
    assert report.converted == len(records) and not report.skipped and report.fmt_findings == 0
    back, report = _convert(tmp_path, there, first, "back")
    assert report.converted == len(records) and report.fmt_findings == 0
    assert [_shape(r) for r in back] == [_shape(r) for r in records]
    if first == second == "alpaca":  # other formats hold one user text: instruction, blank line, input
        assert [(r["instruction"], r["input"]) for r in back] == [(r["instruction"], r["input"]) for r in records]


@pytest.mark.parametrize(("first", "second"), list(itertools.product(TOOL_FORMATS, TOOL_FORMATS)))
def test_tool_calls_survive_between_formats_that_hold_them(tmp_path: Path, first: str, second: str) -> None:
    records = TOOLS.get(first) or TOOLS["chatml"]
    if first == "prompt-completion":
        records, _ = _convert(tmp_path, TOOLS["chatml"], first, "seed")
    there, report = _convert(tmp_path, records, second, "there")
    assert report.converted == 1 and report.fmt_findings == 0
    back, _ = _convert(tmp_path, there, first, "back")
    assert [_shape(r, extras=False) for r in back] == [_shape(r, extras=False) for r in records]


def test_tool_calls_to_alpaca_are_skipped_with_a_count(tmp_path: Path) -> None:
    out, report = _convert(tmp_path, TOOLS["chatml"] + PLAIN["chatml"], "alpaca", "alpaca")
    assert len(out) == 2 and report.skipped == {"tool calls cannot be written as Alpaca": 1}


def test_tool_call_ids_to_sharegpt_are_noted(tmp_path: Path) -> None:
    _, report = _convert(tmp_path, TOOLS["chatml"], "sharegpt", "ids")
    assert report.notes == {"tool call ids dropped (ShareGPT matches results to calls by position)": 1}
    assert report.shown == ["ids-in.jsonl:1: tool call ids dropped (ShareGPT matches results to calls by position)"]


def test_sharegpt_parallel_calls_are_read_and_written_as_one_array_turn(tmp_path: Path) -> None:
    record = {"conversations": [
        {"from": "human", "value": "Areas for r = 1 and r = 2?"},
        {"from": "function_call", "value": json.dumps([{"name": "area", "arguments": {"r": 1}},
                                                       {"name": "area", "arguments": {"r": 2}}])},
        {"from": "observation", "value": "3.14, 12.57"}, {"from": "gpt", "value": "3.14 and 12.57."}]}
    example = normalise(record, Source("x", 1, 0))
    assert not example.issues and [c.arguments for c in example.turns[1].tool_calls] == [{"r": 1}, {"r": 2}]
    chat, _ = _convert(tmp_path, [record], "chatml", "parallel")
    assert [c["function"]["arguments"] for c in chat[0]["messages"][1]["tool_calls"]] == ['{"r": 1}', '{"r": 2}']
    back, _ = _convert(tmp_path, chat, "sharegpt", "parallel-back")
    assert back == [record]
