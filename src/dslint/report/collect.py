"""What a report shows, gathered once: the run's findings plus per-record statistics.

The findings come from the engine as for `dslint check`. The statistics (turns and tokens per record,
format mix, clean records) take one more pass over the records through the same readers and adapters;
only numbers are kept per record, and the text of the few records a rule's examples need.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dslint.model import Diagnostic, Example, RunResult, resolve_pointer

EXAMPLES_PER_RULE = 3
FIELD_CHARS = 600  # most characters of an example's field shown
TOKEN_BATCH = 4096
_QUOTED = re.compile(r"\"([^\"]{3,80})\"|'([^']{3,80})'")


@dataclass
class RuleExample:
    """One finding shown as an example: the field it points at and the span to highlight in it."""

    diagnostic: Diagnostic
    text: str | None = None  # the pointed-at value, as text (truncated)
    span: tuple[int, int] | None = None  # (start, end) in `text`


@dataclass
class TokenStats:
    tokenizer: str
    lengths: list[int] = field(default_factory=list)
    max_tokens: int = 16_385
    error: str | None = None  # why tokens could not be counted

    @property
    def over_limit(self) -> int:
        return sum(1 for length in self.lengths if length > self.max_tokens)


@dataclass
class ReportData:
    result: RunResult
    turns: Counter[int]
    formats: Counter[str]
    tokens: TokenStats
    examples: dict[str, list[RuleExample]]
    title: str = "dslint report"

    @property
    def records(self) -> int:
        return self.result.records

    @property
    def records_with_findings(self) -> int:
        return len({(d.path, d.record) for d in self.result.diagnostics if d.record is not None})

    @property
    def clean_share(self) -> float:
        return 1.0 - self.records_with_findings / self.records if self.records else 1.0


def pick_examples(diagnostics: Iterable[Diagnostic], per_rule: int) -> dict[str, list[RuleExample]]:
    """The first `per_rule` findings of each code, in report order."""
    examples: dict[str, list[RuleExample]] = defaultdict(list)
    for diagnostic in diagnostics:
        found = examples[diagnostic.code]
        if len(found) < per_rule:
            found.append(RuleExample(diagnostic))
    return dict(sorted(examples.items()))


def highlight_span(text: str, message: str) -> tuple[int, int] | None:
    """Where in `text` the finding's quoted phrase is (`"the following sentence" refers to ...`)."""
    lowered = text.lower()
    # The longest quoted phrase found wins (a short one such as 'the' matches too early); an ellipsis
    # at either end of a quote marks an excerpt, not text of the record.
    phrases = sorted(((m.group(1) or m.group(2)).strip("…. ").lower() for m in _QUOTED.finditer(message)),
                     key=len, reverse=True)
    for phrase in phrases:
        start = lowered.rfind(phrase) if phrase else -1
        if len(phrase) >= 3 and start >= 0:
            return start, start + len(phrase)
    return None


def fill_example(example: RuleExample, raw: Any) -> None:
    value = resolve_pointer(raw, example.diagnostic.pointer)
    if value is None or isinstance(value, (dict, list)):
        return
    text = str(value)
    span = highlight_span(text, example.diagnostic.message)
    if len(text) > FIELD_CHARS:
        start = 0 if span is None else max(0, min(span[0] - FIELD_CHARS // 3, len(text) - FIELD_CHARS))
        text = text[start:start + FIELD_CHARS]
        span = None if span is None else (span[0] - start, min(span[1] - start, len(text)))
        if span is not None and span[0] >= span[1]:
            span = None
    example.text, example.span = text, span


def conversation_texts(example: Example) -> list[str]:
    from dslint.turn_text import turn_text

    return [turn_text(turn) for turn in example.turns]


def record_tokens(counts: Sequence[int]) -> int:
    from dslint.turn_text import MESSAGE_OVERHEAD, PRIMING_OVERHEAD

    return sum(counts) + MESSAGE_OVERHEAD * len(counts) + PRIMING_OVERHEAD


class _TokenTally:
    """Counts each record's tokens in batches (tiktoken is much faster on many texts at once)."""

    def __init__(self, stats: TokenStats) -> None:
        self.stats = stats
        self._counter: Any = None
        self._texts: list[str] = []
        self._sizes: list[int] = []
        if stats.error is None:
            from dslint.token_count import TokenizerError, load_counter

            try:
                self._counter = load_counter(stats.tokenizer, "--tokenizer")
            except TokenizerError as exc:
                stats.error = str(exc)

    def add(self, texts: list[str]) -> None:
        if self._counter is None or not texts:
            return
        self._texts.extend(texts)
        self._sizes.append(len(texts))
        if len(self._texts) >= TOKEN_BATCH:
            self.flush()

    def flush(self) -> None:
        if self._counter is None or not self._texts:
            return
        texts = [t.encode("utf-8", "replace").decode("utf-8") for t in self._texts]
        counts = self._counter.count_batch(texts)
        position = 0
        for size in self._sizes:
            self.stats.lengths.append(record_tokens(counts[position:position + size]))
            position += size
        self._texts, self._sizes = [], []


def collect(targets: Sequence[Any], result: RunResult, *, tokenizer: str, max_tokens: int,
            count_tokens: bool = True, per_rule: int = EXAMPLES_PER_RULE,
            inline_key: str | None = None) -> ReportData:
    """Read every target once more for the statistics and the examples' text."""
    from dslint.formats import normalise
    from dslint.readers import read

    examples = pick_examples(result.diagnostics, per_rule)
    wanted: dict[tuple[str, int], list[RuleExample]] = defaultdict(list)
    for found in examples.values():
        for chosen in found:
            if chosen.diagnostic.record is not None:
                wanted[(chosen.diagnostic.path, chosen.diagnostic.record)].append(chosen)
    turns: Counter[int] = Counter()
    formats: Counter[str] = Counter()
    tokens = TokenStats(tokenizer, max_tokens=max_tokens,
                        error=None if count_tokens else "token counting was turned off (--no-tokens)")
    tally = _TokenTally(tokens)
    for target in targets:
        for raw in read(target):
            if raw.problem is not None or raw.is_file_level:
                continue
            source = raw.source
            needing = wanted.get((source.path, source.index))
            if needing:
                for shown in needing:
                    fill_example(shown, raw.value)
            value = raw.value
            if inline_key is not None and type(value) is dict and inline_key in value:
                value = {k: v for k, v in value.items() if k != inline_key}  # as the engine sees it
            example = normalise(value, source)
            if example.format is None:
                continue
            formats[example.format] += 1
            turns[len(example.turns)] += 1
            tally.add(conversation_texts(example))
    tally.flush()
    return ReportData(result, turns, formats, tokens, examples)
