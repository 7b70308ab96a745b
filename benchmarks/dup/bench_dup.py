"""Near-duplicate benchmark: dslint on planted duplicates, and side by side with datasketch and a pairwise scan.

    python benchmarks/dup/generate.py 1000000        # once: data and truth in benchmarks/data/
    python benchmarks/dup/bench_dup.py 1000000 --jobs 2

Part 1 runs `dslint check --select DUP` on the whole file in a subprocess and measures wall time, CPU time
(user + system, workers included: less sensitive than wall time to a shared machine) and the peak resident
memory of its whole process tree (sampled every 0.1 s from /proc, workers included), then scores
DUP001 + DUP002 against the planted truth: recall (planted copies reported, pointing into their own group)
and pair precision (reported pairs whose two records are of one planted group).

Part 2 takes a slice of `--slice` records (every record of `--slice-groups` planted groups, the rest
originals) and finds its near-duplicate pairs at the same threshold three ways, on the same normalised
texts: dslint's index (NumPy MinHash LSH + rapidfuzz verification), datasketch's `MinHashLSH` (128
permutations, same 5-byte shingles, candidates verified with the same rapidfuzz check) and an exhaustive
pairwise rapidfuzz scan (`cdist`). It reports each one's time and recall against the planted pairs and
against the pairs the exhaustive scan finds. datasketch is needed for part 2 only (`pip install datasketch`).

Record `uptime` alongside: the figures depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
FIRST = re.compile(r"of record (\d+)")


def load_avg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def run_dslint(path: Path, jobs: int, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "dslint", "check", "--isolated", "--no-progress", "--select", "DUP",
               "--format", "jsonl", "--jobs", str(jobs), "-o", str(out), str(path)]
    load_before = load_avg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"command": " ".join(command[1:]), "exit": code, "seconds": round(elapsed, 1),
            "cpu_seconds": round(cpu, 1),
            "peak_rss_mb": round(peak / 2**20), "load_before": load_before, "load_after": load_avg()}


def groups_of(pairs: list[list[int]]) -> dict[int, int]:
    """Record -> group id (its original's record), for every record of a planted group."""
    group: dict[int, int] = {}
    for copy, original in pairs:
        group[original] = original
        group[copy] = original
    return group


def score(out: Path, truth: dict[str, Any]) -> dict[str, Any]:
    group = groups_of(truth["pairs"])
    sizes: dict[int, int] = defaultdict(int)
    for member in group.values():
        sizes[member] += 1
    expected = sum(size - 1 for size in sizes.values())
    reported: dict[str, int] = defaultdict(int)
    true_pairs = 0
    total_pairs = 0
    for line in out.read_text().splitlines():
        finding = json.loads(line)
        reported[finding["code"]] += 1
        if finding["code"] not in ("DUP001", "DUP002"):
            continue
        match = FIRST.search(finding["message"])
        if not match:
            continue
        total_pairs += 1
        record, first = finding["record"], int(match.group(1))
        if record in group and group.get(first) == group[record]:
            true_pairs += 1
    return {"planted_copies": expected, "found_true": true_pairs, "reported_pairs": total_pairs,
            "recall": round(true_pairs / expected, 4) if expected else None,
            "pair_precision": round(true_pairs / total_pairs, 4) if total_pairs else None,
            "findings_by_code": dict(sorted(reported.items()))}


def slice_texts(path: Path, truth: dict[str, Any], size: int, planted_groups: int) -> tuple[list[str], set[tuple[int, int]]]:
    """Normalised whole-example texts of a slice, and the planted pairs in it (as slice row numbers)."""
    from dslint.formats import normalise as adapt
    from dslint.model import Source
    from dslint.rules.dup_text import views

    group = groups_of(truth["pairs"][:planted_groups])
    wanted = set(group)
    every_planted = set(groups_of(truth["pairs"]))
    fill = size - len(wanted)
    last = max(wanted)
    chosen: dict[int, str] = {}
    with path.open("rb") as handle:
        for number, line in enumerate(handle):
            if number in wanted or (fill > 0 and number not in every_planted):
                if number not in wanted:
                    fill -= 1
                example = adapt(json.loads(line), Source(str(path), number + 1, number))
                chosen[number] = views(example).whole
            if fill <= 0 and number >= last:
                break
    rows = sorted(chosen)
    row_of = {record: row for row, record in enumerate(rows)}
    pairs = set()
    members: dict[int, list[int]] = defaultdict(list)
    for record, original in group.items():
        members[original].append(row_of[record])
    for rows_in_group in members.values():
        rows_in_group.sort()
        pairs.update((a, b) for i, a in enumerate(rows_in_group) for b in rows_in_group[i + 1:])
    return [chosen[record] for record in rows], pairs


def dslint_pairs(texts: list[str], threshold: float) -> set[tuple[int, int]]:
    from dslint.model import Source
    from dslint.rules.dup_index import NearIndex, cluster

    index = NearIndex()
    for row, text in enumerate(texts):
        index.add(text, Source("slice", row + 1, row), None)
    found = cluster(index, threshold)
    members: dict[int, list[int]] = defaultdict(list)
    for row in range(len(texts)):
        members[int(found.first[row])].append(row)
    return {(a, b) for rows in members.values() if len(rows) > 1
            for i, a in enumerate(rows) for b in rows[i + 1:]}


def datasketch_pairs(texts: list[str], threshold: float, jaccard: float) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH
    from rapidfuzz import fuzz

    lsh = MinHashLSH(threshold=jaccard, num_perm=128)
    sketches = []
    for row, text in enumerate(texts):
        data = text.encode("utf-8", "surrogatepass")
        shingles = {data[i:i + 5] for i in range(max(len(data) - 4, 1))}
        sketch = MinHash(num_perm=128)
        sketch.update_batch(list(shingles))
        lsh.insert(row, sketch)
        sketches.append(sketch)
    pairs = set()
    for row, sketch in enumerate(sketches):
        for other in lsh.query(sketch):
            if other > row and fuzz.ratio(texts[row], texts[other], score_cutoff=threshold * 100):
                pairs.add((row, other))
    return pairs


def pairwise_pairs(texts: list[str], threshold: float) -> set[tuple[int, int]]:
    import numpy as np
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    pairs = set()
    step = 1000
    for start in range(0, len(texts), step):
        scores = cdist(texts[start:start + step], texts, scorer=fuzz.ratio, score_cutoff=threshold * 100,
                       dtype=np.uint8, workers=-1)
        for a, b in zip(*np.nonzero(scores)):
            row = start + int(a)
            if row < int(b):
                pairs.add((row, int(b)))
    return pairs


def side_by_side(path: Path, truth: dict[str, Any], size: int, planted_groups: int, threshold: float) -> dict[str, Any]:
    texts, planted = slice_texts(path, truth, size, planted_groups)
    results: dict[str, Any] = {"records": len(texts), "planted_pairs": len(planted), "load_before": load_avg()}
    found: dict[str, set[tuple[int, int]]] = {}
    for name, method in (("dslint", lambda: dslint_pairs(texts, threshold)),
                         ("datasketch", lambda: datasketch_pairs(texts, threshold, 0.5)),
                         ("pairwise", lambda: pairwise_pairs(texts, threshold))):
        start = time.perf_counter()
        found[name] = method()
        results[name] = {"seconds": round(time.perf_counter() - start, 2), "pairs": len(found[name])}
    exhaustive = found["pairwise"]
    for name, pairs in found.items():
        results[name]["recall_planted"] = round(len(pairs & planted) / len(planted), 4) if planted else None
        results[name]["recall_vs_pairwise"] = round(len(pairs & exhaustive) / len(exhaustive), 4) if exhaustive else None
        results[name]["time_vs_dslint"] = round(results[name]["seconds"] / results["dslint"]["seconds"], 1)
    results["load_after"] = load_avg()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--slice", type=int, default=20_000)
    parser.add_argument("--slice-groups", type=int, default=400)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--skip-full", action="store_true", help="only the side-by-side slice")
    parser.add_argument("--skip-slice", action="store_true", help="only the whole-file run")
    arguments = parser.parse_args()
    path = DATA / f"dup-{arguments.count}.jsonl"
    truth = json.loads((DATA / f"dup-{arguments.count}.truth.json").read_text())
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"count": arguments.count, "cpus": os.cpu_count()}
    if not arguments.skip_full:
        out = RESULTS / f"dup-{arguments.count}-jobs{arguments.jobs}.jsonl"
        report["full"] = run_dslint(path, arguments.jobs, out)
        report["full"].update(score(out, truth))
        print(json.dumps(report["full"], indent=2), flush=True)
    if not arguments.skip_slice:
        report["slice"] = side_by_side(path, truth, arguments.slice, arguments.slice_groups, arguments.threshold)
        print(json.dumps(report["slice"], indent=2), flush=True)
    suffix = "full" if arguments.skip_slice else "slice" if arguments.skip_full else "all"
    (RESULTS / f"dup-{arguments.count}-jobs{arguments.jobs}-{suffix}.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
