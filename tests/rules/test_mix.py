"""The minority mechanism behind the MIX dataset rules: merge, caps and summaries, ties, per-file scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from pydantic import ValidationError

from dslint.formats import normalise
from dslint.model import Example, Source, Violation
from dslint.rules import mix_scaffolding
from dslint.rules.minority import Bucket, Location, MinorityOptions, MinorityTracker
from dslint.rules.mix_content import (
    InconsistentSystemPrompt,
    InputPlaceholderOptions,
    MixedInputPlaceholders,
)
from dslint.rules.mix_shape import (
    InconsistentFields,
    InconsistentFieldsOptions,
    MixedFormats,
    MixedRoleVocabulary,
)

CHAT = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
SHAREGPT = {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}
ALPACA = {"instruction": "Name a colour.", "input": "", "output": "Red."}


def examples(records: Iterable[Any], path: str = "data.jsonl") -> list[Example]:
    return [normalise(record, Source(path, n + 1, n)) for n, record in enumerate(records)]


def finish(rule_class: type, options: Any, items: Iterable[Example]) -> list[Violation]:
    state = rule_class(options)
    for example in items:
        state.observe(example)
    return list(state.finish())


def split_and_merge(rule_class: type, options: Any, items: list[Example],
                    first: Callable[[Example], bool]) -> list[Violation]:
    left, right = rule_class(options), rule_class(options)
    for example in items:
        (left if first(example) else right).observe(example)
    left.merge(right)
    return list(left.finish())


def location(index: int, path: str = "data.jsonl") -> Location:
    return Location(Source(path, index + 1, index), f"digest{index}", None)


# -- the tracker -------------------------------------------------------------------------------------------


class Wording:
    def minority_message(self, location: Location, category: Any, majority: Any, majority_count: int,
                         total: int, sub: Any) -> str:
        return f"{category} not {majority} ({majority_count}/{total})"

    def unlisted_message(self, category: Any, count: int, sub: Any) -> str:
        return f"{count} more {category}"

    def tie_message(self, counts: list[tuple[Any, int]], sub: Any) -> str:
        return f"tie {counts}"


def test_bucket_keeps_the_first_records_by_index_whatever_the_order() -> None:
    bucket = Bucket(3)
    for index in (7, 2, 9, 0, 5, 1):
        bucket.add(location(index))
    assert [loc.source.index for loc in bucket.kept] == [0, 1, 2]
    assert (bucket.count, bucket.unlisted) == (6, 3)


def test_minority_records_are_flagged_naming_the_majority() -> None:
    tracker = MinorityTracker(10)
    for index in range(5):
        tracker.add("chat", location(index))
    tracker.add("alpaca", location(5))
    found = list(tracker.finish(Wording()))
    assert found == [Violation("alpaca not chat (5/6)", None, Source("data.jsonl", 6, 5), "digest5")]


def test_caps_list_the_first_records_and_sum_up_the_rest_in_one_file_level_finding() -> None:
    tracker = MinorityTracker(2)
    for index in range(10):
        tracker.add("chat" if index % 3 else "alpaca", location(index))  # alpaca: 0, 3, 6, 9
    found = list(tracker.finish(Wording()))
    assert [(v.source.index if v.source else None, v.message) for v in found] == [
        (0, "alpaca not chat (6/10)"),
        (3, "alpaca not chat (6/10)"),
        (None, "2 more alpaca"),
    ]
    summary = found[-1]
    assert summary.path == "data.jsonl" and summary.pointer is None and summary.digest


def test_a_tie_gives_one_file_level_finding_with_the_counts() -> None:
    tracker = MinorityTracker(10)
    for index, category in enumerate(["a", "b", "a", "b", "c"]):
        tracker.add(category, location(index))
    found = list(tracker.finish(Wording()))
    assert [(v.source, v.path, v.message) for v in found] == [
        (None, "data.jsonl", "tie [('a', 2), ('b', 2), ('c', 1)]"),
    ]
    assert tracker.majority(("data.jsonl", None)) is None


def test_one_category_and_separate_files_are_quiet() -> None:
    tracker = MinorityTracker(10)
    for index in range(3):
        tracker.add("chat", location(index, "chat.jsonl"))
        tracker.add("alpaca", location(index, "alpaca.jsonl"))
    assert list(tracker.finish(Wording())) == []


def test_file_level_findings_of_one_file_have_distinct_fingerprint_digests() -> None:
    tracker = MinorityTracker(1)
    for index, category in enumerate(["a"] * 5 + ["b"] * 3 + ["c"] * 2):
        tracker.add(category, location(index))
    summaries = [v for v in tracker.finish(Wording()) if v.source is None]
    assert len(summaries) == 2 and summaries[0].digest != summaries[1].digest


@pytest.mark.parametrize("cap", [1, 2, 1000])
@pytest.mark.parametrize("split", ["halves", "interleaved", "one-empty"])
def test_tracker_merge_equals_one_pass(cap: int, split: str) -> None:
    categories = ["x", "y", "x", "x", "z", "y", "x", "z", "x", "y", "x", "x"]
    pick = {
        "halves": lambda i: i < len(categories) // 2,
        "interleaved": lambda i: i % 2 == 0,
        "one-empty": lambda i: True,
    }[split]
    whole, left, right = MinorityTracker(cap), MinorityTracker(cap), MinorityTracker(cap)
    for index, category in enumerate(categories):
        whole.add(category, location(index))
        (left if pick(index) else right).add(category, location(index))
    right.merge(left)  # the later half first: merge must not depend on order
    assert list(right.finish(Wording())) == list(whole.finish(Wording()))


# -- the rules' merge --------------------------------------------------------------------------------------

MIXED_FILE = [
    CHAT, ALPACA, CHAT, SHAREGPT, CHAT, ALPACA, CHAT, CHAT, ALPACA, SHAREGPT, CHAT,
    {"messages": [{"role": "human", "content": "Hi"}, {"role": "gpt", "content": "Hello"}]},
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "gpt", "content": "Hello"}]},
    {"messages": [{"role": "system", "content": "Be brief."}, *CHAT["messages"]]},
    {"instruction": "Add.", "input": "<noinput>", "output": "0"},
    {"instruction": "Add.", "output": "0", "id": 3},
]


OPTIONS: dict[type, type[MinorityOptions]] = {
    MixedFormats: MinorityOptions,
    InconsistentFields: InconsistentFieldsOptions,
    MixedRoleVocabulary: MinorityOptions,
    MixedInputPlaceholders: InputPlaceholderOptions,
    InconsistentSystemPrompt: MinorityOptions,
}


@pytest.mark.parametrize("rule_class", list(OPTIONS), ids=lambda c: c.__name__)
@pytest.mark.parametrize("cap", [1, 1000])
def test_rule_merge_equals_one_pass(rule_class: type, cap: int) -> None:
    opts = OPTIONS[rule_class](max_reported=cap)
    items = examples(MIXED_FILE) + examples(MIXED_FILE[:5], "other.jsonl")
    expected = finish(rule_class, opts, items)
    assert expected, "the data should make the rule fire"
    splits: list[Callable[[Example], bool]] = [
        lambda e: e.source.index % 2 == 0,
        lambda e: e.source.index < 7,
        lambda e: e.source.path == "other.jsonl",
    ]
    for first in splits:
        assert split_and_merge(rule_class, opts, items, first) == expected


def test_mixed_formats_per_file_and_summary() -> None:
    found = finish(MixedFormats, MinorityOptions(max_reported=1), examples([CHAT] * 5 + [ALPACA] * 3))
    assert [v.message for v in found] == [
        "record is in alpaca format, but 5 of 8 records in this file are in chatml format",
        "… and 2 more records in alpaca format not listed (max-reported is 1)",
    ]
    assert found[0].source == Source("data.jsonl", 6, 5)
    two_files = examples([CHAT] * 2, "a.jsonl") + examples([ALPACA], "b.jsonl")
    assert finish(MixedFormats, MinorityOptions(), two_files) == []


def test_records_mixing_role_vocabularies_are_capped_too() -> None:
    mixed = {"conversations": [{"from": "human", "value": "Hi"}, {"from": "assistant", "value": "Hello"}]}
    found = finish(MixedRoleVocabulary, MinorityOptions(max_reported=1), examples([SHAREGPT] * 3 + [mixed] * 3))
    assert [(v.source.index if v.source else None, v.pointer, v.message) for v in found] == [
        (3, "/conversations/1/from",
         "record mixes role vocabularies ('human', 'assistant'): 'assistant' does not fit 'human'"),
        (None, None, "… and 2 more sharegpt records mixing role vocabularies not listed (max-reported is 1)"),
    ]


# -- options -----------------------------------------------------------------------------------------------


def test_options_are_kebab_case_validated() -> None:
    assert MinorityOptions.model_validate({"max-reported": 5}).max_reported == 5
    with pytest.raises(ValidationError):
        MinorityOptions.model_validate({"max-reported": 0})
    with pytest.raises(ValidationError):
        MinorityOptions.model_validate({"max_reportd": 5})
    placeholders = InputPlaceholderOptions.model_validate({"placeholders": [" N/A. ", "<NoInput>"]})
    assert placeholders.placeholders == ("n/a", "<noinput>")


# -- scaffolding patterns ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "alpaca_headers", "markers"), [
    ("### Instruction:\nDo it.\n\n### Response:", True, ("### Instruction:",)),
    ("### Instruction:\nDo it.", False, None),
    ("Hi<|im_end|>", False, ("<|im_end|>",)),
    ("```\n<|im_start|>user\nHi<|im_end|>\n```", False, None),
    ("Use `[INST]` to open a turn.", False, None),
    ("User: my order is late.\nReply: sorry!", False, None),
    ("Intro\nUser: hi\nAssistant: hello", False, ("User:", "Assistant:")),
    ("Assistant: first\nHuman: second", False, ("Human:", "Assistant:")),
    ("```python\nprint(1)\n``` then [INST] hi", False, ("[INST]",)),
    ("unterminated ```\n<|im_start|>", False, None),
])
def test_find_scaffolding(text: str, alpaca_headers: bool, markers: tuple[str, ...] | None) -> None:
    found = mix_scaffolding.find(text, alpaca_headers)
    assert (found.markers if found else None) == markers
