"""Round-trip every corpus file through every target format and back, and report what survives.

Usage: python benchmarks/convert_roundtrip.py CORPUS_DIR [OUT_DIR]

For each JSON / JSON Lines file under CORPUS_DIR whose majority format is one `dslint convert` writes,
and for each target format: convert the file to the target (count converted, skipped by reason, notes,
FMT findings in the output), convert the result back to the source format, and count the records whose
normalised conversation (roles, texts, tool calls) and extras are unchanged.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from dslint.convert.run import TARGETS, ConvertOptions, convert
from dslint.engine import Engine, Settings
from dslint.formats import normalise
from dslint.model import Source
from dslint.readers import read
from dslint.readers.discover import discover

OWN = {"instruction", "input", "output", "system", "history", "messages", "conversations", "prompt", "completion"}


def shape(record: Any) -> Any:
    example = normalise(record, Source("x", 1, 0))
    turns = []
    for turn in example.turns:
        calls = []
        for call in turn.tool_calls:
            args = call.arguments
            if isinstance(args, str):
                try:
                    args = json.loads(args)
                except ValueError:
                    pass
            calls.append((call.name, json.dumps(args, sort_keys=True)))
        turns.append((turn.role.value, "" if calls else turn.content, tuple(calls)))
    extras = {k: v for k, v in record.items() if k not in OWN} if isinstance(record, dict) else {}
    return tuple(turns), json.dumps(extras, sort_keys=True)


def records_of(path: Path) -> list[Any]:
    (target,) = discover([str(path)], root=path.parent)
    return [raw.value for raw in read(target) if raw.problem is None]


def majority(path: Path) -> str | None:
    engine = Engine(Settings(rules=[]))
    (target,) = discover([str(path)], root=path.parent)
    engine.check(target)
    return engine.finish().files[0].format


def main() -> None:
    corpus = Path(sys.argv[1])
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="dslint-convert-"))
    rows = []
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in (".json", ".jsonl")):
        fmt = majority(path)
        if fmt not in TARGETS:
            rows.append(f"{path.relative_to(corpus)}: format {fmt}: not a conversion source, skipped")
            continue
        source = [r for r in records_of(path) if normalise(r, Source("x", 1, 0)).format == fmt]
        for target in TARGETS:
            there = work / f"{path.stem}.{target}.jsonl"
            back = work / f"{path.stem}.{target}.back.jsonl"
            start = time.perf_counter()
            out = convert(discover([str(path)], root=path.parent), there, ConvertOptions(target))
            again = convert(discover([str(there)], root=work), back, ConvertOptions(fmt))
            seconds = time.perf_counter() - start
            skipped_sources = {i for i in range(len(source))}  # filled below by matching order
            converted = records_of(back)
            # Records skipped on the way out are absent on the way back: compare the survivors in order.
            wanted = Counter(shape(r) for r in source)
            same = sum(min(count, wanted.get(key, 0)) for key, count in Counter(shape(r) for r in converted).items())
            del skipped_sources
            reasons = "; ".join(f"{n} {why}" for why, n in out.skipped.most_common(3))
            notes = "; ".join(f"{n} {why}" for why, n in out.notes.most_common(3))
            rows.append(
                f"{path.relative_to(corpus)} ({fmt}, {len(source)} records) -> {target}: {out.converted} converted, "
                f"{sum(out.skipped.values())} skipped{f' [{reasons}]' if reasons else ''}, FMT findings "
                f"{out.fmt_findings}+{again.fmt_findings}; back: {same}/{out.converted} unchanged"
                f"{f'; notes [{notes}]' if notes else ''} ({seconds:.2f}s)")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
