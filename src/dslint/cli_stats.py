"""`dslint stats PATHS`: tokens per example, turns, system-prompt share and a fine-tuning cost estimate.

Tokens are counted as TPL002 counts them (each message's text plus 3 tokens of framing, plus 3 per
conversation; `dslint.turn_text`), in batches. The estimate follows OpenAI's fine-tuning cookbook: tokens
above the per-example limit are not billed, and the default epoch count is 3, raised for small datasets
(so that examples x epochs reaches 100, at most 25 epochs) and lowered for large ones (so that it stays
within 25,000, at least 1 epoch).
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from dslint.cli import main

BATCH_TEXTS = 8192
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES, MAX_TARGET_EXAMPLES = 100, 25_000
MIN_DEFAULT_EPOCHS, MAX_DEFAULT_EPOCHS = 1, 25
HISTOGRAM_BINS = 10
BAR_WIDTH = 40


@dataclass
class Counts:
    tokens: list[int] = field(default_factory=list)  # per example
    turns: list[int] = field(default_factory=list)
    system_tokens: int = 0
    unparsed: int = 0
    files: int = 0


def count(paths: tuple[str, ...], tokenizer: str) -> Counts:
    """Count every example of the paths (records that do not parse or match no format are counted apart)."""
    from dslint.formats import normalise
    from dslint.model import SYSTEM
    from dslint.readers import read
    from dslint.readers.discover import discover
    from dslint.token_count import count_texts
    from dslint.turn_text import MESSAGE_OVERHEAD, PRIMING_OVERHEAD, turn_text

    counts = Counts()
    texts: list[str] = []
    shapes: list[tuple[int, int]] = []  # per pending example: (number of turns, index of its system turn or -1)

    def flush() -> None:
        lengths = count_texts(tokenizer, texts)
        position = 0
        for turns, system in shapes:
            own = lengths[position: position + turns]
            counts.tokens.append(PRIMING_OVERHEAD + sum(own) + MESSAGE_OVERHEAD * turns)
            if system >= 0:
                counts.system_tokens += own[system] + MESSAGE_OVERHEAD
            position += turns
        texts.clear()
        shapes.clear()

    for target in discover(list(paths), root=Path.cwd()):
        counts.files += 1
        for raw in read(target):
            if raw.problem is not None:
                if not raw.is_file_level:
                    counts.unparsed += 1
                continue
            example = normalise(raw.value, raw.source)
            if not example.turns:
                counts.unparsed += 1
                continue
            system = next((i for i, turn in enumerate(example.turns) if turn.role is SYSTEM), -1)
            shapes.append((len(example.turns), system))
            counts.turns.append(len(example.turns))
            texts.extend(turn_text(turn) for turn in example.turns)
            if len(texts) >= BATCH_TEXTS:
                flush()
    flush()
    return counts


def default_epochs(examples: int) -> int:
    """The cookbook's default: 3 epochs, adjusted so examples x epochs lies within 100..25,000."""
    if not examples:
        return 0
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return TARGET_EPOCHS


def _percentile(ordered: list[int], share: float) -> int:
    if not ordered:
        return 0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summary(counts: Counts, tokenizer: str, max_tokens: int, epochs: int | None,
            price_per_million: float | None) -> dict[str, Any]:
    ordered = sorted(counts.tokens)
    total = sum(ordered)
    billed = sum(min(max_tokens, n) for n in ordered)
    n_epochs = epochs if epochs is not None else default_epochs(len(ordered))
    result: dict[str, Any] = {
        "tokenizer": tokenizer,
        "files": counts.files,
        "examples": len(ordered),
        "unparsed_records": counts.unparsed,
        "tokens": {
            "total": total,
            "min": ordered[0] if ordered else 0,
            "median": int(statistics.median(ordered)) if ordered else 0,
            "p95": _percentile(ordered, 0.95),
            "max": ordered[-1] if ordered else 0,
            "over_limit": sum(1 for n in ordered if n > max_tokens),
            "limit": max_tokens,
        },
        "turns": {
            "min": min(counts.turns, default=0),
            "median": statistics.median(counts.turns) if counts.turns else 0,
            "max": max(counts.turns, default=0),
        },
        "system_prompt_share": (counts.system_tokens / total) if total else 0.0,
        "estimate": {
            "epochs": n_epochs,
            "billed_tokens_per_epoch": billed,
            "billed_tokens": billed * n_epochs,
            "cost": (billed * n_epochs / 1e6 * price_per_million) if price_per_million is not None else None,
        },
        "histogram": histogram(ordered),
    }
    return result


