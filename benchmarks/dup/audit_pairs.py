"""Hand audit of DUP findings that point at another record: run dslint, sample findings per rule with a
seed, and print each finding's record next to the record it points at, so a person can count true positives.

    python benchmarks/dup/audit_pairs.py PATH... [--select DUP002,DUP003,DUP004] [--sample 40] [--seed 0]

File-level findings (no record, e.g. DST003) are printed whole with their message.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from dslint.config import Config, LoadedConfig
from dslint.engine import run
from dslint.formats import normalise
from dslint.readers import read
from dslint.readers.discover import discover
from dslint.resolve import Overrides, build_settings

POINTER = re.compile(r"record (\d+) \(line \d+\)(?: in (.+?)(?:[,;(]| but| with|$))?")


def _short(text: str, limit: int) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _render(example: Any, limit: int, other: Any = None) -> str:
    """Each turn as role: text; where the other record's turn shares a long opening, that opening is elided."""
    if example is None:
        return "      (record not found)"
    other_turns = list(getattr(other, "turns", []) or [])
    parts = []
    for position, turn in enumerate(example.turns):
        text = turn.content
        if position < len(other_turns):
            mate = other_turns[position].content
            common = 0
            for left, right in zip(text, mate):
                if left != right:
                    break
                common += 1
            if common > 80 and common < len(text):
                cut = text.rfind("\n", 0, common) + 1 or common - 40
                text = f"[…{cut} chars shared…]" + text[cut:]
        parts.append(f"      {turn.role.value}: {_short(text, limit)}")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--select", default="DUP002,DUP003,DUP004,DST003")
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chars", type=int, default=260)
    args = parser.parse_args()
    cwd = Path.cwd()
    settings = build_settings(LoadedConfig(config=Config(), path=None, root=cwd), Overrides(select=[args.select]), cwd)
    targets = discover(args.paths, root=cwd)
    result = run(targets, settings)
    by_code = Counter(d.code for d in result.diagnostics)
    print("findings by code:", dict(sorted(by_code.items())))
    rng = random.Random(args.seed)
    samples: dict[str, list[Any]] = {}
    wanted: set[tuple[str, int]] = set()
    for code in sorted(by_code):
        pool = sorted((d for d in result.diagnostics if d.code == code),
                      key=lambda d: (str(d.path), -1 if d.record is None else d.record))
        chosen = rng.sample(pool, min(args.sample, len(pool)))
        samples[code] = chosen
        for d in chosen:
            if d.record is None:
                continue
            wanted.add((str(d.path), d.record))
            match = POINTER.search(d.message)
            if match:
                wanted.add((match.group(2).strip() if match.group(2) else str(d.path), int(match.group(1))))
    examples: dict[tuple[str, int], Any] = {}
    for target in targets:
        for raw in read(target):
            key = (str(raw.source.path), raw.source.index)
            if key in wanted and raw.value is not None:
                examples[key] = normalise(raw.value, raw.source)
    for code, chosen in samples.items():
        print(f"\n=== {code}: {len(chosen)} of {by_code[code]} findings (seed {args.seed})")
        for number, d in enumerate(chosen, 1):
            print(f"\n[{code} {number}] {d.path} record {d.record}: {d.message}")
            if d.record is None:
                continue
            print("   THIS:")
            this = examples.get((str(d.path), d.record))
            match = POINTER.search(d.message)
            other = None
            if match:
                other_key = (match.group(2).strip() if match.group(2) else str(d.path), int(match.group(1)))
                other = examples.get(other_key)
            print(_render(this, args.chars, other))
            if match:
                print(f"   POINTS AT {other_key[0]} record {other_key[1]}:")
                print(_render(other, args.chars, this))


if __name__ == "__main__":
    main()
