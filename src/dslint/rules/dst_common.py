"""What the DST rules share: the count of examples and files of a dataset, and file-level findings."""

from __future__ import annotations

from dslint.model import Example, Violation
from dslint.rules.minority import file_finding


def share(part: int, whole: int) -> str:
    """`12.5%` (one decimal under 10%, none above)."""
    value = 100 * part / whole if whole else 0.0
    return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"


class Dataset:
    """How many examples (records in a recognised format) the files checked together hold, and which files.

    Findings about the whole dataset are reported on the first file read (in reading order, which merging
    shards in file order keeps)."""

    def __init__(self) -> None:
        self.examples = 0
        self.paths: list[str] = []
        self._known: set[str] = set()

    def count(self, example: Example) -> None:
        path = example.source.path
        if path not in self._known:
            self._known.add(path)
            self.paths.append(path)
        if example.format is not None:
            self.examples += 1

    def merge(self, other: Dataset) -> None:
        self.examples += other.examples
        for path in other.paths:
            if path not in self._known:
                self._known.add(path)
                self.paths.append(path)

    def describe(self, count: int) -> str:
        files = f" across {len(self.paths):,} files" if len(self.paths) > 1 else ""
        return f"the dataset has {count:,} example{'s' if count != 1 else ''}{files}"

    def finding(self, message: str, *identity: str) -> Violation:
        return file_finding(self.paths[0] if self.paths else "", message, *identity)
