"""Turn command-line paths into targets: files by suffix, directories walked, `-` for stdin, `hf:org/name`
for a Hub dataset, and directories written by `datasets.save_to_disk` as one target each."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from dslint.globs import compile_globs
from dslint.readers import (
    CSV_SUFFIXES,
    HUB_PREFIX,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    KNOWN_SUFFIXES,
    PARQUET_SUFFIXES,
    STDIN,
    ReaderError,
    Target,
)
from dslint.readers.bytes_util import UTF8_BOM

STDIN_DISPLAY = "<stdin>"
# Directory names never walked into (hidden ones, starting with ".", are skipped too).
SKIPPED_DIRS = ("__pycache__", "node_modules")
_KINDS = ((JSONL_SUFFIXES, "jsonl"), (JSON_SUFFIXES, "json"), (PARQUET_SUFFIXES, "parquet"), (CSV_SUFFIXES, "csv"))
_SNIFF_SIZE = 4096


def discover(
    paths: Sequence[str], *, root: Path, exclude: Sequence[str] = (), force_exclude: bool = False
) -> list[Target]:
    """The targets named by `paths`, in order, each once.

    Files found by walking a directory are skipped when they match an `exclude` glob; a file or directory
    named explicitly is kept unless `force_exclude` is set (as in ruff, so pre-commit can pass every file
    and the config's excludes still apply). Displays are POSIX paths relative to `root` (the working
    directory) when inside it, else as given. Raises ReaderError for a path that does not exist or a named
    file whose type cannot be told.
    """
    excluded = compile_globs(exclude)
    root = Path(os.path.abspath(root))
    targets: list[Target] = []
    seen: set[str] = set()
    for arg in paths:
        for target in _expand(arg, root, excluded, force_exclude):
            key = _identity(target)
            if key not in seen:
                seen.add(key)
                targets.append(target)
    return targets


def kind_for_name(name: str) -> str | None:
    """The reader kind for a file name by its suffix (case-insensitive), or None if unknown."""
    lower = name.lower()
    for suffixes, kind in _KINDS:
        if lower.endswith(suffixes):
            return kind
    return None


def is_hf_dataset_dir(path: Path) -> bool:
    """Whether `path` was written by `datasets.save_to_disk` (a Dataset or a DatasetDict).

    `dataset_info.json` alone is not enough: LLaMA-Factory keeps a registry of that name in its data
    directories, beside the real data files.
    """
    return (path / "dataset_dict.json").is_file() or (
        (path / "state.json").is_file() and (path / "dataset_info.json").is_file()
    )


def _expand(arg: str, root: Path, excluded: Callable[[str], bool], force_exclude: bool) -> Iterator[Target]:
    if arg == STDIN:
        yield Target("stdin", STDIN_DISPLAY)
        return
    if arg.startswith(HUB_PREFIX):
        hub_id = arg[len(HUB_PREFIX) :].strip("/")
        if not hub_id:
            raise ReaderError(f"{arg}: expected a Hub dataset id after {HUB_PREFIX}, e.g. {HUB_PREFIX}org/name")
        yield Target("hf-hub", arg, hub_id=hub_id)
        return
    path = root / arg
    try:
        os.stat(path)  # not Path.exists(): it calls a symlink loop "no such file"
    except FileNotFoundError:
        raise ReaderError(f"{arg}: no such file or directory") from None
    except OSError as exc:
        raise ReaderError(f"{arg}: {exc.strerror or exc}") from None
    display = _display(path, arg, root)
    if force_exclude and excluded(display + ("/" if path.is_dir() else "")):
        return
    if not path.is_dir():
        yield Target(kind_for_name(path.name) or _sniff(path, arg), display, path)
    elif is_hf_dataset_dir(path):
        yield Target("hf-disk", display, path)
    else:
        yield from sorted(_walk(path, display, excluded), key=lambda target: target.display.split("/"))


def _walk(directory: Path, display: str, excluded: Callable[[str], bool]) -> Iterator[Target]:
    """Known data files (and saved datasets) under `directory`; symlinked directories are not followed."""
    for current, dirnames, filenames in os.walk(directory):
        base = posixpath.normpath(posixpath.join(display, Path(current).relative_to(directory).as_posix()))
        kept = []
        for name in dirnames:
            shown = _join(base, name)
            if name.startswith(".") or name in SKIPPED_DIRS or excluded(shown + "/"):
                continue
            if is_hf_dataset_dir(Path(current, name)):
                yield Target("hf-disk", shown, Path(current, name))
            else:
                kept.append(name)
        dirnames[:] = kept  # os.walk descends only into these
        for name in filenames:
            kind = kind_for_name(name)
            shown = _join(base, name)
            if kind is not None and not name.startswith(".") and not excluded(shown):
                yield Target(kind, shown, Path(current, name))


def _join(base: str, name: str) -> str:
    return name if base == "." else f"{base}/{name}"


def _display(path: Path, arg: str, root: Path) -> str:
    """`path` relative to `root` in POSIX form when inside it, else the argument as given."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(arg).as_posix()


def _sniff(path: Path, arg: str) -> str:
    """The kind of a named file with an unknown suffix, from its first non-blank byte."""
    supported = f"dslint reads {', '.join(KNOWN_SUFFIXES)} files, saved Hugging Face datasets and hf:org/name"
    if not path.is_file():  # never open a FIFO or device to sniff it: that could block
        raise ReaderError(f"{arg}: not a regular file and its name does not tell its type; {supported}")
    try:
        with open(path, "rb") as stream:
            head = stream.read(_SNIFF_SIZE)
    except OSError as exc:
        raise ReaderError(f"{arg}: cannot read file: {exc.strerror or exc}") from exc
    first = head.removeprefix(UTF8_BOM).lstrip()[:1]
    if first == b"{":
        return "jsonl"
    if first == b"[":
        return "json"
    raise ReaderError(f"{arg}: unknown file type; {supported}")


def _identity(target: Target) -> str:
    """What makes two targets the same: the resolved file, the Hub id, or stdin."""
    if target.path is not None:
        return f"path:{os.path.realpath(target.path)}"  # unlike Path.resolve, never raises on a symlink loop
    return f"hub:{target.hub_id}" if target.hub_id else "stdin"
