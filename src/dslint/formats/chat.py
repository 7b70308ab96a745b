"""OpenAI chat / ChatML (`messages: [{role, content}]`), with tool calls and typed content parts.

See `dslint.formats.common` for the pointer conventions and the role vocabulary.
"""

from __future__ import annotations

from typing import Any

from dslint.formats.common import CHAT, message_turns
from dslint.model import Example

NAME = "chatml"


def fill(value: dict[str, Any], example: Example) -> None:
    example.turns.extend(message_turns(value.get("messages"), "/messages", example, CHAT))
