"""FMT: tool calls and their results (unmatched results, unanswered calls, arguments that are not JSON).

Calls and results are matched by id where the format has ids (OpenAI `tool_calls[].id` and a tool
message's `tool_call_id`). Formats without ids (ShareGPT `function_call`/`observation`, LLaMA-Factory's
`tool_call` parts, OpenAI's legacy `function_call`) are matched by position: the tool results right after
an assistant turn answer its calls, and one result may bundle the results of several calls (LLaMA-Factory
writes them so).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from pydantic import Field

from dslint.formats.common import type_name
from dslint.model import ASSISTANT, TOOL, Example, Severity, ToolCall, Turn, Violation
from dslint.rules.base import RuleOptions, record_rule
from dslint.rules.fmt_turns import orderable, role_pointer


@record_rule(code="FMT015", name="unmatched-tool-result", severity=Severity.ERROR,
             summary="A tool result answers no tool call", needs=("tools",))
def unmatched_tool_result(example: Example, options: object) -> Iterator[Violation]:
    """A tool result does not belong to any tool call made before it.

    ## What it does
    Reports a tool turn whose `tool_call_id` is not the id of an earlier tool call (pointing at the id),
    and, where results carry no id, a tool turn beyond the number of calls the assistant turn before it
    made (ShareGPT `observation` turns are matched to `function_call` turns by position). A tool result
    that follows no tool call at all is an order problem, reported by FMT013.

    ## Why it matters
    Templates and trainers pair results with calls by id; an orphan result is rendered against the
    wrong call or rejected, and the model learns to trust results it never asked for.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Weather in Oslo?"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\": \\"Oslo\\"}"}}]}, {"role": "tool", "tool_call_id": "call_2", "content": "4°C, rain"}, {"role": "assistant", "content": "4°C and raining."}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Weather in Oslo?"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\": \\"Oslo\\"}"}}]}, {"role": "tool", "tool_call_id": "call_1", "content": "4°C, rain"}, {"role": "assistant", "content": "4°C and raining."}]}
    ```
    """
    if not orderable(example):
        return
    call_ids: set[str] = set()
    opener: Turn | None = None
    position = 0
    for turn in example.turns:
        if turn.role is not TOOL:
            opener = turn if turn.role is ASSISTANT and turn.tool_calls else None
            position = 0
            call_ids.update(call.id for call in turn.tool_calls if call.id is not None)
            continue
        if turn.tool_call_id is not None:
            if turn.tool_call_id not in call_ids:
                yield Violation(f"tool result for call id {turn.tool_call_id!r}, which no earlier tool call has",
                                _message_pointer(turn) + "/tool_call_id")
        elif opener is not None and position >= max(1, len(opener.tool_calls)):
            calls = len(opener.tool_calls)
            yield Violation(f"tool result {position + 1} after an assistant turn with {calls} tool call"
                            f"{'s' if calls > 1 else ''}: no call is left for it", role_pointer(turn))
        position += 1


def _message_pointer(turn: Turn) -> str:
    """The pointer of the message object a turn comes from."""
    return role_pointer(turn).rsplit("/", 1)[0]


class UnansweredOptions(RuleOptions):
    allow_final_call: bool = Field(
        True,
        description="Accept tool calls in the conversation's final turn (call-prediction data ends so).",
    )


@record_rule(code="FMT016", name="unanswered-tool-call", severity=Severity.WARNING,
             summary="A tool call gets no tool result", options=UnansweredOptions, needs=("tools",))
def unanswered_tool_call(example: Example, options: UnansweredOptions) -> Iterator[Violation]:
    """An assistant's tool call is never answered by a tool result.

    ## What it does
    Reports each tool call with no result later in the conversation: no later tool turn carries its id,
    and no id-less tool result follows the calling turn directly. Calls in the conversation's final turn
    are accepted by default, since datasets that teach only when and how to call a tool end there.

    ## Why it matters
    The model learns to carry on as if it had seen a result it never got, which is how tool-using
    models learn to make results up.

    ## Example
    ```jsonl
    {"conversations": [{"from": "human", "value": "Weather in Oslo?"}, {"from": "function_call", "value": "{\\"name\\": \\"weather\\", \\"arguments\\": {\\"city\\": \\"Oslo\\"}}"}, {"from": "gpt", "value": "It is 4°C and raining."}]}
    ```

    ## Use instead
    ```jsonl
    {"conversations": [{"from": "human", "value": "Weather in Oslo?"}, {"from": "function_call", "value": "{\\"name\\": \\"weather\\", \\"arguments\\": {\\"city\\": \\"Oslo\\"}}"}, {"from": "observation", "value": "4°C, rain"}, {"from": "gpt", "value": "It is 4°C and raining."}]}
    ```

    ## Options
    - `allow-final-call` (default `true`): accept calls in the final turn. Set it to `false` when every
      call in your data must be followed by its result.
    """
    if not orderable(example):
        return
    turns = example.turns
    answered_at = {turn.tool_call_id: i for i, turn in enumerate(turns) if turn.tool_call_id is not None}
    last = len(turns) - 1
    for i, turn in enumerate(turns):
        if turn.role is not ASSISTANT or not turn.tool_calls or (i == last and options.allow_final_call):
            continue
        positional = _id_less_result_follows(turns, i)
        for call in turn.tool_calls:
            if positional or (call.id is not None and answered_at.get(call.id, -1) > i):
                continue
            yield Violation(f"tool call {_call_name(call)} gets no tool result", call.pointer)


def _id_less_result_follows(turns: list[Turn], i: int) -> bool:
    """Whether the tool results right after turn i include one without an id (matched by position)."""
    for turn in turns[i + 1:]:
        if turn.role is not TOOL:
            return False
        if turn.tool_call_id is None:
            return True
    return False


def _call_name(call: ToolCall) -> str:
    name = repr(call.name) if call.name else "(unnamed)"
    return f"{name} (id {call.id!r})" if call.id else name


@record_rule(code="FMT017", name="invalid-tool-arguments", severity=Severity.ERROR,
             summary="Tool call arguments are not a JSON object", needs=("tools",))
def invalid_tool_arguments(example: Example, options: object) -> Iterator[Violation]:
    """A tool call's `arguments` are not a JSON object.

    ## What it does
    Reports tool calls (rejected completions included) whose `arguments` is a string that is not valid
    JSON, a string that decodes to something other than an object, or a value that is neither an object
    nor a string. OpenAI writes arguments as a JSON string; ShareGPT and LLaMA-Factory calls usually hold
    an object; both are fine. The finding points at the call.

    ## Why it matters
    Chat templates and tool runtimes parse arguments as an object; a truncated or single-quoted string
    fails at training or, worse, teaches the model to emit malformed calls.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Weather in Oslo?"}, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{'city': 'Oslo'}"}}]}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Weather in Oslo?"}, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\": \\"Oslo\\"}"}}]}]}
    ```
    """
    for turn in (*example.turns, *example.alternatives):
        for call in turn.tool_calls:
            problem = _arguments_problem(call.arguments)
            if problem:
                yield Violation(f"arguments of tool call {_call_name(call)} {problem}", call.pointer)


def _arguments_problem(arguments: Any) -> str | None:
    if arguments is None or isinstance(arguments, dict):
        return None  # a missing `arguments` is FMT007's
    if not isinstance(arguments, str):
        return f"are {type_name(arguments)}, not an object or a JSON string of one"
    try:
        decoded = orjson.loads(arguments)
    except orjson.JSONDecodeError as exc:
        return f"are not valid JSON ({exc})"
    if not isinstance(decoded, dict):
        return f"decode to {type_name(decoded)}, not an object"
    return None
