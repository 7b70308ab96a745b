"""Inline suppression (`inline-suppression-key`): opt-in, applied by the engine, unused entries reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint import parallel
from dslint.cli import main
from dslint.engine import Settings
from dslint.readers.discover import discover
from dslint.rules import all_rules

NO_ASSISTANT = {"messages": [{"role": "user", "content": "Hi"}]}
CLEAN = {"messages": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Red."}]}


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _data(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _check(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(main, ["check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def test_off_by_default_the_key_is_just_data(runner: CliRunner, tmp_path: Path) -> None:
    suppressed = {**NO_ASSISTANT, "_dslint": {"ignore": ["FMT011"]}}
    _data(tmp_path / "d.jsonl", [suppressed, CLEAN, CLEAN, CLEAN])
    code, found = _check(runner, "d.jsonl")
    assert code == 1
    assert {d["code"] for d in found} >= {"FMT011", "MIX002"}  # not suppressed, and the key is an odd field


def test_suppression_hides_the_named_rule_only_and_the_key_is_invisible(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text('inline-suppression-key = "_dslint"\n', encoding="utf-8")
    suppressed = {**NO_ASSISTANT, "_dslint": {"ignore": ["FMT011"]}}
    _data(tmp_path / "d.jsonl", [suppressed, NO_ASSISTANT, CLEAN, CLEAN])
    code, found = _check(runner, "d.jsonl", "--select", "FMT,MIX,DSL")  # the copies are DUP findings
    assert code == 1
    assert [(d["code"], d["record"]) for d in found] == [("FMT011", 1)]  # no MIX002 about '_dslint'


def test_fingerprints_do_not_change_when_a_suppression_is_added(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text('inline-suppression-key = "_dslint"\n', encoding="utf-8")
    record = {"messages": [{"role": "user", "content": "Hi"}, {"role": "user", "content": "There"}]}
    _data(tmp_path / "d.jsonl", [record])
    _, before = _check(runner, "d.jsonl", "--select", "FMT011,FMT013")
    _data(tmp_path / "d.jsonl", [{**record, "_dslint": {"ignore": ["FMT013"]}}])
    _, after = _check(runner, "d.jsonl", "--select", "FMT011,FMT013")
    assert [d["code"] for d in before] == ["FMT011", "FMT013"]
    assert [d for d in before if d["code"] == "FMT011"] == after


def test_unused_and_prefix_and_name_selectors(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text('inline-suppression-key = "_dslint"\n', encoding="utf-8")
    _data(tmp_path / "d.jsonl", [
        {**NO_ASSISTANT, "_dslint": {"ignore": ["FMT"]}},  # a prefix: used
        {**NO_ASSISTANT, "_dslint": {"ignore": ["no-assistant-turn", "FMT013"]}},  # a name (used), FMT013 unused
        {**CLEAN, "_dslint": {"ignore": ["FMT011"]}},  # unused: the record is clean
    ])
    code, found = _check(runner, "d.jsonl", "--select", "FMT,MIX,DSL")
    assert code == 0  # DSL002 is a warning
    assert [(d["code"], d["record"], d["pointer"]) for d in found] == [
        ("DSL002", 1, "/_dslint/ignore/1"),
        ("DSL002", 2, "/_dslint/ignore/0"),
    ]
    assert "no FMT013 finding on this record" in found[0]["message"]
    # Ignoring DSL002 silences the bookkeeping, not the suppressions.
    code, found = _check(runner, "d.jsonl", "--select", "FMT,MIX", "--ignore", "DSL002")
    assert (code, found) == (0, [])


def test_dataset_rule_findings_are_suppressed_too(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text('inline-suppression-key = "_dslint"\n', encoding="utf-8")
    odd = {"instruction": "Say hello in Spanish.", "response": "Hola", "_dslint": {"ignore": ["MIX002"]}}
    plain = {"instruction": "Name a colour.", "output": "Red."}
    _data(tmp_path / "d.jsonl", [plain, plain | {"instruction": "Name a fruit."}, odd])
    _, found = _check(runner, "d.jsonl", "--select", "MIX002,DSL002")
    assert found == []


def test_parallel_run_reports_what_a_serial_run_reports(tmp_path: Path) -> None:
    records: list[object] = []
    for number in range(3000):
        base = NO_ASSISTANT if number % 3 else CLEAN
        records.append({**base, "_dslint": {"ignore": ["FMT011"]}} if number % 5 == 0 else base)
    path = _data(tmp_path / "big.jsonl", records)
    settings = Settings(rules=list(all_rules()), inline_suppression_key="_dslint")
    targets = discover([str(path)], root=tmp_path)
    serial = parallel.run(targets, settings, 1)
    sharded = parallel.run(targets, settings, 2, shard_bytes=20_000)
    assert [d.to_dict() for d in sharded.diagnostics] == [d.to_dict() for d in serial.diagnostics]
    codes = [d.code for d in serial.diagnostics]
    assert codes.count("DSL002") == 200  # the suppressions on clean records (number % 15 == 0)
    assert codes.count("FMT011") == 2000 - 400


def test_config_rejects_an_empty_key(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text('inline-suppression-key = ""\n', encoding="utf-8")
    _data(tmp_path / "d.jsonl", [CLEAN])
    result = runner.invoke(main, ["check", "d.jsonl"])
    assert result.exit_code == 2 and "inline-suppression-key" in result.stderr
