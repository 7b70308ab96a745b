"""The near-duplicate index behind the DUP rules: sketch records as they stream by, cluster them at the end.

State per record (bounded by the number of records, never a copy of the record):
- its location (file, line, record index) and the pointer a finding names, as small integers;
- `bands` 64-bit LSH keys of its normalised text and a 64-bit hash of that text (exact copies);
- the normalised text itself, cut at `max-chars` characters and zlib-compressed per batch of 8,192, because
  candidates are verified with an edit-distance similarity (rapidfuzz), which needs the texts; an optional
  second text (the answer, for contradictions) is kept the same way.

Texts are sketched a batch at a time (`dup_sketch`), so NumPy does the per-shingle work. `merge` appends the
other state's batches after this one's: the engine merges partial states in file order, so record numbers
stay in reading order and a parallel run clusters exactly as a serial one.

At `clusters()`: exact copies collapse onto their first occurrence; records sharing a band key become
candidate pairs (linear per bucket); each candidate pair is verified with rapidfuzz's normalised Indel
similarity against `threshold` (and must hold the same numbers: `same_numbers`); verified pairs form clusters around leaders in reading order (`leaders`:
every member is similar to its cluster's first record; no chaining). A cluster is reported
once: its first record by reading order, and each later member pointing at it.

Texts needed at the end (candidates, cluster members and their firsts) are fetched many at a time in row
order (`Texts.fetch`), so each compressed batch is decompressed once: a cluster's first record is usually far
from its later members, and fetching them one by one would decompress a batch per text. A parallel run's
finish uses its cores too: template lines are counted while the candidates are sorted, and rapidfuzz
verifies on as many threads as the run had processes.
"""

from __future__ import annotations

import itertools
import os
import weakref
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dslint.model import Source
from dslint.rules.dup_sketch import candidate_pairs, sketch, text_hashes
from dslint.rules.dup_verify import (
    WithoutTemplate,
    pair_texts,
    same_numbers,
    template_lines,
    verified_pairs,
)

BATCH = 8192
SHINGLE = 5
BANDS = 16
ROWS = 4


def _numpy() -> Any:
    import numpy

    return numpy


@dataclass
class Batch:
    """A sketched batch of records: parallel arrays plus the compressed texts."""

    keys: Any  # (n, BANDS) uint64
    whole: Any  # (n,) uint64 hash of the normalised text
    sketched: Any  # (n,) bool: the text had shingles (was not empty)
    paths: Any  # (n,) int32, index into NearIndex.paths
    lines: Any  # (n,) int64, -1 for none
    indices: Any  # (n,) int64
    pointers: Any  # (n,) int32, index into NearIndex.pointers (-1 for none)
    extra: Any  # (n,) uint64 hash of the second text (0 when none is kept)
    texts: bytes  # zlib of the UTF-8 texts, end to end
    ends: Any  # (n,) int64 end offset of each text in the decompressed bytes
    second: bytes | None  # the same for the second texts
    second_ends: Any


_TOKENS = itertools.count()


