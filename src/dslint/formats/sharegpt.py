"""ShareGPT (`conversations: [{from, value}]`), as FastChat, axolotl and LLaMA-Factory read it.

A top-level `system` string (LLaMA-Factory) is the leading system turn; `function_call` turns carry their
call as JSON text; `observation` turns are tool results, matched to calls by position. `tools` is left as
it is. Conversations written with `role`/`content` keys are read too.
"""

from __future__ import annotations

from typing import Any

from dslint.formats.common import SHAREGPT, message_turns, system_turn
from dslint.model import Example

NAME = "sharegpt"


def fill(value: dict[str, Any], example: Example) -> None:
    system_turn(value, example)
    example.turns.extend(message_turns(value.get("conversations"), "/conversations", example, SHAREGPT))
