"""The engine: read every target, normalise each record, run the enabled rules, stamp and suppress findings.

Rules only say *what* is wrong and *where in the record*; the engine adds code, name, configured
severity, file location, fingerprint and context, applies per-file ignores, and turns a crashing rule
into one internal-error finding so the run goes on.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dslint.formats import normalise
from dslint.model import (
    Diagnostic,
    Example,
    FileSummary,
    RawRecord,
    ReadProblem,
    RunResult,
    Severity,
    Source,
    Violation,
    content_digest,
    fingerprint,
    resolve_pointer,
)
from dslint.readers import Target, read
from dslint.readers.limits import DEFAULT_MAX_RECORD_BYTES
from dslint.rules.base import Rule, facts
from dslint.suppression import UNUSED_SUPPRESSION_CODE, InlineSuppressions

INTERNAL_ERROR_CODE = "DSL001"
INTERNAL_ERROR_NAME = "internal-error"
CONTEXT_CHARS = 72
PROGRESS_EVERY = 0x1FFF  # report progress every 8,192 records (a mask, cheaper than a modulo)


@dataclass
class Settings:
    """A resolved run configuration, as the engine needs it."""

    rules: Sequence[Rule]
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    # Per-file ignores: (matches(display_path) -> bool, codes ignored there).
    per_file_ignores: Sequence[tuple[Callable[[str], bool], frozenset[str]]] = ()
    fail_on: Severity = Severity.ERROR
    # Lines of JSON Lines input longer than this are reported (FMT001), never read whole or parsed.
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    # Opt-in inline suppression: the record key holding `{"ignore": [...]}` (dslint.suppression).
    inline_suppression_key: str | None = None
    # Evaluation sets (`check --against`): read at the end of the run, only for rules that compare with them.
    against: Sequence[Target] = ()

    def options_for(self, rule: Rule) -> Any:
        found = self.options.get(rule.code)
        return found if found is not None else rule.options()

    def severity_for(self, rule: Rule) -> Severity:
        return self.severity.get(rule.code, rule.severity)


@dataclass(slots=True)
class Partial:
    """A worker's findings, file summaries and dataset-rule states, to be merged by the parent."""

    diagnostics: list[Diagnostic]
    files: list[FileSummary]
    states: list[Any]
    internal_errors: int
    suppressions: Any = None  # the worker's InlineSuppressions, when inline suppression is on


@dataclass(slots=True)
class _BoundRule:
    rule: Rule
    options: Any
    severity: Severity


_ChecksKey = tuple[str | None, bool, bool]  # (format, has schema issues, has tools)
_Check = tuple[Callable[[Example, Any], Iterable[Violation]], Any, _BoundRule]