class NearIndex:
    """Records' sketches and texts in reading order; see the module docstring.

    Two rules may share one index (DUP003 and DUP004 cluster the same prompts): `add_once` ignores a second
    add of the same example, `merge` a second merge of the same other index (each index carries a token
    that survives pickling), and `clusters` computes each threshold's clusters once.
    """

    def __init__(self, max_chars: int = 4000, keep_second: bool = False, second_chars: int | None = None) -> None:
        self.second_chars = max_chars if second_chars is None else second_chars
        self.token = (os.getpid(), next(_TOKENS))
        self.merged: set[tuple[int, int]] = set()
        self.claimed: set[str] = set()  # the kinds of rule sharing this index (shared_prompt_index)
        self.max_chars = max_chars
        self.keep_second = keep_second
        self.paths: list[str] = []
        self.pointers: list[str] = []
        self.batches: list[Batch] = []
        self._path_ids: dict[str, int] = {}
        self._pointer_ids: dict[str, int] = {}
        self._pending: list[tuple[str, str, int, int | None, int, int]] = []
        self._last: object = None
        self._clusters: dict[float, Clusters] = {}
        self._texts: dict[bool, Texts] = {}

    def __len__(self) -> int:
        return sum(len(batch.indices) for batch in self.batches) + len(self._pending)

    def add_once(self, example: object, text: str, source: Source, pointer: str | None, second: str = "") -> None:
        """`add`, unless this very example was the last one added."""
        if self._last is not example:
            self._last = example
            self.add(text, source, pointer, second)

    def add(self, text: str, source: Source, pointer: str | None, second: str = "") -> None:
        path_id = self._path_ids.get(source.path)
        if path_id is None:
            path_id = self._path_ids[source.path] = len(self.paths)
            self.paths.append(source.path)
        pointer_id = -1
        if pointer is not None:
            pointer_id = self._pointer_ids.get(pointer, -2)
            if pointer_id == -2:
                pointer_id = self._pointer_ids[pointer] = len(self.pointers)
                self.pointers.append(pointer)
        self._pending.append((text[: self.max_chars], second[: self.second_chars] if self.keep_second else "",
                              path_id, source.line, source.index, pointer_id))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        np = _numpy()
        pending, self._pending = self._pending, []
        texts = [item[0] for item in pending]
        keys, whole, sketched = sketch(texts, SHINGLE, BANDS, ROWS)
        encoded, ends = _pack(texts)
        second: bytes | None = None
        second_ends = None
        extra = np.zeros(len(pending), dtype=np.uint64)
        if self.keep_second:
            seconds = [item[1] for item in pending]
            second, second_ends = _pack(seconds)
            extra = text_hashes(seconds)
        self.batches.append(Batch(
            keys=keys, whole=whole, sketched=sketched,
            paths=np.fromiter((item[2] for item in pending), dtype=np.int32, count=len(pending)),
            lines=np.fromiter((-1 if item[3] is None else item[3] for item in pending), dtype=np.int64,
                              count=len(pending)),
            indices=np.fromiter((item[4] for item in pending), dtype=np.int64, count=len(pending)),
            pointers=np.fromiter((item[5] for item in pending), dtype=np.int32, count=len(pending)),
            extra=extra, texts=encoded, ends=ends, second=second, second_ends=second_ends,
        ))

    def merge(self, other: NearIndex) -> None:
        """Append `other`'s records after this one's (the engine merges in reading order)."""
        if other is self or other.token in self.merged:
            return
        self.merged.add(other.token)
        self.flush()
        other.flush()
        path_map = [self._intern(self._path_ids, self.paths, path) for path in other.paths]
        pointer_map = [self._intern(self._pointer_ids, self.pointers, p) for p in other.pointers]
        np = _numpy()
        path_lookup = np.array(path_map, dtype=np.int32)
        pointer_lookup = np.array(pointer_map + [-1], dtype=np.int32)  # -1 indexes the appended -1
        for batch in other.batches:
            batch.paths = path_lookup[batch.paths] if len(path_lookup) else batch.paths
            batch.pointers = pointer_lookup[batch.pointers]
            self.batches.append(batch)

    @staticmethod
    def _intern(ids: dict[str, int], table: list[str], value: str) -> int:
        found = ids.get(value)
        if found is None:
            found = ids[value] = len(table)
            table.append(value)
        return found

    def __getstate__(self) -> dict[str, Any]:
        self.flush()  # a worker's state travels sketched and compressed
        return {**self.__dict__, "_last": None, "_clusters": {}, "_texts": {}}

    # -- the end of the run ----------------------------------------------------------------------
    def columns(self) -> dict[str, Any]:
        """Every per-record array, concatenated in reading order."""
        self.flush()
        np = _numpy()
        names = ("keys", "whole", "sketched", "paths", "lines", "indices", "pointers", "extra")
        if not self.batches:
            empty = {"keys": np.zeros((0, BANDS), dtype=np.uint64)}
            return {name: empty.get(name, np.zeros(0, dtype=np.int64)) for name in names}
        return {name: np.concatenate([getattr(batch, name) for batch in self.batches]) for name in names}

    def texts(self) -> Texts:
        return self._text_column(False)

    def second_texts(self) -> Texts:
        return self._text_column(True)

    def _text_column(self, second: bool) -> Texts:
        self.flush()
        found = self._texts.get(second)
        if found is None:
            found = self._texts[second] = Texts(self.batches, second=second)
        return found

    def clusters(self, threshold: float) -> Clusters:
        found = self._clusters.get(threshold)
        if found is None:
            found = self._clusters[threshold] = cluster(self, threshold)
        return found

    def source(self, columns: dict[str, Any], row: int) -> Source:
        line = int(columns["lines"][row])
        return Source(self.paths[int(columns["paths"][row])], None if line < 0 else line,
                      int(columns["indices"][row]))

    def pointer(self, columns: dict[str, Any], row: int) -> str | None:
        found = int(columns["pointers"][row])
        return self.pointers[found] if found >= 0 else None


