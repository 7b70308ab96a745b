"""Reader throughput: `read_jsonl` against the bare `orjson.loads` loop it is built around.

Generates benchmarks/data/chat-1000000.jsonl (1,000,000 chat records of about 400 bytes, git-ignored) on
first use, then prints records/s (median of 3 runs) for the bare loop, for read_jsonl, and for read_jsonl
with its duplicate-key pre-filter switched off, to show what that check costs.

    python benchmarks/bench_readers.py [--records N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from dslint.readers import Target, jsonl

DATA = Path(__file__).parent / "data"
WORDS = [
    *"the model answer question data train token prompt user assistant system example response clear".split(),
    *"short long because which would could should about after before explain reason simple detail".split(),
]


def generate(path: Path, records: int) -> None:
    """A chat JSONL file of `records` lines, about 400 bytes each, written as Python's json.dumps would."""
    rng = random.Random(0)

    def sentence(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as out:
        for _ in range(records):
            record = {
                "messages": [
                    {"role": "system", "content": "You are a helpful assistant."},
                    {"role": "user", "content": sentence(rng.randint(6, 16))},
                    {"role": "assistant", "content": sentence(rng.randint(20, 36))},
                ]
            }
            line = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
            # json.dumps's separators (the words hold no quotes, commas or colons to disturb)
            out.write(line.replace(b'":', b'": ').replace(b',"', b', "').replace(b",{", b", {"))
    partial.replace(path)


def baseline(path: Path) -> int:
    """The floor: iterate the file by lines and decode each one, nothing else."""
    count = 0
    with open(path, "rb") as stream:
        for line in stream:
            orjson.loads(line)
            count += 1
    return count


def reader(path: Path) -> int:
    count = 0
    for _ in jsonl.read_jsonl(Target("jsonl", path.name, path)):
        count += 1
    return count


def records_per_second(run: Callable[[Path], int], path: Path, repeats: int = 3) -> float:
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        count = run(path)
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    path = DATA / f"chat-{args.records}.jsonl"
    if not path.exists():
        print(f"generating {path} ...")
        generate(path, args.records)
    size = path.stat().st_size
    print(f"{path.name}: {args.records:,} records, {size / args.records:.0f} bytes per line")
    floor = records_per_second(baseline, path)
    ours = records_per_second(reader, path)
    print(f"orjson.loads per line : {floor:>12,.0f} records/s")
    print(f"read_jsonl            : {ours:>12,.0f} records/s  ({ours / floor:.0%} of the baseline)")
    setattr(jsonl, "may_have_duplicates", lambda raw, value, colons: False)  # noqa: B010 - the name jsonl imported
    unchecked = records_per_second(reader, path)
    print(f"  without dup-key check: {unchecked:>11,.0f} records/s  (the check costs {1 - ours / unchecked:.0%})")


if __name__ == "__main__":
    main()
