"""Precision and recall of DUP002/DUP003/DUP004 on hand-labelled pairs of records.

    python benchmarks/dup/evaluate_pairs.py [benchmarks/dup/labelled_pairs.jsonl] [--show-errors]

Each line of the set is {"a": record, "b": record, "label": "DUP002"|"DUP003"|"DUP004"|"none",
"part": "tuning"|"heldout"}. Each pair is written as a two-record JSONL file and checked alone with
`--select DUP002,DUP003,DUP004` (default options); a rule is counted as predicting the pair when it reports
anything on that file. A pair is positive for a rule when its label is that rule's code, so a near-duplicate
reported as a contradiction counts against both rules.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path

from dslint.config import Config, LoadedConfig
from dslint.engine import run
from dslint.readers.discover import discover
from dslint.resolve import Overrides, build_settings

RULES = ("DUP002", "DUP003", "DUP004")
DEFAULT_SET = Path(__file__).with_name("labelled_pairs.jsonl")


def fired_rules(pair: dict, folder: Path, settings: object) -> set[str]:
    path = folder / "pair.jsonl"
    path.write_text(json.dumps(pair["a"], ensure_ascii=False) + "\n" + json.dumps(pair["b"], ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = run(discover([str(path)], root=folder), settings)
    return {d.code for d in result.diagnostics if d.code in RULES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--show-errors", action="store_true", help="print every pair a rule got wrong")
    args = parser.parse_args()
    pairs = [json.loads(line) for line in Path(args.pairs).read_text(encoding="utf-8").splitlines() if line.strip()]
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        settings = build_settings(LoadedConfig(config=Config(), path=None, root=folder),
                                  Overrides(select=[",".join(RULES)]), folder)
        for number, pair in enumerate(pairs, 1):
            fired = fired_rules(pair, folder, settings)
            sizes[(pair["part"], pair["label"])] += 1
            for rule in RULES:
                positive, predicted = pair["label"] == rule, rule in fired
                cell = counts[(pair["part"], rule)]
                if positive and predicted:
                    cell["tp"] += 1
                elif predicted:
                    cell["fp"] += 1
                elif positive:
                    cell["fn"] += 1
                if args.show_errors and positive != predicted:
                    kind = "missed" if positive else "false alarm"
                    print(f"{rule} {kind} on pair {number} ({pair['part']}, label {pair['label']}, fired {sorted(fired)}):"
                          f"\n    a: {json.dumps(pair['a'], ensure_ascii=False)[:200]}"
                          f"\n    b: {json.dumps(pair['b'], ensure_ascii=False)[:200]}")
    for part in ("tuning", "heldout"):
        labels = {label: sizes[(part, label)] for label in (*RULES, "none")}
        print(f"\n{part}: {sum(labels.values())} pairs {labels}")
        print(f"  {'rule':8} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
        for rule in RULES:
            cell = counts[(part, rule)]
            flagged, positives = cell["tp"] + cell["fp"], cell["tp"] + cell["fn"]
            precision = f"{cell['tp'] / flagged:.2f}" if flagged else "n/a"
            recall = f"{cell['tp'] / positives:.2f}" if positives else "n/a"
            print(f"  {rule:8} {cell['tp']:>4} {cell['fp']:>4} {cell['fn']:>4} {precision:>10} {recall:>8}")


if __name__ == "__main__":
    main()
