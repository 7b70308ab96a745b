"""TRL's prompt/completion: `prompt` and `completion` as strings, or as message lists (conversational)."""

from __future__ import annotations

from typing import Any

from dslint.formats.common import CHAT, side_turns
from dslint.model import Example, Role

NAME = "prompt-completion"


def fill(value: dict[str, Any], example: Example) -> None:
    example.turns.extend(side_turns(value, "prompt", Role.USER, example, CHAT))
    example.turns.extend(side_turns(value, "completion", Role.ASSISTANT, example, CHAT))
