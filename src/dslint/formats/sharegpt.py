"""ShareGPT (`conversations: [{from, value}]`), as FastChat, axolotl and LLaMA-Factory read it.

A top-level `system` string (LLaMA-Factory) is the leading system turn; `function_call` turns carry their
call as JSON text; `observation` turns are tool results, matched to calls by position. `tools` is left as
it is. Conversations written with `role`/`content` keys are read too.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from dslint.formats.common import SHAREGPT, message_turns, system_turn
from dslint.model import Example

if TYPE_CHECKING:
    from dslint.convert.conversation import Conversation

NAME = "sharegpt"


def fill(value: dict[str, Any], example: Example) -> None:
    system_turn(value, example)
    example.turns.extend(message_turns(value.get("conversations"), "/conversations", example, SHAREGPT))


# -- the reverse direction: a neutral conversation as a ShareGPT record (used by `dslint convert`) ---------
_FROM = {"system": "system", "user": "human", "assistant": "gpt", "tool": "observation"}


def build(conversation: Conversation) -> dict[str, Any]:
    """`{"conversations": [{"from", "value"}]}` plus extras. Tool calls become LLaMA-Factory `function_call`
    turns (JSON text; a list for parallel calls) and results `observation` turns, matched by position:
    call ids, and assistant text beside a call, cannot be kept and are noted."""
    from dslint.formats.chat import _extras

    turns: list[dict[str, Any]] = []
    for message in conversation.messages:
        if message.tool_calls:
            if message.content.strip():
                conversation.notes.append("assistant text beside a tool call dropped (ShareGPT cannot hold both)")
            calls = [{"name": call.name, "arguments": call.arguments} for call in message.tool_calls]
            if any(call.id for call in message.tool_calls):
                _note_once(conversation, "tool call ids dropped (ShareGPT matches results to calls by position)")
            value = json.dumps(calls[0] if len(calls) == 1 else calls, ensure_ascii=False)
            turns.append({"from": "function_call", "value": value})
        else:
            turns.append({"from": _FROM[message.role.value], "value": message.content})
    return {"conversations": turns, **_extras(conversation, ("conversations", "system"))}


def _note_once(conversation: Conversation, note: str) -> None:
    if note not in conversation.notes:
        conversation.notes.append(note)
