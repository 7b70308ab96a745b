"""Every output format against its golden file in fixtures/golden/.

The input is the hand-built RunResult in conftest.py (3 files, 7 findings over error/warning/info, one
finding without a line, some without a pointer, one file-level, messages holding `%`, `,`, `:`, a
newline, `<script>` and non-ASCII text).

To accept an intended change of output, regenerate the golden files and review the diff:

    DSLINT_UPDATE_GOLDEN=1 /work/.venv/bin/python -m pytest tests/output -q
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dslint.model import RunResult
from dslint.output import render
from dslint.rules.base import Rule

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "golden"
UPDATE = os.environ.get("DSLINT_UPDATE_GOLDEN") == "1"

CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "golden.text": ("text", {}),
    "golden.statistics.text": ("text", {"statistics": True}),
    "golden.color.text": ("text", {"color": True}),
    "golden.concise.text": ("concise", {}),
    "golden.json": ("json", {}),
    "golden.jsonl": ("jsonl", {}),
    "golden.github.txt": ("github", {}),
    "golden.sarif.json": ("sarif", {}),
    "golden.junit.xml": ("junit", {}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, sample: RunResult, rules: dict[str, Rule]) -> None:
    fmt, options = CASES[name]
    output = render(sample, fmt, rules=rules, version="0.1.0", **options)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with DSLINT_UPDATE_GOLDEN=1 to create it"
    assert output == path.read_bytes().decode("utf-8")


def test_rendering_is_deterministic(sample: RunResult, rules: dict[str, Rule]) -> None:
    for fmt, options in CASES.values():
        first = render(sample, fmt, rules=rules, version="0.1.0", **options)
        assert first == render(sample, fmt, rules=rules, version="0.1.0", **options)
