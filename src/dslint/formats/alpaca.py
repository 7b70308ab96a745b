"""Alpaca (`instruction`, `input`, `output`, optional `system` and LLaMA-Factory `history`) and self-instruct.

The user turn is the instruction, followed by a blank line and the input when the input is not empty; it
points at `/instruction` (`fields` keeps `/input` apart). The assistant turn points at `/output`.
"""

from __future__ import annotations

from typing import Any

from dslint.formats.common import missing, system_turn, text_field, wrong_type
from dslint.model import Example, Role, Turn

NAME = "alpaca"


def fill(value: dict[str, Any], example: Example) -> None:
    system_turn(value, example)
    _history(value.get("history"), example)
    instruction = text_field(value, "instruction", example, required=True)
    inp = text_field(value, "input", example, required=False)
    output = text_field(value, "output", example, required=True)
    _exchange(example, instruction, inp, "/instruction", output, "/output")


def fill_self_instruct(value: dict[str, Any], example: Example) -> None:
    """Self-instruct: `instruction` and `instances: [{input, output}, ...]`; the first instance is the exchange.

    Later instances are kept in `fields` as `instance_N_input` / `instance_N_output` (N is the index).
    """
    instruction = text_field(value, "instruction", example, required=True)
    instances = value.get("instances")
    if not isinstance(instances, list) or not instances:
        wrong_type(example, "/instances", "a non-empty array of {input, output} objects", instances)
        _exchange(example, instruction, None, "/instruction", None, "/instances")
        return
    pairs = [_instance(instance, n, example) for n, instance in enumerate(instances)]
    _exchange(example, instruction, pairs[0][0], "/instruction", pairs[0][1], "/instances/0/output")


def _instance(instance: Any, n: int, example: Example) -> tuple[str | None, str | None]:
    at = f"/instances/{n}"
    if not isinstance(instance, dict):
        wrong_type(example, at, "an {input, output} object", instance)
        return None, None
    texts: list[str | None] = []
    for key in ("input", "output"):
        text = instance.get(key)
        pointer = f"{at}/{key}"
        if isinstance(text, str):
            example.fields[key if n == 0 else f"instance_{n}_{key}"] = (pointer, text)
        elif key == "output" and text is None and key not in instance:
            missing(example, pointer, "each instance needs an output")
        elif text is not None or key == "output":
            wrong_type(example, pointer, "a string", text)
        texts.append(text if isinstance(text, str) else None)
    return texts[0], texts[1]


def _exchange(example: Example, instruction: str | None, inp: str | None, instruction_at: str,
              output: str | None, output_at: str) -> None:
    """The user turn (instruction + input) and the assistant turn; a missing side still makes its turn."""
    user = instruction or ""
    if inp:
        user = f"{user}\n\n{inp}"
    example.turns.append(Turn(Role.USER, user, instruction_at))
    example.turns.append(Turn(Role.ASSISTANT, output or "", output_at))


def _history(history: Any, example: Example) -> None:
    """LLaMA-Factory's `history`: [[user, assistant], ...] exchanges before the instruction."""
    if history is None:
        return
    if not isinstance(history, list):
        wrong_type(example, "/history", "an array of [user, assistant] pairs", history)
        return
    for i, pair in enumerate(history):
        at = f"/history/{i}"
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            wrong_type(example, at, "a [user, assistant] pair of strings", pair)
            continue
        example.turns.append(Turn(Role.USER, pair[0], at + "/0"))
        example.turns.append(Turn(Role.ASSISTANT, pair[1], at + "/1"))
