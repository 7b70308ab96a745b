"""Which paths `dslint check` reads: evaluation sets given with `--against` (DUP005), read apart from the
checked data, and the configured `datasets` checked when no path is given."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from dslint.readers import Target
from dslint.readers.discover import discover


def _key(target: Target) -> str:
    return os.path.normcase(os.path.abspath(target.path)) if target.path is not None else target.display


def split_against(targets: Sequence[Target], against: Sequence[str]) -> tuple[list[Target], list[Target]]:
    """(the targets to check, the evaluation targets): an evaluation file is never checked as training data,
    even when a checked directory holds it."""
    evaluation = discover(list(against), root=Path.cwd())
    excluded = {_key(target) for target in evaluation}
    return [target for target in targets if _key(target) not in excluded], evaluation


def configured_datasets(datasets: Sequence[str], root: Path, cwd: Path) -> list[str]:
    """The `datasets` of a config file in `root`, as paths from `cwd` (relative where possible)."""
    found = []
    for entry in datasets:
        path = Path(entry) if Path(entry).is_absolute() else root / entry
        try:
            found.append(os.path.relpath(path, cwd))
        except ValueError:  # another drive (Windows)
            found.append(str(path))
    return found
