"""Alpaca and self-instruct: turns, pointers, fields, and issues on hostile values."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.formats import alpaca, normalise
from dslint.model import Example, IssueKind, Role, Source

SRC = Source("data.jsonl", 1, 0)


def _norm(record: Any) -> Example:
    return normalise(record, SRC)


def _shape(example: Example) -> list[tuple[Role, str, str]]:
    return [(t.role, t.content, t.pointer) for t in example.turns]


def test_instruction_and_output() -> None:
    example = _norm({"instruction": "Name a colour.", "input": "", "output": "Red."})
    assert example.format == "alpaca"
    assert _shape(example) == [(Role.USER, "Name a colour.", "/instruction"), (Role.ASSISTANT, "Red.", "/output")]
    assert example.fields == {
        "instruction": ("/instruction", "Name a colour."),
        "input": ("/input", ""),
        "output": ("/output", "Red."),
    }
    assert example.issues == []


def test_input_joins_the_user_turn_after_a_blank_line() -> None:
    example = _norm({"instruction": "Translate.", "input": "Good morning", "output": "Bonjour"})
    assert example.turns[0].content == "Translate.\n\nGood morning"
    assert example.turns[0].pointer == "/instruction"
    assert example.fields["input"] == ("/input", "Good morning")


def test_system_and_history_come_first() -> None:
    example = _norm({"instruction": "And another?", "output": "Blue.", "system": "Be brief.",
                     "history": [["Name a colour.", "Red."]]})
    assert _shape(example) == [
        (Role.SYSTEM, "Be brief.", "/system"),
        (Role.USER, "Name a colour.", "/history/0/0"),
        (Role.ASSISTANT, "Red.", "/history/0/1"),
        (Role.USER, "And another?", "/instruction"),
        (Role.ASSISTANT, "Blue.", "/output"),
    ]
    assert example.system == "Be brief."


def test_empty_system_string_is_no_system_turn() -> None:
    example = _norm({"instruction": "Hi", "output": "Hello", "system": ""})
    assert [t.role for t in example.turns] == [Role.USER, Role.ASSISTANT]
    assert example.fields["system"] == ("/system", "")


def test_null_input_system_and_history_are_allowed() -> None:
    example = _norm({"instruction": "Hi", "input": None, "output": "Hello", "system": None, "history": None})
    assert example.issues == []
    assert "input" not in example.fields


def test_missing_output_still_makes_the_assistant_turn() -> None:
    example = _norm({"instruction": "Hi"})
    assert [(i.kind, i.pointer) for i in example.issues] == [(IssueKind.MISSING_FIELD, "/output")]
    assert example.turns[-1].role is Role.ASSISTANT and example.turns[-1].content == ""


def test_wrong_types_are_issues() -> None:
    example = _norm({"instruction": 5, "input": ["x"], "output": None, "system": 1, "history": [["a"], "b"]})
    assert sorted((i.kind, i.pointer) for i in example.issues) == sorted([
        (IssueKind.WRONG_TYPE, "/instruction"),
        (IssueKind.WRONG_TYPE, "/input"),
        (IssueKind.WRONG_TYPE, "/output"),
        (IssueKind.WRONG_TYPE, "/system"),
        (IssueKind.WRONG_TYPE, "/history/0"),
        (IssueKind.WRONG_TYPE, "/history/1"),
    ])
    assert [t.role for t in example.turns] == [Role.USER, Role.ASSISTANT]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["instruction", "input", "output", "system", "history", "id"]),
                       st.text(max_size=6) | st.none() | st.integers(), max_size=6))
def test_the_fast_path_builds_what_the_general_one_builds(record: dict[str, Any]) -> None:
    fast, general = Example(SRC, record), Example(SRC, record)
    alpaca.fill(record, fast)
    alpaca.fill_any(record, general)
    assert (_shape(fast), fast.fields, fast.issues) == (_shape(general), general.fields, general.issues)


def test_self_instruct_first_instance_is_the_exchange() -> None:
    example = _norm({"id": "seed_task_1", "instruction": "What is the relation?",
                     "instances": [{"input": "Night : Day", "output": "Opposites."},
                                   {"input": "Up : Down", "output": "Also opposites."}]})
    assert example.format == "self-instruct"
    assert _shape(example) == [
        (Role.USER, "What is the relation?\n\nNight : Day", "/instruction"),
        (Role.ASSISTANT, "Opposites.", "/instances/0/output"),
    ]
    assert example.fields["input"] == ("/instances/0/input", "Night : Day")
    assert example.fields["instance_1_output"] == ("/instances/1/output", "Also opposites.")
    assert example.issues == []


def test_self_instruct_hostile_instances() -> None:
    assert [i.pointer for i in _norm({"instruction": "x", "instances": []}).issues] == ["/instances"]
    example = _norm({"instruction": "x", "instances": ["a", {"input": 1}]})
    assert [(i.kind, i.pointer) for i in example.issues] == [
        (IssueKind.WRONG_TYPE, "/instances/0"),
        (IssueKind.WRONG_TYPE, "/instances/1/input"),
        (IssueKind.MISSING_FIELD, "/instances/1/output"),
    ]
