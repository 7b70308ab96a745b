"""Precision and recall of the content rules on their labelled sets.

Each family keeps its labelled cases in `benchmarks/quality/<FAMILY>*.jsonl` (one file or several, e.g.
`ALN-structure.jsonl` and `ALN-content.jsonl`), one JSON object per line:

    {"rule": "VAG001", "label": true, "record": {...}, "why": "no task verb, no object"}

`label: true` means the record has the problem the rule is about (the rule must fire on it); `false` is a
hard negative (it must not). A positive may list in `"also": ["ALN008"]` other rules of the family that are
right to fire on it too (a JSON answer that is cut off is both invalid JSON and truncated); their findings
there count as correct in those rules' precision. Every rule of the family is run on every case, one record at a time.

- per rule: precision = fired on its positives / fired anywhere in the family's set; recall = fired on its
  positives / its positives;
- per family: a positive is caught when any rule of the family fires on it; a false alarm is any finding
  of the family on a negative.

    python benchmarks/quality/evaluate.py [FAMILY ...] [--show-misses] [--part all|tuning|heldout]

Kept apart from the unit tests so the sets can grow; run it after changing a content rule and put the
figures in your notes.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import orjson

from dslint.engine import Engine, Settings
from dslint.model import RawRecord, Source
from dslint.rules import all_rules

HERE = Path(__file__).resolve().parent


def load(family: str) -> list[dict]:
    return [
        orjson.loads(line)
        for path in sorted(HERE.glob(f"{family}*.jsonl"))
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]


def fired(family: str, cases: list[dict]) -> list[set[str]]:
    """The codes of the family that fire on each case."""
    rules = [r for r in all_rules() if r.family == family]
    engine = Engine(Settings(rules=rules))
    records = (RawRecord(Source("case", i + 1, i), case["record"]) for i, case in enumerate(cases))
    engine.check_records("case", records)
    found: list[set[str]] = [set() for _ in cases]
    for diagnostic in engine.finish().diagnostics:
        if diagnostic.record is not None and diagnostic.code.startswith(family):
            found[diagnostic.record].add(diagnostic.code)
    return found


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


def report(family: str, show_misses: bool, part: str = "all") -> tuple[float, float]:
    cases = [c for c in load(family) if part == "all" or bool(c.get("heldout")) == (part == "heldout")]
    found = fired(family, cases)
    # true pos, positives, fired, fired where the case's "also" list says that rule is right too
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    caught = positives = false_alarms = negatives = 0
    for case, codes in zip(cases, found):
        rule, label = case["rule"], bool(case["label"])
        for code in codes:
            per_rule[code][2] += 1
            per_rule[code][3] += label and code != rule and code in case.get("also", ())
        if label:
            positives += 1
            per_rule[rule][1] += 1
            per_rule[rule][0] += rule in codes
            caught += bool(codes)
        else:
            negatives += 1
            false_alarms += bool(codes)
        if show_misses and ((label and rule not in codes) or (not label and codes)):
            kind = "MISS" if label else f"FALSE ALARM {sorted(codes)}"
            print(f"  {kind} [{rule}] {case.get('why', '')}: {orjson.dumps(case['record']).decode()[:200]}")
    print(f"{family} [{part}]: {len(cases)} cases ({positives} positive, {negatives} negative)")
    print(f"  {'rule':8} {'precision':>9} {'recall':>7} {'positives':>9} {'fired':>6}")
    for code in sorted(per_rule):
        true_pos, pos, fired_count, also_right = per_rule[code]
        print(f"  {code:8} {ratio(true_pos + also_right, fired_count):>9} {ratio(true_pos, pos):>7} {pos:>9} "
              f"{fired_count:>6}")
    precision = caught / (caught + false_alarms) if caught + false_alarms else 0.0
    recall = caught / positives if positives else 0.0
    print(f"  family   precision {precision:.3f}  recall {recall:.3f}  "
          f"(false alarms on {false_alarms} of {negatives} negatives)")
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("families", nargs="*", help="default: every family with a labelled set")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--part", choices=("all", "tuning", "heldout"), default="all",
                        help='cases marked "heldout": true are kept out of tuning; evaluate them apart')
    args = parser.parse_args()
    families = args.families or sorted({p.stem[:3] for p in HERE.glob("*.jsonl")})
    for family in families:
        report(family, args.show_misses, args.part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
