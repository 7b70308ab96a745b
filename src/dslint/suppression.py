"""Inline suppression: a record may carry its own ignores under an opt-in key.

With `inline-suppression-key = "_dslint"` in the configuration, a record such as

    {"instruction": "Summarise the text.", "output": "...", "_dslint": {"ignore": ["CTX001"]}}

hides the findings of CTX001 on that record (record rules and dataset rules alike; file-level findings
cannot be suppressed this way). Each entry is a rule selector: a code, a prefix, a name or `ALL`.

Off by default, because the key is part of the data: a training pipeline that does not drop it trains on
it. With the key on, the engine takes it off the record before any rule sees it, so the key itself is
never reported (as an extra field, a secret ...), and fingerprints do not change when a suppression is
added. Suppressions that hide nothing and malformed ones are reported as DSL002 (`unused-suppression`);
a selector naming only rules that are not enabled in the run is left alone (it may be needed by a run
with other rules).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dslint.model import Diagnostic, Source, Violation, escape_pointer_token
from dslint.rules.base import Rule
from dslint.selection import SelectorError, match

EXAMPLE_KEY = "_dslint"
UNUSED_SUPPRESSION_CODE = "DSL002"
_ALLOWED_KEYS = frozenset({"ignore"})


@dataclass
class _Selector:
    text: str
    codes: frozenset[str]
    pointer: str
    used: bool = False


@dataclass
class RecordSuppression:
    """One record's suppressions, with what is wrong with them (`problems`: (message, pointer))."""

    source: Source
    digest: str
    selectors: list[_Selector] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for selector in self.selectors for code in selector.codes)


class InlineSuppressions:
    """The suppressions of one run (or one worker's part of it), keyed by (path, record index)."""

    def __init__(self, key: str, rules: Sequence[Rule], enabled: Collection[str]) -> None:
        self.key = key
        self._rules = rules
        self._enabled = frozenset(enabled) - {UNUSED_SUPPRESSION_CODE}  # it cannot hide itself
        self._base = "/" + escape_pointer_token(key)
        self.records: dict[tuple[str, int], RecordSuppression] = {}

    def take(self, value: dict[Any, Any], source: Source, digest: Callable[[Any], str]) -> dict[Any, Any]:
        """Record the suppressions `value` carries under the key and return the record without the key."""
        stripped = {k: v for k, v in value.items() if k != self.key}
        entry = RecordSuppression(source, digest(stripped))
        self._parse(value[self.key], entry)
        self.records[(source.path, source.index)] = entry
        return stripped

    def _parse(self, spec: Any, entry: RecordSuppression) -> None:
        base = self._base
        if not isinstance(spec, dict):
            message = f"suppression must be an object like {{\"ignore\": [\"VAG001\"]}}, not {_kind(spec)}"
            entry.problems.append((message, base))
            return
        for key in sorted(set(map(str, spec)) - _ALLOWED_KEYS):
            entry.problems.append((f"unknown key {key!r} in the suppression (only 'ignore' is read)",
                                   f"{base}/{escape_pointer_token(key)}"))
        ignore = spec.get("ignore")
        if not isinstance(ignore, list):
            entry.problems.append((f"'ignore' must be a list of rule codes, not {_kind(ignore)}", f"{base}/ignore"))
            return
        for number, item in enumerate(ignore):
            pointer = f"{base}/ignore/{number}"
            if not isinstance(item, str) or not item.strip():
                entry.problems.append((f"a suppression entry must be a rule code, not {_kind(item)}", pointer))
                continue
            try:
                codes = frozenset(rule.code for rule in match(item.strip(), self._rules))
            except SelectorError:
                entry.problems.append((f"suppression of {item!r} names no rule", pointer))
                continue
            entry.selectors.append(_Selector(item.strip(), codes, pointer))

    def merge(self, other: InlineSuppressions) -> None:
        self.records.update(other.records)

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics no suppression hides; marks the selectors that hid something as used."""
        kept: list[Diagnostic] = []
        records = self.records
        for diagnostic in diagnostics:
            entry = records.get((diagnostic.path, diagnostic.record)) if diagnostic.record is not None else None
            if entry is None or diagnostic.code == UNUSED_SUPPRESSION_CODE:
                kept.append(diagnostic)
                continue
            hidden = False
            for selector in entry.selectors:
                if diagnostic.code in selector.codes:
                    selector.used = hidden = True
            if not hidden:
                kept.append(diagnostic)
        return kept

    def unused(self) -> Iterable[tuple[RecordSuppression, Violation]]:
        """DSL002 violations: malformed entries, and selectors of enabled rules that hid nothing."""
        for entry in self.records.values():
            for message, pointer in entry.problems:
                yield entry, Violation(message, pointer)
            for selector in entry.selectors:
                if selector.used or not selector.codes & self._enabled:
                    continue
                yield entry, Violation(f"unused suppression: no {selector.text} finding on this record",
                                       selector.pointer)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
             dict: "an object"}
    return names.get(type(value), type(value).__name__)
