"""Preference pairs: TRL (`prompt`?, `chosen`, `rejected`), ShareGPT and chat (`conversations`/`messages`
with `chosen`/`rejected` objects, as LLaMA-Factory writes them).

`turns` is the prompt followed by the chosen completion; the rejected completion goes to `alternatives`.
`fields["chosen"]` / `fields["rejected"]` are the last turn of each completion. Without a prompt, and with
both completions as message lists, the prompt is their longest common prefix (TRL's implicit prompt).
"""

from __future__ import annotations

from typing import Any

from dslint.formats.common import CHAT, SHAREGPT, Dialect, message_turns, side_turns, system_turn
from dslint.model import Example, Role, Turn

NAME = "preference"


def fill(value: dict[str, Any], example: Example) -> None:
    dialect, prompt = _prompt(value, example)
    chosen = side_turns(value, "chosen", Role.ASSISTANT, example, dialect)
    rejected = side_turns(value, "rejected", Role.ASSISTANT, example, dialect)
    if prompt is None:
        shared = _common_prefix(value.get("chosen"), value.get("rejected"))
        prompt, chosen, rejected = chosen[:shared], chosen[shared:], rejected[shared:]
    example.turns.extend(prompt)
    example.turns.extend(chosen)
    example.alternatives.extend(rejected)
    for key, turns in (("chosen", chosen), ("rejected", rejected)):
        if turns:
            example.fields[key] = (turns[-1].pointer, turns[-1].content)


def _prompt(value: dict[str, Any], example: Example) -> tuple[Dialect, list[Turn] | None]:
    """The dialect of the completions and the prompt's turns (None: no prompt, TRL's implicit prompt)."""
    if "conversations" in value:
        system_turn(value, example)
        return SHAREGPT, message_turns(value["conversations"], "/conversations", example, SHAREGPT)
    if "messages" in value:
        return CHAT, message_turns(value["messages"], "/messages", example, CHAT)
    if "prompt" in value:
        return CHAT, side_turns(value, "prompt", Role.USER, example, CHAT)
    return CHAT, None


def _common_prefix(chosen: Any, rejected: Any) -> int:
    """How many leading messages two message lists share (0 unless both are lists)."""
    if not (isinstance(chosen, list) and isinstance(rejected, list)):
        return 0
    shared = 0
    for a, b in zip(chosen, rejected, strict=False):
        if a != b:
            break
        shared += 1
    return shared
