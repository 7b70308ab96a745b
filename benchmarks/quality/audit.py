"""Hand audit of a rule's findings on real data: run dslint, sample findings at random, show each one with
the record's request and answer, so a person can mark it right or wrong.

    python benchmarks/quality/audit.py PATH... --select VAG001 [--sample 40] [--seed 0] [--tail 200]

`--tail N` also shows the last N characters of each answer: truncation (ALN008) is judged at the end.

It also prints, per file, the records checked and the share flagged by the selected rules, which is what
the "fewer than 2% on human-written data" targets are about.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from dslint.config import LoadedConfig, Config
from dslint.engine import run
from dslint.formats import normalise
from dslint.model import Example, resolve_pointer
from dslint.readers import read
from dslint.readers.discover import discover
from dslint.resolve import Overrides, build_settings
from dslint.text import answered, instruction


def _short(text: str, limit: int = 300) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--select", required=True, help="rule selectors, comma-separated")
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tail", type=int, default=0, help="also show the last N characters of each answer")
    args = parser.parse_args()
    cwd = Path.cwd()
    loaded = LoadedConfig(config=Config(), path=None, root=cwd)
    settings = build_settings(loaded, Overrides(select=[args.select]), cwd)
    targets = discover(args.paths, root=cwd)
    result = run(targets, settings)
    flagged: Counter[str] = Counter()
    records = {f.path: f.records for f in result.files}
    seen = set()
    for d in result.diagnostics:
        if d.record is not None and (d.path, d.record) not in seen:
            seen.add((d.path, d.record))
            flagged[d.path] += 1
    for path, count in records.items():
        print(f"{path}: {count} records, {flagged[path]} flagged ({flagged[path] / max(count, 1):.1%})")
    by_code = Counter(d.code for d in result.diagnostics)
    print("findings by code:", dict(sorted(by_code.items())))
    rng = random.Random(args.seed)
    pools = {code: [d for d in result.diagnostics if d.code == code and d.record is not None]
             for code in sorted(by_code)}
    samples = {code: rng.sample(pool, min(args.sample, len(pool))) for code, pool in pools.items()}
    # The sampled records of every code, read in one pass over the targets.
    wanted = {(d.path, d.record) for sample in samples.values() for d in sample}
    examples = {}
    for target in targets:
        for raw in read(target):
            if (raw.source.path, raw.source.index) in wanted and raw.value is not None:
                examples[(raw.source.path, raw.source.index)] = normalise(raw.value, raw.source)
    for code, sample in samples.items():
        print(f"\n=== {code}: {len(sample)} of {len(pools[code])} findings")
        for number, d in enumerate(sorted(sample, key=lambda d: (d.path, d.record)), 1):
            print(f"\n[{number}] {d.path} record {d.record} {d.pointer}: {d.message}")
            example = examples.get((d.path, d.record))
            if example is not None:
                _show(example, d.pointer, args.tail)


def _show(example: Example, pointer: str | None, tail: int) -> None:
    """The record's request, input and last answer; and the flagged text when it is none of them (an earlier
    turn, a preference record's other answer)."""
    request, given = instruction(example), example.fields.get("input")
    exchanges = answered(example.turns)
    answer = exchanges[-1][1].content if exchanges else None
    if request:
        print(f"    instruction: {_short(request.text)}")
    if given and given[1]:
        print(f"    input: {_short(given[1])}")
    if answer:
        _show_text("answer", answer, tail)
    flagged = resolve_pointer(example.raw, pointer)
    if isinstance(flagged, str) and flagged not in (answer, request and request.text, given and given[1]):
        _show_text(f"flagged {pointer}", flagged, tail)


def _show_text(label: str, text: str, tail: int) -> None:
    print(f"    {label}: {_short(text)}")
    if tail and len(text) > 300:
        print(f"    {label} ends: …{_short(text[-tail:], tail + 1)}")

if __name__ == "__main__":
    main()