_SHARED: list[weakref.ref[NearIndex]] = []


def shared_prompt_index(kind: str, max_chars: int) -> NearIndex:
    """An index of prompts (with their answers) shared by the rules that cluster prompts (DUP003, DUP004,
    DST002), so the work is done once per run: an empty one made in this process by another kind of rule
    with the same `max_chars`, or a new one. The engine makes all states of a run together, before any
    record is observed, so an empty index is always this run's; each state still observes (`add_once`)
    and merges (tokens) as if alone."""
    global _SHARED
    _SHARED = [ref for ref in _SHARED if ref() is not None]
    for ref in _SHARED:
        index = ref()
        if (index is not None and index.max_chars == max_chars and kind not in index.claimed
                and not len(index)):
            index.claimed.add(kind)
            return index
    index = NearIndex(max_chars, keep_second=True)
    index.claimed.add(kind)
    _SHARED.append(weakref.ref(index))
    return index


def _pack(texts: list[str]) -> tuple[bytes, Any]:
    np = _numpy()
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    ends = np.cumsum(np.fromiter((len(data) for data in encoded), dtype=np.int64, count=len(encoded)))
    return zlib.compress(b"".join(encoded), 1), ends


class Texts:
    """The kept texts by row: all in order (`each`), or many rows at once (`fetch`), each batch decompressed once."""

    def __init__(self, batches: list[Batch], second: bool) -> None:
        self._batches = batches
        self._second = second
        self._starts = [0]
        for batch in batches:
            self._starts.append(self._starts[-1] + len(batch.indices))

    def each(self) -> Iterator[str]:
        """Every text in order, a batch decompressed at a time (and not kept)."""
        for number in range(len(self._batches)):
            data, ends = self._unpacked(number)
            start = 0
            for end in ends.tolist():
                yield data[start:end].decode("utf-8", "surrogatepass")
                start = end

    def fetch(self, rows: Iterable[int]) -> dict[int, str]:
        """The texts of many rows at once, each batch decompressed once (not kept): for random access to
        rows spread over the whole run, where `texts[row]` would decompress a batch per row."""
        import bisect

        found: dict[int, str] = {}
        number, unpacked = -1, (b"", ())
        for row in sorted(set(rows)):
            if number < 0 or row >= self._starts[number + 1]:
                number = bisect.bisect_right(self._starts, row) - 1
                unpacked = self._unpacked(number)
            found[row] = self._text(unpacked, row - self._starts[number])
        return found

    def __getitem__(self, row: int) -> str:
        """One row's text (its batch decompressed for it: use `fetch` for many)."""
        return self.fetch((row,))[row]

    def _unpacked(self, number: int) -> tuple[bytes, Any]:
        """Batch `number`'s texts decompressed, and the end offset of each."""
        batch = self._batches[number]
        packed, ends = (batch.second, batch.second_ends) if self._second else (batch.texts, batch.ends)
        return zlib.decompress(packed or b""), ends

    @staticmethod
    def _text(unpacked: tuple[bytes, Any], offset: int) -> str:
        data, ends = unpacked
        start = int(ends[offset - 1]) if offset else 0
        return data[start:int(ends[offset])].decode("utf-8", "surrogatepass")


