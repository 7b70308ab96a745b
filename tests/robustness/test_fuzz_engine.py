"""Fuzzing the whole pipeline: bytes -> reader -> format detection and normalisation -> every registered
rule -> every output format. Nothing may raise, no rule may fail (an internal error is a bug), and every
report stays valid. Rules and formats are taken from their registries, so new ones are fuzzed too."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dslint.engine import Engine, Settings
from dslint.formats import normalise
from dslint.model import Diagnostic, Example, RawRecord, ReadProblem, RunResult, Severity, Source, Violation
from dslint.readers import ReaderError, Target, read
from dslint.readers.discover import discover, kind_for_name
from dslint.rules import all_rules

from .conftest import fuzz_settings
from .strategies import RECORDS, SHORT_TEXT, VALUES, dumps_line, encode
from .validators import check_every_format

RULES = all_rules()
RECORD_RULES = [rule for rule in RULES if rule.kind == "record"]
DATASET_RULES = [rule for rule in RULES if rule.kind == "dataset"]
SRC = Source("fuzz.jsonl", 1, 0)


def _settings() -> Settings:
    """Every registered rule, opt-in ones included, with default options."""
    return Settings(rules=list(RULES), fail_on=Severity.INFO)


def _mangle(data: bytes, how: str, cut: float) -> bytes:
    if how == "truncate":
        return data[: int(len(data) * cut)]
    if how == "garbage":
        at = int(len(data) * cut)
        return data[:at] + b"\xff\xfe{\x00]\n" + data[at:]
    return data


def _file_bytes(kind: str, records: list[Any], ascii_only: bool) -> bytes:
    if kind == "jsonl":
        return b"".join(dumps_line(record, ascii_only) for record in records)
    if kind == "json":
        return encode(records, ascii_only)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["instruction", "messages", "output"])
    for record in records:
        cells = [encode(record, ascii_only).decode("utf-8", "surrogatepass"), str(record)[:200], "ok"]
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _check_diagnostic(diagnostic: Diagnostic, path: str) -> None:
    assert diagnostic.code != "DSL001", f"a rule failed: {diagnostic.message}"
    assert diagnostic.path == path
    assert isinstance(diagnostic.message, str) and diagnostic.message.strip()
    assert isinstance(diagnostic.severity, Severity)
    assert diagnostic.line is None or diagnostic.line >= 1
    assert diagnostic.record is None or diagnostic.record >= 0
    assert diagnostic.pointer is None or diagnostic.pointer == "" or diagnostic.pointer.startswith("/")


@fuzz_settings(1)
@given(
    records=st.lists(RECORDS, min_size=1, max_size=4),
    kind=st.sampled_from(["jsonl", "jsonl", "json", "csv"]),
    ascii_only=st.booleans(),
    mangle=st.sampled_from(["none", "none", "none", "truncate", "garbage"]),
    cut=st.floats(0, 1),
)
def test_any_file_through_every_rule_and_format(records: list[Any], kind: str, ascii_only: bool, mangle: str,
                                                cut: float) -> None:
    data = _mangle(_file_bytes(kind, records, ascii_only), mangle, cut)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"fuzz.{kind}"
        path.write_bytes(data)
        engine = Engine(_settings())
        engine.check(Target(kind, path.name, path))
        result = engine.finish()
    assert result.internal_errors == 0, [d.message for d in result.diagnostics if d.code == "DSL001"]
    for diagnostic in result.diagnostics:
        _check_diagnostic(diagnostic, path.name)
    check_every_format(result)


@fuzz_settings(2)
@given(value=RECORDS)
def test_every_record_rule_on_any_value(value: Any) -> None:
    example = normalise(value, SRC)
    assert isinstance(example, Example)
    for rule in RECORD_RULES:
        assert rule.check is not None
        try:
            violations = list(rule.check(example, rule.options()))
        except Exception as exc:  # noqa: BLE001 - name the rule
            pytest.fail(f"{rule.code} ({rule.name}) raised {type(exc).__name__}: {exc}")
        for violation in violations:
            assert isinstance(violation, Violation), rule.code
            assert isinstance(violation.message, str) and violation.message.strip(), rule.code
            assert violation.pointer is None or violation.pointer == "" or violation.pointer.startswith("/"), (
                rule.code, violation.pointer)


@fuzz_settings(0.7)
@given(values=st.lists(RECORDS, min_size=0, max_size=6), split=st.integers(0, 6))
def test_every_dataset_rule_observes_merges_and_finishes(values: list[Any], split: int) -> None:
    examples = [normalise(value, Source("fuzz.jsonl", line, line - 1)) for line, value in enumerate(values, 1)]
    for rule in DATASET_RULES:
        assert rule.factory is not None
        first, second = rule.factory(rule.options()), rule.factory(rule.options())
        try:
            for example in examples[:split]:
                first.observe(example)
            for example in examples[split:]:
                second.observe(example)
            first.merge(second)
            violations = list(first.finish())
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"{rule.code} ({rule.name}) raised {type(exc).__name__}: {exc}")
        for violation in violations:
            assert isinstance(violation, Violation) and violation.message.strip(), rule.code


@fuzz_settings(2)
@given(data=st.one_of(st.binary(max_size=600), SHORT_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from(["", ".txt", ".JSONL", ".Json", ".csv", ".jsonl.gz", ".json.gz", ".ndjson"]))
def test_format_detection_of_any_bytes(data: bytes, suffix: str) -> None:
    """A named file of unknown type is sniffed or refused in one line; a known one reads without raising."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"data{suffix}"
        path.write_bytes(data)
        try:
            [target] = discover([path.name], root=Path(directory))
        except ReaderError as exc:
            assert kind_for_name(path.name) is None
            assert str(exc) and "\n" not in str(exc)
            return
        records: list[RawRecord] = list(read(target))
    assert records
    for record in records:
        assert record.problem is None or (record.message and "\n" not in record.message)
        if record.problem is ReadProblem.UNREADABLE_FILE:
            assert record.is_file_level


@fuzz_settings(1)
@given(value=VALUES)
def test_normalisation_of_any_value_in_any_envelope(value: Any) -> None:
    for envelope in ({"messages": value}, {"conversations": value}, {"instruction": value, "output": value},
                     {"prompt": value, "chosen": value, "rejected": value}, value):
        example = normalise(envelope, SRC)
        for turn in (*example.turns, *example.alternatives):
            assert isinstance(turn.content, str) and turn.pointer.startswith("/")


def test_reports_of_a_run_with_every_kind_of_finding_are_valid(tmp_path: Path) -> None:
    """A fixed smoke test beside the fuzzing: a file with several broken lines, through every format."""
    lines = [b'{"messages": [{"role": "user", "content": "Hi \\ud800 \xe2\x80\xa8"}]}', b"not json",
             b'{"instruction": "x", "output": NaN}', b"[1]", b'{"a": 1, "a": 2}']
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    engine = Engine(_settings())
    engine.check(Target("jsonl", path.name, path))
    result: RunResult = engine.finish()
    assert {"FMT001", "FMT004", "FMT005"} <= {d.code for d in result.diagnostics}
    assert result.internal_errors == 0
    check_every_format(result)
