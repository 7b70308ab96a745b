"""The small hostile files in `fixtures/hostile/`, each with its expected read findings (`expected.yaml`).

One run over the whole directory (every default rule, JSON report) and one per file in a parallel run
(`--jobs 2`, forked workers) must agree with the expectations: no internal error, no traceback, one-line
messages, and the files are never written to."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dslint.cli import main

from .conftest import REPO

yaml = pytest.importorskip("yaml")

HOSTILE = REPO / "fixtures" / "hostile"
READ_CODES = {"FMT001", "FMT002", "FMT003", "FMT004", "FMT005"}
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))


def _digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_every_fixture_has_an_expectation() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.name not in ("expected.yaml", "README.md")}
    assert files == set(EXPECTED)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, dict[str, Any]]]:
    """The JSON report of a serial and of a parallel run over a copy of the fixtures."""
    found = {}
    for jobs in ("1", "2"):
        directory = tmp_path_factory.mktemp(f"hostile{jobs}") / "hostile"
        skipped = ("*.yaml", "*.md") if HAS_PYARROW else ("*.yaml", "*.md", "*.parquet")
        shutil.copytree(HOSTILE, directory, ignore=shutil.ignore_patterns(*skipped))
        before = _digests(directory)
        result = CliRunner().invoke(main, ["check", str(directory), "--isolated", "--format", "json",
                                           "--jobs", jobs, "--no-progress"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert _digests(directory) == before, "dslint changed a file it only checks"
        found[jobs] = (result.exit_code, json.loads(result.stdout))
    return found


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_fixture(name: str, jobs: str, reports: dict[str, tuple[int, dict[str, Any]]]) -> None:
    if name.endswith(".parquet") and not HAS_PYARROW:
        pytest.skip("reading Parquet needs pyarrow (dslint[parquet])")
    exit_code, report = reports[jobs]
    assert exit_code == 1  # findings, never a crash (2) or a pass
    mine = [d for d in report["diagnostics"] if d["path"].endswith("/" + name)]
    assert not [d for d in mine if d["code"] == "DSL001"], "internal error"
    for diagnostic in mine:
        assert "\n" not in diagnostic["message"] and diagnostic["message"].strip()
    expected = EXPECTED[name]
    read = sorted(d["code"] for d in mine if d["code"] in READ_CODES)
    assert read == sorted(expected["read"]), [d["message"] for d in mine]
    if "message" in expected:
        assert any(expected["message"] in d["message"] for d in mine if d["code"] in READ_CODES), (
            [d["message"] for d in mine])
