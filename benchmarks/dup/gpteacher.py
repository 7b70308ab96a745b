"""dslint's near-duplicate clusters against the GPTeacher Toolformer files deduplicated by their authors.

    python benchmarks/dup/gpteacher.py [CORPUS_DIR]

The corpus directory holds `toolformer-dedupe-only-dataset.json` and the variants the authors cleaned at
similarity 0.9, 0.8, 0.7 and 0.6 (`toolformer-similarity-<t>-dataset.json`; their metric is not stated). For
each level this clusters the dedupe-only records with dslint's index at the same threshold, on the prompt
(instruction and input) and on the whole example, and compares the records dslint would drop (every cluster
member after the first) with the records the authors dropped (in dedupe-only, not in the variant; matched by
exact content): how many each drops, how many both drop, and dslint's drops as precision/recall against
the authors'. Default directory: `../shared/corpora/gpteacher_toolformer` beside the checkout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT = ROOT.parent / "shared" / "corpora" / "gpteacher_toolformer"
LEVELS = ("0.9", "0.8", "0.7", "0.6")


def key(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def drops(texts: list[str], threshold: float) -> set[int]:
    from dslint.model import Source
    from dslint.rules.dup_index import NearIndex, cluster

    index = NearIndex()
    for row, text in enumerate(texts):
        index.add(text, Source("gpteacher", row + 1, row), None)
    found = cluster(index, threshold)
    return set(found.members())


def main() -> None:
    from dslint.formats import normalise as adapt
    from dslint.model import Source
    from dslint.rules.dup_text import views

    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    base = json.loads((corpus / "toolformer-dedupe-only-dataset.json").read_text(encoding="utf-8"))
    examples = [views(adapt(record, Source("gpteacher", None, n))) for n, record in enumerate(base)]
    text_of = {"prompt": [e.prompt for e in examples], "whole": [e.whole for e in examples]}
    report: dict[str, Any] = {"records": len(base), "levels": {}}
    for level in LEVELS:
        kept = {key(r) for r in json.loads((corpus / f"toolformer-similarity-{level}-dataset.json").read_text(encoding="utf-8"))}
        authors = {n for n, record in enumerate(base) if key(record) not in kept}
        entry: dict[str, Any] = {"authors_dropped": len(authors)}
        for view, texts in text_of.items():
            start = time.perf_counter()
            ours = drops(texts, float(level))
            both = len(ours & authors)
            entry[view] = {"dslint_dropped": len(ours), "both": both,
                           "precision": round(both / len(ours), 3) if ours else None,
                           "recall": round(both / len(authors), 3) if authors else None,
                           "seconds": round(time.perf_counter() - start, 2)}
        report["levels"][level] = entry
        print(level, json.dumps(entry), flush=True)
    out = ROOT / "benchmarks" / "results" / "dup-gpteacher.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