class Engine:
    """One run over many targets. Build it, `check()` each target, then `finish()`."""

    def __init__(self, settings: Settings, progress: Callable[[int, str], None] | None = None) -> None:
        self.settings = settings
        self._progress = progress
        self._seen = 0
        self.diagnostics: list[Diagnostic] = []
        self.files: list[FileSummary] = []
        self.internal_errors = 0
        bound = [_BoundRule(r, settings.options_for(r), settings.severity_for(r)) for r in settings.rules]
        self._record_rules = [b for b in bound if b.rule.kind == "record"]
        self._read_rules = {b.rule.reads: b for b in bound if b.rule.kind == "read"}
        # The readers search each record for repeated keys only when a rule reports them.
        self.reads_duplicate_keys = ReadProblem.DUPLICATE_KEY in self._read_rules
        self._dataset = [(b, b.rule.factory(b.options)) for b in bound if b.rule.kind == "dataset"]
        _use_reference(self._dataset, settings)
        self._summaries: dict[str, FileSummary] = {}
        self._ignored_cache: dict[str, frozenset[str]] = {}
        # Per path: the record checks that apply, by (format, has schema issues, has tools).
        self._checks_cache: dict[str, dict[_ChecksKey, list[_Check]]] = {}
        self._inline = _new_suppressions(settings)
        self._unused_rule = next((b for b in bound if b.rule.code == UNUSED_SUPPRESSION_CODE), None)

    # -- suppression -------------------------------------------------------------------------------
    def _ignored(self, path: str) -> frozenset[str]:
        found = self._ignored_cache.get(path)
        if found is None:
            codes: set[str] = set()
            for matches, ignored in self.settings.per_file_ignores:
                if matches(path):
                    codes |= ignored
            found = self._ignored_cache[path] = frozenset(codes)
        return found

    def _checks(self, path: str) -> dict[_ChecksKey, list[_Check]]:
        """The (lazily filled) table of record checks for one path."""
        found = self._checks_cache.get(path)
        if found is None:
            found = self._checks_cache[path] = {}
        return found

    def _checks_for(self, path: str, key: _ChecksKey) -> list[_Check]:
        """The record checks that apply to examples of one path with this (format, issues, tools) key:
        not ignored there, and declaring the format and the facts (`needs`) of such examples."""
        table = self._checks(path)
        found = table.get(key)
        if found is None:
            ignored = self._ignored(path)
            fmt = key[0]
            example_facts = facts(*key)
            found = table[key] = [
                (b.rule.check, b.options, b) for b in self._record_rules
                if b.rule.check is not None and b.rule.code not in ignored and b.rule.applies(fmt, example_facts)
            ]
        return found

    def _observers(self, path: str) -> list[tuple[Callable[[Example], None], _BoundRule]]:
        ignored = self._ignored(path)
        return [(state.observe, b) for b, state in self._dataset if b.rule.code not in ignored]

    # -- stamping ----------------------------------------------------------------------------------
    def _emit(self, bound: _BoundRule, violation: Violation, source: Source | None, path: str,
              digest: str | None, raw: Any = None) -> None:
        rule = bound.rule
        if violation.context is not None:  # the rule's own text to show (a secret masked)
            context = _excerpt(violation.context)
        else:
            context = _excerpt(resolve_pointer(raw, violation.pointer)) if raw is not None else None
        self.diagnostics.append(Diagnostic(
            code=rule.code,
            name=rule.name,
            severity=bound.severity,
            message=violation.message,
            path=path,
            line=source.line if source else None,
            record=source.index if source and source.index >= 0 else None,
            pointer=violation.pointer,
            fingerprint=fingerprint(rule.code, path, digest, violation.pointer),
            context=context,
            fix=violation.fix,
        ))

    def _internal_error(self, rule: Rule, source: Source | None, path: str, exc: BaseException) -> None:
        self.internal_errors += 1
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
        self.diagnostics.append(Diagnostic(
            code=INTERNAL_ERROR_CODE,
            name=INTERNAL_ERROR_NAME,
            severity=Severity.ERROR,
            message=f"rule {rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}{at}",
            path=path,
            line=source.line if source else None,
            record=source.index if source and source.index >= 0 else None,
            pointer=None,
            fingerprint=fingerprint(INTERNAL_ERROR_CODE, path, rule.code, None),
        ))

    # -- the run -----------------------------------------------------------------------------------
    def check(self, target: Target) -> None:
        self.check_records(target.display, read(target, self.settings.max_record_bytes,
                                                duplicate_keys=self.reads_duplicate_keys))

    def check_records(self, path: str, records: Iterable[RawRecord]) -> None:
        """Check the records of one target. A target may hold several files (a dataset's splits,
        `dir#train` and `dir#test`): each record's own `source.path` decides which it belongs to.

        The hot loop of every run: per record, one normalisation, one table lookup for the record checks
        that apply, and the calls themselves; everything per path is looked up when the path changes."""
        summary = self._summary(path)
        ignored = self._ignored(path)
        observers = self._observers(path)
        checks = self._checks(path)
        formats = summary.formats
        progress = self._progress
        seen = self._seen
        inline = self._inline
        try:
            for raw in records:
                seen += 1
                if progress is not None and not seen & PROGRESS_EVERY:
                    progress(seen, path)
                source = raw.source
                if source.path != summary.path:
                    path = source.path
                    summary, ignored = self._summary(path), self._ignored(path)
                    observers, checks, formats = self._observers(path), self._checks(path), summary.formats
                if raw.problem is not None:
                    self._report_read(raw.problem, raw.message, None, raw, path, ignored)
                    if source.index >= 0:
                        summary.records += 1
                    continue
                summary.records += 1
                value = raw.value
                if inline is not None and type(value) is dict and inline.key in value:
                    value = inline.take(value, source, content_digest)
                example = normalise(value, source)
                if raw.notes:
                    for problem, message, pointer in raw.notes:
                        self._report_read(problem, message, pointer, raw, path, ignored, example)
                fmt = example.format
                if fmt is not None:
                    formats[fmt] = formats.get(fmt, 0) + 1
                key = (fmt, bool(example.issues), example.has_tools)
                applying = checks.get(key)
                if applying is None:
                    applying = self._checks_for(path, key)
                for check, options, bound in applying:
                    try:
                        for violation in check(example, options):
                            self._emit(bound, violation, source, path, example.digest(), example.raw)
                    except Exception as exc:  # noqa: BLE001 - a broken rule must not stop the run
                        self._internal_error(bound.rule, source, path, exc)
                for observe, bound in observers:
                    try:
                        observe(example)
                    except Exception as exc:  # noqa: BLE001
                        self._internal_error(bound.rule, source, path, exc)
        finally:
            self._seen = seen

    def _summary(self, path: str) -> FileSummary:
        found = self._summaries.get(path)
        if found is None:
            found = self._summaries[path] = FileSummary(path=path)
            self.files.append(found)
        return found

    # -- parallel runs: a worker's partial result, absorbed by the parent in file order ----------------
    def take_partial(self) -> Partial:
        """What this engine found since the last call, with its dataset-rule states; then start afresh."""
        partial = Partial(self.diagnostics, self.files, [state for _, state in self._dataset],
                          self.internal_errors, self._inline)
        self.diagnostics, self.files, self._summaries, self.internal_errors = [], [], {}, 0
        self._inline = _new_suppressions(self.settings)
        self._dataset = [(b, b.rule.factory(b.options)) for b, _ in self._dataset]  # type: ignore[misc]
        _use_reference(self._dataset, self.settings)
        return partial

    def absorb(self, partial: Partial) -> None:
        """Add a worker's partial result (shards of one file must be absorbed in file order)."""
        self.diagnostics.extend(partial.diagnostics)
        self.internal_errors += partial.internal_errors
        if self._inline is not None and partial.suppressions is not None:
            self._inline.merge(partial.suppressions)
        for theirs in partial.files:
            mine = self._summary(theirs.path)
            mine.records += theirs.records
            for fmt, count in theirs.formats.items():
                mine.formats[fmt] = mine.formats.get(fmt, 0) + count
        for (bound, state), other in zip(self._dataset, partial.states):
            try:
                state.merge(other)
            except Exception as exc:  # noqa: BLE001
                self._internal_error(bound.rule, None, "", exc)

    def _report_read(self, problem: ReadProblem, message: str, pointer: str | None, raw: RawRecord,
                     path: str, ignored: frozenset[str], example: Example | None = None) -> None:
        bound = self._read_rules.get(problem)
        if bound is None or bound.rule.code in ignored:
            return
        digest = example.digest() if example is not None else raw.text_digest
        self._emit(bound, Violation(message, pointer), raw.source, path, digest,
                   example.raw if example is not None else None)

    def finish(self) -> RunResult:
        _read_reference(self)
        for bound, state in self._dataset:
            try:
                for violation in state.finish():
                    source = violation.source
                    path = source.path if source else (violation.path or "")
                    if bound.rule.code in self._ignored(path):
                        continue
                    self._emit(bound, violation, source, path, violation.digest)
            except Exception as exc:  # noqa: BLE001
                self._internal_error(bound.rule, None, "", exc)
        if self._inline is not None:
            self._apply_inline(self._inline)
        order = {summary.path: rank for rank, summary in enumerate(self.files)}
        self.diagnostics.sort(key=lambda d: (order.get(d.path, len(order)),) + d.sort_key())
        return RunResult(self.diagnostics, self.files, self.settings.fail_on, self.internal_errors)


    def _apply_inline(self, inline: InlineSuppressions) -> None:
        """Drop the findings records suppress inline; report unused or unreadable suppressions (DSL002)."""
        self.diagnostics = inline.apply(self.diagnostics)
        bound = self._unused_rule
        if bound is None:
            return
        for entry, violation in inline.unused():
            if bound.rule.code not in self._ignored(entry.source.path):
                self._emit(bound, violation, entry.source, entry.source.path, entry.digest)


