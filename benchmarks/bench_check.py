"""Whole-process `dslint check` speed and memory, as a user runs it.

- Throughput: `dslint check --select FMT,MIX` on chat JSONL files of 100,000 / 300,000 / 1,000,000 records
  (multi-turn, tool calls, one broken line in 1,000), with `--jobs 1` and `--jobs 2`: records/s (median of
  the runs) and peak RSS of the process tree. Flat RSS across sizes shows the streaming.
- Start-up: a 100-record file, whole process, median of 10 runs; and `dslint --version`.

    python benchmarks/bench_check.py [--sizes 100000,1000000] [--repeats 3] [--jobs 1,2]

Data is generated into benchmarks/data/ (git-ignored) on first use.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from datagen import chat_file, write_chat_jsonl

# Runs one command and prints its wall time and the peak RSS of its process tree (workers included:
# RUSAGE_CHILDREN covers every waited-for descendant).
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def dslint_command() -> list[str]:
    found = shutil.which("dslint")
    return [found] if found else [sys.executable, "-m", "dslint"]


def measure(command: list[str]) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    seconds, rss_kb, code = out.stdout.split()
    return float(seconds), int(rss_kb), int(code)


def throughput(sizes: list[int], jobs: list[int], repeats: int) -> list[dict[str, object]]:
    rows = []
    for size in sizes:
        path = chat_file(size, varied=True)
        for job in jobs:
            command = [*dslint_command(), "check", str(path), "--isolated", "--select", "FMT,MIX",
                       "--no-progress", "--format", "concise", "-q", "--jobs", str(job)]
            runs = [measure(command) for _ in range(repeats)]
            seconds = statistics.median(run[0] for run in runs)
            rss_mb = max(run[1] for run in runs) / 1024
            row = {"records": size, "jobs": job, "seconds": round(seconds, 2),
                   "records_per_s": round(size / seconds), "peak_rss_mb": round(rss_mb), "exit": runs[0][2]}
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


def startup(repeats: int = 10) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_chat_jsonl(Path(tmp) / "small.jsonl", 100, varied=True)
        check = [*dslint_command(), "check", str(path), "--isolated", "--no-progress"]
        check_s = statistics.median(measure(check)[0] for _ in range(repeats))
        version_s = statistics.median(measure([*dslint_command(), "--version"])[0] for _ in range(repeats))
    print(json.dumps({"check_100_records_s": round(check_s, 3), "version_s": round(version_s, 3)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    startup()
    throughput([int(s) for s in args.sizes.split(",")], [int(j) for j in args.jobs.split(",")], args.repeats)
    print(f"# benchmark took {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
