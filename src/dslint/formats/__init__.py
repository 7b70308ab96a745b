"""Format adapters: detect each record's format (per record, never from the first row) and normalise it.

Every adapter module exposes `NAME` and `fill(value: dict, example: Example) -> None`, which fills the
example's turns, fields and issues from the raw record. It must never raise on any JSON value: a field
of the wrong type becomes a `SchemaIssue`, and normalisation goes on with what can be used.
"""

from __future__ import annotations

from typing import Any

from dslint.model import Example, Source

ALPACA = "alpaca"
CHAT = "chatml"
SHAREGPT = "sharegpt"
PROMPT_COMPLETION = "prompt-completion"
PREFERENCE = "preference"
SELF_INSTRUCT = "self-instruct"

FORMAT_NAMES = (ALPACA, CHAT, SHAREGPT, PROMPT_COMPLETION, PREFERENCE, SELF_INSTRUCT)


def detect(value: dict[str, Any]) -> str | None:
    """Which format a record is in, from its keys alone; None when no format matches."""
    preference = "chosen" in value and "rejected" in value
    if "messages" in value:
        return PREFERENCE if preference else CHAT
    if "conversations" in value:
        return PREFERENCE if preference else SHAREGPT
    if preference:
        return PREFERENCE
    if "prompt" in value and "completion" in value:
        return PROMPT_COMPLETION
    if "instruction" in value:
        if "instances" in value and "output" not in value:
            return SELF_INSTRUCT
        return ALPACA
    return None


def normalise(value: Any, source: Source) -> Example:
    """The normalised example for one decoded record (format None when unrecognised)."""
    example = Example(source, value)  # positional: a keyword call costs a third of the construction
    if not isinstance(value, dict):
        return example
    fmt = detect(value)
    if fmt is None:
        return example
    example.format = fmt
    _ADAPTERS[fmt](value, example)
    return example


def _load_adapters() -> dict[str, Any]:
    from dslint.formats import alpaca, chat, preference, prompt_completion, sharegpt

    return {
        ALPACA: alpaca.fill,
        SELF_INSTRUCT: alpaca.fill_self_instruct,
        CHAT: chat.fill,
        SHAREGPT: sharegpt.fill,
        PROMPT_COMPLETION: prompt_completion.fill,
        PREFERENCE: preference.fill,
    }


_ADAPTERS = _load_adapters()
