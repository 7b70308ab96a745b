"""Parallel runs (`--jobs N`): cut the work into tasks, check them in worker processes, merge in order.

A task is a whole target, or a shard of a large JSON Lines file (a byte range cut at line ends, placed
in its file by its first line number and record index, which one cheap pass over the bytes computes).
Each worker runs its own engine over a task and hands back a `Partial`: findings, file summaries and
dataset-rule states. The parent absorbs the partials in task order, merging the dataset-rule states,
and finishes once, so a parallel run reports exactly what a serial run reports.

Workers are forked (they inherit the resolved settings, compiled patterns and rule registry); where
`fork` is not available the run stays serial.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dslint.engine import Engine, Partial, Settings
from dslint.model import RunResult
from dslint.readers import Target
from dslint.readers.bytes_util import HEAD_SIZE, UTF8_BOM, head_problem

# Shards shrink from MAX_SHARD_BYTES to SHARD_BYTES towards the end of a file (guided self-scheduling): few
# large shards keep the per-shard cost low (each worker settles and sends back up to `max-reported`
# locations per category and shard), small last ones keep both workers busy to the end.
SHARD_BYTES = 8 << 20
MAX_SHARD_BYTES = 32 << 20
# Below this much input, starting processes costs more than it saves. Measured on 2 cores with the default
# rules: 12.3 MB of Alpaca records check 1.3x faster with two processes, 16 MB 1.7x (FMT+MIX alone: 1.1x and
# 1.5x); at 8.5 MB the second shard is too small to gain anything.
AUTO_MIN_BYTES = 12 << 20
_WHITESPACE = b" \t\r\x0b\x0c"
_BLANK_AFTER_NEWLINE = re.compile(rb"\n(?=[ \t\r\x0b\x0c]*\n)")
# A newline followed by whitespace or another newline: a block without one has no blank line after its
# first (a search for it is ten times faster than finding every newline the pattern above looks at).
_MAYBE_BLANK = re.compile(rb"\n[ \t\r\x0b\x0c\n]")
_BLANK_FIRST_LINE = re.compile(rb"[ \t\r\x0b\x0c]*\n")


@dataclass(frozen=True)
class Shard:
    """Lines `first_line`... of a JSON Lines file: `length` bytes from `offset`, records from `first_index`."""

    display: str
    path: Path
    offset: int
    length: int
    first_line: int
    first_index: int


Task = Target | Shard


def blank_lines(block: bytes) -> int:
    """How many lines of `block` (whole lines, the last maybe unterminated) are blank, as the reader skips them."""
    count = len(_BLANK_AFTER_NEWLINE.findall(block)) if _MAYBE_BLANK.search(block) else 0
    if _BLANK_FIRST_LINE.match(block):
        count += 1
    tail = block[block.rfind(b"\n") + 1 :]
    if tail and not tail.strip(_WHITESPACE):
        count += 1
    return count


def shards(target: Target, shard_bytes: int = SHARD_BYTES, jobs: int = 2,
           map_: Callable[..., Iterable[tuple[int, int]]] = map) -> list[Shard] | None:
    """The shards of a large plain JSON Lines file, or None when it should be read whole.

    Cutting takes a seek per shard; placing the shards in their file takes their line counts, which
    `map_` computes (a run passes its pool's map, so the workers count in parallel)."""
    path = target.path
    if target.kind != "jsonl" or path is None or path.suffix.lower() == ".gz":
        return None
    try:
        size = path.stat().st_size
        if size <= shard_bytes or not path.is_file():
            return None
        with path.open("rb") as handle:
            if head_problem(handle.read(HEAD_SIZE)) is not None:
                return None  # the serial reader reports the file as unreadable
            ranges = _ranges(handle, size, shard_bytes, jobs)
            if not ranges:
                return None
        counts = list(map_(_count_lines, [(path, offset, length) for offset, length in ranges]))
    except OSError:
        return None  # the serial reader turns the error into a finding
    cut: list[Shard] = []
    line, index = 1, 0
    for (offset, length), (lines, blank) in zip(ranges, counts, strict=True):
        cut.append(Shard(target.display, path, offset, length, line, index))
        line += lines
        index += lines - blank
    return cut if index else None  # a file of blank lines: the serial reader calls it empty


def shard_size(remaining: int, shard_bytes: int, jobs: int) -> int:
    """How many bytes the next shard takes (before finishing its last line), `remaining` bytes from the end."""
    return max(shard_bytes, min(MAX_SHARD_BYTES, remaining // (4 * jobs)))


def _ranges(handle: io.BufferedReader, size: int, shard_bytes: int, jobs: int) -> list[tuple[int, int]]:
    """(offset, length) of each shard of an open file of `size` bytes, every cut at a line end."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    while offset < size:
        end = offset + shard_size(size - offset, shard_bytes, jobs)
        if end < size:
            handle.seek(end - 1)
            rest = handle.readline(MAX_SHARD_BYTES)  # from the shard's last byte to the end of its line
            if len(rest) == MAX_SHARD_BYTES and not rest.endswith(b"\n"):
                return []  # a line longer than a shard: the serial reader skips it without holding it
            end = end - 1 + len(rest) if rest else size
        ranges.append((offset, min(end, size) - offset))
        offset = min(end, size)
    return ranges


def _count_lines(shard: tuple[Path, int, int]) -> tuple[int, int]:
    """(lines, blank lines) of `length` bytes at `offset` of a file, not counting a UTF-8 BOM at its start."""
    path, offset, length = shard
    with path.open("rb") as handle:
        handle.seek(offset)
        block = handle.read(length)
    if offset == 0 and block.startswith(UTF8_BOM):
        block = block[len(UTF8_BOM):]
    return block.count(b"\n") + (0 if block.endswith(b"\n") else 1), blank_lines(block)


def plan(targets: Sequence[Target], shard_bytes: int = SHARD_BYTES, jobs: int = 2,
         map_: Callable[..., Iterable[tuple[int, int]]] = map) -> list[Task]:
    tasks: list[Task] = []
    for target in targets:
        cut = shards(target, shard_bytes, jobs, map_)
        tasks.extend(cut if cut and len(cut) > 1 else [target])
    return tasks


def _most_tasks(targets: Sequence[Target], shard_bytes: int) -> int:
    """An upper bound of `len(plan(targets))`, from file sizes alone."""
    most = 0
    for target in targets:
        size = 0
        if target.kind == "jsonl" and target.path is not None and target.path.suffix.lower() != ".gz":
            try:
                size = target.path.stat().st_size
            except OSError:
                pass
        most += max(1, -(-size // shard_bytes))
    return most


def auto_jobs(targets: Sequence[Target]) -> int:
    """Processes to use when the user did not say: all cores for large inputs, else one."""
    total = 0
    for target in targets:
        if target.path is not None and target.kind in ("jsonl", "json", "csv", "parquet"):
            try:
                total += target.path.stat().st_size
            except OSError:
                continue
    return (os.cpu_count() or 1) if total >= AUTO_MIN_BYTES else 1


# Processes of the current run: the finish phase (one process, the workers done) may use as many threads.
_RUN_JOBS = 1


def run_jobs() -> int:
    """How many cores the current run may use (`--jobs`), e.g. for threads in a dataset rule's finish."""
    return _RUN_JOBS


# -- worker side -------------------------------------------------------------------------------------
_WORKER: Engine | None = None
_SETTINGS: Settings | None = None


def _init_worker() -> None:
    global _WORKER
    assert _SETTINGS is not None
    _WORKER = Engine(_SETTINGS)


def _check_task(task: Task) -> Partial:
    engine = _WORKER
    assert engine is not None
    if isinstance(task, Shard):
        from dslint.readers.jsonl import iter_records
        from dslint.readers.limits import bounded_lines

        with task.path.open("rb") as handle:
            handle.seek(task.offset)
            data = handle.read(task.length)
        if task.offset == 0 and data.startswith(UTF8_BOM):
            data = data[len(UTF8_BOM):]
        lines = bounded_lines(io.BytesIO(data), engine.settings.max_record_bytes)
        records = iter_records(task.display, lines, first_line=task.first_line,
                               first_index=task.first_index, whole=False,
                               duplicate_keys=engine.reads_duplicate_keys)
        engine.check_records(task.display, records)
    else:
        engine.check(task)
    return engine.take_partial()


# -- parent side -------------------------------------------------------------------------------------
def _tune_gc() -> None:
    """A run allocates a few short-lived containers per record and keeps almost none: the collector's
    default young-generation threshold (700) makes it walk the young objects every few records for
    nothing. Freezing what exists (modules, rules, compiled patterns) also keeps the full collections off
    it and leaves forked workers' copies of it untouched."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def run(targets: Sequence[Target], settings: Settings, jobs: int,
        progress: Callable[[int, str], None] | None = None, shard_bytes: int = SHARD_BYTES) -> RunResult:
    """Check `targets` with `jobs` processes; serial when one is enough or `fork` is unavailable."""
    global _RUN_JOBS
    _RUN_JOBS = max(1, jobs)
    try:
        return _run(targets, settings, jobs, progress, shard_bytes)
    finally:
        _RUN_JOBS = 1


def _run(targets: Sequence[Target], settings: Settings, jobs: int,
         progress: Callable[[int, str], None] | None, shard_bytes: int) -> RunResult:
    global _SETTINGS
    _tune_gc()
    engine = Engine(settings, progress=progress)
    processes = min(jobs, _most_tasks(targets, shard_bytes))
    if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for target in targets:
            engine.check(target)
        return engine.finish()
    _SETTINGS = settings
    records = 0
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_init_worker) as pool:
        tasks = plan(targets, shard_bytes, processes, pool.map)
        for partial in pool.imap(_check_task, tasks, chunksize=1):
            engine.absorb(partial)
            records += sum(summary.records for summary in partial.files)
            if progress is not None and partial.files:
                progress(records, partial.files[-1].path)
    return engine.finish()
