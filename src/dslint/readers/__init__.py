"""Readers: turn a target (a file, stdin, a saved dataset directory or a Hub id) into raw records.

Contract, for every reader:
- `read(target)` is a generator of `RawRecord`, streaming where the file type allows it;
- nothing raises for bad data: a line that is not JSON, invalid UTF-8, a record that is not an object, an
  unreadable or empty file each become a `RawRecord` carrying a `ReadProblem` (file-level problems have
  `source.index == -1` and `source.line` 1 or None), and reading goes on where it can;
- only a problem the user must fix before anything can run (a missing optional dependency, an offline Hub)
  raises `ReaderError`, whose message is one clear line; the CLI turns it into exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dslint.model import RawRecord
from dslint.readers.limits import DEFAULT_MAX_RECORD_BYTES

STDIN = "-"
HUB_PREFIX = "hf:"

# Known file types, by suffix (lower case). `.gz` variants of the line formats are read transparently.
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
JSON_SUFFIXES = (".json", ".json.gz")
PARQUET_SUFFIXES = (".parquet",)
CSV_SUFFIXES = (".csv",)
KNOWN_SUFFIXES = JSONL_SUFFIXES + JSON_SUFFIXES + PARQUET_SUFFIXES + CSV_SUFFIXES


class ReaderError(Exception):
    """A problem that stops the run before any data is read (exit code 2), with a one-line message."""


@dataclass(frozen=True)
class Target:
    """Something to read. `display` is the path as reported (relative to the working directory, POSIX)."""

    kind: str  # "jsonl" | "json" | "parquet" | "csv" | "hf-disk" | "hf-hub" | "stdin"
    display: str
    path: Path | None = None
    hub_id: str | None = None


def read(target: Target, max_record_bytes: int | None = None, *, duplicate_keys: bool = True) -> Iterator[RawRecord]:
    """Dispatch to the reader for the target's kind (imported lazily: parquet and hf are heavy).

    `max_record_bytes` (default: `limits.DEFAULT_MAX_RECORD_BYTES`) bounds the lines of JSON Lines input;
    `duplicate_keys=False` lets the JSON Lines reader skip its search for repeated keys.
    """
    if target.kind in ("jsonl", "stdin"):
        from dslint.readers.jsonl import read_jsonl

        limit = DEFAULT_MAX_RECORD_BYTES if max_record_bytes is None else max_record_bytes
        return read_jsonl(target, limit, duplicate_keys=duplicate_keys)
    if target.kind == "json":
        from dslint.readers.json_file import read_json

        return read_json(target)
    if target.kind == "csv":
        from dslint.readers.tabular import read_csv

        return read_csv(target)
    if target.kind == "parquet":
        from dslint.readers.tabular import read_parquet

        return read_parquet(target)
    if target.kind in ("hf-disk", "hf-hub"):
        from dslint.readers.hf import read_hf

        return read_hf(target)
    raise ReaderError(f"{target.display}: unknown target kind {target.kind}")
