"""FMT: turn order (no assistant turn, misplaced system prompt, alternation, a conversation that ends early).

These rules read `example.turns` whatever the format: Alpaca is one user and one assistant turn (plus
LLaMA-Factory `history`), a preference record is its prompt followed by the chosen completion. They judge
only records whose structure is sound (see `orderable`): a record with a missing or mistyped field or an
unknown role is reported by FMT007-FMT009 first, and its order once that is fixed.
"""

from __future__ import annotations

from collections.abc import Iterator

from dslint.fixing.builders import merge_into_previous, move_system_first
from dslint.formats import (
    ALPACA,
    CHAT,
    PREFERENCE,
    PROMPT_COMPLETION,
    SELF_INSTRUCT,
    SHAREGPT,
)
from dslint.model import (
    ASSISTANT,
    SYSTEM,
    TOOL,
    UNKNOWN,
    USER,
    Example,
    Severity,
    Turn,
    Violation,
)
from dslint.rules.base import record_rule

# Where to point when a conversation as a whole is at fault, by format.
_CONTAINER = {
    CHAT: "/messages",
    SHAREGPT: "/conversations",
    PREFERENCE: "/chosen",
    PROMPT_COMPLETION: "/completion",
    ALPACA: "/output",
    SELF_INSTRUCT: "/instances",
}


def orderable(example: Example) -> bool:
    """Whether turn order can be judged: a recognised record with no schema issue."""
    return example.format is not None and not example.issues


def _has_assistant(turns: list[Turn]) -> bool:
    for turn in turns:
        if turn.role is ASSISTANT:
            return True
    return False


def role_pointer(turn: Turn) -> str:
    """Where an order finding points: the turn's role key, or its content when the format has no role key."""
    return turn.role_pointer or turn.pointer


def describe(turn: Turn) -> str:
    """`a user`, `an assistant ('gpt')`: the turn's role with an article, and its raw role where it differs."""
    role = turn.role.value
    article = "an" if turn.role is ASSISTANT or turn.role is UNKNOWN else "a"
    if turn.raw_role is None or turn.raw_role == role:
        return f"{article} {role}"
    return f"{article} {role} ({turn.raw_role!r})"


@record_rule(code="FMT011", name="no-assistant-turn", severity=Severity.ERROR,
             summary="A conversation has no assistant turn")
def no_assistant_turn(example: Example, options: object) -> Iterator[Violation]:
    """A conversation has nothing for the model to learn to say.

    ## What it does
    Reports a record whose turns include no assistant turn at all, including an empty conversation.
    (The OpenAI fine-tuning validator reports this as "no assistant message".)

    ## Why it matters
    Supervised fine-tuning computes the loss on assistant tokens only; a record without them trains on
    nothing, and some trainers fail outright on it.

    ## Example
    ```jsonl
    {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```
    """
    if orderable(example) and not _has_assistant(example.turns):
        what = "has no assistant turn" if example.turns else "is empty"
        yield Violation(f"conversation {what}: there is nothing to train on", _CONTAINER.get(example.format or ""))


@record_rule(code="FMT012", name="system-not-first", severity=Severity.ERROR,
             summary="A system turn comes after a non-system turn", fixable=True)
def system_not_first(example: Example, options: object) -> Iterator[Violation]:
    """A system prompt appears in the middle of a conversation.

    ## What it does
    Reports every system turn that follows a user, assistant or tool turn. Several system turns at the
    start are fine.

    ## Why it matters
    Most chat templates render only a leading system message as the system prompt; Llama, Mistral and
    Gemma templates raise an error or move it, and others render it as if it were a user turn.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "system", "content": "Be brief."}, {"role": "assistant", "content": "Hello!"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```

    ## Fix safety
    Safe: the system message is moved, unchanged, to the start of its list (after any system messages
    already there). Not offered when the system turn is not a message of a list.
    """
    if not orderable(example):
        return
    started = False
    for turn in example.turns:
        if turn.role is not SYSTEM:
            started = True
        elif started:
            yield Violation("system turn after the conversation has started; move it to the start",
                            role_pointer(turn), fix=move_system_first(example, turn))


