r"""DST: dataset-level health. Size against the task, diversity, length outliers, turn-count balance.

A dataset here is every file checked together (as for DUP): a dataset split over `train-000.jsonl`,
`train-001.jsonl` ... is judged as one. Findings are file-level (no line, no record), reported on the first
file read, with the numbers in the message. State is counters, histograms and bounded heaps, merged shard
by shard in parallel runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from dslint.model import Example, Severity, Violation
from dslint.rules import dst_shape  # noqa: F401 - imported to register its rules
from dslint.rules.base import DatasetRuleBase, RuleOptions, dataset_rule
from dslint.rules.dst_common import Dataset, share
from dslint.rules.dup_index import shared_prompt_index
from dslint.rules.dup_text import views

# (minimum, recommended low, recommended high) examples per task profile.
TASK_SIZES: dict[str, tuple[int, int, int]] = {
    "simple": (500, 1_000, 2_000),
    "complex": (1_000, 2_000, 5_000),
    "specialized": (2_000, 5_000, 10_000),
    "multi-task": (5_000, 10_000, 20_000),
}


class SizeOptions(RuleOptions):
    task: Literal["simple", "complex", "specialized", "multi-task"] | None = Field(
        None, description="The task profile the dataset is for; without one the rule says nothing.")


@dataset_rule(
    code="DST001",
    name="dataset-size",
    severity=Severity.WARNING,
    summary="Fewer examples than the declared task profile needs",
    options=SizeOptions,
    default_enabled=False,
)
class DatasetSize(DatasetRuleBase):
    r"""Fewer examples than the declared task profile needs

    ## What it does
    Counts the examples (records in a recognised format) of all files checked together and compares the
    count with the task profile declared in the rule's `task` option:

    | task | minimum | recommended |
    | --- | --- | --- |
    | `simple` | 500 | 1,000-2,000 |
    | `complex` | 1,000 | 2,000-5,000 |
    | `specialized` | 2,000 | 5,000-10,000 |
    | `multi-task` | 5,000 | 10,000-20,000 |

    Below the minimum it reports a file-level warning with the count and the recommended range; between
    the minimum and the recommended range's low end it says so as well. Without `task` it only reports a
    dataset under 500 examples, the least any profile needs. Not enabled by default (a sample file or a
    test fixture is small on purpose): enable it where whole datasets are checked, e.g. in the
    `dslint-dataset` pre-commit hook, with `extend-select = ["DST001"]`.

    ## Why it matters
    Fine-tuning on too few examples teaches format, not behaviour: the model over-fits the handful it saw
    and generalises poorly. How many are enough depends on the task, which is why the profile is declared
    rather than guessed.

    ## Example
    ```jsonl
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    ```

    ## Use instead
    A dataset of 1,000 to 2,000 varied examples for a simple task (see the table).
    ```jsonl
    {"text": "not an example: no task profile applies to unrecognised records"}
    ```

    ## Options
    - `task` (default none): `simple`, `complex`, `specialized` or `multi-task`, in
      `[tool.dslint.rules.dataset-size]`. Without it only the smallest minimum (500) is checked.
    """

    def __init__(self, options: SizeOptions) -> None:
        super().__init__(options)
        self.dataset = Dataset()

    def observe(self, example: Example) -> None:
        self.dataset.count(example)

    def merge(self, other: DatasetSize) -> None:
        self.dataset.merge(other.dataset)

    def finish(self) -> Iterator[Violation]:
        task = self.options.task
        count = self.dataset.examples
        if not count:
            return
        if task is None:
            if count < TASK_SIZES["simple"][0]:
                yield self.dataset.finding(f"{self.dataset.describe(count)}: fewer than any task profile needs "
                                           f"(500 for a simple task; declare `task` to check yours)", "too-few")
            return
        minimum, low, high = TASK_SIZES[task]
        recommended = f"recommended {low:,}-{high:,}"
        if count < minimum:
            yield self.dataset.finding(f"{self.dataset.describe(count)}: a {task} task needs at least "
                                       f"{minimum:,} ({recommended})", "below-minimum")
        elif count < low:
            yield self.dataset.finding(f"{self.dataset.describe(count)}: above the minimum of {minimum:,} for "
                                       f"a {task} task, but under the {recommended}", "below-recommended")


class DiversityOptions(RuleOptions):
    threshold: float = Field(0.9, gt=0.0, le=1.0,
                             description="Lowest similarity (0-1) of two prompts that count as one.")
    max_repeated_share: float = Field(0.1, gt=0.0, le=1.0,
                                      description="Largest share of examples that may repeat an earlier prompt.")
    max_chars: int = Field(4000, ge=100, description="Characters of each normalised prompt compared.")


@dataset_rule(
    code="DST002",
    name="low-prompt-diversity",
    severity=Severity.WARNING,
    summary="Many examples repeat an earlier prompt, exactly or nearly",
    options=DiversityOptions,
)
class LowPromptDiversity(DatasetRuleBase):
    r"""Many examples repeat an earlier prompt, exactly or nearly

    ## What it does
    Clusters the prompts (the user turns before the first answer; Alpaca's instruction and input) of all
    files checked together, exactly or at least `threshold` similar after normalisation, and counts the
    distinct prompts. When more than `max-repeated-share` of the examples repeat an earlier prompt it
    reports, at file level, how many distinct prompts there are, the share of repeats and the most
    repeated prompt. DUP003/DUP004 list the repeats one by one; this is the dataset-level view.

    ## Why it matters
    Variety of requests is what an instruction-tuned model generalises from. A dataset of 500 examples
    built on 52 questions teaches 52 things, each many times: the model memorises them and learns little
    else, while the example count suggests a much larger dataset.

    ## Example
    ```jsonl
    {"conversations": [{"from": "human", "value": "Who are you?"}, {"from": "gpt", "value": "I am an assistant."}]}
    {"conversations": [{"from": "human", "value": "Who are you?"}, {"from": "gpt", "value": "I'm a language model."}, {"from": "human", "value": "Thanks"}, {"from": "gpt", "value": "You're welcome."}]}
    {"conversations": [{"from": "human", "value": "who are you"}, {"from": "gpt", "value": "An AI assistant."}]}
    {"conversations": [{"from": "human", "value": "What can you do?"}, {"from": "gpt", "value": "Answer questions."}]}
    ```

    ## Use instead
    ```jsonl
    {"conversations": [{"from": "human", "value": "Who are you?"}, {"from": "gpt", "value": "I am an assistant."}]}
    {"conversations": [{"from": "human", "value": "What can you do?"}, {"from": "gpt", "value": "Answer questions."}]}
    {"conversations": [{"from": "human", "value": "Summarise this paragraph for me."}, {"from": "gpt", "value": "Please paste it."}]}
    ```

    ## Options
    - `threshold` (default 0.9): lowest similarity (0-1) of two prompts that count as one.
    - `max-repeated-share` (default 0.1): the largest share of examples that may repeat an earlier prompt.
    - `max-chars` (default 4000): characters of each normalised prompt compared.
    """

    def __init__(self, options: DiversityOptions) -> None:
        super().__init__(options)
        self.dataset = Dataset()
        self.index = shared_prompt_index(type(self).__name__, options.max_chars)

    def observe(self, example: Example) -> None:
        self.dataset.count(example)
        if example.format is None:
            return
        found = views(example)
        if found.prompt and found.answer:
            self.index.add_once(example, found.prompt, example.source, found.prompt_pointer, found.answer)

    def merge(self, other: LowPromptDiversity) -> None:
        self.dataset.merge(other.dataset)
        self.index.merge(other.index)

    def finish(self) -> Iterator[Violation]:
        import numpy as np

        total = len(self.index)
        if total < 2:
            return
        found = self.index.clusters(self.options.threshold)
        distinct = int((found.first == np.arange(total)).sum())
        exact = int((found.exact == np.arange(total)).sum())
        repeated = total - distinct
        if repeated <= self.options.max_repeated_share * total:
            return
        top = int(np.bincount(found.first).argmax())
        prompt = self.index.texts()[top]
        quoted = prompt if len(prompt) <= 60 else prompt[:59] + "…"
        yield self.dataset.finding(
            f"only {exact:,} distinct prompts among {total:,} examples with an answer ({distinct:,} counting "
            f"near-identical ones as one): {repeated:,} ({share(repeated, total)}) repeat an earlier prompt, "
            f"exactly or nearly; the most repeated, "
            f"{int(found.size[top]):,} times, is \"{quoted}\"", "diversity")
