"""`dslint check --fix / --unsafe-fixes / --diff / --drop-unrepairable`: exit code, stdout, stderr and files."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.engine import Settings
from dslint.fixing.loop import FixOptions, fix_file
from dslint.fixing.model import replace, safe
from dslint.model import Example, Severity, Violation
from dslint.readers.discover import discover
from dslint.rules.base import NoOptions, Rule

BROKEN = (
    '{"messages": [{"role": "user", "content": "Hi "}, {"role": "system", "content": "Be brief."}, '
    '{"role": "assistant", "content": "Hello!"}], "id": 1}\r\n'
    '{"messages":[{"role":"user","content":"Hi"},{"role":"user","content":"Anyone there?"},'
    '{"role":"assistant","content":"Hello!"}]}\n'
    '{"messages": [{"role": "user", "content": "caf\\u00e9"}, {"role": "assistant", "content": "Oui."}]}\n'
    '{"messages": [{"role": "user", "content": "[INST] Name a colour. [/INST]"}, {"role": "assistant", "content": "Red."}]}\n'
    '{"messages": [{"role": "user", "content": "What?"}, {"role": "assistant", "content": "Hm."}], "x": 1\n'
    '{"text": "no format"}\n'
)
SELECT = ["--isolated", "--select", "FMT,MIX003,MIX004,MIX005", "--extend-select", "FMT018"]


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return CliRunner()


def _broken(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_bytes(BROKEN.encode())
    return path


def test_diff_prints_the_changed_lines_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    path = _broken(tmp_path)
    result = runner.invoke(main, ["check", "data.jsonl", "--diff", *SELECT])
    assert result.exit_code == 1, result.output
    assert path.read_bytes() == BROKEN.encode()
    assert result.stdout.startswith("--- a/data.jsonl\n+++ b/data.jsonl\n")
    assert '+{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}' in result.stdout
    assert "caf" not in result.stdout, "untouched lines are not in the diff"
    assert "Anyone" not in result.stdout, "unsafe fixes are not shown without --unsafe-fixes"
    assert result.stderr == "would fix 2, 4 would remain (2 more fixable with --unsafe-fixes)\n"


def test_fix_applies_safe_fixes_only_and_reports_what_remains(runner: CliRunner, tmp_path: Path) -> None:
    path = _broken(tmp_path)
    result = runner.invoke(main, ["check", "data.jsonl", "--fix", "--format", "concise", *SELECT])
    assert result.exit_code == 1
    lines = path.read_bytes().split(b"\n")
    assert lines[0] == (b'{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, '
                        b'{"role": "assistant", "content": "Hello!"}], "id": 1}\r')
    assert lines[1:] == BROKEN.encode().split(b"\n")[1:], "everything else byte for byte"
    assert "FMT013" in result.stdout and "MIX005" in result.stdout and "FMT001" in result.stdout
    assert result.stderr == "2 fixed, 4 remaining (2 more fixable with --unsafe-fixes)\n"


def test_fix_with_unsafe_fixes_and_drops_reaches_zero_findings(runner: CliRunner, tmp_path: Path) -> None:
    path = _broken(tmp_path)
    result = runner.invoke(main, ["check", "data.jsonl", "--fix", "--unsafe-fixes", "--drop-unrepairable", *SELECT])
    assert result.exit_code == 0, result.output
    assert result.stdout == "All checks passed: 4 records in 1 file.\n"
    assert result.stderr == "6 fixed, 0 remaining\n"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["messages"][0]["content"] for r in records] == ["Be brief.", "Hi\n\nAnyone there?", "caf\u00e9",
                                                             "Name a colour."]
    again = runner.invoke(main, ["check", "data.jsonl", *SELECT])
    assert again.exit_code == 0 and again.stdout == "All checks passed: 4 records in 1 file.\n"


def test_json_report_stays_parseable_and_carries_fixes(runner: CliRunner, tmp_path: Path) -> None:
    _broken(tmp_path)
    result = runner.invoke(main, ["check", "data.jsonl", "--format", "json", *SELECT])
    report = json.loads(result.stdout)
    fixes = {d["code"]: d["fix"]["applicability"] for d in report["diagnostics"] if "fix" in d}
    assert fixes == {"FMT012": "safe", "FMT013": "unsafe", "FMT018": "safe", "MIX005": "unsafe"}
    fixed = runner.invoke(main, ["check", "data.jsonl", "--fix", "--format", "json", *SELECT])
    assert json.loads(fixed.stdout)["diagnostics"], "the remaining findings, as JSON"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("data.csv", "instruction,output\nHi ,Hello\n", "--fix not supported for csv input"),
    ("data.jsonl.gz", None, "--fix not supported for compressed files"),
    ("data.json", '[{"instruction" : "Hi ", "output": "Hello"}]', "record 0: its formatting cannot be reproduced"),
])
def test_unsupported_files_are_refused_before_anything_is_written(runner: CliRunner, tmp_path: Path, name: str,
                                                                  content: str | None, reason: str) -> None:
    fixable = _broken(tmp_path)
    path = tmp_path / name
    if content is None:
        import gzip

        path.write_bytes(gzip.compress(BROKEN.encode()))
    else:
        path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    result = runner.invoke(main, ["check", "data.jsonl", name, "--fix", *SELECT])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"dslint: error: {name}: ") and reason in result.stderr
    assert path.read_bytes() == before and fixable.read_bytes() == BROKEN.encode()


def test_json_array_file_is_fixed_in_its_own_style(runner: CliRunner, tmp_path: Path) -> None:
    records = [{"instruction": "Hi ", "input": "", "output": "Hello"}, {"instruction": "Yo", "input": "", "output": "Hey"}]
    path = tmp_path / "data.json"
    path.write_text(json.dumps(records, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "data.json", "--fix", "--isolated", "--select", "FMT018"])
    assert result.exit_code == 0 and result.stderr == "1 fixed, 0 remaining\n"
    records[0]["instruction"] = "Hi"
    assert path.read_text(encoding="utf-8") == json.dumps(records, indent=4, ensure_ascii=False) + "\n"


def test_file_mode_is_kept(runner: CliRunner, tmp_path: Path) -> None:
    path = _broken(tmp_path)
    os.chmod(path, 0o640)
    runner.invoke(main, ["check", "data.jsonl", "--fix", *SELECT])
    assert path.stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temporary file left behind"


def test_nothing_to_fix_leaves_the_file_alone(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_bytes(b'{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]}')
    mtime = path.stat().st_mtime_ns
    result = runner.invoke(main, ["check", "ok.jsonl", "--diff", *SELECT])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "would fix 0, 0 would remain\n")
    result = runner.invoke(main, ["check", "ok.jsonl", "--fix", *SELECT])
    assert result.exit_code == 0 and path.stat().st_mtime_ns == mtime


def _flip(example: Example, options: object) -> Iterator[Violation]:
    """A rule whose fix never converges: it always wants the other value."""
    value = example.raw.get("flag") if isinstance(example.raw, dict) else None
    yield Violation("flag", "/flag", fix=safe("flip", replace("/flag", not value)))


def test_the_loop_is_bounded(tmp_path: Path) -> None:
    rule = Rule("ZZZ999", "flip", Severity.ERROR, "flip", "doc", NoOptions, "record", check=_flip)
    path = tmp_path / "flag.jsonl"
    path.write_text('{"flag": true}\n', encoding="utf-8")
    (target,) = discover([str(path)], root=tmp_path)
    result = fix_file(target, Settings(rules=[rule]), FixOptions(max_passes=5))
    assert result.passes == 5 and result.applied == 5
    assert result.fixed == b'{"flag": false}\n' and len(result.remaining) == 1


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "fix"


def test_broken_fixture_goes_to_zero_findings_and_matches_its_golden_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_bytes((FIXTURES / "broken.jsonl").read_bytes())
    args = ["--isolated", "--select", "FMT,MIX", "--extend-select", "FMT018"]
    before = runner.invoke(main, ["check", "broken.jsonl", "--statistics", "-q", *args])
    assert before.exit_code == 1 and "FMT001" in before.stdout and "MIX006" in before.stdout
    result = runner.invoke(main, ["check", "broken.jsonl", "--fix", "--unsafe-fixes", "--drop-unrepairable", *args])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "All checks passed: 7 records in 1 file.\n", "8 fixed, 0 remaining\n")
    assert path.read_bytes() == (FIXTURES / "broken.fixed.jsonl").read_bytes()


def test_drop_unrepairable_never_empties_a_file_that_is_not_json_lines(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    text = "".join(f"line {n} of a plain text file\n" for n in range(40))
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", "notes.jsonl", "--fix", "--unsafe-fixes", "--drop-unrepairable", "--isolated"])
    assert result.exit_code == 1 and path.read_text(encoding="utf-8") == text
    assert result.stderr.startswith("0 fixed, ")


def test_exact_duplicates_are_dropped_only_with_unsafe_fixes(runner: CliRunner, tmp_path: Path) -> None:
    first = '{"instruction": "Name a primary colour.", "input": "", "output": "Red."}\n'
    other = '{"instruction": "What is 2 + 2?", "input": "", "output": "4"}\n'
    copy = '{"instruction": "name a primary colour", "input": "", "output": "red"}\n'
    data = tmp_path / "dups.jsonl"
    data.write_text(first + other + copy)

    safe_only = runner.invoke(main, ["check", "dups.jsonl", "--isolated", "--select", "DUP001", "--fail-on", "warning", "--fix"])
    assert safe_only.exit_code == 1
    assert data.read_text() == first + other + copy

    result = runner.invoke(main, ["check", "dups.jsonl", "--isolated", "--select", "DUP001", "--fail-on", "warning",
                                  "--fix", "--unsafe-fixes"])
    assert result.exit_code == 0, result.output
    assert "1 fixed, 0 remaining" in result.output
    assert data.read_text() == first + other
