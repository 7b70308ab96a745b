"""Property tests: no JSON value makes an adapter raise, what they build is well-formed, and the FMT record
rules accept whatever the adapters build."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.formats import normalise
from dslint.model import Role, SchemaIssue, Source, Turn, Violation
from dslint.rules import all_rules
from dslint.rules.base import facts

SRC = Source("data.jsonl", 1, 0)

KEYS = st.sampled_from([
    "instruction", "input", "output", "system", "history", "instances", "messages", "conversations",
    "prompt", "completion", "chosen", "rejected", "role", "content", "from", "value", "type", "text",
    "tool_calls", "function_call", "tool_call_id", "function", "name", "arguments", "id", "tools",
])
ROLES = st.sampled_from(["user", "assistant", "system", "tool", "human", "gpt", "function_call", "observation",
                         "text", "tool_call", "reasoning", "function"])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8) | ROLES
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS | st.text(max_size=4), children, max_size=5),
    max_leaves=30,
)
MESSAGES = st.lists(st.dictionaries(KEYS, JSON, max_size=5) | JSON, max_size=5)
RECORDS = st.dictionaries(KEYS, JSON, max_size=6) | st.dictionaries(
    st.sampled_from(["messages", "conversations", "prompt", "completion", "chosen", "rejected", "system"]),
    MESSAGES | JSON, min_size=1, max_size=4,
)


def _check(example: Any) -> None:
    for turn in (*example.turns, *example.alternatives):
        assert isinstance(turn, Turn)
        assert isinstance(turn.role, Role)
        assert isinstance(turn.content, str)
        assert turn.pointer.startswith("/")
        for call in turn.tool_calls:
            assert call.pointer.startswith("/")
    for issue in example.issues:
        assert isinstance(issue, SchemaIssue) and issue.pointer.startswith("/") and issue.message
    for pointer, text in example.fields.values():
        assert pointer.startswith("/") and isinstance(text, str)


@settings(max_examples=400, deadline=None)
@given(RECORDS)
def test_any_record_normalises(record: dict[str, Any]) -> None:
    _check(normalise(record, SRC))


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_value_normalises(value: Any) -> None:
    _check(normalise(value, SRC))


FMT_RULES = [rule for rule in all_rules() if rule.family == "FMT" and rule.kind == "record"]


@settings(max_examples=300, deadline=None)
@given(RECORDS)
def test_fmt_rules_never_raise(record: dict[str, Any]) -> None:
    example = normalise(record, SRC)
    for rule in FMT_RULES:
        assert rule.check is not None
        for violation in rule.check(example, rule.options()):
            assert isinstance(violation, Violation) and violation.message


RECORD_RULES = [rule for rule in all_rules() if rule.kind == "record"]


@settings(max_examples=400, deadline=None)
@given(RECORDS)
def test_rules_are_quiet_where_the_engine_skips_them(record: dict[str, Any]) -> None:
    """`has_tools` is exact, and a record rule yields nothing on an example lacking a fact it `needs`."""
    example = normalise(record, SRC)
    turns = (*example.turns, *example.alternatives)
    assert example.has_tools == any(turn.tool_calls or turn.role is Role.TOOL for turn in turns)
    example_facts = facts(example.format, bool(example.issues), example.has_tools)
    for rule in RECORD_RULES:
        if not rule.needs <= example_facts:
            assert rule.check is not None
            assert list(rule.check(example, rule.options())) == [], rule.code
