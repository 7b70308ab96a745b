"""Baselines: `dslint baseline write` records findings, `dslint check --baseline` reports only new ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint import baseline
from dslint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return CliRunner()


def _findings(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(main, ["check", "--format", "json", "--no-progress", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["diagnostics"]


def test_baseline_run_on_a_modified_fixture_reports_exactly_the_new_findings(runner: CliRunner,
                                                                              tmp_path: Path) -> None:
    data = tmp_path / "chat.jsonl"
    shutil.copy(FIXTURES / "broken" / "chat_broken.jsonl", data)
    before = _findings(runner, "chat.jsonl")
    assert len(before) >= 10
    written = runner.invoke(main, ["baseline", "write", "chat.jsonl", "--no-progress"])
    assert written.exit_code == 0, written.output
    assert f"wrote {len(before)} baseline entries" in written.stderr

    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    new_record = '{"messages": [{"role": "user", "content": "Hello there."}]}\n'
    # Insert a record at the top (every line number moves) and edit a record that already has a finding.
    edited = [line.replace('"content": "   "', '"content": "  \\t "') for line in lines]
    assert edited != lines
    data.write_text(new_record + "".join(edited), encoding="utf-8")

    after = _findings(runner, "chat.jsonl")
    old_fingerprints = {d["fingerprint"] for d in before}
    expected_new = [d for d in after if d["fingerprint"] not in old_fingerprints]
    assert {d["record"] for d in expected_new} == {0, 4}  # the inserted record and the edited one

    result = runner.invoke(main, ["check", "--format", "json", "--no-progress", "--baseline",
                                  ".dslint-baseline.json", "chat.jsonl"])
    assert result.exit_code == 1
    reported = json.loads(result.stdout)["diagnostics"]
    assert reported == expected_new
    # The edited record's old finding no longer matches: one stale entry, said on stderr.
    assert f"{len(after) - len(expected_new)} findings hidden by the baseline" in result.stderr
    assert "1 baseline entry matches no finding any more" in result.stderr

    text = runner.invoke(main, ["check", "--no-progress", "--baseline", ".dslint-baseline.json", "chat.jsonl"])
    assert text.exit_code == 1
    assert text.stdout.rstrip().endswith("`dslint baseline write` prunes them.")
    assert text.stderr == ""


def test_write_is_stable_sorted_and_versioned(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "chat_broken.jsonl", tmp_path / "b.jsonl")
    shutil.copy(FIXTURES / "broken" / "alpaca_mixed.json", tmp_path / "a.json")
    out = tmp_path / "sub" / "base.json"
    out.parent.mkdir()
    assert runner.invoke(main, ["baseline", "write", "b.jsonl", "a.json", "-o", str(out)]).exit_code == 0
    first = out.read_text(encoding="utf-8")
    assert runner.invoke(main, ["baseline", "write", "a.json", "b.jsonl", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == first
    document = json.loads(first)
    assert document[baseline.SCHEMA_KEY] == baseline.SCHEMA_VERSION
    keys = [(e["path"], e["code"], e["fingerprint"]) for e in document["entries"]]
    assert keys == sorted(keys) and {e["path"] for e in document["entries"]} == {"a.json", "b.jsonl"}
    assert not list(out.parent.glob(".*.tmp"))  # the atomic write left no temporary file


def test_duplicate_findings_are_counted(runner: CliRunner, tmp_path: Path) -> None:
    record = '{"messages": [{"role": "user", "content": "Hi"}]}\n'
    (tmp_path / "d.jsonl").write_text(record * 2, encoding="utf-8")
    assert runner.invoke(main, ["baseline", "write", "d.jsonl", "--select", "FMT011"]).exit_code == 0
    entries = json.loads((tmp_path / ".dslint-baseline.json").read_text())["entries"]
    assert [e["count"] for e in entries] == [2]
    (tmp_path / "d.jsonl").write_text(record * 3, encoding="utf-8")
    result = runner.invoke(main, ["check", "--select", "FMT011", "--baseline", ".dslint-baseline.json",
                                  "--format", "concise", "d.jsonl"])
    assert result.exit_code == 1
    assert result.stdout.count("FMT011") == 1  # the third identical record is new


def test_config_key_names_the_baseline_relative_to_the_config(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text('baseline = "ci/known.json"\n', encoding="utf-8")
    (tmp_path / "ci").mkdir()
    (tmp_path / "d.jsonl").write_text('{"messages": [{"role": "user", "content": "Hi"}]}\n', encoding="utf-8")
    assert runner.invoke(main, ["baseline", "write", "d.jsonl"]).exit_code == 0
    assert (tmp_path / "ci" / "known.json").is_file()
    result = runner.invoke(main, ["check", "d.jsonl"])
    assert result.exit_code == 0 and "hidden by the baseline" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"entries": []}', "not a dslint baseline"),
        ('{"dslint-baseline": 99, "entries": []}', "version 99 is not supported"),
        ('{"dslint-baseline": 1, "entries": [{"count": 1}]}', "needs a string 'fingerprint'"),
        ('{"dslint-baseline": 1, "entries": [{"fingerprint": "x", "count": 0}]}', "positive integer"),
    ],
)
def test_bad_baseline_is_a_one_line_error(runner: CliRunner, tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "b.json").write_text(content, encoding="utf-8")
    (tmp_path / "d.jsonl").write_text('{"instruction": "Say hi.", "output": "Hi"}\n', encoding="utf-8")
    result = runner.invoke(main, ["check", "--baseline", "b.json", "d.jsonl"])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_missing_baseline_and_refusing_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text('{"instruction": "Say hi.", "output": "Hi"}\n', encoding="utf-8")
    result = runner.invoke(main, ["check", "--baseline", "nope.json", "d.jsonl"])
    assert result.exit_code == 2 and "dslint baseline write" in result.stderr
    precious = tmp_path / "notes.json"
    precious.write_text('{"keep": true}', encoding="utf-8")
    result = runner.invoke(main, ["baseline", "write", "d.jsonl", "-o", "notes.json"])
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert precious.read_text(encoding="utf-8") == '{"keep": true}'
