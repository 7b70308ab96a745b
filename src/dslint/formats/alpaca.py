"""Alpaca (`instruction`, `input`, `output`, optional `system` and LLaMA-Factory `history`) and self-instruct.

The user turn is the instruction, followed by a blank line and the input when the input is not empty; it
points at `/instruction` (`fields` keeps `/input` apart). The assistant turn points at `/output`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dslint.formats.common import missing, system_turn, text_field, wrong_type
from dslint.model import ASSISTANT, USER, Example, Role, Turn

if TYPE_CHECKING:
    from dslint.convert.conversation import Conversation

NAME = "alpaca"


def fill(value: dict[str, Any], example: Example) -> None:
    instruction, inp, output = value.get("instruction"), value.get("input"), value.get("output")
    if (type(instruction) is str and type(inp) is str and type(output) is str and "system" not in value
            and "history" not in value):
        # The usual record, three strings and nothing else to read: its fields set directly, without the
        # checks `fill_any` makes per field (they were a third of reading and normalising a record).
        example.fields = {"instruction": ("/instruction", instruction), "input": ("/input", inp),
                          "output": ("/output", output)}
        _exchange(example, instruction, inp, "/instruction", output, "/output")
    else:
        fill_any(value, example)


def fill_any(value: dict[str, Any], example: Example) -> None:
    """Any Alpaca record, whatever its fields hold."""
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
    example.turns.append(Turn(USER, user, instruction_at))
    example.turns.append(Turn(ASSISTANT, output or "", output_at))


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
        example.turns.append(Turn(USER, pair[0], at + "/0"))
        example.turns.append(Turn(ASSISTANT, pair[1], at + "/1"))


# -- the reverse direction: a neutral conversation as an Alpaca record (used by `dslint convert`) ----------
MULTI_TURN = ("history", "fold", "skip")


def build(conversation: Conversation, multi_turn: str = "history") -> dict[str, Any]:
    """`{instruction, input, output}` (plus `system`, `history`, extras) from a user/assistant exchange.

    The last exchange is the record; earlier ones become LLaMA-Factory's `history` pairs (`history`), a
    transcript in `input` (`fold`), or the record is skipped (`skip`). Tool calls and conversations that do
    not alternate user/assistant cannot be written as Alpaca and are skipped.
    """
    from dslint.convert.conversation import Unconvertible
    from dslint.formats.chat import _extras

    messages = list(conversation.messages)
    systems = []
    while messages and messages[0].role is Role.SYSTEM:
        systems.append(messages.pop(0).content)
    if conversation.has_tools:
        raise Unconvertible("tool calls cannot be written as Alpaca")
    roles = [m.role for m in messages]
    if not messages or len(messages) % 2 or any(r is not (Role.USER if i % 2 == 0 else Role.ASSISTANT)
                                               for i, r in enumerate(roles)):
        raise Unconvertible("not a user/assistant exchange (Alpaca needs alternating turns ending with the answer)")
    pairs = [(messages[i].content, messages[i + 1].content) for i in range(0, len(messages), 2)]
    record: dict[str, Any] = {"instruction": pairs[-1][0], "input": "", "output": pairs[-1][1]}
    parts = messages[-2].alpaca_parts
    if parts is not None and f"{parts[0]}\n\n{parts[1]}" == pairs[-1][0]:
        record["instruction"], record["input"] = parts
    if len(systems) > 1:
        conversation.notes.append(f"{len(systems)} system messages joined into one")
    if systems:
        record["system"] = "\n\n".join(systems)
    if len(pairs) > 1:
        if multi_turn == "skip":
            raise Unconvertible("multi-turn conversation skipped (--multi-turn skip)")
        if multi_turn == "fold":
            record["input"] = "\n".join(f"User: {u}\nAssistant: {a}" for u, a in pairs[:-1])
            conversation.notes.append(f"{len(pairs) - 1} earlier exchanges folded into input")
        else:
            record["history"] = [[u, a] for u, a in pairs[:-1]]
    return {**record, **_extras(conversation, tuple(record) + ("system", "history"))}
