"""`--format github` within GitHub's annotation limits: 10 per severity per step, the rest as plain lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from dslint.model import Diagnostic, RunResult, Severity
from dslint.output import render
from dslint.output.github import ANNOTATIONS_PER_STEP
from dslint.rules.base import Rule

COMMAND = re.compile(r"^::(error|warning|notice) ")


def _github(diagnostics: list[Diagnostic], rules: dict[str, Rule]) -> list[str]:
    text = render(RunResult(diagnostics, []), "github", rules=rules, version="0.1.0")
    assert text.endswith("\n")
    return text.split("\n")[:-1]


def _many(make: Callable[..., Diagnostic], severity: Severity, count: int, path: str = "d.jsonl") -> list[Diagnostic]:
    return [make("VAG001", path, message=f"finding {n}", line=n + 1, record=n, severity=severity)
            for n in range(count)]


def test_within_the_limits_every_finding_is_an_annotation(rules: dict[str, Rule], make_diagnostic) -> None:
    found = [*_many(make_diagnostic, Severity.ERROR, 10), *_many(make_diagnostic, Severity.WARNING, 10, "e.jsonl"),
             *_many(make_diagnostic, Severity.INFO, 10, "f.jsonl")]
    lines = _github(found, rules)
    assert len(lines) == 30 and all(COMMAND.match(line) for line in lines)


def test_beyond_the_limits_the_rest_are_plain_lines_and_a_final_notice_says_so(rules: dict[str, Rule],
                                                                               make_diagnostic) -> None:
    found = [*_many(make_diagnostic, Severity.ERROR, 25), *_many(make_diagnostic, Severity.WARNING, 3, "e.jsonl"),
             *_many(make_diagnostic, Severity.INFO, 12, "f.jsonl")]
    lines = _github(found, rules)
    commands = Counter(m.group(1) for line in lines if (m := COMMAND.match(line)))
    # 10 errors, every warning, 9 notices plus the closing notice: within GitHub's per-step limits.
    assert commands == {"error": ANNOTATIONS_PER_STEP, "warning": 3, "notice": ANNOTATIONS_PER_STEP}
    plain = [line for line in lines if not COMMAND.match(line)]
    assert len(plain) == 15 + 3  # nothing is lost: every finding is in the log
    assert all(line.startswith("dslint: ") for line in plain)
    assert plain[0] == "dslint: d.jsonl:11: VAG001 [error] finding 10"
    final = lines[-1]
    assert final.startswith("::notice title=dslint annotation limit::40 findings: GitHub shows 10 error")
    assert "22 are annotations and 18 are plain lines" in final and "--format sarif" in final
    assert sum(commands.values()) <= 50  # the per-job limit


def test_a_hostile_path_cannot_start_a_workflow_command(rules: dict[str, Rule], make_diagnostic) -> None:
    found = _many(make_diagnostic, Severity.ERROR, 11, path="::set-env name=X::\n::error::owned")
    lines = _github(found, rules)
    assert len(lines) == 12
    assert not lines[10].startswith("::") and "\n" not in lines[10]
