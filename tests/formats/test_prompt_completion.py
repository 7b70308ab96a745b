"""TRL prompt/completion: strings and conversational message lists."""

from __future__ import annotations

from dslint.formats import normalise
from dslint.model import IssueKind, Role, Source

SRC = Source("data.jsonl", 1, 0)


def test_strings() -> None:
    example = normalise({"prompt": "2 + 2 =", "completion": " 4"}, SRC)
    assert example.format == "prompt-completion"
    assert [(t.role, t.content, t.pointer) for t in example.turns] == [
        (Role.USER, "2 + 2 =", "/prompt"), (Role.ASSISTANT, " 4", "/completion"),
    ]
    assert example.fields == {"prompt": ("/prompt", "2 + 2 ="), "completion": ("/completion", " 4")}


def test_conversational() -> None:
    example = normalise({
        "prompt": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2 + 2?"}],
        "completion": [{"role": "assistant", "content": "4"}],
        "label": True,
    }, SRC)
    assert [(t.role, t.pointer) for t in example.turns] == [
        (Role.SYSTEM, "/prompt/0/content"), (Role.USER, "/prompt/1/content"), (Role.ASSISTANT, "/completion/0/content"),
    ]
    assert example.issues == []


def test_hostile_values() -> None:
    example = normalise({"prompt": None, "completion": 4}, SRC)
    assert [(i.kind, i.pointer) for i in example.issues] == [
        (IssueKind.WRONG_TYPE, "/prompt"), (IssueKind.WRONG_TYPE, "/completion"),
    ]
    assert example.turns == []
