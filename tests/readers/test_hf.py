"""Hugging Face readers: saved datasets on disk, and Hub ids failing fast and cleanly when offline.

Nothing here downloads: datasets are built locally, and Hub tests run offline or with the network
probe stubbed out.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dslint.model import RawRecord, ReadProblem
from dslint.readers import ReaderError, Target
from dslint.readers import hf as hf_reader
from dslint.readers.hf import read_hf

pytestmark = pytest.mark.hf

ROWS = [{"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}]} for i in range(3)]


@pytest.fixture
def datasets() -> Any:
    return pytest.importorskip("datasets")


def _read(path: Path, display: str = "ds") -> list[RawRecord]:
    return list(read_hf(Target("hf-disk", display, path)))


def test_saved_dataset(datasets: Any, tmp_path: Path) -> None:
    datasets.Dataset.from_list(ROWS).save_to_disk(str(tmp_path / "ds"))
    records = _read(tmp_path / "ds")
    assert [r.value for r in records] == ROWS
    assert [(r.source.path, r.source.line, r.source.index) for r in records] == [("ds", None, i) for i in range(3)]


def test_saved_dataset_dict_reads_every_split(datasets: Any, tmp_path: Path) -> None:
    splits = {"train": datasets.Dataset.from_list(ROWS), "test": datasets.Dataset.from_list(ROWS[:1])}
    datasets.DatasetDict(splits).save_to_disk(str(tmp_path / "dd"))
    records = _read(tmp_path / "dd", "data/dd")
    assert [(r.source.path, r.source.index) for r in records] == [
        ("data/dd#train", 0),
        ("data/dd#train", 1),
        ("data/dd#train", 2),
        ("data/dd#test", 0),
    ]


def test_empty_dataset(datasets: Any, tmp_path: Path) -> None:
    # num_shards=1: datasets 5.x cannot load back the zero-shard directory it writes by default for no rows
    datasets.Dataset.from_dict({"text": []}).save_to_disk(str(tmp_path / "empty"), num_shards=1)
    [record] = _read(tmp_path / "empty")
    assert (record.problem, record.source.index, record.source.line) == (ReadProblem.EMPTY_FILE, -1, None)


def test_damaged_directory(datasets: Any, tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "state.json").write_text("{not json")
    (tmp_path / "bad" / "dataset_info.json").write_text("{}")
    [record] = _read(tmp_path / "bad")
    assert record.problem is ReadProblem.UNREADABLE_FILE
    assert record.message.startswith("not a readable saved dataset: ")
    assert "\n" not in record.message


def test_missing_datasets_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_datasets(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "datasets":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_datasets)
    with pytest.raises(ReaderError, match=r"needs the datasets package: pip install 'dslint\[hf\]'"):
        _read(tmp_path)


def test_hub_unreachable_fails_at_once(datasets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    monkeypatch.setattr(hf_reader, "_hub_reachable", lambda: False)
    with pytest.raises(ReaderError) as caught:
        list(read_hf(Target("hf-hub", "hf:org/name", hub_id="org/name")))
    assert str(caught.value) == (
        "cannot load Hub dataset 'org/name': the Hub cannot be reached; dslint is offline or the id is wrong"
    )


def test_hub_errors_become_one_line(datasets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Couldn't reach 'org/name' on the Hub\nmore detail\n")

    monkeypatch.setattr(hf_reader, "_hub_reachable", lambda: True)
    monkeypatch.setattr(datasets, "load_dataset", refuse)
    with pytest.raises(ReaderError) as caught:
        list(read_hf(Target("hf-hub", "hf:org/name", hub_id="org/name")))
    assert str(caught.value) == (
        "cannot load Hub dataset 'org/name': Couldn't reach 'org/name' on the Hub; dslint is offline or the id is wrong"
    )


def test_hub_in_offline_mode_fails_fast(datasets: Any, tmp_path: Path) -> None:
    # A fresh process: huggingface_hub reads HF_HUB_OFFLINE when it is imported.
    script = (
        "from dslint.readers import Target, ReaderError\n"
        "from dslint.readers.hf import read_hf\n"
        "try:\n"
        "    list(read_hf(Target('hf-hub', 'hf:dslint-test/none', hub_id='dslint-test/none')))\n"
        "except ReaderError as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path)}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert time.monotonic() - started < 60
    assert result.stdout.startswith("cannot load Hub dataset 'dslint-test/none': ")
    assert result.stdout.strip().endswith("; dslint is offline or the id is wrong")
    assert result.stdout.count("\n") == 1
