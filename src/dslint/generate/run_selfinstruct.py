"""Drive a self-instruct run: concurrent requests, filtering, the lint gate, resumable appends.

The output is JSON Lines appended one whole record at a time (one write each, flushed and synced per
batch), so an interrupted run leaves complete lines, at most one partial last line; a new run with the
same output drops such a line, counts what is there, and generates only the rest.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from dslint.engine import Settings
from dslint.generate.gate import dumps, gate
from dslint.generate.llm import Endpoint, LLMError, complete
from dslint.generate.selfinstruct import (
    Pool,
    Tally,
    Task,
    build_prompt,
    choose_examples,
    parse_tasks,
    reject_reason,
    rouge_l,
    tokens,
)
from dslint.model import Severity


@dataclass
class SelfInstructOptions:
    count: int
    seeds: list[Task]
    endpoint: Endpoint
    concurrency: int = 4
    similarity: float = 0.7
    seed: int = 0
    tasks_per_request: int = 8
    max_requests: int | None = None


def resume(out: Path) -> tuple[list[Task], bool]:
    """The tasks already in `out` (complete lines), and whether a partial last line was dropped."""
    if not out.exists():
        return [], False
    data = out.read_bytes()
    dropped = bool(data) and not data.endswith(b"\n")
    if dropped:
        with out.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)
        data = data[: data.rfind(b"\n") + 1]
    tasks = []
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("instruction"), str):
            tasks.append(Task(record["instruction"], str(record.get("input", "")), str(record.get("output", ""))))
    return tasks, dropped


def run(out: Path, options: SelfInstructOptions, settings: Settings, level: Severity,
        progress: Callable[[int, int], None] | None = None) -> tuple[Tally, int]:
    """Generate until `options.count` records are in `out`; returns the tally and how many were there."""
    existing, _ = resume(out)
    tally = Tally()
    pool = Pool(options.similarity)
    for task in options.seeds + existing:
        pool.add(task.instruction)
    generated = list(existing)
    wanted = options.count - len(existing)
    if wanted <= 0:
        return tally, len(existing)
    limit = options.max_requests or max(10, 3 * wanted // max(1, options.tasks_per_request // 2) + 5)
    rng = random.Random(options.seed)
    running: dict[Future[str], int] = {}
    with ThreadPoolExecutor(max_workers=options.concurrency) as executor, out.open("ab") as handle:
        def submit() -> None:
            while len(running) < options.concurrency and tally.requests < limit and tally.written < wanted:
                examples = choose_examples(options.seeds, generated, rng)
                prompt = build_prompt(examples, len(examples) + options.tasks_per_request)
                running[executor.submit(complete, options.endpoint, prompt)] = len(examples) + 1
                tally.requests += 1

        submit()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                first = running.pop(future)
                try:
                    text = future.result()
                except LLMError as exc:
                    tally.failed += 1
                    tally.failures[str(exc)] += 1
                    continue
                _take(parse_tasks(text, first), pool, tally, generated, wanted, settings, level, handle)
                if progress is not None:
                    progress(tally.written, wanted)
            submit()
        for future in running:  # pragma: no cover - the loop above drains them
            future.cancel()
    return tally, len(existing)


def _take(tasks: list[Task], pool: Pool, tally: Tally, generated: list[Task], wanted: int, settings: Settings,
          level: Severity, handle: object) -> None:
    """Filter one answer's tasks, gate the survivors with dslint's rules, append the accepted."""
    batch: list[Task] = []
    for task in tasks:
        tally.candidates += 1
        reason = reject_reason(task, pool)
        if reason is None and any(rouge_l(tokens(task.instruction), tokens(other.instruction)) > pool.threshold
                                  for other in batch):
            reason = f"too similar to the pool (ROUGE-L > {pool.threshold})"
        if reason is not None:
            tally.rejected[reason] += 1
            continue
        batch.append(task)
    if not batch:
        return
    checked = gate([task.record() for task in batch], settings, level)
    tally.rejected.update({f"dslint {code}": n for code, n in checked.rejected.items()})
    kept = {json.dumps(record, sort_keys=True) for record in checked.kept}
    write = handle.write  # type: ignore[attr-defined]
    for task in batch:
        if json.dumps(task.record(), sort_keys=True) not in kept or tally.written >= wanted:
            continue
        write(dumps(task.record()))  # one whole line per write
        pool.add(task.instruction)
        generated.append(task)
        tally.written += 1
    handle.flush()  # type: ignore[attr-defined]
    os.fsync(handle.fileno())  # type: ignore[attr-defined]
