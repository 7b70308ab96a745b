r"""DUP: duplicates and consistency. Copies of examples, near-copies, contradictions and evaluation leakage.

Unlike the MIX rules, the DUP rules compare records **across every file checked together**: a copy of a
record of `a.jsonl` in `b.jsonl` is reported, pointing at the first copy. Texts are compared normalised
(`dup_text`): Unicode NFKC, casefolded, whitespace collapsed, trailing punctuation of each message dropped.
Near-duplicates come from MinHash LSH candidates verified with rapidfuzz (`dup_index`); their state is a
sketch and a compressed text per record, merged shard by shard in parallel runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from dslint.fixing.model import drop_record
from dslint.model import Example, Severity, Source, Violation
from dslint.rules import dup_leakage, dup_prompts  # noqa: F401 - imported to register their rules
from dslint.rules.base import DatasetRuleBase, dataset_rule
from dslint.rules.dup_common import NearOptions, percent, where
from dslint.rules.dup_index import NearIndex, cluster
from dslint.rules.dup_prompts import DEFAULT_ANSWER_THRESHOLD as ANSWER_THRESHOLD
from dslint.rules.dup_prompts import material
from dslint.rules.dup_text import digest, views

_DROP_COPY = drop_record("drop this copy, keep the first")

# Per distinct normalised example: its first location. Per later copy: (its location, key).
_Entry = tuple[Source, bytes]


@dataset_rule(
    code="DUP001",
    name="exact-duplicate",
    severity=Severity.WARNING,
    summary="The same example as an earlier record, after normalisation",
    fixable=True,
)
class ExactDuplicate(DatasetRuleBase):
    r"""The same example as an earlier record, after normalisation

    ## What it does
    Compares every example (all its messages with their roles, the system prompt included) with every
    earlier one, in the same file and in every other file checked together, after normalising the text:
    Unicode NFKC, case, runs of whitespace, and punctuation at the end of each message do not count. Each
    copy after the first is reported, pointing at the first (file and record).

    State: one 16-byte digest and one location per distinct example (so memory grows with the number of
    records, about 200 bytes each), never the records themselves.

    ## Why it matters
    A duplicated example is trained on twice as often as its neighbours: the model over-fits it, and a
    file with many copies trains on far less variety than its size suggests. Copies that differ only in
    case or a final full stop are the same example to the model; merges of overlapping sources and
    re-runs of a generator produce them in bulk.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a primary colour."}, {"role": "assistant", "content": "Red."}]}
    {"messages": [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]}
    {"messages": [{"role": "user", "content": "name a primary  colour"}, {"role": "assistant", "content": "Red"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a primary colour."}, {"role": "assistant", "content": "Red."}]}
    {"messages": [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]}
    ```

    ## Fix safety
    Unsafe: the copy is dropped and the first occurrence kept. Records that differ only in case,
    whitespace or final punctuation are dropped too, so review the diff (`--diff`) first.
    """

    def __init__(self, options: object) -> None:
        super().__init__(options)
        self.first: dict[bytes, Source] = {}
        self.copies: list[_Entry] = []

    def observe(self, example: Example) -> None:
        if example.format is None or not example.turns:
            return
        key = digest(views(example).whole)
        if key in self.first:
            self.copies.append((example.source, key))
        else:
            self.first[key] = example.source

    def merge(self, other: ExactDuplicate) -> None:
        """Add a later shard: its first copies of examples seen here become copies too."""
        mine = self.first
        for key, source in other.first.items():
            if key in mine:
                self.copies.append((source, key))
            else:
                mine[key] = source
        self.copies.extend(other.copies)

    def finish(self) -> Iterator[Violation]:
        for source, key in self.copies:
            first = self.first[key]
            yield Violation(f"exact duplicate of {where(first, source.path)} (after normalising case, "
                            "whitespace and final punctuation)", None, source, key.hex(),
                            fix=_DROP_COPY)


@dataset_rule(
    code="DUP002",
    name="near-duplicate-example",
    severity=Severity.WARNING,
    summary="An example nearly identical to an earlier one (typos, small edits)",
    options=NearOptions,
)
class NearDuplicateExample(DatasetRuleBase):
    r"""An example nearly identical to an earlier one (typos, small edits)

    ## What it does
    Finds clusters of examples whose whole normalised text (every message with its role) is at least
    `threshold` similar, across all files checked together, and reports each member of a cluster after
    the first, naming the cluster's first record and its size: a cluster of five is four findings, never
    ten pairs. Exact copies are DUP001's and not reported again here, nor are near-identical examples whose
    answers differ materially (a changed label, a different number: DUP004 reports those).

    Candidates come from MinHash LSH over 5-byte shingles (16 bands of 4), computed in batches with NumPy;
    each candidate pair is then verified with rapidfuzz's normalised Indel similarity, so a reported pair
    really is that similar. Two texts must also hold the same numbers ("Add 2 and 3" and "Add 2 and 4" are
    different requests), and long lines repeated across at least 1% of the records (a pasted tool
    specification, a fixed preamble) are left out of the comparison, so a shared template does not make
    records near-duplicates. Each member of a cluster is similar to the cluster's first record (no chains). State per record: 16 band keys, a hash and the normalised text (cut at
    `max-chars`, compressed), kept until the end of the run.

    ## Why it matters
    Near-copies (a typo fixed, a word added, different punctuation) weigh an example as much as exact
    copies do, but no exact-match deduplication removes them. They are also what makes a held-out split
    leak: a near-copy in both train and test inflates the test score.

    ## Example
    ```jsonl
    {"instruction": "Explain why the sky is blue in two sentences.", "input": "", "output": "Sunlight scatters off air molecules. Blue light scatters most, so the sky looks blue."}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    {"instruction": "Explain why the sky is blue in two sentence.", "input": "", "output": "Sunlight scatters off air molecules. Blue light scatters most, so the sky looks blue."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Explain why the sky is blue in two sentences.", "input": "", "output": "Sunlight scatters off air molecules. Blue light scatters most, so the sky looks blue."}
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    ```

    ## Options
    - `threshold` (default 0.9): lowest similarity (0-1) of two near-duplicates. At 0.9 one typo, one
      changed punctuation mark or one short inserted word in a sentence-length text is a near-duplicate;
      two requests from one template that differ in a few words are not.
    - `max-chars` (default 4000): characters of each normalised example compared and kept.
    """

    def __init__(self, options: NearOptions) -> None:
        super().__init__(options)
        # Answers are kept only to tell a changed label from a near-copy: their first 256 characters do.
        self.index = NearIndex(options.max_chars, keep_second=True, second_chars=256)

    def observe(self, example: Example) -> None:
        if example.format is not None and example.turns:
            found = views(example)
            self.index.add(found.whole, example.source, None, found.answer)

    def merge(self, other: NearDuplicateExample) -> None:
        self.index.merge(other.index)

    def finish(self) -> Iterator[Violation]:
        found = cluster(self.index, self.options.threshold)
        extra = found.columns["extra"]
        # Exact copies of an earlier record are DUP001's.
        pairs = [(row, first) for row, first in found.pairs() if found.exact[row] == row]
        texts = self.index.texts().fetch(row for pair in pairs for row in pair)
        answers = self.index.second_texts().fetch(
            row for pair in pairs if extra[pair[0]] != extra[pair[1]] for row in pair)
        from rapidfuzz import fuzz

        for row, first in pairs:
            if extra[row] != extra[first]:
                answer, first_answer = answers[row], answers[first]
                if material(answer, first_answer, fuzz.ratio(answer, first_answer) / 100, ANSWER_THRESHOLD):
                    continue  # a near-identical prompt answered otherwise: DUP004 reports it
            source = self.index.source(found.columns, row)
            first_source = self.index.source(found.columns, first)
            similarity = fuzz.ratio(texts[row], texts[first]) / 100
            yield Violation(
                f"near-duplicate of {where(first_source, source.path)} ({percent(similarity)} similar; "
                f"cluster of {int(found.size[row]):,} records)",
                None, source, f"{int(found.columns['whole'][row]):016x}")
