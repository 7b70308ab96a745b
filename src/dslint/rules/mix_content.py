r"""MIX rules about what records carry: the "no input" placeholder (MIX004), another format's scaffolding
inside a message (MIX005, a record rule), a system prompt in some records only (MIX006).

MIX004 and MIX006 compare the records **within one file** through `dslint.rules.minority`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from pydantic import Field, field_validator

from dslint.fixing.model import Fix
from dslint.formats import ALPACA, CHAT, PREFERENCE, SELF_INSTRUCT, SHAREGPT
from dslint.model import SYSTEM, Example, Severity, Violation
from dslint.rules import mix_fixes, mix_scaffolding
from dslint.rules.base import dataset_rule, record_rule
from dslint.rules.minority import (
    Location,
    MinorityOptions,
    MinorityRule,
)

Category = Hashable


DEFAULT_PLACEHOLDERS = ("<noinput>", "<no input>", "noinput", "no input", "n/a", "none", "null", "nil")
_MISSING, _NULL = "\x00missing", "\x00null"  # the other categories are the normalised texts ("" included)


def _normalise_placeholder(text: str) -> str:
    return text.strip().casefold().rstrip(".").strip()


class InputPlaceholderOptions(MinorityOptions):
    placeholders: tuple[str, ...] = Field(
        DEFAULT_PLACEHOLDERS,
        description="Texts meaning 'no input' (compared trimmed, ignoring case and a final period).",
    )

    @field_validator("placeholders")
    @classmethod
    def _normalised(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_normalise_placeholder(text) for text in value)


@dataset_rule(
    code="MIX004",
    name="mixed-input-placeholders",
    severity=Severity.WARNING,
    summary="Alpaca records writing 'no input' in different ways in one file",
    options=InputPlaceholderOptions,
    fixable=True,
)
class MixedInputPlaceholders(MinorityRule):
    r"""Alpaca records writing 'no input' in different ways in one file

    ## What it does
    For Alpaca and self-instruct records without an input, looks at how the absence is written: an empty
    string `""`, a missing `input` key, `null`, or a placeholder such as `<noinput>`, `N/A`, `None` or
    `No input` (trimmed, any case, a final period ignored). Flags, at `/input`, the records whose way is
    not the most common one in the file, naming it. A file that writes it the same way everywhere, even
    `<noinput>`, is fine. Each file is a dataset of its own.

    ## Why it matters
    Prompt builders branch on an empty input: Alpaca's template uses its shorter "no input" prompt only
    for `""`. A `<noinput>` or `N/A` is rendered as real input, so the model learns that some tasks come
    with a meaningless `### Input: N/A` section and others do not, from what is the same kind of example.

    ## Example
    ```jsonl
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    {"instruction": "Give a synonym for happy.", "input": "", "output": "Joyful."}
    {"instruction": "What is 2 + 2?", "input": "<noinput>", "output": "4"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    {"instruction": "Give a synonym for happy.", "input": "", "output": "Joyful."}
    {"instruction": "What is 2 + 2?", "input": "", "output": "4"}
    ```

    ## Options
    - `max-reported` (default 1000): most records listed per way of writing it and file.
    - `placeholders` (default `["<noinput>", "<no input>", "noinput", "no input", "n/a", "none", "null",
      "nil"]`): the texts that mean "no input". An input with any other text is real input and not counted.

    ## Fix safety
    Safe: the record's `input` is written the majority's way (the majority's own spelling of a
    placeholder; the key added or removed when the majority has it or lacks it). Not offered when the
    file has no majority.
    """

    unit = "empty inputs"
    topic = "way of writing no input"

    def __init__(self, options: InputPlaceholderOptions) -> None:
        super().__init__(options)
        self.placeholders = frozenset(options.placeholders)

    def observe(self, example: Example) -> None:
        raw = example.raw
        if not isinstance(raw, dict):
            return
        if example.format == ALPACA:
            containers: list[tuple[dict[object, object], str]] = [(raw, "")]
        elif example.format == SELF_INSTRUCT and isinstance(raw.get("instances"), list):
            containers = [(item, f"/instances/{n}") for n, item in enumerate(raw["instances"])
                          if isinstance(item, dict)]
        else:
            return
        for container, prefix in containers:
            style = self._style(container)
            if style is not None:
                value = container.get("input")
                as_written = (value,) if style and isinstance(value, str) else ()  # a placeholder's own spelling
                self.tracker.count(style, example, f"{prefix}/input", None, as_written)

    def _style(self, container: dict[object, object]) -> str | None:
        if "input" not in container:
            return _MISSING
        value = container["input"]
        if value is None:
            return _NULL
        if not isinstance(value, str):
            return None
        text = _normalise_placeholder(value)
        return text if not text or text in self.placeholders else None

    @staticmethod
    def _written(category: Category) -> str:
        if category == _MISSING:
            return 'a missing "input" key'
        if category == _NULL:
            return "null"
        return f'"{category}"' if category else '"" (empty string)'

    def label(self, category: Category) -> str:
        return f"written as {self._written(category)}"

    def minority_fix(self, location: Location, category: Category, majority: Category,
                     sub: Hashable) -> Fix | None:
        group = self.tracker.groups.get((location.source.path, sub))
        kept = group.by_key[majority].kept if group and majority in group.by_key else []
        spelling = next((str(found.detail[0]) for found in kept if found.detail), None)
        return mix_fixes.placeholder_fix(location.pointer, category, majority, spelling)

    def minority_message(self, location: Location, category: Category, majority: Category,
                         majority_count: int, total: int, sub: Hashable) -> str:
        written = f'"{location.detail[0]}"' if location.detail else self._written(category)
        return (f"no input is written as {written}, but {majority_count:,} of {total:,} "
                f"empty inputs in this file are written as {self._written(majority)}")


@record_rule(
    code="MIX005",
    name="foreign-scaffolding",
    severity=Severity.WARNING,
    summary="Another format's prompt scaffolding inside one message or field",
    formats=(ALPACA, SELF_INSTRUCT, CHAT, SHAREGPT, PREFERENCE),
    fixable=True,
)
def foreign_scaffolding(example: Example, options: object) -> Iterator[Violation]:
    r"""Another format's prompt scaffolding inside one message or field

    ## What it does
    Looks inside each message (chat, ShareGPT, preference) and each Alpaca field for the markup of
    another format: Alpaca's prompt headers (`### Instruction:`, `### Input:`, `### Response:`, "Below is
    an instruction that describes a task") inside chat messages; and chat transcript markers inside one
    message or one Alpaca field: ChatML's `<|im_start|>`/`<|im_end|>`, Llama's `[INST]`/`[/INST]`, and
    role-label lines (`Human:`/`Assistant:`, `User:`/`Assistant:`, `### Human:`/`### Assistant:`,
    `USER:`/`ASSISTANT:`). Role labels count only when both a user-side and an assistant-side label start
    a line of the same text: one `User:` line in a written dialogue is ordinary content. Code is not
    searched (fenced blocks and inline code spans), since explaining a format there is legitimate.
    Reports the pointer of the message or field and quotes the first marker found.

    ## Why it matters
    A whole prompt pasted into one message means the record was converted from another format without
    being parsed: the model is trained on the other format's markup as if it were text, inside this
    format's own template, and learns to emit `### Response:` or `<|im_end|>` in its answers. A
    transcript inside one Alpaca field hides several turns in one.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "### Instruction:\nName a primary colour.\n\n### Response:"}, {"role": "assistant", "content": "Red."}]}
    {"instruction": "Continue the chat.", "input": "<|im_start|>user\nHi<|im_end|>", "output": "Hello!"}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a primary colour."}, {"role": "assistant", "content": "Red."}]}
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    {"instruction": "Show ChatML markup.", "input": "", "output": "~~~\n<|im_start|>user\nHi<|im_end|>\n~~~"}
    ```

    ## Fix safety
    Unsafe, for ChatML and Llama `[INST]` markers only: the literal tokens (with the role name after
    `<|im_start|>`) are removed from the text, which changes what the model sees and may join the turns
    of a pasted transcript into one text. Not offered when the text holds code, or when nothing would be
    left. Alpaca headers and role labels have no fix.
    """
    alpaca = example.format in (ALPACA, SELF_INSTRUCT)
    where = "field" if alpaca else "message"
    for pointer, text in _contents(example, alpaca):
        found = mix_scaffolding.find(text, not alpaca)
        if found is not None:
            yield Violation(f"{found.kind} {found.quoted} inside one {where}: "
                            "another format's scaffolding in the content", pointer,
                            fix=mix_fixes.control_token_fix(example.raw, pointer, found.kind))


def _contents(example: Example, alpaca: bool) -> list[tuple[str, str]]:
    """(pointer, text) of every message; for Alpaca each field apart (not the instruction + input turn)."""
    turns = example.turns + example.alternatives if example.alternatives else example.turns
    if not alpaca:
        return [(turn.pointer, turn.content) for turn in turns]
    fields = list(example.fields.values())
    covered = {pointer for pointer, _ in fields}
    return fields + [(turn.pointer, turn.content) for turn in turns if turn.pointer not in covered]


@dataset_rule(
    code="MIX006",
    name="inconsistent-system-prompt",
    severity=Severity.INFO,
    summary="System prompt present in some records of a file and absent in others",
    options=MinorityOptions,
)
class InconsistentSystemPrompt(MinorityRule):
    r"""System prompt present in some records of a file and absent in others

    ## What it does
    Counts the records of a file (Alpaca, chat, ShareGPT, preference) that have a non-empty system prompt
    (a leading system turn, or Alpaca's `system` field) and those that have none, and flags the smaller
    side: the system turn of a record with one, or the record without one. A file where every record has a
    system prompt, or none has, is fine. Each file is a dataset of its own.

    ## Why it matters
    The system prompt conditions everything after it. When only some records carry one, the model learns
    two behaviours for the same kind of request, and at inference time it behaves as one half of the data
    or the other depending on a prompt that was never meant to matter. Templates that inject a default
    system prompt when none is given (Qwen2.5) make the records without one differ again.

    ## Example
    ```jsonl
    {"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Name a primary colour."}, {"role": "assistant", "content": "Red."}]}
    {"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]}
    {"messages": [{"role": "user", "content": "Say hello."}, {"role": "assistant", "content": "Hello!"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Name a primary colour."}, {"role": "assistant", "content": "Red."}]}
    {"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]}
    {"messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Say hello."}, {"role": "assistant", "content": "Hello!"}]}
    ```

    ## Options
    - `max-reported` (default 1000): most records listed per side and file.
    """

    topic = "system prompt use"
    formats = frozenset({ALPACA, CHAT, SHAREGPT, PREFERENCE})

    def observe(self, example: Example) -> None:
        if example.format in self.formats:
            pointer = _system_pointer(example)
            self.tracker.count(pointer is not None, example, pointer)

    def label(self, category: Category) -> str:
        return "with a system prompt" if category else "without a system prompt"

    def minority_message(self, location: Location, category: Category, majority: Category,
                         majority_count: int, total: int, sub: Hashable) -> str:
        has, others = ("a", "none") if category else ("no", "one")
        return (f"record has {has} system prompt, but {majority_count:,} of {total:,} records in this file "
                f"have {others}")


def _system_pointer(example: Example) -> str | None:
    """The pointer of the record's non-empty system prompt, or None when it has none."""
    if example.turns and example.turns[0].role is SYSTEM:
        turn = example.turns[0]
        return turn.pointer if turn.content.strip() else None
    found = example.fields.get("system")
    return found[0] if found and found[1].strip() else None