@record_rule(code="FMT013", name="non-alternating-turns", severity=Severity.ERROR,
             summary="User and assistant turns do not alternate", fixable=True)
def non_alternating_turns(example: Example, options: object) -> Iterator[Violation]:
    """User and assistant turns do not alternate, starting with the user.

    ## What it does
    After any system turns, the conversation must start with a user turn and then alternate user and
    assistant. Tool results may follow only an assistant turn with tool calls (or another tool result),
    and the assistant must answer them before the user speaks again. Each offending turn is reported at
    its role: the second of two user (or assistant) turns in a row, a first turn that is not the user's,
    a tool result nobody asked for, a user turn right after a tool result. Misplaced system turns are
    left to FMT012. A preference record without a prompt whose chosen completion is a lone string (TRL's
    implicit prompt) is not checked.

    ## Why it matters
    Templates such as Mistral's raise an error when roles do not alternate; others render two messages
    in a row as one muddled turn, and the model learns to talk to itself.

    ## Example
    ```jsonl
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "human", "value": "Anyone there?"}, {"from": "gpt", "value": "Hello!"}]}
    ```

    ## Use instead
    ```jsonl
    {"conversations": [{"from": "human", "value": "Hi. Anyone there?"}, {"from": "gpt", "value": "Hello!"}]}
    ```

    ## Fix safety
    Unsafe: two plain-text messages of the same role in a row are merged into the first, their texts
    joined by a blank line. The model then sees one turn where the data had two, which may not be what
    the conversation meant. Messages with tool calls or typed content parts are not merged.
    """
    if not orderable(example) or _lone_completion(example):
        return
    previous: Turn | None = None
    for turn in example.turns:
        if turn.role is SYSTEM:
            continue
        problem = _order_problem(previous, turn)
        if problem:
            fix = merge_into_previous(previous, turn) if previous is not None and previous.role is turn.role else None
            yield Violation(problem, role_pointer(turn), fix=fix)
        previous = turn


def _order_problem(previous: Turn | None, turn: Turn) -> str | None:
    role = turn.role
    if previous is None:
        if role is USER:
            return None
        return (f"conversation starts with {describe(turn)} turn; "
                "the first turn after the system prompt must be the user's")
    before = previous.role
    if role is TOOL:
        if before is TOOL or (before is ASSISTANT and previous.tool_calls):
            return None
        return f"tool result after {describe(previous)} turn; tool results must follow an assistant tool call"
    if role is before:
        return f"two {role.value} turns in a row"
    if role is USER and before is TOOL:
        return "user turn right after a tool result; the assistant should answer the tool result first"
    return None


def _lone_completion(example: Example) -> bool:
    """A preference record with no prompt and a single chosen string (TRL's implicit-prompt text form)."""
    return example.format == PREFERENCE and len(example.turns) == 1 and example.turns[0].pointer == "/chosen"


@record_rule(code="FMT014", name="last-turn-not-assistant", severity=Severity.WARNING,
             summary="A conversation ends with a user or tool turn")
def last_turn_not_assistant(example: Example, options: object) -> Iterator[Violation]:
    """A conversation ends after a user turn or a tool result.

    ## What it does
    Reports a conversation whose last turn is a user turn or a tool result, pointing at that turn. A
    conversation with no assistant turn at all is left to FMT011.

    ## Why it matters
    Nothing after the final user turn is trained on, so the turn is dead weight; more often the record
    was cut short and the answer is missing.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "What can you do?"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "What can you do?"}, {"role": "assistant", "content": "Answer questions."}]}
    ```
    """
    if not orderable(example) or not example.turns:
        return
    last = example.turns[-1]
    if (last.role is USER or last.role is TOOL) and _has_assistant(example.turns):
        yield Violation(f"conversation ends with {describe(last)} turn; nothing after it is trained on",
                        role_pointer(last))
