"""MinHash sketches of many texts at once, in NumPy: one-permutation hashing with densification, then LSH bands.

A text's shingles are its overlapping UTF-8 byte n-grams (`shingle` bytes; a shorter text is one shingle).
Each shingle (at most 8 bytes) is read as one integer through an unaligned strided view of the whole
batch's bytes and mixed: a few vectorised passes per batch, no Python loop per shingle. One-permutation hashing splits the hash space into `bands x rows`
bins and keeps the smallest value per bin: one pass over the shingles instead of one pass per permutation.
Empty bins (short texts) borrow from the next non-empty bin with an offset per distance (rotation
densification), so two texts with the same shingle set always get the same sketch. The sketch is never kept:
each band of `rows` values is folded into one 64-bit key, and only the `bands` keys are kept per text, with a
64-bit hash of the whole text (to tell exact copies apart).

Everything is deterministic (no per-process hash seed), so sketches from different processes or machines
can be merged.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

_BASE = 0x100000001B3  # an odd multiplier, for folding band values
_MASK64 = (1 << 64) - 1
_ROTATION = 0x9E3779B97F4A7C15  # added per bin of distance when an empty bin borrows a value
_EMPTY = _MASK64


def _numpy() -> Any:
    import numpy

    return numpy


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (xor-shift-multiply), in place on a uint64 array."""
    np = _numpy()
    with np.errstate(over="ignore"):
        values ^= values >> np.uint64(33)
        values *= np.uint64(0xFF51AFD7ED558CCD)
        values ^= values >> np.uint64(33)
        values *= np.uint64(0xC4CEB9FE1A85EC53)
        values ^= values >> np.uint64(33)
    return values


