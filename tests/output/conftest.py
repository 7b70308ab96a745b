"""A hand-built RunResult and fake rules, so formatters are tested without the real rule modules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dslint.model import Diagnostic, FileSummary, RunResult, Severity, fingerprint
from dslint.rules.base import NoOptions, Rule

ALPACA = "data/alpaca,v2.json"  # a comma: GitHub property escaping, SARIF URI encoding
CHAT = "data/chat.jsonl"
EMPTY = "data/empty.jsonl"


def _rule(code: str, name: str, severity: Severity, summary: str) -> Rule:
    doc = (
        f"{summary}\n\n## What it does\nChecks that {name.replace('-', ' ')} does not occur.\n\n"
        "## Why it matters\nModels learn what the data shows.\n\n"
        '## Example\n```json\n{"instruction": "Fix it."}\n```\n\n'
        '## Use instead\n```json\n{"instruction": "Fix the off-by-one error in `range(n)`."}\n```'
    )
    return Rule(code, name, severity, summary, doc, NoOptions, "record")


RULES = {
    rule.code: rule
    for rule in (
        _rule("FMT001", "invalid-json", Severity.ERROR, "A line is not valid JSON."),
        _rule("FMT004", "empty-file", Severity.ERROR, "The file holds no records."),
        _rule("VAG001", "vague-instruction", Severity.WARNING, "The instruction is too vague to act on."),
        _rule("CTX002", "missing-reference", Severity.WARNING, "The text refers to something absent."),
        _rule("SEC003", "html-markup", Severity.INFO, "Content holds HTML markup."),
        _rule("TPL001", "special-token-literal", Severity.ERROR, "Content holds a literal special token."),
    )
}


def diagnostic(
    code: str,
    path: str,
    *,
    message: str,
    line: int | None = None,
    record: int | None = None,
    pointer: str | None = None,
    context: str | None = None,
    severity: Severity | None = None,
) -> Diagnostic:
    rule = RULES[code]
    return Diagnostic(
        code=code,
        name=rule.name,
        severity=severity or rule.severity,
        message=message,
        path=path,
        line=line,
        record=record,
        pointer=pointer,
        fingerprint=fingerprint(code, path, f"digest-{record}", pointer),
        context=context,
    )


def build_sample() -> RunResult:
    diagnostics = [
        diagnostic(
            "VAG001",
            ALPACA,
            record=3,
            pointer="/instruction",
            message='Instruction is vague: "Fix it, please: 100% now"',
            context="Fix it, please: 100% now",
        ),
        diagnostic(
            "SEC003",
            ALPACA,
            record=7,
            pointer="/output",
            message="Output contains HTML markup <script>",
            context="<script>alert('x')</script> & more",
        ),
        diagnostic(
            "FMT001",
            CHAT,
            record=0,
            line=1,
            message="Invalid JSON: Expecting ',' delimiter:\nline 1 column 42",
            context='{"messages": [{"role": "user"',
        ),
        diagnostic(
            "CTX002",
            CHAT,
            record=4,
            line=5,
            pointer="/messages/1/content",
            message="Réponse cite « le fichier ci-joint », absent",
            context="Voir le fichier ci-joint.",
        ),
        diagnostic(
            "TPL001",
            CHAT,
            record=4,
            line=5,
            pointer="/messages/2/content",
            message='Literal special token "<|im_end|>" in content — parsed as the control token',
            context="Bonjour, ça va ? <|im_end|>",
        ),
        diagnostic(
            "VAG001",
            CHAT,
            record=9,
            line=10,
            pointer="/messages/0/content",
            message='Instruction is vague: "Do the thing"',
            context="Do the thing",
        ),
        diagnostic("FMT004", EMPTY, message="File is empty"),
    ]
    files = [
        FileSummary(ALPACA, records=40, formats={"alpaca": 40}),
        FileSummary(CHAT, records=120, formats={"sharegpt": 2, "chatml": 118}),
        FileSummary(EMPTY),
    ]
    return RunResult(sorted(diagnostics, key=Diagnostic.sort_key), files)


@pytest.fixture
def sample() -> RunResult:
    return build_sample()


@pytest.fixture(scope="session")
def rules() -> dict[str, Rule]:
    return RULES


@pytest.fixture(scope="session")
def make_diagnostic() -> Callable[..., Diagnostic]:
    """`make_diagnostic(code, path, message=..., line=..., record=..., pointer=..., context=..., severity=...)`."""
    return diagnostic
