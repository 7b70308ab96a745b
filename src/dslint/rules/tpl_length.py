r"""TPL002: examples longer than the training context, and what truncation would cut.

Counting is batched: the rule is a dataset rule whose `observe` only queues a record's turn texts, and
every `BATCH_TEXTS` texts one `count_batch` call (tiktoken's `encode_ordinary_batch`, or a Hugging Face
tokenizer's batch call) counts them all. A record that cannot exceed the limit (its UTF-8 size, which
bounds its token count, is within it) is never tokenised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from dslint.model import ASSISTANT, Example, Severity, Source, Violation
from dslint.rules.base import DatasetRuleBase, RuleOptions, dataset_rule
from dslint.token_count import DEFAULT_ENCODING, TokenizerError, count_texts
from dslint.turn_text import MESSAGE_OVERHEAD, PRIMING_OVERHEAD, turn_text

DEFAULT_MAX_TOKENS = 16_385  # OpenAI chat fine-tuning's per-example limit
BATCH_TEXTS = 16_384  # texts per tokeniser call (bounded memory; fewer thread-pool start-ups)


class TokenLengthOptions(RuleOptions):
    tokenizer: str = Field(DEFAULT_ENCODING, description="tiktoken encoding, OpenAI model name, tokenizer "
                                                          "directory or Hub id (as `--tokenizer`).")
    max_tokens: int = Field(DEFAULT_MAX_TOKENS, ge=1, description="Context limit per example (`--max-tokens`).")

    @classmethod
    def doc_example_options(cls, section: str = "Example") -> dict[str, Any]:
        """The options the documented examples are checked with (the defaults need a real tokenizer)."""
        return {"tokenizer": "bytes", "max-tokens": 60}


@dataclass(slots=True)
class _Pending:
    source: Source
    digest: str
    roles: tuple[bool, ...]  # per turn: is it an assistant turn with something to train on
    pointers: tuple[str, ...]
    first: int  # index of the record's first text in the batch
    trailing_pointer: str


@dataset_rule(
    code="TPL002",
    name="exceeds-context",
    severity=Severity.ERROR,
    summary="An example longer than the token limit, and what truncation would cut",
    options=TokenLengthOptions,
    default_enabled=False,
)
class ExceedsContext(DatasetRuleBase):
    r"""An example longer than the token limit, and what truncation would cut

    ## What it does
    Counts each example's tokens with the target tokenizer (default tiktoken's `o200k_base`;
    `--tokenizer cl100k_base`, an OpenAI model name, or a Hugging Face tokenizer directory or Hub id) the
    way OpenAI's cookbook counts chat tokens (each message's text plus 3 tokens of framing, plus 3 for the
    reply), and reports examples above `--max-tokens` (default 16,385, OpenAI's chat fine-tuning limit).
    The message says what truncating at the limit (from the end, as trainers do) would cut: only turns
    after the last answer, part of the final answer, the whole final answer (earlier answers remain), or
    every answer: then the row trains on nothing (it is fully masked, and some trainers drop it silently).

    Opt-in (counting needs a tokenizer): enable it with `--extend-select TPL002`, or pass `--tokenizer` or
    `--max-tokens`, which enable it.

    ## Why it matters
    Over-long examples are truncated without a word. The part cut away is the end, the answer the model was
    meant to learn: a half answer teaches the model to stop mid-sentence, and a row with no answer left
    costs compute for nothing.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Summarise the attached report."}, {"role": "assistant", "content": "The report finds that revenue grew in every region, driven by new products and lower costs."}]}
    ```

    ## Use instead
    Shorten the example (drop history, trim the material) or raise the limit to the model's context:
    ```jsonl
    {"messages": [{"role": "user", "content": "Summarise: revenue grew."}, {"role": "assistant", "content": "Revenue grew."}]}
    ```

    ## Options
    - `tokenizer` (default `o200k_base`; `--tokenizer`): tiktoken encoding, OpenAI model name, tokenizer
      directory or Hub id.
    - `max-tokens` (default 16385; `--max-tokens`): the limit per example.
    """

    def __init__(self, options: TokenLengthOptions) -> None:
        super().__init__(options)
        self.texts: list[str] = []
        self.pending: list[_Pending] = []
        self.found: list[Violation] = []
        self.unavailable = False

    def observe(self, example: Example) -> None:
        turns = example.turns
        if not turns or self.unavailable:
            return
        texts = [turn_text(turn) for turn in turns]
        limit = self.options.max_tokens
        framing = PRIMING_OVERHEAD + (MESSAGE_OVERHEAD + 1) * len(texts)
        chars = sum(map(len, texts))
        # A token is at least one UTF-8 byte (+1 per text for a tokenizer's leading-space piece), and a
        # character at most four bytes: the cheap bound first, the exact byte count only when it is needed.
        if framing + 4 * chars <= limit:
            return
        if framing + sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) <= limit:
            return
        self.pending.append(_Pending(
            example.source, example.digest(),
            tuple(turn.role is ASSISTANT and bool(text) for turn, text in zip(turns, texts)),
            tuple(turn.pointer for turn in turns), len(self.texts), turns[-1].pointer))
        self.texts.extend(texts)
        if len(self.texts) >= BATCH_TEXTS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        try:
            counts = count_texts(self.options.tokenizer, self.texts)
        except TokenizerError as exc:
            # `check` loads the tokenizer before the run (exit 2 when unusable); through the API, say it once.
            if not self.unavailable:
                self.unavailable = True
                self.found.append(Violation(f"tokens not counted: {exc}", None, path=self.pending[0].source.path))
            self.texts, self.pending = [], []
            return
        for record in self.pending:
            lengths = counts[record.first: record.first + len(record.roles)]
            violation = judge(record, lengths, self.options.max_tokens, self.options.tokenizer)
            if violation is not None:
                self.found.append(violation)
        self.texts, self.pending = [], []

    def merge(self, other: ExceedsContext) -> None:
        self.flush()
        other.flush()
        if other.unavailable and self.unavailable:
            other.found = [v for v in other.found if not v.message.startswith("tokens not counted:")]
        self.unavailable = self.unavailable or other.unavailable
        self.found.extend(other.found)

    def finish(self) -> Iterator[Violation]:
        self.flush()
        yield from self.found


def judge(record: _Pending, lengths: list[int], limit: int, tokenizer: str) -> Violation | None:
    """The finding for one counted record, or None when it fits."""
    starts: list[int] = []
    position = PRIMING_OVERHEAD
    for length in lengths:
        position += MESSAGE_OVERHEAD
        starts.append(position)
        position += length
    total = position
    if total <= limit:
        return None
    head = f"{total:,} tokens ({tokenizer}) > limit {limit:,}"
    answers = [i for i, trains in enumerate(record.roles) if trains]
    pointer = record.pointers[answers[-1]] if answers else record.trailing_pointer
    if not answers:
        tail = "no assistant answer to keep anyway"
    else:
        last = answers[-1]
        end = starts[last] + lengths[last]
        surviving = [i for i in answers if starts[i] < limit]
        if end <= limit:
            tail = "truncation would cut only turns after the last answer (history; the answers stay whole)"
        elif starts[last] < limit:
            lost = end - limit
            tail = (f"truncation would cut part of the final answer: {lost:,} of its {lengths[last]:,} "
                    "tokens lost (the model learns to stop mid-answer)")
        elif surviving:
            tail = (f"truncation would cut the whole final answer; {len(surviving)} earlier answer(s) "
                    "remain to train on")
        else:
            tail = ("truncation would cut every answer: the row trains on nothing (fully masked; some "
                    "trainers drop it silently)")
    return Violation(f"{head}: {tail}", pointer, record.source, record.digest)