def sketch(texts: list[str], shingle: int, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(band keys `(n, bands)` uint64, whole-text hashes `(n,)` uint64, has-shingles `(n,)` bool) of `texts`.

    `bands * rows` must be a power of two. An empty text has no shingles (its keys are meaningless); a text
    shorter than `shingle` bytes is one shingle, padded.
    """
    np = _numpy()
    bins = bands * rows
    if bins & (bins - 1):
        raise ValueError("bands * rows must be a power of two")
    if not 1 <= shingle <= 8:
        raise ValueError("shingles are 1 to 8 bytes")
    count = len(texts)
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    whole = _hashes(encoded)
    lengths = np.fromiter((len(data) for data in encoded), dtype=np.int64, count=count)
    padding = b"\0" * shingle
    padded = [data if len(data) >= shingle or not data else data + padding[len(data):] for data in encoded]
    sizes = np.maximum(lengths, np.where(lengths > 0, shingle, 0))
    ends = np.cumsum(sizes)
    joined = b"".join(padded)
    span = len(joined) - shingle + 1
    if span <= 0:
        return np.zeros((count, bands), dtype=np.uint64), whole, lengths > 0
    # Each shingle's bytes read as one little-endian integer: an unaligned 8-byte view at every offset
    # (the buffer padded by 8 bytes), masked to `shingle` bytes, then mixed. No per-byte arithmetic.
    buffer = np.frombuffer(joined + bytes(8), dtype=np.uint8)
    hashes = np.ndarray(shape=(span,), dtype="<u8", buffer=buffer.data, strides=(1,)).astype(np.uint64)
    hashes &= np.uint64((1 << (8 * shingle)) - 1)
    _mix(hashes)
    # Each start's bin: its text's first bin plus the top bits of its hash; its value: the other bits.
    shift = np.uint64(64 - bins.bit_length() + 1)
    slot = (hashes >> shift).view(np.int64)
    slot += np.repeat(np.arange(0, count * bins, bins, dtype=np.int64), sizes)[:span]
    values = hashes & np.uint64((1 << int(shift)) - 1)
    # A shingle counts only when it ends inside its own text: the last `shingle - 1` starts of each do not.
    # They are given the empty value, which never wins a bin (cheaper than copying the rest out).
    tails = (ends[:, None] - np.arange(1, shingle, dtype=np.int64)[None, :]).ravel()
    values[tails[(tails >= 0) & (tails < span)]] = np.uint64(_EMPTY)
    minima = np.full(count * bins, _EMPTY, dtype=np.uint64)
    np.minimum.at(minima, slot, values)
    minima = _densify(minima.reshape(count, bins), bins)
    return _band_keys(minima, bands, rows), whole, lengths > 0


def _hashes(encoded: list[bytes]) -> np.ndarray:
    np = _numpy()
    return np.fromiter((int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")
                        for data in encoded), dtype=np.uint64, count=len(encoded))


def text_hashes(texts: list[str]) -> np.ndarray:
    """A 64-bit hash of each text (uint64)."""
    return _hashes([text.encode("utf-8", "surrogatepass") for text in texts])


def _densify(minima: np.ndarray, bins: int) -> np.ndarray:
    """Fill each empty bin from the next non-empty one (circularly), offset by the distance."""
    np = _numpy()
    empty_all = minima == np.uint64(_EMPTY)
    rows_with_empty = np.flatnonzero(empty_all.any(axis=1))
    if not len(rows_with_empty):
        return minima
    minima = minima.copy()
    minima[rows_with_empty] = _densify_rows(minima[rows_with_empty], empty_all[rows_with_empty], bins)
    return minima


def _densify_rows(minima: np.ndarray, empty: np.ndarray, bins: int) -> np.ndarray:
    np = _numpy()
    columns = np.arange(bins, dtype=np.int32)
    missing = np.int32(2 * bins)
    index = np.where(empty, missing, columns[None, :])
    first = index.min(axis=1)
    # Nearest non-empty bin at or after each bin; past the last one, wrap round to the row's first.
    nearest = np.ascontiguousarray(np.minimum.accumulate(index[:, ::-1], axis=1)[:, ::-1])
    wrapped = nearest == missing
    nearest[wrapped] = np.broadcast_to(first[:, None] + bins, nearest.shape)[wrapped]
    distance = (nearest - columns[None, :]).astype(np.uint64)
    nearest %= bins
    nearest[nearest >= bins] = 0  # rows with no shingle at all: any value will do
    borrowed = np.take_along_axis(minima, nearest.astype(np.intp), axis=1)
    with np.errstate(over="ignore"):
        return np.where(empty, borrowed + distance * np.uint64(_ROTATION), minima)


def _band_keys(minima: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Fold each band's `rows` values into one 64-bit key."""
    np = _numpy()
    grouped = minima.reshape(len(minima), bands, rows)
    with np.errstate(over="ignore"):
        keys = np.zeros((len(minima), bands), dtype=np.uint64)
        for row in range(rows):
            keys = _mix(keys * np.uint64(_BASE) + grouped[:, :, row])
    return keys


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Pairs `(m, 2)` of row numbers (smaller first, unique) that share a key in at least one band.

    Within a bucket every member is paired with the one before it and with the bucket's first: 2(k-1) pairs
    for a bucket of k, never k(k-1)/2, so a bucket of unrelated texts that happen to share a band (templated
    openings) costs linear time; the members of a real cluster are joined through the chain.
    """
    np = _numpy()
    found = []
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        same = ordered[1:] == ordered[:-1]
        if not same.any():
            continue
        positions = np.arange(1, len(order))
        starts = np.where(same, 0, positions)
        group_first = np.maximum.accumulate(np.concatenate(([0], starts)))[1:]
        later = order[1:][same]
        found.append(np.stack((order[:-1][same], later), axis=1))
        star = group_first[same]
        chained = positions[same] - 1
        keep = star != chained
        found.append(np.stack((order[star[keep]], later[keep]), axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64, copy=False)
    pairs.sort(axis=1)
    # Unique pairs as one int64 each (a 1-D unique is several times faster than a row-wise one).
    span = np.int64(len(keys))
    codes = distinct(pairs[:, 0] * span + pairs[:, 1])
    return np.stack((codes // span, codes % span), axis=1)


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of an array, sorted: `numpy.unique` by a sort (NumPy 2's hash-based `unique`
    is many times slower on millions of integers)."""
    np = _numpy()
    ordered = np.sort(values.ravel())
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
