"""Hugging Face datasets: a directory written by `save_to_disk` ("hf-disk") or a Hub id ("hf-hub").

`datasets` is imported lazily (it is heavy and optional). A DatasetDict is read split by split, each with
the source path `<display>#<split>`, so diagnostics say which split a record is in; a single Dataset keeps
the plain display path. Records have no line (`line` is None); `index` counts within the split.
"""

from __future__ import annotations

import os
import socket
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any

from dslint.model import RawRecord, ReadProblem, Source
from dslint.readers import ReaderError, Target
from dslint.readers.bytes_util import file_record

BATCH_ROWS = 1024
# How long to wait for the Hub's host before calling dslint offline, instead of letting each request
# run into huggingface_hub's own (longer, retried) timeouts.
PROBE_SECONDS = 3.0
_TRUTHY = ("1", "true", "yes", "on")


def read_hf(target: Target) -> Iterator[RawRecord]:
    """Records of a saved dataset directory or of a Hub dataset (streamed, nothing is downloaded whole)."""
    datasets = _import_datasets()
    if target.kind == "hf-hub":
        assert target.hub_id is not None, "an hf-hub target always has a hub id"
        loaded = _load_hub(datasets, target.hub_id)
    else:
        assert target.path is not None, "an hf-disk target always has a path"
        try:
            loaded = datasets.load_from_disk(str(target.path))
        except Exception as exc:  # datasets raises many types for a damaged directory; all mean "unreadable"
            message = f"not a readable saved dataset: {_one_line(exc)}"
            yield file_record(target.display, ReadProblem.UNREADABLE_FILE, message, line=None)
            return
    if isinstance(loaded, dict):  # DatasetDict and IterableDatasetDict are dicts of splits
        for split, dataset in loaded.items():
            yield from _split_records(f"{target.display}#{split}", _rows(datasets, dataset))
    else:
        yield from _split_records(target.display, _rows(datasets, loaded))


def _import_datasets() -> Any:
    try:
        import datasets
    except ImportError as exc:
        raise ReaderError("reading Hugging Face datasets needs the datasets package: pip install 'dslint[hf]'") from exc
    return datasets


def _load_hub(datasets: Any, hub_id: str) -> Any:
    """The streaming dataset for `hub_id`, or ReaderError with a one-line reason (fast when offline)."""
    offline = any(os.environ.get(name, "").lower() in _TRUTHY for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"))
    if not offline and not _hub_reachable():
        raise ReaderError(
            f"cannot load Hub dataset '{hub_id}': the Hub cannot be reached; dslint is offline or the id is wrong"
        )
    try:
        return datasets.load_dataset(hub_id, streaming=True)
    except Exception as exc:  # network, auth, missing repo, bad config: all end the run the same way
        raise ReaderError(
            f"cannot load Hub dataset '{hub_id}': {_one_line(exc)}; dslint is offline or the id is wrong"
        ) from exc


def _hub_reachable() -> bool:
    """Whether a TCP connection to the Hub (or to the configured HTTPS proxy) opens within PROBE_SECONDS."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    proxy = urllib.request.getproxies().get("https")
    if proxy and urllib.request.proxy_bypass(urllib.parse.urlsplit(endpoint).hostname or ""):
        proxy = None
    url = urllib.parse.urlsplit(proxy or endpoint)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=PROBE_SECONDS):
            return True
    except OSError:
        return False


def _split_records(display: str, rows: Iterable[dict[str, Any]]) -> Iterator[RawRecord]:
    index = 0
    try:
        for row in rows:
            yield RawRecord(Source(display, None, index), row)
            index += 1
    except Exception as exc:  # a stream that breaks part-way (network, corrupt shard): keep what was read
        yield file_record(display, ReadProblem.UNREADABLE_FILE, f"stopped reading: {_one_line(exc)}", line=None)
        return
    if index == 0:
        yield file_record(display, ReadProblem.EMPTY_FILE, "dataset holds no rows", line=None)


def _rows(datasets: Any, dataset: Any) -> Iterator[dict[str, Any]]:
    """Rows as plain dicts; an on-disk Dataset is read as Arrow batches (several times faster per row)."""
    if isinstance(dataset, datasets.Dataset):
        for table in dataset.with_format("arrow").iter(batch_size=BATCH_ROWS):
            yield from table.to_pylist()
    else:
        yield from dataset


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
