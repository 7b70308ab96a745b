"""TPL speed: the control-token scan (records/s) and batched token counting against tiktoken directly.

    TIKTOKEN_CACHE_DIR=../shared/tiktoken_cache python benchmarks/bench_tpl.py [--records 100000]

Both token-counting figures come from the same run, on the same texts: tiktoken's `encode_ordinary_batch`
called directly on every turn text (in one call), and TPL002's dataset rule (`observe` every record, then
`finish`) with a limit of 1 token so that every record is counted. The ratio is dslint / direct.
Records are normalised before timing starts (both sides get the same examples).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))
sys.path.insert(0, str(ROOT))
_shared = ROOT.parent.parent / "shared" / "tiktoken_cache"
if "TIKTOKEN_CACHE_DIR" not in os.environ and _shared.is_dir():
    os.environ["TIKTOKEN_CACHE_DIR"] = str(_shared)

from datagen import chat_file

from dslint.formats import normalise
from dslint.model import Source
from dslint.rules.tpl_length import ExceedsContext, TokenLengthOptions
from dslint.rules.tpl_tokens import ControlTokenOptions, literal_control_token
from dslint.turn_text import turn_text

# A realistic share of texts with markup the scan must look at closely (HTML, code, a real token).
_SPICE = [
    "See <b>bold</b> and <a href='x'>link</a> [1] [2].",
    "```python\nprint(x[0] < y)\n```",
    "Tokens like <|im_end|> end a turn.",
    "Use [INST] carefully; <br> <s>old</s>.",
]


def examples(records: int) -> list:
    path = chat_file(records, varied=True)
    found = []
    with path.open("rb") as handle:
        for index, line in enumerate(handle):
            if index >= records:
                break
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # the varied file holds some deliberately broken lines
            if not isinstance(value, dict) or not isinstance(value.get("messages"), list) or not value["messages"]:
                continue
            if index % 10 == 0 and isinstance(value["messages"][-1], dict):
                value["messages"][-1]["content"] = (value["messages"][-1]["content"] or "") + " " + _SPICE[index % 40 // 10]
            found.append(normalise(value, Source(str(path), index + 1, index)))
    return found


def best(repeats: int, func) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--encoding", default="o200k_base")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (shared machine)")
    data = examples(args.records)
    n = len(data)

    options = ControlTokenOptions()

    def scan() -> None:
        for example in data:
            for _ in literal_control_token(example, options):
                pass

    seconds = best(args.repeats, scan)
    cpu_start = time.process_time()
    scan()
    cpu = time.process_time() - cpu_start
    print(f"TPL001 scan: {n:,} records in {seconds:.3f} s = {n / seconds:,.0f} records/s "
          f"({n / cpu:,.0f} records per CPU second)")

    import tiktoken

    encoding = tiktoken.get_encoding(args.encoding)
    texts = [turn_text(turn) for example in data for turn in example.turns]

    def direct() -> None:
        encoding.encode_ordinary_batch(texts)

    def through_rule() -> None:
        state = ExceedsContext(TokenLengthOptions(tokenizer=args.encoding, max_tokens=1))
        for example in data:
            state.observe(example)
        for _ in state.finish():
            pass

    through_rule()  # load the counter once, outside the timing (as `direct` has its encoding)
    direct_seconds = best(args.repeats, direct)
    rule_seconds = best(args.repeats, through_rule)
    print(f"token counting ({args.encoding}, {len(texts):,} texts of {n:,} records):")
    print(f"  encode_ordinary_batch directly: {direct_seconds:.3f} s")
    print(f"  TPL002 (batched dataset rule):  {rule_seconds:.3f} s")
    print(f"  ratio: {rule_seconds / direct_seconds:.2f}x")


if __name__ == "__main__":
    main()
