"""Chat records with planted near-duplicates, and the ground truth (deterministic: same seed, same bytes).

    python benchmarks/dup/generate.py 1000000 --share 0.02

writes `benchmarks/data/dup-<N>.jsonl` and `dup-<N>.truth.json`. Every record is a distinct chat (system,
user, assistant) built from a 20,000-word synthetic vocabulary; `share` of the N records are copies of an
earlier-or-later original with one to three small edits: a typo (a letter replaced, dropped or two swapped),
a change of case, a punctuation change, or an inserted word. The truth lists, per planted copy, its record
index and its original's.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
SYLLABLES = [a + b for a in "bcdfghklmnprstvwz" for b in ("a", "e", "i", "o", "u", "ai", "ou", "ea")]
OPENERS = ["Explain", "Describe", "Summarise", "Write a short note about", "Give three facts about",
           "Compare", "List the steps to", "What is the role of", "How would you improve", "Why does",
           "Translate into plain English:", "Draft an email about", "Suggest a name for", "Outline",
           "Argue for", "Argue against", "Classify", "Rewrite more formally:", "Plan a day around", "Critique"]
FILLERS = ["please", "really", "also", "quickly", "today", "briefly", "carefully", "now", "simply", "again"]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def original(rng: random.Random, words: list[str]) -> tuple[str, str]:
    prompt = f"{rng.choice(OPENERS)} {' '.join(rng.choices(words, k=rng.randint(8, 20)))}?"
    sentences = [" ".join(rng.choices(words, k=rng.randint(6, 14))).capitalize() + "." for _ in range(rng.randint(2, 4))]
    return prompt, " ".join(sentences)


def typo(rng: random.Random, text: str) -> str:
    positions = [i for i, c in enumerate(text) if c.isalpha()]
    at = rng.choice(positions)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:at] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[at + 1:]
    if kind == 1:
        return text[:at] + text[at + 1:]
    at = min(at, len(text) - 2)
    return text[:at] + text[at + 1] + text[at] + text[at + 2:]


def case(rng: random.Random, text: str) -> str:
    return rng.choice([text.upper(), text.lower(), text.title()])


def punctuation(rng: random.Random, text: str) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return text.rstrip("?.!") if text[-1] in "?.!" else text + "."
    if kind == 1:
        return text + "!"
    words = text.split(" ")
    at = rng.randrange(len(words))
    words[at] += ","
    return " ".join(words)


def insert_word(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
    return " ".join(words)


EDITS = [typo, case, punctuation, insert_word]


def near_copy(rng: random.Random, prompt: str, answer: str) -> tuple[str, str]:
    for _ in range(rng.randint(1, 3)):
        edit = rng.choice(EDITS)
        if rng.random() < 0.6:
            prompt = edit(rng, prompt)
        else:
            answer = edit(rng, answer)
    return prompt, answer


def record(prompt: str, answer: str) -> bytes:
    return json.dumps({"messages": [{"role": "system", "content": "You are a helpful assistant."},
                                    {"role": "user", "content": prompt},
                                    {"role": "assistant", "content": answer}]}).encode() + b"\n"


def generate(count: int, share: float, seed: int = 2024) -> tuple[Path, Path]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    planted = int(count * share)
    originals = [original(rng, words) for _ in range(count - planted)]
    copies = []
    for _ in range(planted):
        base = rng.randrange(len(originals))
        copies.append((base, near_copy(rng, *originals[base])))
    # Place the copies at random positions among the originals.
    slots = sorted(rng.sample(range(count), planted))
    position_of_original: list[int] = []
    lines: list[bytes] = []
    copy_at: dict[int, int] = dict(zip(slots, range(planted)))
    next_original = 0
    pending: list[tuple[int, int]] = []  # (record index, copy number)
    for index in range(count):
        if index in copy_at:
            pending.append((index, copy_at[index]))
            lines.append(b"")
        else:
            position_of_original.append(index)
            lines.append(record(*originals[next_original]))
            next_original += 1
    truth = []
    for index, number in pending:
        base, (prompt, answer) = copies[number]
        lines[index] = record(prompt, answer)
        truth.append([index, position_of_original[base]])
    DATA.mkdir(exist_ok=True)
    path = DATA / f"dup-{count}.jsonl"
    path.write_bytes(b"".join(lines))
    truth_path = DATA / f"dup-{count}.truth.json"
    truth_path.write_text(json.dumps({"count": count, "planted": planted, "pairs": truth}))
    return path, truth_path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--share", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=2024)
    arguments = parser.parse_args()
    for written in generate(arguments.count, arguments.share, arguments.seed):
        print(written)
