"""TRL's prompt/completion: `prompt` and `completion` as strings, or as message lists (conversational)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dslint.formats.common import CHAT, side_turns
from dslint.model import Example, Role

if TYPE_CHECKING:
    from dslint.convert.conversation import Conversation

NAME = "prompt-completion"


def fill(value: dict[str, Any], example: Example) -> None:
    example.turns.extend(side_turns(value, "prompt", Role.USER, example, CHAT))
    example.turns.extend(side_turns(value, "completion", Role.ASSISTANT, example, CHAT))


# -- the reverse direction: a neutral conversation as a prompt/completion record (`dslint convert`) ---------
def build(conversation: Conversation) -> dict[str, Any]:
    """TRL's conversational prompt/completion: `prompt` the messages before the final assistant turn,
    `completion` that turn, both as chat messages; plus extras."""
    from dslint.convert.conversation import Unconvertible
    from dslint.formats.chat import _extras, build_messages

    messages = build_messages(conversation)
    if not messages or messages[-1]["role"] != "assistant":
        raise Unconvertible("conversation does not end with an assistant turn: no completion to write")
    split = len(messages) - 1
    return {"prompt": messages[:split], "completion": messages[split:],
            **_extras(conversation, ("prompt", "completion"))}
