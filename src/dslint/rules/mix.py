r"""MIX: format mixing. Records that do not agree with the rest of their file, and foreign scaffolding.

The dataset rules here (all but MIX005) compare records **within one file**: a dataset is one file, and
files checked together are never compared with each other (a folder of Alpaca files beside a folder of
chat files is fine). They share one mechanism, `dslint.rules.minority`: count a category per record, then
flag the records outside the file's majority category, naming it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from functools import lru_cache

from pydantic import Field, field_validator

from dslint.fixing.model import Fix
from dslint.formats import ALPACA, CHAT, PREFERENCE, SELF_INSTRUCT, SHAREGPT
from dslint.model import SYSTEM, Example, Severity, Violation
from dslint.rules import mix_fixes, mix_roles, mix_scaffolding
from dslint.rules.base import dataset_rule, record_rule
from dslint.rules.minority import (
    Buckets,
    Location,
    MinorityOptions,
    MinorityRule,
    file_finding,
)

Category = Hashable


@dataset_rule(
    code="MIX001",
    name="mixed-formats",
    severity=Severity.WARNING,
    summary="Records of more than one format in one file",
    options=MinorityOptions,
)
class MixedFormats(MinorityRule):
    r"""Records of more than one format in one file

    ## What it does
    Counts the format of every record of a file (Alpaca, chat `messages`, ShareGPT `conversations`,
    prompt/completion, preference, self-instruct) and flags the records that are not in the file's most
    common format, naming it. Each file is a dataset of its own: files checked together are not compared.

    ## Why it matters
    Training code reads a file with one loader and one prompt template. Records in another format are
    either dropped without a word (a chat loader finds no `messages`) or rendered with the wrong template.
    Mixed files usually come from concatenating sources without converting them first.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a primary colour."}, {"role": "assistant", "content": "Red."}]}
    {"messages": [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]}
    {"instruction": "Translate to French.", "input": "Good morning", "output": "Bonjour"}
    ```

    ## Use instead
    Convert the odd records (`dslint convert`), so the file holds one format:
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a primary colour."}, {"role": "assistant", "content": "Red."}]}
    {"messages": [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]}
    {"messages": [{"role": "user", "content": "Translate to French.\n\nGood morning"}, {"role": "assistant", "content": "Bonjour"}]}
    ```

    ## Options
    - `max-reported` (default 1000): most records listed per format and file; the rest are counted in one
      file-level finding. When two formats tie for most records, one file-level finding gives the counts.
    """

    topic = "format"

    def observe(self, example: Example) -> None:
        if example.format is not None:
            self.tracker.count(example.format, example)

    def label(self, category: Category) -> str:
        return f"in {category} format"

    def minority_message(self, location: Location, category: Category, majority: Category,
                         majority_count: int, total: int, sub: Hashable) -> str:
        return (f"record is in {category} format, but {majority_count:,} of {total:,} records in this file "
                f"are in {majority} format")


class InconsistentFieldsOptions(MinorityOptions):
    ignore_keys: tuple[str, ...] = Field(
        ("input", "system"),
        description="Top-level keys whose presence may vary (MIX004 and MIX006 report those).",
    )


@dataset_rule(
    code="MIX002",
    name="inconsistent-fields",
    severity=Severity.WARNING,
    summary="Records whose top-level keys differ from most records of their format in the file",
    options=InconsistentFieldsOptions,
)
class InconsistentFields(MinorityRule):
    r"""Records whose top-level keys differ from most records of their format in the file

    ## What it does
    Within each format of a file, counts the set of top-level keys of every record and flags the records
    whose key set is not the most common one, saying which keys they lack or add. Each file is a dataset of
    its own; formats are compared apart (mixing formats is MIX001).

    ## Why it matters
    Loaders such as `datasets` infer one schema per file: a key present in some records only becomes a
    column of nulls, a missing `id` breaks joins, and a stray `response` beside `output` is silently
    ignored, leaving the example without an answer. Odd key sets are a sign of merged sources.

    ## Example
    ```jsonl
    {"instruction": "Name a primary colour.", "output": "Red."}
    {"instruction": "What is 2 + 2?", "output": "4"}
    {"instruction": "Say hello in Spanish.", "response": "Hola"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a primary colour.", "output": "Red."}
    {"instruction": "What is 2 + 2?", "output": "4"}
    {"instruction": "Say hello in Spanish.", "output": "Hola"}
    ```

    ## Options
    - `max-reported` (default 1000): most records listed per key set and file.
    - `ignore-keys` (default `["input", "system"]`): keys left out of the comparison. An Alpaca record's
      missing `input` is MIX004's finding and a missing `system` MIX006's, so they are not reported twice.
    """

    topic = "key set"

    def __init__(self, options: InconsistentFieldsOptions) -> None:
        super().__init__(options)
        self.ignored = frozenset(options.ignore_keys)

    def observe(self, example: Example) -> None:
        if example.format is not None and isinstance(example.raw, dict):
            self.tracker.count(_key_set(tuple(example.raw), self.ignored), example, None, example.format)

    def units(self, sub: Hashable) -> str:
        return f"{sub} records"

    def label(self, category: Category) -> str:
        return f"with keys {_keys(category)}" if category else "with no keys"

    def minority_message(self, location: Location, category: Category, majority: Category,
                         majority_count: int, total: int, sub: Hashable) -> str:
        mine, theirs = set(category), set(majority)  # type: ignore[call-overload]
        parts = [f"{name} {_keys(sorted(keys))}"
                 for name, keys in (("missing", theirs - mine), ("extra", mine - theirs)) if keys]
        ignored = f"; {_keys(sorted(self.ignored))} not compared" if self.ignored else ""
        return (f"record's keys differ from most {sub} records in this file: {'; '.join(parts)} "
                f"({majority_count:,} of {total:,} have keys {_keys(majority)}{ignored})")


@lru_cache(maxsize=1024)
def _key_set(keys: tuple[str, ...], ignored: frozenset[str]) -> tuple[str, ...]:
    """A record's compared keys, sorted (cached: a file repeats a handful of key sets)."""
    return tuple(sorted(str(key) for key in keys if key not in ignored))


