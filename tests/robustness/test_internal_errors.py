"""A bug in one rule costs one finding, not the run: each failure becomes one internal-error diagnostic
(DSL001) naming the rule and the record, the other rules' findings are still reported in every format,
and the run exits 2 at the end. Deliberately broken rules are registered for these tests only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dslint.resolve
import dslint.rules
from dslint.cli import main
from dslint.engine import Engine, Settings
from dslint.model import Example, Severity, Violation
from dslint.output import FORMATS
from dslint.readers import Target
from dslint.rules import all_rules
from dslint.rules.base import NoOptions, Rule

from .validators import check_every_format

DOC = ("A rule broken on purpose.\n\n## What it does\nFails.\n\n## Why it matters\nTests.\n\n"
       "## Example\n```jsonl\n{}\n```\n\n## Use instead\n```jsonl\n{}\n```")


def _instruction(example: Example) -> str:
    raw = example.raw if isinstance(example.raw, dict) else {}
    value = raw.get("instruction")
    return value if isinstance(value, str) else ""


def broken_check(example: Example, options: Any) -> Iterator[Violation]:
    """Yields a finding on every record, then fails on the ones that say "boom"."""
    yield Violation("the broken rule saw this record", "/instruction")
    if "boom" in _instruction(example):
        raise KeyError("boom")


class BrokenDatasetRule:
    """Fails in `observe` on records that say "crash", and in `finish`."""

    def __init__(self, options: Any) -> None:
        self.seen = 0

    def observe(self, example: Example) -> None:
        if "crash" in _instruction(example):
            raise ZeroDivisionError("observe failed")
        self.seen += 1

    def merge(self, other: BrokenDatasetRule) -> None:
        self.seen += other.seen

    def finish(self) -> Iterator[Violation]:
        raise RuntimeError(f"finish failed after {self.seen} records")
        yield  # pragma: no cover


BROKEN = (
    Rule("ZZZ901", "broken-record-rule", Severity.WARNING, "A rule broken on purpose", DOC, NoOptions, "record",
         check=broken_check),
    Rule("ZZZ902", "broken-dataset-rule", Severity.WARNING, "A rule broken on purpose", DOC, NoOptions, "dataset",
         factory=BrokenDatasetRule),
)
LINES = [
    {"instruction": "Name a primary colour.", "output": "Red."},
    {"instruction": "Say boom.", "output": "Boom."},
    "not json",
    {"instruction": "Do not crash.", "output": "Fine."},
    {"instruction": "Say boom again.", "output": "Boom."},
]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rules = (*all_rules(), *BROKEN)
    monkeypatch.setattr(dslint.resolve, "all_rules", lambda: rules)
    monkeypatch.setattr(dslint.rules, "rule_by_code", lambda: {rule.code: rule for rule in rules})
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data.jsonl"
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in LINES))
    return path


def _check_internal_errors(every: list[dict[str, Any]], path: str = "data.jsonl") -> None:
    finish = [d for d in every if d["code"] == "DSL001" and d["record"] is None]
    assert [d["message"].split(":")[0] for d in finish] == ["rule ZZZ902 (broken-dataset-rule) failed"]
    diagnostics = [d for d in every if d["path"] == path]
    internal = sorted((d["record"], d["message"].split(":")[0]) for d in diagnostics if d["code"] == "DSL001")
    assert internal == [
        (1, "rule ZZZ901 (broken-record-rule) failed"),
        (3, "rule ZZZ902 (broken-dataset-rule) failed"),
        (4, "rule ZZZ901 (broken-record-rule) failed"),
    ], internal
    messages = {d["record"]: d["message"] for d in diagnostics if d["code"] == "DSL001"}
    assert "KeyError: 'boom'" in messages[1] and "ZeroDivisionError: observe failed" in messages[3]
    assert all("\n" not in d["message"] for d in diagnostics)
    # The other rules, and the broken rule itself before it failed, still report.
    assert [d["record"] for d in diagnostics if d["code"] == "FMT001"] == [2]
    assert sorted(d["record"] for d in diagnostics if d["code"] == "ZZZ901") == [0, 1, 3, 4]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_rules_become_internal_errors(data: Path, jobs: str) -> None:
    """Also in a parallel run: two files, so two worker processes each meet the broken rules."""
    (data.parent / "copy.jsonl").write_bytes(data.read_bytes())
    result = CliRunner().invoke(main, ["check", data.name, "copy.jsonl", "--isolated", "--select", "FMT,ZZZ9",
                                       "--format", "json", "--jobs", jobs, "--exit-zero"])
    assert result.exit_code == 2, result.output
    diagnostics = json.loads(result.stdout)["diagnostics"]
    _check_internal_errors(diagnostics, "data.jsonl")
    _check_internal_errors(diagnostics, "copy.jsonl")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reports_internal_errors_and_the_other_findings(data: Path, fmt: str) -> None:
    result = CliRunner().invoke(main, ["check", data.name, "--isolated", "--select", "FMT,ZZZ9", "--format", fmt])
    assert result.exit_code == 2
    assert "DSL001" in result.stdout and "FMT001" in result.stdout and "ZZZ901" in result.stdout
    assert "Traceback" not in result.output


def test_engine_result_with_internal_errors_renders_validly(data: Path) -> None:
    engine = Engine(Settings(rules=[*BROKEN, *[r for r in all_rules() if r.family == "FMT"]]))
    engine.check(Target("jsonl", data.name, data))
    result = engine.finish()
    assert result.internal_errors == 4
    _check_internal_errors([d.to_dict() for d in result.diagnostics])
    check_every_format(result)
