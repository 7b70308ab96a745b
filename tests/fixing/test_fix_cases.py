"""The `fix:` sections of the rule case files in `rules/`: records before, and as `--fix` leaves them.

A fix case is a `record` or `records` (one JSON Lines file) and `expect`, the records after fixing with
only the file's rule enabled; `unsafe: true` applies unsafe fixes too. Every rule declared fixable has at
least one fix case, and a fix case of a rule must change something (else it is a pass case).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

from dslint.rules import all_rules
from tests.harness import fix_records, write_case

CASES_DIR = Path(__file__).resolve().parents[2] / "rules"


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _fix_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for number, _ in enumerate(_load(path).get("fix") or []):
            params.append(pytest.param(path, number, id=f"{path.stem}-fix-{number}"))
    return params


def test_every_fixable_rule_has_fix_cases() -> None:
    with_cases = {path.stem for path in CASES_DIR.glob("*.yaml") if _load(path).get("fix")}
    fixable = {rule.code for rule in all_rules() if rule.fixable}
    assert sorted(fixable - with_cases) == [], "fixable rules without a `fix:` case"
    assert sorted(with_cases - fixable) == [], "`fix:` cases for rules not declared fixable"


@pytest.mark.parametrize(("path", "number"), _fix_cases())
def test_fix_case(path: Path, number: int, tmp_path: Path) -> None:
    data = _load(path)
    case = data["fix"][number]
    options = {**(data.get("options") or {}), **(case.get("options") or {})}
    written = write_case(tmp_path, case)
    before = [case["record"]] if "record" in case else case["records"]
    after = fix_records(written, data["rule"], options, unsafe=bool(case.get("unsafe")))
    assert after == case["expect"]
    assert after != before, "a fix case must change something"
