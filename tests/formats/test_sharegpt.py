"""ShareGPT conversations: the from vocabulary, function_call/observation, top-level system."""

from __future__ import annotations

from typing import Any

import pytest

from dslint.formats import normalise
from dslint.model import Example, IssueKind, Role, Source, ToolCall

SRC = Source("data.json", None, 0)


def _norm(record: Any) -> Example:
    return normalise(record, SRC)


@pytest.mark.parametrize(("raw", "role"), [
    ("human", Role.USER), ("user", Role.USER), ("gpt", Role.ASSISTANT), ("assistant", Role.ASSISTANT),
    ("model", Role.ASSISTANT), ("chatgpt", Role.ASSISTANT), ("bard", Role.ASSISTANT), ("bing", Role.ASSISTANT),
    ("system", Role.SYSTEM), ("tool", Role.TOOL), ("observation", Role.TOOL), ("function_response", Role.TOOL),
])
def test_from_vocabulary(raw: str, role: Role) -> None:
    example = _norm({"conversations": [{"from": raw, "value": "x"}]})
    assert example.turns[0].role is role
    assert example.issues == []


def test_pointers_system_and_tools() -> None:
    example = _norm({
        "system": "Use tools.",
        "tools": '[{"name": "weather"}]',
        "conversations": [
            {"from": "human", "value": "Weather?"},
            {"from": "function_call", "value": '{"name": "weather", "arguments": {"city": "Oslo"}}'},
            {"from": "observation", "value": "Rain"},
            {"from": "gpt", "value": "Rain."},
        ],
    })
    assert example.format == "sharegpt"
    assert [(t.role, t.pointer, t.role_pointer) for t in example.turns] == [
        (Role.SYSTEM, "/system", None),
        (Role.USER, "/conversations/0/value", "/conversations/0/from"),
        (Role.ASSISTANT, "/conversations/1/value", "/conversations/1/from"),
        (Role.TOOL, "/conversations/2/value", "/conversations/2/from"),
        (Role.ASSISTANT, "/conversations/3/value", "/conversations/3/from"),
    ]
    assert example.turns[2].tool_calls == (ToolCall(None, "weather", {"city": "Oslo"}, "/conversations/1/value"),)
    assert example.issues == []


def test_unknown_and_case_sensitive_roles() -> None:
    example = _norm({"conversations": [{"from": "Human", "value": "x"}, {"from": "bot", "value": "y"}]})
    assert [(i.kind, i.pointer) for i in example.issues] == [
        (IssueKind.UNKNOWN_ROLE, "/conversations/0/from"), (IssueKind.UNKNOWN_ROLE, "/conversations/1/from"),
    ]
    assert "human, user, gpt" in example.issues[0].message


def test_chat_keys_inside_conversations() -> None:
    example = _norm({"conversations": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]})
    assert example.issues == []
    assert [(t.role, t.pointer, t.role_pointer) for t in example.turns] == [
        (Role.USER, "/conversations/0/content", "/conversations/0/role"),
        (Role.ASSISTANT, "/conversations/1/content", "/conversations/1/role"),
    ]


@pytest.mark.parametrize(("value", "kind"), [
    ("weather(Oslo)", IssueKind.WRONG_TYPE),
    ("[1]", IssueKind.WRONG_TYPE),
    ('{"arguments": {}}', IssueKind.MISSING_FIELD),
    ('{"name": "weather"}', IssueKind.MISSING_FIELD),
])
def test_bad_function_call_values(value: str, kind: IssueKind) -> None:
    example = _norm({"conversations": [{"from": "function_call", "value": value}]})
    assert [(i.kind, i.pointer) for i in example.issues] == [(kind, "/conversations/0/value")]
    assert len(example.turns[0].tool_calls) == 1


def test_hostile_values() -> None:
    example = _norm({"system": 3, "conversations": [{"from": "human"}, {"from": None, "value": 1}, "x"]})
    assert [(i.kind, i.pointer) for i in example.issues] == [
        (IssueKind.WRONG_TYPE, "/system"),
        (IssueKind.MISSING_FIELD, "/conversations/0/value"),
        (IssueKind.WRONG_TYPE, "/conversations/1/from"),
        (IssueKind.WRONG_TYPE, "/conversations/1/value"),
        (IssueKind.WRONG_TYPE, "/conversations/2"),
    ]
