"""Discovery: which targets a list of command-line paths becomes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from dslint.readers import ReaderError, Target
from dslint.readers.discover import STDIN_DISPLAY, discover


def _touch(root: Path, *names: str, content: str = "{}\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def _shown(targets: list[Target]) -> list[tuple[str, str]]:
    return [(target.kind, target.display) for target in targets]


def test_stdin_and_hub(tmp_path: Path) -> None:
    targets = discover(["-", "hf:org/name", "-"], root=tmp_path)
    assert targets == [Target("stdin", STDIN_DISPLAY), Target("hf-hub", "hf:org/name", hub_id="org/name")]
    assert STDIN_DISPLAY == "<stdin>"


def test_hub_prefix_without_an_id(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="expected a Hub dataset id"):
        discover(["hf:"], root=tmp_path)


def test_files_by_suffix_case_insensitive(tmp_path: Path) -> None:
    names = ["a.JSONL", "b.ndjson", "c.jsonl.gz", "d.json", "e.JSON.GZ", "f.parquet", "g.Csv", "h.ndjson.gz"]
    _touch(tmp_path, *names)
    targets = discover(names, root=tmp_path)
    assert _shown(targets) == [
        ("jsonl", "a.JSONL"),
        ("jsonl", "b.ndjson"),
        ("jsonl", "c.jsonl.gz"),
        ("json", "d.json"),
        ("json", "e.JSON.GZ"),
        ("parquet", "f.parquet"),
        ("csv", "g.Csv"),
        ("jsonl", "h.ndjson.gz"),
    ]
    assert targets[0].path == tmp_path / "a.JSONL"


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"^nope\.jsonl: no such file or directory$"):
        discover(["nope.jsonl"], root=tmp_path)


@pytest.mark.parametrize(("content", "kind"), [(b'\n  {"a": 1}\n', "jsonl"), (b"\xef\xbb\xbf[{}]", "json")])
def test_unknown_suffix_is_sniffed(tmp_path: Path, content: bytes, kind: str) -> None:
    (tmp_path / "data.txt").write_bytes(content)
    assert _shown(discover(["data.txt"], root=tmp_path)) == [(kind, "data.txt")]


def test_unknown_suffix_that_is_not_json(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ReaderError, match=r"^notes\.txt: unknown file type; dslint reads \.jsonl, "):
        discover(["notes.txt"], root=tmp_path)


def test_fifo_with_unknown_suffix_is_not_opened(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe")
    errors: list[Exception] = []

    def run() -> None:
        try:
            discover(["pipe"], root=tmp_path)
        except ReaderError as exc:
            errors.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "discover blocked on a FIFO"
    assert "not a regular file" in str(errors[0])


def test_fifo_with_a_known_suffix_becomes_a_target(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "x.jsonl")
    assert _shown(discover(["x.jsonl"], root=tmp_path)) == [("jsonl", "x.jsonl")]  # the reader reports it


def test_directory_walk_is_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "data/b.jsonl",
        "data/a.json",
        "data/sub/c.csv",
        "data/readme.md",
        "data/.hidden.jsonl",
        "data/.git/x.jsonl",
        "data/__pycache__/y.jsonl",
        "data/A/z.parquet",
    )
    assert _shown(discover(["data"], root=tmp_path)) == [
        ("parquet", "data/A/z.parquet"),
        ("json", "data/a.json"),
        ("jsonl", "data/b.jsonl"),
        ("csv", "data/sub/c.csv"),
    ]


def test_walking_the_root_itself(tmp_path: Path) -> None:
    _touch(tmp_path, "x.jsonl", "d/y.jsonl")
    assert _shown(discover(["."], root=tmp_path)) == [("jsonl", "d/y.jsonl"), ("jsonl", "x.jsonl")]


def test_excludes_apply_to_walked_files(tmp_path: Path) -> None:
    _touch(tmp_path, "data/keep.jsonl", "data/skip.jsonl", "data/build/a.jsonl", "data/raw/b.jsonl", "data/raw.jsonl")
    targets = discover(["data"], root=tmp_path, exclude=["skip.jsonl", "build/", "data/raw/"])
    assert _shown(targets) == [("jsonl", "data/keep.jsonl"), ("jsonl", "data/raw.jsonl")]


def test_named_files_ignore_excludes_unless_forced(tmp_path: Path) -> None:
    _touch(tmp_path, "data/skip.jsonl", "data/other.jsonl")
    args = ["data/skip.jsonl", "data"]
    assert _shown(discover(args, root=tmp_path, exclude=["skip.jsonl"])) == [
        ("jsonl", "data/skip.jsonl"),
        ("jsonl", "data/other.jsonl"),
    ]
    assert _shown(discover(args, root=tmp_path, exclude=["skip.jsonl"], force_exclude=True)) == [
        ("jsonl", "data/other.jsonl")
    ]
    assert discover(["data"], root=tmp_path, exclude=["data/"], force_exclude=True) == []


def test_saved_hf_dataset_directories(tmp_path: Path) -> None:
    _touch(tmp_path, "ds/state.json", "ds/dataset_info.json", "ds/data-00000-of-00001.arrow")
    _touch(tmp_path, "corpus/dd/dataset_dict.json", "corpus/dd/train/state.json", "corpus/z.jsonl")
    assert _shown(discover(["ds", "corpus"], root=tmp_path)) == [
        ("hf-disk", "ds"),
        ("hf-disk", "corpus/dd"),
        ("jsonl", "corpus/z.jsonl"),
    ]


def test_llama_factory_registry_is_not_a_saved_dataset(tmp_path: Path) -> None:
    _touch(tmp_path, "data/dataset_info.json", "data/alpaca.json")
    targets = discover(["data"], root=tmp_path)
    assert _shown(targets) == [("json", "data/alpaca.json"), ("json", "data/dataset_info.json")]


def test_symlink_loop_and_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    _touch(tmp_path, "data/a.jsonl", "elsewhere/b.jsonl")
    (tmp_path / "data" / "loop").symlink_to(tmp_path / "data", target_is_directory=True)
    (tmp_path / "data" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "data" / "x.jsonl").symlink_to(tmp_path / "data" / "y.jsonl")
    (tmp_path / "data" / "y.jsonl").symlink_to(tmp_path / "data" / "x.jsonl")
    result: list[Target] = []
    worker = threading.Thread(target=lambda: result.extend(discover(["data"], root=tmp_path)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the walk did not terminate"
    # the looping file symlinks are listed; their reader reports "Too many levels of symbolic links"
    assert _shown(result) == [("jsonl", "data/a.jsonl"), ("jsonl", "data/x.jsonl"), ("jsonl", "data/y.jsonl")]


def test_duplicates_are_listed_once(tmp_path: Path) -> None:
    _touch(tmp_path, "data/a.jsonl", "data/b.jsonl")
    targets = discover(["data/a.jsonl", "data", "./data/a.jsonl", str(tmp_path / "data" / "b.jsonl")], root=tmp_path)
    assert _shown(targets) == [("jsonl", "data/a.jsonl"), ("jsonl", "data/b.jsonl")]


def test_display_outside_the_root_is_as_given(tmp_path: Path) -> None:
    _touch(tmp_path, "outside/a.jsonl", "root/r.jsonl")
    root = tmp_path / "root"
    absolute = str(tmp_path / "outside")
    assert _shown(discover(["../outside", absolute + "/a.jsonl", "r.jsonl"], root=root)) == [
        ("jsonl", "../outside/a.jsonl"),
        ("jsonl", "r.jsonl"),
    ]
    assert _shown(discover([absolute], root=root)) == [("jsonl", f"{Path(absolute).as_posix()}/a.jsonl")]
