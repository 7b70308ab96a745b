"""OpenAI chat / ChatML (`messages: [{role, content}]`), with tool calls and typed content parts.

See `dslint.formats.common` for the pointer conventions and the role vocabulary.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from dslint.formats.common import CHAT, message_turns
from dslint.model import Example

if TYPE_CHECKING:
    from dslint.convert.conversation import Conversation

NAME = "chatml"


def fill(value: dict[str, Any], example: Example) -> None:
    example.turns.extend(message_turns(value.get("messages"), "/messages", example, CHAT))


# -- the reverse direction: a neutral conversation as a chat record (used by `dslint convert`) --------------
def build(conversation: Conversation) -> dict[str, Any]:
    """`{"messages": [...]}` plus the record's extras; tool calls in OpenAI's shape, ids made up by position
    where the source had none (ShareGPT), so each tool result names the call it answers."""
    return {"messages": build_messages(conversation), **_extras(conversation, ("messages",))}


def build_messages(conversation: Conversation) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    pending: list[str] = []  # ids of calls not yet answered, in order
    made = 0
    for message in conversation.messages:
        out: dict[str, Any] = {"role": message.role.value, "content": message.content}
        if message.tool_calls:
            calls: list[dict[str, Any]] = []
            for call in message.tool_calls:
                made += 1
                call_id = call.id or f"call_{made}"
                arguments = call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments,
                                                                                             ensure_ascii=False)
                calls.append({"id": call_id, "type": "function", "function": {"name": call.name, "arguments": arguments}})
            pending = [call["id"] for call in calls]
            out["content"] = message.content or None
            out["tool_calls"] = calls
        elif message.role.value == "tool":
            answered = message.tool_call_id or (pending.pop(0) if pending else None)
            if message.tool_call_id in pending:
                pending.remove(message.tool_call_id)
            if answered is not None:
                out["tool_call_id"] = answered
        messages.append(out)
    return messages


def _extras(conversation: Conversation, taken: tuple[str, ...]) -> dict[str, Any]:
    clashing = [key for key in conversation.extras if key in taken]
    if clashing:
        conversation.notes.append(f"extra keys dropped (the target format uses them): {', '.join(clashing)}")
    return {k: v for k, v in conversation.extras.items() if k not in taken}
