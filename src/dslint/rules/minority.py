"""The "minority" mechanism shared by the MIX dataset rules: count a category per record, flag the odd ones.

A dataset here is one file: every count is kept per file (and, where a rule asks for it, per sub-group of
the file such as a format), so files checked together are never compared with each other.

State is bounded: per (file, sub-group) a counter per category, and the locations (source, digest,
pointer) of at most `max-reported` records per category, the first ones by record index. `merge` adds the
counters and keeps the first locations of the union, so checking two halves of a file apart and merging
gives exactly what checking it whole gives.

At `finish`, per (file, sub-group):
- one category only: nothing to say;
- a unique largest category (the majority): every kept record of every other category is flagged, naming
  the majority, and a category with more records than it kept adds one file-level "… and N more" finding;
- two or more categories tied for largest: no majority to name, so one file-level finding gives the counts.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Hashable, Iterator
from typing import Any, Protocol

from pydantic import Field

from dslint.fixing.model import Fix
from dslint.model import Example, Source, Violation, content_digest
from dslint.rules.base import DatasetRuleBase, RuleOptions

DEFAULT_MAX_REPORTED = 1000


class MinorityOptions(RuleOptions):
    """Options every minority rule takes."""

    max_reported: int = Field(
        DEFAULT_MAX_REPORTED,
        ge=1,
        description="Most records listed per category and file; the rest are summed up in one finding.",
    )


class Location:
    """Where one counted record is, and what a finding about it needs once the record has gone.

    `detail` is small, rule-specific data about the record (never its content), e.g. its roles. Built for
    every counted record, so it is cheap: the record's digest is computed only for the locations a bucket
    keeps (`settle`), which also drops the reference to the example.
    """

    __slots__ = ("source", "pointer", "detail", "_digest", "_example")

    def __init__(self, source: Source, digest: str | None, pointer: str | None,
                 detail: tuple[Any, ...] = (), example: Example | None = None) -> None:
        self.source = source
        self.pointer = pointer
        self.detail = detail
        self._digest = digest
        self._example = example

    @property
    def digest(self) -> str:
        self.settle()
        return self._digest or ""

    def settle(self) -> Location:
        if self._example is not None:
            self._digest = self._example.digest()
            if callable(self.detail):
                # A detail given as a function of the example is computed only for the records kept.
                self.detail = self.detail(self._example)
            self._example = None
        return self

    @property
    def order(self) -> tuple[int, str]:
        return (self.source.index, self.pointer or "")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Location) and (self.source, self.digest, self.pointer, self.detail) == (
            other.source, other.digest, other.pointer, other.detail)

    def __hash__(self) -> int:
        return hash((self.source, self.pointer))

    def __repr__(self) -> str:
        return f"Location({self.source!r}, {self.pointer!r}, {self.detail!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Settled and as a plain tuple: a parallel run's workers send back thousands of locations.
        return (Location, (self.source, self.digest, self.pointer, self.detail))


def _order(location: Location) -> tuple[int, str]:
    return location.order


_NOT_FULL = sys.maxsize  # a bucket's horizon until it is full


class Bucket:
    """How many records fell in one category, and the locations of the first `cap` of them by record index.

    `horizon` is the index of the last kept record once the bucket is full (until then, larger than any
    index): a record after it is only counted, which is what happens to most records of a large file.
    """

    __slots__ = ("cap", "count", "horizon", "kept")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.count = 0
        self.horizon = _NOT_FULL
        self.kept: list[Location] = []

    def add(self, location: Location) -> None:
        self.count += 1
        if location.source.index > self.horizon:
            return  # the usual case once full: a later record than every kept one
        kept = self.kept
        if len(kept) < self.cap:
            if not kept or kept[-1].order <= location.order:
                kept.append(location.settle())  # the usual case: records arrive in index order
            else:
                bisect.insort(kept, location.settle(), key=_order)
        elif location.order < kept[-1].order:
            bisect.insort(kept, location.settle(), key=_order)
            kept.pop()
        else:
            return
        self._update_horizon()

    def merge(self, other: Bucket) -> None:
        self.count += other.count
        self.kept = sorted(self.kept + other.kept, key=_order)[: self.cap]
        self._update_horizon()

    def _update_horizon(self) -> None:
        if len(self.kept) >= self.cap:
            self.horizon = self.kept[-1].source.index

    @property
    def unlisted(self) -> int:
        return self.count - len(self.kept)


GroupKey = tuple[str, Hashable]  # (file path, sub-group within the file)


class Wording(Protocol):
    """How a rule words the findings of its tracker."""

    def minority_message(self, location: Location, category: Hashable, majority: Hashable,
                         majority_count: int, total: int, sub: Hashable) -> str: ...

    def unlisted_message(self, category: Hashable, count: int, sub: Hashable) -> str: ...

    def tie_message(self, counts: list[tuple[Hashable, int]], sub: Hashable) -> str: ...

    def minority_fix(self, location: Location, category: Hashable, majority: Hashable,
                     sub: Hashable) -> Fix | None: ...


def file_finding(path: str, message: str, *identity: Any) -> Violation:
    """A file-level finding; `identity` (never counts) keeps fingerprints of several such findings apart."""
    return Violation(message, None, None, content_digest([str(part) for part in identity]), path)


class Buckets:
    """Buckets by key, all with the same cap; merging merges bucket by bucket."""

    __slots__ = ("by_key", "cap")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.by_key: dict[Hashable, Bucket] = {}

    def add(self, key: Hashable, location: Location) -> None:
        self._bucket(key).add(location)

    def add_example(self, key: Hashable, example: Example, pointer: str | None = None,
                    detail: tuple[Any, ...] = ()) -> None:
        self._bucket(key).add(Location(example.source, None, pointer, detail, example))

    def merge(self, other: Buckets) -> None:
        for key, bucket in other.by_key.items():
            self._bucket(key).merge(bucket)

    def _bucket(self, key: Hashable) -> Bucket:
        bucket = self.by_key.get(key)
        if bucket is None:
            bucket = self.by_key[key] = Bucket(self.cap)
        return bucket


class MinorityTracker:
    """Per (file, sub-group): Buckets by category. See the module docstring for what `finish` reports."""

    def __init__(self, max_reported: int) -> None:
        self.max_reported = max_reported
        self.groups: dict[GroupKey, Buckets] = {}

    def add(self, category: Hashable, location: Location, sub: Hashable = None) -> None:
        key = (location.source.path, sub)
        group = self.groups.get(key) or self._group(key)
        bucket = group.by_key.get(category) or group._bucket(category)
        bucket.add(location)

    def count(self, category: Hashable, example: Example, pointer: str | None = None, sub: Hashable = None,
              detail: tuple[Any, ...] = ()) -> None:
        """Count one thing of `example` in `category` (within sub-group `sub` of its file); `pointer` is
        where a finding about it would point, `detail` what its message needs (see `Location`).

        Called for every record by every minority rule: the lookups are inlined on purpose, and the
        Location is built only when its bucket keeps it."""
        key = (example.source.path, sub)
        group = self.groups.get(key) or self._group(key)
        bucket = group.by_key.get(category) or group._bucket(category)
        if example.source.index > bucket.horizon:
            bucket.count += 1
        else:
            bucket.add(Location(example.source, None, pointer, detail, example))

    def merge(self, other: MinorityTracker) -> None:
        for key, theirs in other.groups.items():
            self._group(key).merge(theirs)

    def _group(self, key: GroupKey) -> Buckets:
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Buckets(self.max_reported)
        return group

    def majority(self, key: GroupKey) -> Hashable | None:
        """The unique largest category of a group; None when the group is empty or the largest are tied."""
        group = self.groups.get(key)
        ranked = _ranked(group.by_key) if group else []
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def finish(self, wording: Wording) -> Iterator[Violation]:
        for key in sorted(self.groups, key=lambda k: (k[0], repr(k[1]))):
            path, sub = key
            buckets = self.groups[key].by_key
            ranked = _ranked(buckets)
            if len(ranked) < 2:
                continue
            if ranked[0][1] == ranked[1][1]:
                yield file_finding(path, wording.tie_message(ranked, sub), "tie", sub)
                continue
            majority, majority_count = ranked[0]
            total = sum(count for _, count in ranked)
            for category, _ in ranked[1:]:
                bucket = buckets[category]
                for location in bucket.kept:
                    message = wording.minority_message(location, category, majority, majority_count,
                                                       total, sub)
                    fixer = getattr(wording, "minority_fix", None)  # optional for a Wording
                    fix = fixer(location, category, majority, sub) if fixer is not None else None
                    yield Violation(message, location.pointer, location.source, location.digest, fix=fix)
                if bucket.unlisted:
                    yield file_finding(path, wording.unlisted_message(category, bucket.unlisted, sub),
                                       "unlisted", sub, category)


def _ranked(buckets: dict[Hashable, Bucket]) -> list[tuple[Hashable, int]]:
    """Categories by count, largest first; equal counts in a stable (repr) order."""
    return sorted(((c, b.count) for c, b in buckets.items()), key=lambda item: (-item[1], repr(item[0])))


class MinorityRule(DatasetRuleBase):
    """Base of the minority rules: `observe` counts each example's category in the tracker, which does the rest.

    Subclasses set `unit` (what a counted thing is called, plural: "records") and implement `observe`
    (calling `self.tracker.count` for each thing of the example to count, or not at all to skip it),
    `label` (a phrase following the unit: "in sharegpt format") and `minority_message`.
    """

    unit = "records"
    topic = "style"

    def __init__(self, options: MinorityOptions) -> None:
        super().__init__(options)
        self.tracker = MinorityTracker(options.max_reported)

    def label(self, category: Hashable) -> str:
        raise NotImplementedError

    def units(self, sub: Hashable) -> str:
        return self.unit

    def observe(self, example: Example) -> None:
        raise NotImplementedError

    def merge(self, other: MinorityRule) -> None:
        self.tracker.merge(other.tracker)

    def finish(self) -> Iterator[Violation]:
        return self.tracker.finish(self)

    def minority_message(self, location: Location, category: Hashable, majority: Hashable,
                         majority_count: int, total: int, sub: Hashable) -> str:
        raise NotImplementedError

    def minority_fix(self, location: Location, category: Hashable, majority: Hashable,
                     sub: Hashable) -> Fix | None:
        """The fix bringing a minority record in line with the majority, if the rule has one."""
        return None

    def counted(self, count: int, sub: Hashable) -> str:
        """A count with its unit: 1 record, 2,000 records (units are plain plurals in -s)."""
        units = self.units(sub)
        return f"{count:,} {units if count != 1 else units.removesuffix('s')}"

    def unlisted_message(self, category: Hashable, count: int, sub: Hashable) -> str:
        return self.unlisted(f"{self.counted(count, sub)} {self.label(category)}")

    def unlisted(self, what: str) -> str:
        more = what.replace(" ", " more ", 1)
        return f"… and {more} not listed (max-reported is {self.tracker.max_reported:,})"

    def tie_message(self, counts: list[tuple[Hashable, int]], sub: Hashable) -> str:
        parts = ", ".join(f"{self.counted(count, sub)} {self.label(category)}" for category, count in counts)
        return f"{self.topic} is mixed with no majority in this file: {parts}"
