r"""TPL009-TPL011: system-prompt cost and reasoning hygiene.

Double-encoded tool-call arguments (a JSON string holding a JSON string) are FMT017's: its "decode to
string, not an object" finding is exactly that case, so this family does not report them again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import Field

from dslint.model import ASSISTANT, Example, Severity, Violation, text_digest
from dslint.rules.base import DatasetRuleBase, RuleOptions, dataset_rule, record_rule

_THINK_TAG = re.compile(r"<(/?)think>")
REASONING_KEYS = ("reasoning_content", "reasoning", "thinking")
REASONING_PART_TYPES = frozenset({"reasoning", "thinking"})  # typed content parts (LLaMA-Factory v1)


class SystemCostOptions(RuleOptions):
    max_share: float = Field(0.5, gt=0, le=1, description="Largest share of the records' text one repeated "
                                                           "system prompt may take.")
    min_records: int = Field(20, ge=2, description="Fewest records a prompt must repeat on to be reported.")

    @classmethod
    def doc_example_options(cls, section: str = "Example") -> dict[str, object]:
        """The documented examples are two records long."""
        return {"min-records": 2}


@dataclass
class _Prompt:
    count: int = 0
    chars: int = 0  # the prompt's length
    record_chars: int = 0  # total text of the records carrying it
    preview: str = ""


@dataclass
class _FileCosts:
    records: int = 0
    prompts: dict[str, _Prompt] = field(default_factory=dict)


MAX_PROMPTS_PER_FILE = 1000  # distinct prompts tracked per file (bounded state); later new ones are not


@dataset_rule(code="TPL009", name="costly-system-prompt", severity=Severity.INFO,
              summary="One system prompt repeated on many records takes most of their tokens",
              options=SystemCostOptions)
class CostlySystemPrompt(DatasetRuleBase):
    r"""One system prompt repeated on many records takes most of their tokens

    ## What it does
    Per file, finds system prompts repeated word for word on at least `min-records` records and taking
    more than `max-share` of those records' text (characters, a proxy for tokens that needs no
    tokenizer), and reports each once, at file level, with its share and the records it is on. Info: a
    long shared prompt can be intended; the finding is about cost.

    ## Why it matters
    System messages are paid on every example, at every epoch: a 1,500-token prompt on 10,000 short
    examples is 15 million tokens of training that teach the same text again. Shortening it, or training
    without it and adding it at inference, often costs nothing in quality.

    ## Example
    ```jsonl
    {"messages": [{"role": "system", "content": "You are a helpful, careful and polite assistant. Always answer in English, cite your sources, avoid speculation, and keep a friendly tone."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    {"messages": [{"role": "system", "content": "You are a helpful, careful and polite assistant. Always answer in English, cite your sources, avoid speculation, and keep a friendly tone."}, {"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "system", "content": "Be helpful; cite sources."}, {"role": "user", "content": "Who wrote Hamlet?"}, {"role": "assistant", "content": "William Shakespeare, around 1600 (Folger Shakespeare Library)."}]}
    {"messages": [{"role": "system", "content": "Be helpful; cite sources."}, {"role": "user", "content": "What is 2+2?"}, {"role": "assistant", "content": "2 + 2 = 4, by the definition of addition on the natural numbers."}]}
    ```

    ## Options
    - `max-share` (default 0.5): the share of the records' text above which a repeated prompt is reported.
    - `min-records` (default 20): fewest records a prompt must be on.
    """

    def __init__(self, options: SystemCostOptions) -> None:
        super().__init__(options)
        self.files: dict[str, _FileCosts] = {}

    def observe(self, example: Example) -> None:
        costs = self.files.get(example.source.path)
        if costs is None:
            costs = self.files[example.source.path] = _FileCosts()
        costs.records += 1
        system = example.system
        if not system:
            return
        key = text_digest(system.encode("utf-8", "surrogatepass"))
        prompt = costs.prompts.get(key)
        if prompt is None:
            if len(costs.prompts) >= MAX_PROMPTS_PER_FILE:
                return
            prompt = costs.prompts[key] = _Prompt(chars=len(system), preview=system[:60])
        prompt.count += 1
        prompt.record_chars += sum(len(turn.content) for turn in example.turns)

    def merge(self, other: CostlySystemPrompt) -> None:
        for path, theirs in other.files.items():
            mine = self.files.setdefault(path, _FileCosts())
            mine.records += theirs.records
            for key, prompt in theirs.prompts.items():
                found = mine.prompts.get(key)
                if found is None:
                    mine.prompts[key] = prompt
                else:
                    found.count += prompt.count
                    found.record_chars += prompt.record_chars

    def finish(self) -> Iterator[Violation]:
        for path, costs in self.files.items():
            for prompt in costs.prompts.values():
                if prompt.count < self.options.min_records or not prompt.record_chars:
                    continue
                share = prompt.chars * prompt.count / prompt.record_chars
                if share > self.options.max_share:
                    preview = prompt.preview + ("…" if prompt.chars > len(prompt.preview) else "")
                    yield Violation(
                        f"the same system prompt ({prompt.chars:,} characters, {preview!r}) is on "
                        f"{prompt.count:,} of {costs.records:,} records and is {share:.0%} of their text: "
                        "it is paid on every example", None, path=path)


def _reasoning(example: Example) -> bool:
    for turn in example.turns:
        if turn.role is not ASSISTANT:
            continue
        if "<think>" in turn.content:
            return True
        message = turn.message
        if not isinstance(message, dict):
            continue
        if any(message.get(key) for key in REASONING_KEYS):
            return True
        parts = message.get("content")
        if isinstance(parts, list) and any(isinstance(p, dict) and p.get("type") in REASONING_PART_TYPES
                                           for p in parts):
            return True
    return False


@record_rule(code="TPL010", name="unbalanced-think", severity=Severity.WARNING,
             summary="Unbalanced <think> and </think> tags in a message")
def unbalanced_think(example: Example, options: object) -> Iterator[Violation]:
    r"""Unbalanced <think> and </think> tags in a message

    ## What it does
    Reports a message whose `<think>` and `</think>` tags do not pair up: an opening tag never closed, a
    closing tag without an opening one, or a nested opening tag. System and user messages are checked
    too (a pasted transcript).

    ## Why it matters
    Reasoning templates split the answer at `</think>`: without it the whole answer is treated as
    reasoning (dropped from the history, or hidden at inference), and a stray `</think>` teaches the
    model to close reasoning it never opened.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "<think>Two and two make four. The answer is 4."}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "<think>Two and two make four.</think>The answer is 4."}]}
    ```
    """
    for turn in example.turns:
        content = turn.content
        if "think>" not in content:
            continue
        depth = 0
        problem = None
        for match in _THINK_TAG.finditer(content):
            if match.group(1):
                if depth == 0:
                    problem = "a `</think>` closes no open `<think>`"
                    break
                depth -= 1
            else:
                if depth:
                    problem = "a `<think>` opens inside another"
                    break
                depth += 1
        if problem is None and depth:
            problem = "a `<think>` is never closed"
        if problem:
            yield Violation(problem, turn.pointer)


class MixedReasoningOptions(RuleOptions):
    max_reported: int = Field(5, ge=0, description="Records of the smaller group quoted by number.")


@dataset_rule(code="TPL011", name="mixed-reasoning", severity=Severity.INFO,
              summary="Some records carry reasoning and others do not", options=MixedReasoningOptions)
class MixedReasoning(DatasetRuleBase):
    r"""Some records carry reasoning and others do not

    ## What it does
    Per file, counts the records whose assistant turns carry reasoning (a `<think>` block, a
    `reasoning_content` / `reasoning` / `thinking` field, or a typed content part of type `reasoning`) and those that do not; when both exist, reports
    once at file level with the counts and the first records of the smaller group. Info: mixing can be
    deliberate (teaching when to think), so check it is.

    ## Why it matters
    A reasoning model trained on a mix learns to skip reasoning at random; a template that always opens
    `<think>` (Qwen 3, DeepSeek R1) renders the answers without reasoning as empty thoughts.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "<think>Easy.</think>4"}]}
    {"messages": [{"role": "user", "content": "3+3?"}, {"role": "assistant", "content": "6"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "<think>Easy.</think>4"}]}
    {"messages": [{"role": "user", "content": "3+3?"}, {"role": "assistant", "content": "<think>Add.</think>6"}]}
    ```

    ## Options
    - `max-reported` (default 5): records of the smaller group quoted by number.
    """

    def __init__(self, options: MixedReasoningOptions) -> None:
        super().__init__(options)
        # per path: [records with reasoning, without], and the first record numbers of each
        self.counts: dict[str, list[int]] = {}
        self.samples: dict[str, tuple[list[int], list[int]]] = {}

    def observe(self, example: Example) -> None:
        if not any(turn.role is ASSISTANT for turn in example.turns):
            return
        path = example.source.path
        counts = self.counts.setdefault(path, [0, 0])
        samples = self.samples.setdefault(path, ([], []))
        group = 0 if _reasoning(example) else 1
        counts[group] += 1
        if len(samples[group]) < self.options.max_reported:
            samples[group].append(example.source.index)

    def merge(self, other: MixedReasoning) -> None:
        for path, (with_, without) in other.counts.items():
            counts = self.counts.setdefault(path, [0, 0])
            counts[0] += with_
            counts[1] += without
            mine = self.samples.setdefault(path, ([], []))
            for group in (0, 1):
                room = self.options.max_reported - len(mine[group])
                mine[group].extend(other.samples[path][group][:max(room, 0)])

    def finish(self) -> Iterator[Violation]:
        for path, (with_, without) in self.counts.items():
            if not with_ or not without:
                continue
            smaller = 0 if with_ < without else 1
            label = "with" if smaller == 0 else "without"
            listed = ", ".join(str(i) for i in self.samples[path][smaller])
            yield Violation(f"{with_:,} records carry reasoning and {without:,} do not; records {label} "
                            f"reasoning include record indexes {listed}", None, path=path)

