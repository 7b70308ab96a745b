"""Self-Instruct / Alpaca-style generation: few-shot prompts from seed tasks, numbered answers parsed,
candidates filtered, survivors appended to the output one whole line at a time (resumable).

Filters, in order: instruction length (more than 3 and at most 150 words), words naming a non-text
modality (image, graph, picture, file, map, draw, plot, go to, video, audio, music, flowchart, diagram),
a start with punctuation, ROUGE-L similarity (on word tokens, with rapidfuzz's LCS) above a threshold to
any instruction already in the pool (seeds and accepted ones), then dslint's own record rules.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import LCSseq

NO_INPUT = "<noinput>"
MODALITY = re.compile(r"\b(?:images?|graphs?|pictures?|files?|maps?|draw(?:ing)?|plot|go to|videos?|audio|music|"
                      r"flowcharts?|diagrams?)\b", re.IGNORECASE)
_TASK = re.compile(r"^\s*(\d+)\s*\.\s*(Instruction|Input|Output)\s*:\s*", re.IGNORECASE | re.MULTILINE)
_TOKEN = re.compile(r"\w+")

PROMPT_HEAD = """You are asked to come up with a set of {count} diverse task instructions, each with an input and \
its output. Use varied verbs and kinds of task (open questions, classification, editing, rewriting, \
reasoning, writing ...). An instruction is one or two sentences. A language model must be able to do the \
task with text only: no images, audio, files or browsing. When a task needs no input, write "<noinput>". \
Write each task as below, separated by "###".

List of {count} tasks:
"""


@dataclass(frozen=True)
class Task:
    instruction: str
    input: str
    output: str

    def record(self) -> dict[str, str]:
        return {"instruction": self.instruction, "input": self.input, "output": self.output}


def render_task(number: int, task: Task) -> str:
    return (f"###\n{number}. Instruction: {task.instruction}\n{number}. Input:\n{task.input or NO_INPUT}\n"
            f"{number}. Output:\n{task.output}\n")


def build_prompt(examples: list[Task], count: int) -> str:
    """The few-shot prompt: the examples numbered 1..k, and the number the model continues from."""
    shots = "".join(render_task(i, task) for i, task in enumerate(examples, 1))
    return PROMPT_HEAD.format(count=count) + shots + f"###\n{len(examples) + 1}. Instruction:"


def parse_tasks(text: str, first: int) -> list[Task]:
    """Numbered tasks in a completion (the first one's `N. Instruction:` is in the prompt)."""
    text = f"{first}. Instruction: " + text.lstrip()
    found: dict[int, dict[str, str]] = {}
    matches = list(_TASK.finditer(text))
    for match, following in zip(matches, matches[1:] + [None]):
        end = following.start() if following else len(text)
        body = text[match.end():end].replace("###", "").strip()
        found.setdefault(int(match.group(1)), {})[match.group(2).lower()] = body
    tasks = []
    for number in sorted(found):
        parts = found[number]
        if "instruction" in parts and "output" in parts and parts["output"]:
            inp = parts.get("input", "")
            tasks.append(Task(parts["instruction"], "" if inp.strip().lower() in (NO_INPUT, "") else inp,
                              parts["output"]))
    return tasks


def rouge_l(a: list[str], b: list[str]) -> float:
    """ROUGE-L F-measure of two token lists."""
    if not a or not b:
        return 0.0
    lcs = LCSseq.similarity(a, b)
    if not lcs:
        return 0.0
    precision, recall = lcs / len(a), lcs / len(b)
    return 2 * precision * recall / (precision + recall)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass
class Pool:
    """Instructions already taken (seeds and accepted), for the similarity filter."""

    threshold: float
    token_lists: list[list[str]] = field(default_factory=list)

    def add(self, instruction: str) -> None:
        self.token_lists.append(tokens(instruction))

    def most_similar(self, instruction: str) -> float:
        mine = tokens(instruction)
        return max((rouge_l(mine, other) for other in self.token_lists), default=0.0)


def reject_reason(task: Task, pool: Pool, min_words: int = 4, max_words: int = 150) -> str | None:
    """Why a candidate is dropped before dslint's rules see it, or None."""
    words = len(task.instruction.split())
    if words < min_words:
        return f"instruction shorter than {min_words} words"
    if words > max_words:
        return f"instruction longer than {max_words} words"
    if MODALITY.search(task.instruction):
        return "instruction needs a non-text modality"
    if not task.instruction[0].isalnum():
        return "instruction starts with punctuation"
    if pool.most_similar(task.instruction) > pool.threshold:
        return f"too similar to the pool (ROUGE-L > {pool.threshold})"
    return None


def seed_tasks(records: list[Any]) -> list[Task]:
    """Seed tasks from Self-Instruct (`instruction` + `instances`) or Alpaca records; others are ignored."""
    tasks = []
    for record in records:
        if not isinstance(record, dict) or not isinstance(record.get("instruction"), str):
            continue
        instances = record.get("instances")
        if isinstance(instances, list) and instances and isinstance(instances[0], dict):
            inp, out = instances[0].get("input", ""), instances[0].get("output")
        else:
            inp, out = record.get("input", ""), record.get("output")
        if isinstance(out, str) and out.strip():
            tasks.append(Task(record["instruction"].strip(), inp.strip() if isinstance(inp, str) else "", out.strip()))
    return tasks


def choose_examples(seeds: list[Task], generated: list[Task], rng: random.Random, shots: int = 3,
                    generated_shots: int = 2) -> list[Task]:
    """Few-shot examples: mostly seeds, a few accepted ones once there are some (as Self-Instruct does)."""
    picked = rng.sample(generated, min(generated_shots, len(generated))) if generated else []
    picked += rng.sample(seeds, min(shots + generated_shots - len(picked), len(seeds)))
    rng.shuffle(picked)
    return picked


@dataclass
class Tally:
    requests: int = 0
    failed: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    candidates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    written: int = 0
