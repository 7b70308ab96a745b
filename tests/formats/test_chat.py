"""OpenAI chat / ChatML messages: roles, typed parts, tool calls, pointers, hostile values."""

from __future__ import annotations

from typing import Any

import pytest

from dslint.formats import normalise
from dslint.model import Example, IssueKind, Role, Source, ToolCall

SRC = Source("data.jsonl", 1, 0)


def _norm(record: Any) -> Example:
    return normalise(record, SRC)


def _issues(example: Example) -> list[tuple[IssueKind, str]]:
    return [(i.kind, i.pointer) for i in example.issues]


def test_plain_messages() -> None:
    example = _norm({"messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi", "weight": 0},
        {"role": "assistant", "content": "Hello"},
    ]})
    assert example.format == "chatml"
    assert [(t.role, t.content, t.pointer, t.role_pointer, t.raw_role) for t in example.turns] == [
        (Role.SYSTEM, "Be brief.", "/messages/0/content", "/messages/0/role", "system"),
        (Role.USER, "Hi", "/messages/1/content", "/messages/1/role", "user"),
        (Role.ASSISTANT, "Hello", "/messages/2/content", "/messages/2/role", "assistant"),
    ]
    assert example.turns[1].message["weight"] == 0
    assert example.issues == []


@pytest.mark.parametrize(("role", "expected"), [
    ("developer", Role.SYSTEM), ("function", Role.TOOL), ("tool", Role.TOOL), ("human", Role.UNKNOWN),
])
def test_role_vocabulary(role: str, expected: Role) -> None:
    example = _norm({"messages": [{"role": role, "content": "x"}]})
    assert example.turns[0].role is expected
    assert example.turns[0].raw_role == role
    if expected is Role.UNKNOWN:
        assert _issues(example) == [(IssueKind.UNKNOWN_ROLE, "/messages/0/role")]
        assert "system, developer, user, assistant, tool, function" in example.issues[0].message


def test_openai_text_parts_join_and_point_at_the_first_text() -> None:
    example = _norm({"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
        {"type": "text", "text": "What is "},
        {"type": "text", "text": "this?"},
    ]}]})
    turn = example.turns[0]
    assert turn.content == "What is this?"
    assert turn.pointer == "/messages/0/content/1/text"
    assert example.issues == []


def test_llamafactory_parts_with_reasoning_and_tool_calls() -> None:
    example = _norm({"messages": [{"role": "assistant", "content": [
        {"type": "reasoning", "value": "Call it."},
        {"type": "tool_call", "value": '{"name": "circle_area", "arguments": {"radius": 1.5}}'},
        {"type": "tool_call", "value": '{"name": "circle_area", "arguments": {"radius": 3}}'},
    ]}]})
    turn = example.turns[0]
    assert turn.content == ""
    assert turn.pointer == "/messages/0/content"
    assert turn.tool_calls == (
        ToolCall(None, "circle_area", {"radius": 1.5}, "/messages/0/content/1"),
        ToolCall(None, "circle_area", {"radius": 3}, "/messages/0/content/2"),
    )
    assert example.issues == []


def test_tool_calls_and_results() -> None:
    example = _norm({"messages": [
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Oslo"}'}},
            {"name": "clock", "arguments": {}},  # a flat call
        ]},
        {"role": "tool", "tool_call_id": "c1", "content": "Rain"},
    ]})
    assert example.issues == []
    assert example.turns[1].tool_calls == (
        ToolCall("c1", "weather", '{"city": "Oslo"}', "/messages/1/tool_calls/0"),
        ToolCall(None, "clock", {}, "/messages/1/tool_calls/1"),
    )
    assert example.turns[2].tool_call_id == "c1"


def test_legacy_function_call() -> None:
    example = _norm({"messages": [
        {"role": "assistant", "content": None, "function_call": {"name": "weather", "arguments": "{}"}},
        {"role": "function", "name": "weather", "content": "Rain"},
    ]})
    assert example.issues == []
    assert example.turns[0].tool_calls == (ToolCall(None, "weather", "{}", "/messages/0/function_call"),)
    assert example.turns[1].role is Role.TOOL


def test_null_content_needs_tool_calls() -> None:
    example = _norm({"messages": [{"role": "user", "content": None}, {"role": "assistant"}]})
    assert _issues(example) == [(IssueKind.WRONG_TYPE, "/messages/0/content"),
                                (IssueKind.MISSING_FIELD, "/messages/1/content")]


def test_hostile_values() -> None:
    example = _norm({"messages": [
        5,
        {"content": "x"},
        {"role": "assistant", "content": [1, {"type": "text", "text": None}], "tool_calls": "x"},
        {"role": "assistant", "tool_calls": [3, {"id": 4, "function": []}, {"function": {"name": 1}}],
         "function_call": "f", "tool_call_id": 9},
    ]})
    assert _issues(example) == [
        (IssueKind.WRONG_TYPE, "/messages/0"),
        (IssueKind.MISSING_FIELD, "/messages/1/role"),
        (IssueKind.WRONG_TYPE, "/messages/2/tool_calls"),
        (IssueKind.WRONG_TYPE, "/messages/2/content/0"),
        (IssueKind.WRONG_TYPE, "/messages/2/content/1/text"),
        (IssueKind.WRONG_TYPE, "/messages/3/tool_calls/0"),
        (IssueKind.WRONG_TYPE, "/messages/3/tool_calls/1/id"),
        (IssueKind.WRONG_TYPE, "/messages/3/tool_calls/1/function"),
        (IssueKind.WRONG_TYPE, "/messages/3/tool_calls/2/function/name"),
        (IssueKind.MISSING_FIELD, "/messages/3/tool_calls/2/function/arguments"),
        (IssueKind.WRONG_TYPE, "/messages/3/function_call"),
        (IssueKind.WRONG_TYPE, "/messages/3/tool_call_id"),
    ]
    assert [t.role for t in example.turns] == [Role.UNKNOWN, Role.UNKNOWN, Role.ASSISTANT, Role.ASSISTANT]


@pytest.mark.parametrize("messages", [None, "hi", 3, {"role": "user"}])
def test_messages_must_be_a_list(messages: Any) -> None:
    example = _norm({"messages": messages})
    assert _issues(example) == [(IssueKind.WRONG_TYPE, "/messages")]
    assert example.turns == []
