"""`dslint check --fix --unsafe-fixes --generate NEW`: LLM repairs of VAG/CTX/ALN findings, to a new file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from tests.generate.fake_openai import FakeServer, cli_in, serve

RECORDS = [
    {"instruction": "Do something with this.", "input": "", "output": "Done."},
    {"instruction": "Name the capital of France.", "input": "", "output": "Paris."},
    {"instruction": "Summarize the following text.", "input": "", "output": "It is about cats."},
]
SELECT = ["--isolated", "--select", "VAG001,CTX001", "--fail-on", "warning"]


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    return cli_in(monkeypatch, tmp_path, "data.jsonl", RECORDS)


def test_findings_are_regenerated_into_a_new_file_with_provenance(runner: CliRunner, tmp_path: Path) -> None:
    before = runner.invoke(main, ["check", "data.jsonl", "--format", "concise", *SELECT])
    assert before.exit_code == 1 and "VAG001" in before.stdout and "CTX001" in before.stdout
    fake = FakeServer(script=[("ok", "Write a two-line poem about the sea."),
                              ("ok", "Cats sleep up to sixteen hours a day and groom themselves often.")])
    with serve(fake) as url:
        result = runner.invoke(main, ["check", "data.jsonl", "--fix", "--unsafe-fixes", "--generate", "new.jsonl",
                                      "--endpoint", url, "--model", "fake", *SELECT])
    assert result.exit_code == 0, result.output
    assert result.stderr == "0 fixed, 2 regenerated (0 failed), 0 remaining; written to new.jsonl\n"
    assert (tmp_path / "data.jsonl").read_text(encoding="utf-8") == "".join(json.dumps(r) + "\n" for r in RECORDS)
    lines = (tmp_path / "new.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[1] == json.dumps(RECORDS[1]), "untouched records stay byte for byte"
    first, third = json.loads(lines[0]), json.loads(lines[2])
    assert first["instruction"] == "Write a two-line poem about the sea."
    assert first["dslint_provenance"] == {"regenerated": [{"rule": "VAG001", "pointer": "/instruction", "model": "fake"}]}
    assert third["input"].startswith("Cats sleep") and third["dslint_provenance"]["regenerated"][0]["rule"] == "CTX001"
    assert "Do something with this." in fake.requests[0]["body"]["messages"][0]["content"]


def test_failed_requests_leave_records_as_they_were(runner: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("dslint.generate.llm.time.sleep", slept.append)  # the backoff, without the wait
    fake = FakeServer(script=["500"] * 20)
    with serve(fake) as url:
        result = runner.invoke(main, ["check", "data.jsonl", "--fix", "--unsafe-fixes", "--generate", "new.jsonl",
                                      "--endpoint", url, "--model", "fake", *SELECT])
    assert result.exit_code == 1
    assert result.stderr.startswith("0 fixed, 0 regenerated (2 failed), 2 remaining; written to new.jsonl\n")
    assert (tmp_path / "new.jsonl").read_text(encoding="utf-8") == (tmp_path / "data.jsonl").read_text(encoding="utf-8")
    assert len(slept) == 8 and slept[1] > slept[0], "4 retries per request, backing off"


@pytest.mark.parametrize(("args", "message"), [
    (["--fix", "--generate", "new.jsonl", "--endpoint", "http://127.0.0.1:9/v1", "--model", "m"], "needs --fix and --unsafe-fixes"),
    (["--fix", "--unsafe-fixes", "--generate", "new.jsonl"], "needs --endpoint"),
    (["--fix", "--unsafe-fixes", "--generate", "data.jsonl", "--endpoint", "http://127.0.0.1:9/v1", "--model", "m"], "never the input"),
])
def test_generate_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["check", "data.jsonl", *args, *SELECT])
    assert result.exit_code == 2 and message in result.stderr
