"""Rule behaviour is specified by the case files in `rules/`: one file per rule code.

A case file (YAML) holds `rule`, optional `options` and `file` (`jsonl` or `json`), and lists `pass` and
`fail` cases. A case is a `record`, several `records` (one dataset), raw file `text`, or several `files`
(file name: records; one dataset of several files checked together, as cross-file rules see it). A `fail`
case lists what it `expect`s: each entry a finding of the file's rule with its `pointer` (null for none) and
optionally `record`, `line`, `path` (the file name, in a `files` case) and a `message` substring. Pass
cases must produce no finding of the rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

from dslint.rules import all_rules  # noqa: E402
from tests.harness import check_file, write_case  # noqa: E402

CASES_DIR = Path(__file__).resolve().parent.parent / "rules"


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = _load(path)
        for kind in ("pass", "fail"):
            for number, case in enumerate(data.get(kind) or []):
                params.append(pytest.param(path, kind, number, id=f"{path.stem}-{kind}-{number}"))
    return params


def test_every_rule_has_a_case_file() -> None:
    codes = {rule.code for rule in all_rules()}
    files = {path.stem for path in CASES_DIR.glob("*.yaml")}
    assert sorted(codes - files) == [], "registered rules without a case file in rules/"
    assert sorted(files - codes) == [], "case files naming no registered rule"


def test_case_files_are_well_formed() -> None:
    for path in CASES_DIR.glob("*.yaml"):
        data = _load(path)
        assert data.get("rule") == path.stem, f"{path.name}: 'rule' must be {path.stem}"
        assert set(data) <= {"rule", "description", "options", "file", "pass", "fail", "fix"}, path.name
        assert data.get("pass") and data.get("fail"), f"{path.name}: needs pass and fail cases"


@pytest.mark.parametrize(("path", "kind", "number"), _cases())
def test_rule_case(path: Path, kind: str, number: int, tmp_path: Path) -> None:
    data = _load(path)
    case = data[kind][number]
    options = {**(data.get("options") or {}), **(case.get("options") or {})}
    suffix = "." + (case.get("file") or data.get("file") or "jsonl")
    against = None
    if "against" in case:  # an evaluation set (`check --against`), as records
        (tmp_path / "against").mkdir()
        against = write_case(tmp_path / "against", {"records": case["against"]})
    found = check_file(write_case(tmp_path, case, suffix), data["rule"], options, against)
    if kind == "pass":
        assert found == [], f"expected no {data['rule']} finding, got: {[d.message for d in found]}"
        return
    expected = case["expect"]
    got = [(d.path, d.pointer, d.record, d.line, d.message) for d in found]
    assert len(found) == len(expected), f"expected {len(expected)} findings, got {got}"
    unmatched = list(found)
    for want in expected:
        for diag in unmatched:
            if (
                diag.pointer == want.get("pointer")
                and ("record" not in want or diag.record == want["record"])
                and ("line" not in want or diag.line == want["line"])
                and ("path" not in want or Path(diag.path).name == want["path"])
                and want.get("message", "") in diag.message
            ):
                unmatched.remove(diag)
                break
        else:
            pytest.fail(f"no finding matches {want}; got {got}")
