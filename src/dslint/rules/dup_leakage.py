r"""DUP005: training prompts that duplicate or nearly duplicate an evaluation set's (`check --against`).

The evaluation files are read once, at the end of the run, by the engine (`Settings.against`), which hands
each of their examples to `observe_reference`; nothing else is checked in them. Without `--against` the
rule keeps no state at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dslint.model import Example, Severity, Violation
from dslint.rules.base import DatasetRuleBase, dataset_rule
from dslint.rules.dup_common import NearOptions, percent, where
from dslint.rules.dup_index import NearIndex
from dslint.rules.dup_sketch import candidate_pairs
from dslint.rules.dup_text import views
from dslint.rules.dup_verify import pair_texts, verified_pairs


class _Joined:
    """Rows of two indexes' texts as one sequence: the first index's rows, then the second's."""

    def __init__(self, first: Any, second: Any, split: int) -> None:
        self.first, self.second, self.split = first, second, split

    def fetch(self, rows: list[int]) -> dict[int, str]:
        """Many rows at once, each index's batches decompressed once (`Texts.fetch`)."""
        found = self.first.fetch([row for row in rows if row < self.split])
        later = self.second.fetch([row - self.split for row in rows if row >= self.split])
        found.update((row + self.split, text) for row, text in later.items())
        return found


@dataset_rule(
    code="DUP005",
    name="evaluation-leakage",
    severity=Severity.ERROR,
    summary="A training prompt that duplicates or nearly duplicates an evaluation prompt (--against)",
    options=NearOptions,
)
class EvaluationLeakage(DatasetRuleBase):
    r"""A training prompt that duplicates or nearly duplicates an evaluation prompt (--against)

    ## What it does
    With `dslint check train.jsonl --against eval.jsonl` (repeatable), compares the prompt of every
    checked record (its user turns before the first answer; Alpaca's instruction and input) with the
    prompts of the evaluation files, normalised, exactly or at least `threshold` similar, and reports each
    training record whose prompt matches one, naming the closest evaluation record. The evaluation files
    are only read for this: no other rule checks them. Without `--against` the rule does nothing.

    ## Why it matters
    A model trained on its test questions scores well on them and nowhere else: the evaluation measures
    memory, not skill. Near-copies leak as well as exact ones (a typo or an inserted word does not make a
    question new), and they survive exact-match filtering.

    ## Example
    ```jsonl
    {"instruction": "What is the capital of Australia?", "input": "", "output": "Canberra."}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    ```

    With an evaluation file (`--against eval.jsonl`) holding:

    ## Evaluation set
    ```jsonl
    {"instruction": "what is the capital of australia", "input": "", "output": "Canberra"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "What is the capital of Canada?", "input": "", "output": "Ottawa."}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    ```

    ## Options
    - `threshold` (default 0.9): lowest similarity (0-1) of a training and an evaluation prompt that leak.
    - `max-chars` (default 4000): characters of each normalised prompt compared and kept.
    """

    def __init__(self, options: NearOptions) -> None:
        super().__init__(options)
        self.enabled = False
        self.index = NearIndex(options.max_chars)
        self.reference = NearIndex(options.max_chars)

    def use_reference(self, enabled: bool) -> None:
        """Called by the engine: whether evaluation files were given (else observing is wasted work)."""
        self.enabled = enabled

    def observe(self, example: Example) -> None:
        if self.enabled and example.format is not None:
            found = views(example)
            if found.prompt:
                self.index.add(found.prompt, example.source, found.prompt_pointer)

    def observe_reference(self, example: Example) -> None:
        if example.format is not None:
            found = views(example)
            if found.prompt:
                self.reference.add(found.prompt, example.source, found.prompt_pointer)

    def merge(self, other: EvaluationLeakage) -> None:
        self.index.merge(other.index)
        self.reference.merge(other.reference)

    def finish(self) -> Iterator[Violation]:
        import numpy as np

        train, evaluation = self.index.columns(), self.reference.columns()
        split = len(train["whole"])
        if not split or not len(evaluation["whole"]):
            return
        texts = _Joined(self.index.texts(), self.reference.texts(), split)
        keys = np.concatenate((train["keys"], evaluation["keys"]))
        sketched = np.flatnonzero(np.concatenate((train["sketched"], evaluation["sketched"])))
        pairs = sketched[candidate_pairs(keys[sketched])] if len(sketched) else np.zeros((0, 2), np.int64)
        pairs = pairs[(pairs[:, 0] < split) & (pairs[:, 1] >= split)] if len(pairs) else pairs
        fetched = pair_texts(texts, pairs)  # every text the verification and the scores need
        edges = verified_pairs(fetched, pairs, self.options.threshold)
        best: dict[int, tuple[float, int]] = {}
        exact_rows = _exact(train["whole"], evaluation["whole"])
        for row, other in exact_rows.items():
            best[row] = (1.0, other)
        if len(edges):
            from rapidfuzz import fuzz

            for row, other in edges.tolist():
                if row in exact_rows:
                    continue
                score, evaluation_row = fuzz.ratio(fetched[row], fetched[other]) / 100, other - split
                # The most similar evaluation prompt; of equally similar ones, the first.
                if row not in best or (score, -evaluation_row) > (best[row][0], -best[row][1]):
                    best[row] = (score, evaluation_row)
        for row in sorted(best):
            score, other = best[row]
            source = self.index.source(train, row)
            target = self.reference.source(evaluation, other)
            how = "the same prompt as" if score >= 1 else f"a {percent(score)} similar prompt to"
            yield Violation(f"{how} evaluation {where(target, '')}: the evaluation set leaks into training",
                            self.index.pointer(train, row), source, f"{int(train['whole'][row]):016x}")


def _exact(train: Any, evaluation: Any) -> dict[int, int]:
    """Training rows whose normalised prompt equals an evaluation prompt, with the first such row."""
    first: dict[int, int] = {}
    for row, value in enumerate(evaluation.tolist()):
        first.setdefault(value, row)
    return {row: first[value] for row, value in enumerate(train.tolist()) if value in first}
