"""Precision and recall of DUP002/DUP003/DUP004 on hand-labelled pairs of records.

    python benchmarks/dup/evaluate_pairs.py [benchmarks/dup/labelled_pairs.jsonl] [--part all] [--show-errors]

Each line of the set is {"a": record, "b": record, "label": "DUP002"|"DUP003"|"DUP004"|"none",
"part": "tuning"|"heldout"} and optionally "kind" (what varies between the two records, shown with the
errors). Records are Alpaca, OpenAI `messages` (shown as chatml) or ShareGPT `conversations`. Each pair is written as a two-record JSONL file and checked alone with
`--select DUP002,DUP003,DUP004` (default options); a rule is counted as predicting the pair when it reports
anything on that file. A pair is positive for a rule when its label is that rule's code, so a near-duplicate
reported as a contradiction counts against both rules.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from dslint.config import Config, LoadedConfig
from dslint.engine import run
from dslint.formats import ALPACA, CHAT, SHAREGPT, detect
from dslint.readers.discover import discover
from dslint.resolve import Overrides, build_settings

RULES = ("DUP002", "DUP003", "DUP004")
LABELS = (*RULES, "none")
PARTS = ("tuning", "heldout")
FORMATS = (ALPACA, CHAT, SHAREGPT)
DEFAULT_SET = Path(__file__).with_name("labelled_pairs.jsonl")


def fired_rules(pair: dict, folder: Path, settings: object) -> set[str]:
    path = folder / "pair.jsonl"
    path.write_text(json.dumps(pair["a"], ensure_ascii=False) + "\n" + json.dumps(pair["b"], ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = run(discover([str(path)], root=folder), settings)
    return {d.code for d in result.diagnostics if d.code in RULES}


def shown_from(record: dict, other: dict, width: int = 200) -> str:
    """The record as JSON, its opening shared with `other` elided so the difference is in view (a pasted tool
    specification or a long system prompt would fill the line)."""
    text, compared = json.dumps(record, ensure_ascii=False), json.dumps(other, ensure_ascii=False)
    shared = next((n for n, (x, y) in enumerate(zip(text, compared)) if x != y), min(len(text), len(compared)))
    start = max(0, shared - 60) if shared > 100 else 0
    return ("..." if start else "") + text[start:start + width]


def print_table(title: str, tally: Counter) -> None:
    """One part's table; `tally` counts ("label", label), ("format", format) and (rule, "tp"|"fp"|"fn")."""
    sizes = {label: tally["label", label] for label in LABELS}
    formats = {name: tally["format", name] for name in FORMATS}
    print(f"\n{title}: {sum(sizes.values())} pairs {sizes} formats {formats}")
    print(f"  {'rule':8} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    for rule in RULES:
        tp, fp, fn = tally[rule, "tp"], tally[rule, "fp"], tally[rule, "fn"]
        precision = f"{tp / (tp + fp):.2f}" if tp + fp else "n/a"
        recall = f"{tp / (tp + fn):.2f}" if tp + fn else "n/a"
        print(f"  {rule:8} {tp:>4} {fp:>4} {fn:>4} {precision:>10} {recall:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--part", choices=(*PARTS, "all"), default="all",
                        help="evaluate only the tuning or the held-out pairs (default: both, then pooled)")
    parser.add_argument("--show-errors", action="store_true", help="print every pair a rule got wrong")
    args = parser.parse_args()
    pairs = [json.loads(line) for line in Path(args.pairs).read_text(encoding="utf-8").splitlines() if line.strip()]
    numbered = [(number, pair) for number, pair in enumerate(pairs, 1) if args.part in ("all", pair["part"])]
    tallies: dict[str, Counter] = {part: Counter() for part in PARTS}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        settings = build_settings(LoadedConfig(config=Config(), path=None, root=folder),
                                  Overrides(select=[",".join(RULES)]), folder)
        for number, pair in numbered:
            fired = fired_rules(pair, folder, settings)
            tally = tallies[pair["part"]]
            tally["label", pair["label"]] += 1
            tally["format", detect(pair["a"])] += 1
            for rule in RULES:
                positive, predicted = pair["label"] == rule, rule in fired
                if positive or predicted:
                    tally[rule, "tp" if positive and predicted else "fp" if predicted else "fn"] += 1
                if args.show_errors and positive != predicted:
                    kind = "missed" if positive else "false alarm"
                    print(f"{rule} {kind} on pair {number} ({pair['part']}, label {pair['label']}, "
                          f"kind {pair.get('kind', '-')}, fired {sorted(fired)}):"
                          f"\n    a: {shown_from(pair['a'], pair['b'])}\n    b: {shown_from(pair['b'], pair['a'])}")
    for part in PARTS if args.part == "all" else (args.part,):
        print_table(part, tallies[part])
    if args.part == "all":
        print_table("all", sum(tallies.values(), Counter()))

if __name__ == "__main__":
    main()
