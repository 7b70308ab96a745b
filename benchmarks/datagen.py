"""Synthetic chat datasets for the benchmarks (deterministic: the same seed writes the same bytes)."""

from __future__ import annotations

import random
from pathlib import Path

import orjson

DATA = Path(__file__).parent / "data"
WORDS = [
    *"the model answer question data train token prompt user assistant system example response clear".split(),
    *"short long because which would could should about after before explain reason simple detail".split(),
]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _plain(rng: random.Random) -> dict[str, object]:
    return {
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": _sentence(rng, rng.randint(6, 16))},
            {"role": "assistant", "content": _sentence(rng, rng.randint(20, 36))},
        ]
    }


def _varied(rng: random.Random, number: int) -> dict[str, object]:
    """1-3 exchanges; one record in 20 calls a tool and gets its result."""
    messages: list[dict[str, object]] = [{"role": "system", "content": "You are a helpful assistant."}]
    for exchange in range(rng.randint(1, 3)):
        messages.append({"role": "user", "content": _sentence(rng, rng.randint(6, 16))})
        if exchange == 0 and number % 20 == 0:
            call_id = f"call_{number}"
            arguments = orjson.dumps({"query": _sentence(rng, 3)}).decode()
            messages.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": "search", "arguments": arguments}}]})
            messages.append({"role": "tool", "tool_call_id": call_id, "content": _sentence(rng, 8)})
        messages.append({"role": "assistant", "content": _sentence(rng, rng.randint(12, 30))})
    return {"messages": messages}


def write_chat_jsonl(path: Path, records: int, *, varied: bool = False, seed: int = 0) -> Path:
    """A chat JSONL file written as Python's json.dumps would. `varied` adds multi-turn and tool records
    and one broken line in 1,000 (so a check has something to report)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as out:
        for number in range(records):
            if varied and number % 1000 == 999:
                out.write(b'{"messages": [{"role": "user", "content": "cut short\n')
                continue
            record = _varied(rng, number) if varied else _plain(rng)
            line = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
            # json.dumps's separators (the words hold no quotes, commas or colons to disturb)
            out.write(line.replace(b'":', b'": ').replace(b',"', b', "').replace(b",{", b", {"))
    partial.replace(path)
    return path


def chat_file(records: int, *, varied: bool = False) -> Path:
    """The benchmark file of `records` chat records, generated on first use (benchmarks/data/ is ignored)."""
    path = DATA / f"chat-{'varied-' if varied else ''}{records}.jsonl"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        write_chat_jsonl(path, records, varied=varied)
    return path
