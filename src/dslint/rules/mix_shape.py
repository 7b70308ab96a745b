r"""MIX rules about a file's shape: records of another format (MIX001), another set of fields (MIX002),
another role vocabulary (MIX003) than the rest of their file.

Each compares the records **within one file** through `dslint.rules.minority`: count a category per record,
then flag the records outside the file's majority category, naming it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from functools import lru_cache

from pydantic import Field

from dslint.fixing.model import Fix
from dslint.model import Example, Severity, Violation
from dslint.rules import mix_fixes, mix_roles
from dslint.rules.base import dataset_rule
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
