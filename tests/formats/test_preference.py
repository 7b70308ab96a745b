"""Preference pairs: TRL (explicit and implicit prompt), LLaMA-Factory ShareGPT, chat with chosen/rejected."""

from __future__ import annotations

from dslint.formats import normalise
from dslint.model import IssueKind, Role, Source

SRC = Source("data.jsonl", 1, 0)


def test_trl_strings() -> None:
    example = normalise({"prompt": "Hi", "chosen": "Hello!", "rejected": "Go away."}, SRC)
    assert example.format == "preference"
    assert [(t.role, t.pointer) for t in example.turns] == [(Role.USER, "/prompt"), (Role.ASSISTANT, "/chosen")]
    assert [(t.role, t.content, t.pointer) for t in example.alternatives] == [
        (Role.ASSISTANT, "Go away.", "/rejected"),
    ]
    assert example.fields["chosen"] == ("/chosen", "Hello!")
    assert example.fields["rejected"] == ("/rejected", "Go away.")


def test_trl_conversational_explicit_prompt() -> None:
    example = normalise({
        "prompt": [{"role": "user", "content": "Hi"}],
        "chosen": [{"role": "assistant", "content": "Hello!"}],
        "rejected": [{"role": "assistant", "content": "Go away."}],
    }, SRC)
    assert [t.pointer for t in example.turns] == ["/prompt/0/content", "/chosen/0/content"]
    assert [t.pointer for t in example.alternatives] == ["/rejected/0/content"]


def test_trl_implicit_prompt_is_the_common_prefix() -> None:
    user = {"role": "user", "content": "Hi"}
    example = normalise({
        "chosen": [user, {"role": "assistant", "content": "Hello!"}],
        "rejected": [user, {"role": "assistant", "content": "Go away."}],
    }, SRC)
    assert [(t.role, t.pointer) for t in example.turns] == [
        (Role.USER, "/chosen/0/content"), (Role.ASSISTANT, "/chosen/1/content"),
    ]
    assert [t.pointer for t in example.alternatives] == ["/rejected/1/content"]


def test_trl_implicit_prompt_text_form() -> None:
    example = normalise({"chosen": "Human: Hi Assistant: Hello", "rejected": "Human: Hi Assistant: No"}, SRC)
    assert [(t.role, t.pointer) for t in example.turns] == [(Role.ASSISTANT, "/chosen")]
    assert example.issues == []


def test_llamafactory_sharegpt() -> None:
    example = normalise({
        "system": "Be kind.",
        "conversations": [{"from": "human", "value": "Hi"}],
        "chosen": {"from": "gpt", "value": "Hello!"},
        "rejected": {"from": "gpt", "value": "Go away."},
    }, SRC)
    assert [(t.role, t.pointer) for t in example.turns] == [
        (Role.SYSTEM, "/system"), (Role.USER, "/conversations/0/value"), (Role.ASSISTANT, "/chosen/value"),
    ]
    assert [t.pointer for t in example.alternatives] == ["/rejected/value"]
    assert example.fields["chosen"] == ("/chosen/value", "Hello!")
    assert example.issues == []


def test_chat_messages_with_chosen_and_rejected() -> None:
    example = normalise({
        "messages": [{"role": "user", "content": "Hi"}],
        "chosen": {"role": "assistant", "content": "Hello!"},
        "rejected": {"role": "assistant", "content": "Go away."},
    }, SRC)
    assert [t.pointer for t in example.turns] == ["/messages/0/content", "/chosen/content"]
    assert example.alternatives[0].pointer == "/rejected/content"


def test_hostile_values() -> None:
    example = normalise({"prompt": 1, "chosen": None, "rejected": [7]}, SRC)
    assert [(i.kind, i.pointer) for i in example.issues] == [
        (IssueKind.WRONG_TYPE, "/prompt"), (IssueKind.WRONG_TYPE, "/chosen"), (IssueKind.WRONG_TYPE, "/rejected/0"),
    ]
    assert "chosen" not in example.fields
