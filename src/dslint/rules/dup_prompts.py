r"""DUP003 and DUP004: the same (or nearly the same) prompt asked again, answered alike or answered otherwise.

A record's prompt is its user turns before the first answer (Alpaca: instruction and input); its answer is
the first assistant turn after them. Two different answers of at most 24 characters (labels, numbers,
names) always differ materially. Prompts are clustered like whole examples (`dup_index`); each cluster
member after the first is then compared with the first by its answer:
- the same or a near-identical answer (at least `threshold` similar): a duplicated example, DUP001/DUP002's
  business, not reported here;
- an answer at least `answer-threshold` similar (but under `threshold`): a reworded answer (DUP003);
- an answer less similar than that: the two records teach different things for one request (DUP004).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from dslint.model import Example, Severity, Violation
from dslint.rules.base import DatasetRuleBase, dataset_rule
from dslint.rules.dup_common import NearOptions, percent, where
from dslint.rules.dup_index import shared_prompt_index
from dslint.rules.dup_text import views

# Below this similarity two answers to one prompt are materially different: at 0.5 about half the
# characters would have to change; rewordings of one answer stay well above it.
DEFAULT_ANSWER_THRESHOLD = 0.5
# Answers this short (normalised characters) are labels or values: any difference is material.
SHORT_ANSWER = 24


class PromptOptions(NearOptions):
    """Options of the repeated-prompt rules."""

    answer_threshold: float = Field(
        DEFAULT_ANSWER_THRESHOLD, ge=0.0, le=1.0,
        description="Answers to one prompt less similar than this (0-1) are materially different.",
    )


def material(answer: str, other: str, similarity: float, threshold: float) -> bool:
    """Whether two different answers differ materially: below the threshold, or short and not the same
    (`Positive` and `Negative` share most of their letters, but a label is right or wrong)."""
    return similarity < threshold or max(len(answer), len(other)) <= SHORT_ANSWER


class _PromptClusters(DatasetRuleBase):
    """Clusters of prompts, each record keeping its answer; subclasses pick which members they report.

    DUP003, DUP004 (and DST002) cluster the same prompts: they share one index per run
    (`shared_prompt_index`), so the work is done once.
    """

    contradictions: bool

    def __init__(self, options: PromptOptions) -> None:
        super().__init__(options)
        self.index = shared_prompt_index(type(self).__name__, options.max_chars)

    def observe(self, example: Example) -> None:
        if example.format is None:
            return
        found = views(example)
        if found.prompt and found.answer:
            self.index.add_once(example, found.prompt, example.source, found.prompt_pointer, found.answer)

    def merge(self, other: _PromptClusters) -> None:
        self.index.merge(other.index)

    def finish(self) -> Iterator[Violation]:
        from rapidfuzz import fuzz

        found = self.index.clusters(self.options.threshold)
        columns = found.columns
        extra = columns["extra"]
        # The same answer too: a duplicated example, not reported here.
        pairs = [(row, first) for row, first in found.pairs() if extra[row] != extra[first]]
        rows = [row for pair in pairs for row in pair]
        answers = self.index.second_texts().fetch(rows)
        prompts = self.index.texts().fetch(rows)
        for row, first in pairs:
            answer, first_answer = answers[row], answers[first]
            similarity = fuzz.ratio(answer, first_answer) / 100
            if material(answer, first_answer, similarity, self.options.answer_threshold) != self.contradictions:
                continue
            if not self.contradictions and similarity >= self.options.threshold:
                continue  # a near-identical answer: the whole example is a near-duplicate (DUP002)
            source = self.index.source(columns, row)
            first_source = self.index.source(columns, first)
            prompt_similarity = fuzz.ratio(prompts[row], prompts[first]) / 100
            same = "the same prompt as" if prompt_similarity >= 1 else f"a {percent(prompt_similarity)} similar prompt to"
            yield Violation(
                self.describe(same, where(first_source, source.path), similarity, int(found.size[row])),
                self.index.pointer(columns, row), source,
                f"{int(columns['whole'][row]):016x}{int(extra[row]):016x}")

    def describe(self, same: str, first: str, similarity: float, size: int) -> str:
        raise NotImplementedError


@dataset_rule(
    code="DUP003",
    name="near-duplicate-prompt",
    severity=Severity.INFO,
    summary="A prompt asked again (the same or nearly) with a reworded answer",
    options=PromptOptions,
)
class NearDuplicatePrompt(_PromptClusters):
    r"""A prompt asked again (the same or nearly) with a reworded answer

    ## What it does
    Clusters records by their prompt (the user turns before the first answer; Alpaca's instruction and
    input) across all files checked together, exactly or at least `threshold` similar after
    normalisation, and reports each cluster member after the first whose answer is a rewording of the
    first's: not the same or nearly the same text (at least `threshold` similar: a duplicated example,
    DUP001/DUP002) and at least `answer-threshold` similar (less similar answers are DUP004's). The finding points at the prompt and
    names the cluster's first record and size.

    Severity `info`: on the real corpora about half of the findings read by hand were right (20 of 40);
    the others were different requests built from one template whose short fixed lines ("toolformer:
    enabled") dominate the normalised prompt, and a one-word change of task over a long shared input
    ("in the past tense" / "in the future tense") scores as a near-duplicate too.

    ## Why it matters
    The same request answered twice in slightly different words is a duplicate the exact and
    whole-example checks miss: the prompt is weighted twice, and the model learns two phrasings of one
    answer where one would do. Paraphrase-augmented datasets and merges of overlapping sources are full
    of them.

    ## Example
    ```jsonl
    {"instruction": "What is the boiling point of water at sea level?", "input": "", "output": "Water boils at 100 degrees Celsius at sea level."}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    {"instruction": "What is the boiling point of water at sea level?", "input": "", "output": "At sea level, water boils at 100 degrees Celsius."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "What is the boiling point of water at sea level?", "input": "", "output": "Water boils at 100 degrees Celsius at sea level."}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    ```

    ## Options
    - `threshold` (default 0.9): lowest similarity (0-1) of two prompts that count as the same.
    - `answer-threshold` (default 0.5): answers less similar than this are materially different (DUP004).
    - `max-chars` (default 4000): characters of each normalised prompt and answer compared and kept.
    """

    contradictions = False

    def describe(self, same: str, first: str, similarity: float, size: int) -> str:
        return (f"{same} {first}, with a reworded answer ({percent(similarity)} similar); "
                f"{size:,} records share this prompt")


@dataset_rule(
    code="DUP004",
    name="contradictory-answers",
    severity=Severity.INFO,
    summary="The same or nearly the same prompt with a materially different answer",
    options=PromptOptions,
    default_enabled=False,
)
class ContradictoryAnswers(_PromptClusters):
    r"""The same or nearly the same prompt with a materially different answer

    ## What it does
    Clusters records by prompt like DUP003 and reports each cluster member after the first whose answer is
    less than `answer-threshold` similar to the first's answer, or different at all when both answers are
    short (24 characters or fewer: labels, numbers, names): one request, two materially different answers. The finding points at the prompt and names the cluster's first record.

    Opt-in, at `info`: a heuristic. Open-ended prompts ("Write a haiku about autumn.") may legitimately
    have several different answers, and different does not always mean contradictory. Measured: of 40
    findings read by hand on the real corpora, 30 were the same request with another answer but only 4
    were answers that contradict; on a labelled set of hard pairs its precision was 0.58 (a long shared
    instruction over a short varying input, such as a review to classify, reads as one prompt). Turn it on
    (`extend-select = ["DUP004"]`) for factual, classification or extraction data, and read the pairs.

    ## Why it matters
    "Similar instructions handled differently" is a named pitfall of instruction data: when one question
    is answered "Paris" in one record and "Lyon" in another, the model is trained towards both and learns
    neither reliably. In factual, classification and extraction data it is usually a labelling error.

    ## Example
    ```jsonl
    {"instruction": "Classify the sentiment of the review.", "input": "The battery died after a week.", "output": "Negative"}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    {"instruction": "Classify the sentiment of the review.", "input": "The battery died after a week.", "output": "Positive"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Classify the sentiment of the review.", "input": "The battery died after a week.", "output": "Negative"}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    {"instruction": "Classify the sentiment of the review.", "input": "Great screen, and fast.", "output": "Positive"}
    ```

    ## Options
    - `threshold` (default 0.9): lowest similarity (0-1) of two prompts that count as the same.
    - `answer-threshold` (default 0.5): answers less similar than this are materially different.
    - `max-chars` (default 4000): characters of each normalised prompt and answer compared and kept.
    """

    contradictions = True

    def describe(self, same: str, first: str, similarity: float, size: int) -> str:
        return (f"{same} {first}, but a materially different answer (answers {percent(similarity)} similar); "
                f"{size:,} records share this prompt")