def leaders(count: int, edges: Any, similar: Any) -> Any:
    """For each of `count` rows (in reading order), the first row of its cluster: a row joins the cluster of
    the earliest leader among its verified earlier neighbours' leaders that it is itself similar to
    (`similar(leader, row)`, true at once for a verified neighbour), else leads a cluster of its own.

    Unlike connected components this never chains: every member is similar to its cluster's first row,
    so a finding naming the first is true of the pair it names."""
    np = _numpy()
    first = np.arange(count, dtype=np.int64)
    if not len(edges):
        return first
    earlier: dict[int, list[int]] = {}
    for left, right in edges.tolist():
        earlier.setdefault(right, []).append(left)
    for row in sorted(earlier):
        neighbours = earlier[row]
        direct = set(neighbours)
        for leader in sorted({int(first[n]) for n in neighbours}):
            if leader in direct or similar(leader, row):
                first[row] = leader
                break
    return first


@dataclass
class Clusters:
    """Near-duplicate clusters of an index: per row its cluster's first row (itself when alone)."""

    columns: dict[str, Any]
    first: Any  # (n,) int64: the first row of the row's cluster
    exact: Any  # (n,) int64: the first row with the same normalised text
    size: Any  # (n,) int64: records in the row's cluster

    def members(self) -> Iterator[int]:
        """Rows that belong to a cluster of two or more and are not its first, in reading order."""
        np = _numpy()
        rows = np.flatnonzero((self.size > 1) & (self.first != np.arange(len(self.first))))
        yield from rows.tolist()

    def pairs(self) -> list[tuple[int, int]]:
        """(member, its cluster's first row) for each member, in reading order."""
        members = list(self.members())
        return list(zip(members, self.first[members].tolist(), strict=True)) if members else []


def cluster(index: NearIndex, threshold: float) -> Clusters:
    """Cluster the index's records: exact copies together, near copies verified above `threshold`."""
    np = _numpy()
    columns = index.columns()
    count = len(columns["whole"])

    def candidates() -> tuple[Any, Any]:
        """Each row's first exact copy, and the candidate pairs among the first copies."""
        _, first_of, inverse = np.unique(columns["whole"], return_index=True, return_inverse=True)
        exact = first_of[inverse.reshape(-1)].astype(np.int64)
        unique_rows = np.flatnonzero((exact == np.arange(count)) & columns["sketched"])
        pairs = candidate_pairs(columns["keys"][unique_rows])
        return exact, unique_rows[pairs] if len(pairs) else np.zeros((0, 2), dtype=np.int64)

    texts: Any = index.texts()
    from dslint.parallel import run_jobs  # not at the top: the engine imports the rules

    if run_jobs() > 1:
        # The candidates are NumPy sorts, which release the GIL: count template lines (Python) meanwhile.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(candidates)
            template = template_lines(texts, count)
            exact, pairs = pending.result()
    else:
        exact, pairs = candidates()
        template = template_lines(texts, count)
    if template:
        texts = WithoutTemplate(texts, template)
    # Every row `leaders` compares is in a verified pair (a leader is one too), so in a candidate pair.
    fetched = pair_texts(texts, pairs)
    edges = verified_pairs(fetched, pairs, threshold)
    from rapidfuzz import fuzz

    cutoff = threshold * 100
    def similar(row: int, other: int) -> bool:
        text, other_text = fetched[row], fetched[other]
        return fuzz.ratio(text, other_text, score_cutoff=cutoff) >= cutoff and same_numbers(text, other_text)

    root = leaders(count, edges, similar)
    first = root[exact]
    size = np.bincount(first, minlength=count)[first]
    return Clusters(columns, first, exact, size)
