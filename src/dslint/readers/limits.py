"""The record size limit: lines longer than `max-record-bytes` are measured and skipped, never parsed.

A JSON Lines reader that reads a line whole before parsing it holds the whole line in memory, however
long: one 2 GB line (a scraped page, a file that lost its newlines) would take the run down. Lines are
read in pieces of at most the limit instead; a longer line is counted through to its end and handed on
as an `OversizeLine`, which the reader reports as a finding without decoding it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO

DEFAULT_MAX_RECORD_BYTES = 64 << 20  # 64 MiB: far above any real training example, far below a machine's RAM
# Pieces in which the rest of an over-long line is skipped.
_SKIP_CHUNK = 1 << 20
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"b": 1, **{prefix + suffix: (1000 if suffix in ("", "b") else 1024) ** power
                     for power, prefix in enumerate("kmgt", 1) for suffix in ("", "b", "i", "ib")}}


class OversizeLine(bytes):
    """Stands in for a line over the limit. It is empty, so the JSON parser rejects it and the reader's
    error path (never its hot path) reports it; `size` is the line's length in bytes without its final newline."""

    size: int
    limit: int

    @classmethod
    def of(cls, size: int, limit: int) -> OversizeLine:
        line = cls()
        line.size, line.limit = size, limit
        return line

    def describe(self) -> str:
        """The one-line finding message."""
        return (f"record not checked: the line is {describe_size(self.size)}, over the max-record-bytes "
                f"limit of {describe_size(self.limit)} (raise it with --max-record-bytes)")


def parse_byte_size(value: str | int) -> int:
    """`67108864`, `64MiB`, `1 GB`, `512k` ... as a positive number of bytes (decimal units are powers of
    1000, binary ones of 1024); ValueError with a one-line reason."""
    match = _SIZE.match(str(value))
    if match is None or isinstance(value, bool):
        raise ValueError(f"{value!r} is not a size (write bytes, or e.g. 64MiB, 1GB)")
    number, unit = match.groups()
    size = int(float(number) * _UNITS[(unit or "b").lower()])
    if size < 1:
        raise ValueError(f"{value!r}: the size must be at least 1 byte")
    return size


def describe_size(size: int) -> str:
    """`67,108,864 bytes (64.0 MiB)`."""
    shown, unit = float(size), "bytes"
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if shown < 1024 or unit == "TiB":
            break
        shown /= 1024
    return f"{size:,} bytes" if unit == "bytes" else f"{size:,} bytes ({shown:.1f} {unit})"


def bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes]:
    """The lines of `stream` (with their endings), each line longer than `limit` bytes replaced by an
    `OversizeLine`; memory stays within about `limit` bytes whatever the stream holds."""
    readline = stream.readline
    cap = limit + 1  # a line of exactly `limit` bytes plus its newline still fits
    while True:
        line = readline(cap)
        if len(line) < cap or line[-1] == 10:  # shorter than the cap (or the last line), or ends here
            if not line:
                return
            yield line
            continue
        size = len(line)
        while True:
            chunk = readline(_SKIP_CHUNK)
            if not chunk:
                break
            if chunk[-1] == 10:
                size += len(chunk) - 1
                break
            size += len(chunk)
        yield OversizeLine.of(size, limit)


class PrefixedStream(io.RawIOBase):
    """`head` (bytes already read off a stream, e.g. to sniff it), then the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        return self._stream.readinto(buffer)  # type: ignore[attr-defined]


def prefixed(head: bytes, stream: BinaryIO) -> BinaryIO:
    """A buffered stream reading `head`, then the rest of `stream`."""
    return io.BufferedReader(PrefixedStream(head, stream), 1 << 16)  # type: ignore[return-value]
