"""Reader throughput: `read_jsonl` against the bare `orjson.loads` loop it is built around.

Generates benchmarks/data/chat-1000000.jsonl (1,000,000 chat records of about 400 bytes, git-ignored) on
first use, then prints records/s (median of 3 runs) for the bare loop, for read_jsonl, and for read_jsonl
with its duplicate-key pre-filter switched off, to show what that check costs.

    python benchmarks/bench_readers.py [--records N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from datagen import chat_file

from dslint.readers import Target, jsonl


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
    path = chat_file(args.records)
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
