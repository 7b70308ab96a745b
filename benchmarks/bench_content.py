"""Throughput of the content rules (VAG, CTX, ALN record rules), whole process, as a user runs them.

Two inputs of the same size (100,000 records by default):
- an Alpaca JSONL file built by repeating real Alpaca records (the JSON files given with `--alpaca`, or
  the `alpaca` folder of a corpora directory next to the repository, `../shared/corpora/alpaca`);
- a chat JSONL file from `datagen.py` (multi-turn, tool calls, varied).

For each, `dslint check FILE --isolated --select VAG,CTX,ALN --no-progress -q -jN` is timed for each
`--jobs` value (median of `--repeats` runs; wall time and CPU time of the process tree), then each family
(and, with `--per-rule`, each ALN rule) alone, so the rule that dominates shows. The load average is
printed with the figures: on a shared machine it explains noise.

dslint runs under the interpreter that runs this script (`python -m dslint`), so the same benchmark can
compare interpreters: pure-Python rules run 10-20% faster on a PGO/LTO build (python.org, Debian, conda)
than on one compiled without `--enable-optimizations` (pyenv's default).

    python benchmarks/bench_content.py [--records 100000] [--repeats 3] [--jobs 1,2] [--alpaca FILE ...]
                                       [--per-rule] [--only-all] [--baseline]

Generated files go to benchmarks/data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from itertools import cycle, islice
from pathlib import Path

from datagen import chat_file

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SELECT = "VAG,CTX,ALN"


def default_alpaca_files() -> list[Path]:
    folder = HERE.parent.parent / "shared" / "corpora" / "alpaca"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def alpaca_file(records: int, sources: list[Path]) -> Path:
    """An Alpaca JSONL file of `records` records, the sources' records repeated in turn."""
    path = DATA / f"alpaca-real-{records}.jsonl"
    if path.exists():
        return path
    pool = [record for source in sources for record in json.loads(source.read_text(encoding="utf-8"))
            if isinstance(record, dict)]
    if not pool:
        raise SystemExit("no Alpaca records found: pass --alpaca FILE ...")
    DATA.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in islice(cycle(pool), records):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# Runs one command; prints its wall time and the CPU time (user + system) of its process tree. On a shared
# machine the CPU time is the steadier figure: waiting for a core counts in the wall time only.
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of a command."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def timed(path: Path, records: int, select: str, repeats: int, jobs: int) -> dict[str, object]:
    command = [sys.executable, "-m", "dslint", "check", str(path), "--isolated", "--select", select,
               "--no-progress", "-q", "--format", "concise", f"-j{jobs}"]
    runs = [measure(command) for _ in range(repeats)]
    wall, cpu = statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs)
    return {"file": path.name, "select": select, "jobs": jobs, "wall_s": round(wall, 2),
            "records_per_s": round(records / wall), "cpu_s": round(cpu, 2), "records_per_cpu_s": round(records / cpu),
            "load": load(), "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", default="1", help="comma-separated job counts to time, e.g. 1,2")
    parser.add_argument("--alpaca", type=Path, nargs="*", help="Alpaca JSON files to repeat (a JSON array each)")
    parser.add_argument("--per-rule", action="store_true", help="also time each ALN rule alone")
    parser.add_argument("--only-all", action="store_true", help="time only VAG,CTX,ALN together")
    parser.add_argument("--baseline", action="store_true",
                        help="also time one trivial rule (FMT010): reading and normalising without content rules")
    args = parser.parse_args()
    files = [alpaca_file(args.records, args.alpaca or default_alpaca_files()), chat_file(args.records, varied=True)]
    selections = [SELECT] if args.only_all else [SELECT, "VAG", "CTX", "ALN"]
    if args.baseline:
        selections.insert(0, "FMT010")
    if args.per_rule:
        selections += [f"ALN00{n}" for n in range(1, 10)]
    jobs = [int(n) for n in args.jobs.split(",")]
    for path in files:
        for select in selections:
            for n in jobs:
                print(json.dumps(timed(path, args.records, select, args.repeats, n)), flush=True)
    print(f"# cores: {os.cpu_count()}; the machine may be shared: see the load figures", file=sys.stderr)


if __name__ == "__main__":
    main()