def histogram(ordered: list[int]) -> list[dict[str, int]]:
    """Equal-width bins from the minimum to the maximum (one bin when every example has the same length)."""
    if not ordered:
        return []
    low, high = ordered[0], ordered[-1]
    width = max(1, math.ceil((high - low + 1) / HISTOGRAM_BINS))
    bins = [0] * HISTOGRAM_BINS
    for n in ordered:
        bins[min(HISTOGRAM_BINS - 1, (n - low) // width)] += 1
    found = [{"from": low + i * width, "to": low + (i + 1) * width - 1, "examples": c} for i, c in enumerate(bins)]
    while found and found[-1]["examples"] == 0:
        found.pop()
    return found


def render_text(stats: dict[str, Any]) -> str:
    tokens, turns, estimate = stats["tokens"], stats["turns"], stats["estimate"]
    lines = [
        f"{stats['examples']:,} examples in {stats['files']:,} file(s)"
        + (f" ({stats['unparsed_records']:,} records not counted: unparsed or unrecognised)"
           if stats["unparsed_records"] else ""),
        (f"tokens ({stats['tokenizer']}): total {tokens['total']:,}; per example min {tokens['min']:,}, "
         f"median {tokens['median']:,}, p95 {tokens['p95']:,}, max {tokens['max']:,}"),
        f"over the {tokens['limit']:,}-token limit: {tokens['over_limit']:,} example(s)",
        f"turns per example: min {turns['min']}, median {turns['median']:g}, max {turns['max']}",
        f"system prompts: {stats['system_prompt_share']:.1%} of all tokens",
        (f"estimate: {estimate['epochs']} epoch(s) x {estimate['billed_tokens_per_epoch']:,} billed tokens = "
         f"{estimate['billed_tokens']:,} training tokens"
         + (f" = ${estimate['cost']:,.2f}" if estimate["cost"] is not None else "")),
        "",
        "tokens per example:",
    ]
    bins = stats["histogram"]
    peak = max((b["examples"] for b in bins), default=0)
    labels = [f"{b['from']:,}-{b['to']:,}" for b in bins]
    label_width = max((len(label) for label in labels), default=0)
    for label, b in zip(labels, bins):
        bar = "#" * (round(b["examples"] / peak * BAR_WIDTH) if peak else 0)
        if b["examples"] and not bar:
            bar = "."
        lines.append(f"  {label.rjust(label_width)} | {bar} {b['examples']:,}")
    return "\n".join(lines) + "\n"


@main.command("stats")
@click.argument("paths", nargs=-1, required=True)
@click.option("--tokenizer", default="o200k_base", show_default=True, metavar="NAME",
              help="tiktoken encoding, OpenAI model name, tokenizer directory, Hub id, or `bytes`.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=16_385, show_default=True,
              help="Per-example limit: tokens above it are not billed (and are truncated).")
@click.option("--epochs", type=click.IntRange(min=1), help="Epochs for the estimate (default: the cookbook's heuristic).")
@click.option("--price-per-million", type=click.FloatRange(min=0), metavar="USD",
              help="Training price per million tokens, to turn the estimate into money.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats_command(paths: tuple[str, ...], tokenizer: str, max_tokens: int, epochs: int | None,
                  price_per_million: float | None, output_format: str) -> None:
    """Token and turn statistics of datasets, with a fine-tuning cost estimate."""
    from dslint.readers import ReaderError
    from dslint.token_count import TokenizerError, load_counter

    try:
        load_counter(tokenizer, "--tokenizer")
        counts = count(paths, tokenizer)
    except (TokenizerError, ReaderError) as exc:
        click.echo(f"dslint: error: {exc}", err=True)
        sys.exit(2)
    stats = summary(counts, tokenizer, max_tokens, epochs, price_per_million)
    if output_format == "json":
        click.echo(json.dumps(stats, indent=2))
    else:
        click.echo(render_text(stats), nl=False)