def _keys(keys: object) -> str:
    return ", ".join(repr(key) for key in keys)  # type: ignore[attr-defined]


@dataset_rule(
    code="MIX003",
    name="mixed-role-vocabulary",
    severity=Severity.WARNING,
    summary="Role names from different vocabularies in one file",
    options=MinorityOptions,
    fixable=True,
)
class MixedRoleVocabulary(MinorityRule):
    r"""Role names from different vocabularies in one file

    ## What it does
    Sorts every record by the vocabulary of its raw role names: ShareGPT (`human`/`gpt`, also `chatgpt`,
    `bing`, `bard`), OpenAI (`user`/`assistant`) or Gemma (`user`/`model`). Roles all vocabularies share
    (`system`, `tool`, `function` ...) and unknown roles do not count, nor do records whose roles fit
    several vocabularies (only `user`). Within each format of a file, it flags the records whose
    vocabulary is not the most common one, naming it, at their first role that only their vocabulary uses
    (`human`, `gpt`, `assistant`, `model`). A record that mixes vocabularies itself is flagged on its own,
    at the first role that does not fit. Each file is a dataset of its own; mixing formats is MIX001.

    ## Why it matters
    A loader maps one role vocabulary to the chat template's roles. Records in another vocabulary are
    mapped wrongly or not at all: stock Phi-3 and Qwen2.5 templates silently drop a `human` or `gpt` turn
    they do not know, and a `model` turn is not an `assistant` turn to most trainers.

    ## Example
    ```jsonl
    {"conversations": [{"from": "human", "value": "Name a primary colour."}, {"from": "gpt", "value": "Red."}]}
    {"conversations": [{"from": "human", "value": "What is 2 + 2?"}, {"from": "gpt", "value": "4"}]}
    {"conversations": [{"from": "user", "value": "Say hello."}, {"from": "assistant", "value": "Hello!"}]}
    ```

    ## Use instead
    ```jsonl
    {"conversations": [{"from": "human", "value": "Name a primary colour."}, {"from": "gpt", "value": "Red."}]}
    {"conversations": [{"from": "human", "value": "What is 2 + 2?"}, {"from": "gpt", "value": "4"}]}
    {"conversations": [{"from": "human", "value": "Say hello."}, {"from": "gpt", "value": "Hello!"}]}
    ```

    ## Options
    - `max-reported` (default 1000): most records listed per vocabulary and file (and of records mixing
      vocabularies themselves).

    ## Fix safety
    Safe: every role of the record is renamed into the majority vocabulary (`human` to `user`, `gpt` to
    `assistant` ...), at its own role key; nothing else changes. Not offered when the file has no
    majority, or when the record's format cannot take the majority's names (`gpt` in a chat file).
    """

    topic = "role vocabulary"

    def __init__(self, options: MinorityOptions) -> None:
        super().__init__(options)
        self.mixed = Buckets(options.max_reported)  # records mixing vocabularies, by (file, format)

    def observe(self, example: Example) -> None:
        if example.format is None:
            return
        turns = [*example.turns, *example.alternatives] if example.alternatives else example.turns
        vocabulary, telling = mix_roles.vocabulary_of(tuple([turn.raw_role for turn in turns]))
        if vocabulary is mix_roles.MIXED:
            roles = mix_roles.classify(turns)
            self.mixed.add_example((example.source.path, example.format), example, None,
                                   (roles.uses, mix_roles.role_pairs(example)))
        elif vocabulary is not None:
            pointer = turns[telling].role_pointer if telling is not None else None
            # The role pointers, for the fix, are computed only for the records a bucket keeps.
            self.tracker.count(vocabulary, example, pointer, example.format,
                               mix_roles.role_pairs)  # type: ignore[arg-type]

    def merge(self, other: MixedRoleVocabulary) -> None:  # type: ignore[override]
        super().merge(other)
        self.mixed.merge(other.mixed)

    def finish(self) -> Iterator[Violation]:
        for key in sorted(self.mixed.by_key, key=repr):
            path, fmt = key  # type: ignore[misc]
            bucket = self.mixed.by_key[key]
            majority = self.tracker.majority((path, fmt))
            for location in bucket.kept:
                yield self._mixed_violation(location, majority, fmt)
            if bucket.unlisted:
                message = self.unlisted(f"{self.counted(bucket.unlisted, fmt)} mixing role vocabularies")
                yield file_finding(path, message, "mixed", fmt)
        yield from super().finish()

    def _mixed_violation(self, location: Location, majority: Hashable, fmt: Hashable) -> Violation:
        uses, pairs = location.detail
        odd, before = mix_roles.odd_one_out(uses, majority if isinstance(majority, str) else None)
        roles = ", ".join(repr(use.role) for use in uses)
        fits = f"does not fit {', '.join(repr(u.role) for u in before)}" if before else (
            f"is not in {mix_roles.describe(str(majority))}, the most common in this file")
        message = f"record mixes role vocabularies ({roles}): {odd.role!r} {fits}"
        return Violation(message, odd.pointer, location.source, location.digest,
                         fix=mix_fixes.role_fix(pairs, majority, fmt))

    def minority_fix(self, location: Location, category: Category, majority: Category,
                     sub: Hashable) -> Fix | None:
        return mix_fixes.role_fix(location.detail, majority, sub)

    def units(self, sub: Hashable) -> str:
        return f"{sub} records"

    def label(self, category: Category) -> str:
        return f"with {mix_roles.describe(str(category))}"

    def minority_message(self, location: Location, category: Category, majority: Category,
                         majority_count: int, total: int, sub: Hashable) -> str:
        return (f"record uses {mix_roles.describe(str(category))}, but {majority_count:,} of {total:,} {sub} "
                f"records in this file use {mix_roles.describe(str(majority))}")


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
