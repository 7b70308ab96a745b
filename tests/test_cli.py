"""The command-line contract: every test asserts the exit code and the output together."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint import __version__
from dslint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no config file above the temporary directory is picked up
    monkeypatch.delenv("NO_COLOR", raising=False)
    return CliRunner()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CLEAN = '{"messages": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Red."}]}\n'


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"dslint {__version__}\n"


def test_clean_run(runner: CliRunner, tmp_path: Path) -> None:
    # Three different records: three copies of one would be duplicates (DUP001).
    _write(tmp_path / "ok.jsonl", "".join(CLEAN.replace("colour", f"colour {n}") for n in range(3)))
    result = runner.invoke(main, ["check", "ok.jsonl", "--isolated"])
    assert result.exit_code == 0, result.output
    assert result.output == "All checks passed: 3 records in 1 file.\n"


def test_clean_fixtures(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(FIXTURES / "clean"), "--isolated"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("All checks passed")


def test_broken_run(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "bad.jsonl", CLEAN + '{"messages": [\n' + '{"foo": 1}\n')
    result = runner.invoke(main, ["check", "bad.jsonl", "--isolated", "--format", "concise"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("bad.jsonl:2: FMT001 [error] ")
    assert lines[1].startswith("bad.jsonl:3: FMT006 [error] ")
    assert lines[-1] == "Found 2 problems (2 errors, 0 warnings, 0 infos) in 2 records across 1 file."


def test_warning_only_run_passes_unless_fail_on_warning(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "w.jsonl", "")
    result = runner.invoke(main, ["check", "w.jsonl", "--isolated", "--format", "concise"])
    assert result.exit_code == 0
    assert "FMT003 [warning]" in result.output
    result = runner.invoke(main, ["check", "w.jsonl", "--isolated", "--fail-on", "warning", "-q"])
    assert result.exit_code == 1
    assert result.output.startswith("w.jsonl")
    assert "Found" not in result.output


def test_exit_zero(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "bad.jsonl", "not json\n")
    result = runner.invoke(main, ["check", "bad.jsonl", "--isolated", "--exit-zero", "-q"])
    assert result.exit_code == 0
    assert "FMT001" in result.output


def test_bad_config(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "dslint.toml", "fail_on_typo = 'error'\n")
    _write(tmp_path / "ok.jsonl", CLEAN)
    result = runner.invoke(main, ["check", "ok.jsonl"])
    assert result.exit_code == 2
    assert result.output == "dslint: error: dslint.toml: unknown key 'fail_on_typo'\n"


def test_unknown_rule_selector(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "ok.jsonl", CLEAN)
    result = runner.invoke(main, ["check", "ok.jsonl", "--isolated", "--select", "XYZ999"])
    assert result.exit_code == 2
    assert result.output == "dslint: error: unknown rule selector 'XYZ999'\n"


def test_missing_path(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "nope.jsonl", "--isolated"])
    assert result.exit_code == 2
    assert result.output.startswith("dslint: error: nope.jsonl")


def test_select_limits_rules(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "bad.jsonl", "not json\n{\"foo\": 1}\n")
    result = runner.invoke(main, ["check", "bad.jsonl", "--isolated", "--select", "FMT006", "-q"])
    assert result.exit_code == 1
    assert [line.split()[1] for line in result.output.splitlines()] == ["FMT006"]
    result = runner.invoke(main, ["check", "bad.jsonl", "--isolated", "--ignore", "FMT001,unknown-format"])
    assert result.exit_code == 0
    assert result.output.startswith("All checks passed")


def test_json_output_to_file(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "bad.jsonl", CLEAN + "not json\n")
    result = runner.invoke(main, ["check", "bad.jsonl", "--isolated", "--format", "json", "-o", "out.json"])
    assert result.exit_code == 1
    assert result.output == ""
    report = json.loads((tmp_path / "out.json").read_text())
    assert report["summary"]["records"] == 2
    assert report["files"][0]["path"] == "bad.jsonl"
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["code"] == "FMT001" and diagnostic["line"] == 2 and diagnostic["record"] == 1


def test_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "-", "--isolated", "--format", "concise"], input=CLEAN + "[1]\n")
    assert result.exit_code == 1
    assert "FMT004" in result.output


def test_config_applies(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.dslint]\nignore = ['FMT001']\n")
    _write(tmp_path / "bad.jsonl", "not json\n")
    result = runner.invoke(main, ["check", "bad.jsonl"])
    assert result.exit_code == 0
    result = runner.invoke(main, ["check", "bad.jsonl", "--isolated"])
    assert result.exit_code == 1


def test_statistics(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "bad.jsonl", "not json\nnot json either\n")
    result = runner.invoke(main, ["check", "bad.jsonl", "--isolated", "--statistics"])
    assert result.exit_code == 1
    assert any(line.split()[:2] == ["2", "FMT001"] for line in result.output.splitlines())


def test_rule_doc(runner: CliRunner) -> None:
    result = runner.invoke(main, ["rule", "FMT001"])
    assert result.exit_code == 0
    assert result.output.startswith("FMT001 (invalid-json)")
    assert "## Why it matters" in result.output
    by_name = runner.invoke(main, ["rule", "invalid-json"])
    assert by_name.output == result.output
    unknown = runner.invoke(main, ["rule", "NOPE001"])
    assert unknown.exit_code == 2
    assert "unknown rule 'NOPE001'" in unknown.output


def test_rules_list(runner: CliRunner) -> None:
    from dslint.rules import all_rules

    result = runner.invoke(main, ["rules"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FAMILY", "SUMMARY"]
    assert [line.split()[0] for line in lines[1:]] == [r.code for r in all_rules()]
    listed = json.loads(runner.invoke(main, ["rules", "--format", "json"]).output)
    assert {"code", "name", "severity", "family", "summary"} <= set(listed[0])


def test_config_show(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "dslint.toml", "ignore = ['MIX']\nfail-on = 'warning'\n")
    result = runner.invoke(main, ["config", "show", "--format", "json"])
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["fail_on"] == "warning"
    assert shown["config_file"].endswith("dslint.toml")
    assert not any(code.startswith("MIX") for code in shown["enabled"])
    text = runner.invoke(main, ["config", "show"])
    assert text.exit_code == 0 and "fail-on: warning" in text.output


def test_color_only_when_asked(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "bad.jsonl", "not json\n")
    plain = runner.invoke(main, ["check", "bad.jsonl", "--isolated"])
    assert "\x1b[" not in plain.output
    colored = runner.invoke(main, ["check", "bad.jsonl", "--isolated", "--color", "always"])
    assert "\x1b[" in colored.output
    assert colored.exit_code == plain.exit_code == 1


def test_startup_imports_nothing_heavy() -> None:
    code = (
        "import sys, dslint.cli;"
        "heavy = ('pydantic', 'orjson', 'transformers', 'datasets', 'pyarrow', 'tiktoken', 'rapidfuzz');"
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