def _new_suppressions(settings: Settings) -> InlineSuppressions | None:
    key = settings.inline_suppression_key
    if not key:
        return None
    from dslint.rules import all_rules

    return InlineSuppressions(key, all_rules(), {rule.code for rule in settings.rules})


def _use_reference(states: list[tuple[_BoundRule, Any]], settings: Settings) -> None:
    """Tell the rules that compare with evaluation sets whether there are any (`use_reference`)."""
    for _, state in states:
        if hasattr(state, "use_reference"):
            state.use_reference(bool(settings.against))


def _read_reference(engine: Engine) -> None:
    """Hand every example of the evaluation sets to the rules that compare with them (`observe_reference`).
    Unreadable records are skipped: the evaluation files are not what is being checked."""
    observers = [(b, state) for b, state in engine._dataset if hasattr(state, "observe_reference")]
    if not observers or not engine.settings.against:
        return
    for target in engine.settings.against:
        for raw in read(target, engine.settings.max_record_bytes, duplicate_keys=False):
            if raw.problem is not None or raw.source.index < 0:
                continue
            example = normalise(raw.value, raw.source)
            for bound, state in observers:
                try:
                    state.observe_reference(example)
                except Exception as exc:  # noqa: BLE001
                    engine._internal_error(bound.rule, raw.source, raw.source.path, exc)


def run(targets: Iterable[Target], settings: Settings) -> RunResult:
    engine = Engine(settings)
    for target in targets:
        engine.check(target)
    return engine.finish()


def _excerpt(value: Any) -> str | None:
    """A short, one-line excerpt of the offending value, for the text report."""
    if not isinstance(value, str):
        return None
    text = _secrets_masked(value[: CONTEXT_CHARS + _SECRET_WINDOW]).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(text) > CONTEXT_CHARS:
        text = text[: CONTEXT_CHARS - 1] + "…"
    return text


# How far past the excerpt a secret may end and still be recognised (and masked) where the excerpt cuts it.
_SECRET_WINDOW = 256


def _secrets_masked(text: str) -> str:
    """`text` with every credential or personal datum the SEC rules recognise masked: whichever rule a
    finding is about, its excerpt must not carry a secret whole into a report, a CI log or SARIF."""
    from dslint.rules.sec_patterns import mask
    from dslint.rules.sec_scan import scan_text

    for hit in sorted(scan_text(text), key=lambda hit: hit.start, reverse=True):
        text = text[: hit.start] + mask(hit.value) + text[hit.end:]
    return text
