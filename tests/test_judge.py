"""`dslint check --judge`: an LLM (a local fake server here) confirms or dismisses the content findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.judge import parse_verdict
from tests.generate.fake_openai import FakeServer, cli_in, serve

RECORDS = [
    {"instruction": "Do something with this.", "input": "", "output": "Done."},  # VAG001
    {"instruction": "Summarize the following text.", "input": "", "output": "It is about cats."},  # CTX001
    {"instruction": "Name the capital of France.", "input": "", "output": "Paris."},  # clean
    {"instruction": "Name a colour.", "input": "", "output": ""},  # an FMT finding, not a content one
]
SELECT = ["--isolated", "--select", "VAG001,CTX001", "--fail-on", "warning", "--format", "json", "--no-progress"]


class Judge(FakeServer):
    """Dismisses the findings about the record with `dismiss_in` in it, confirms the others."""

    def __init__(self, dismiss_in: str, answers: dict[str, str] | None = None) -> None:
        super().__init__()
        self.dismiss_in, self.answers = dismiss_in, answers or {}

    def behaviour(self, prompt: str) -> tuple[int, bytes]:
        for needle, text in self.answers.items():
            if needle in prompt:
                return self.reply(text)
        verdict = "dismiss" if self.dismiss_in in prompt else "confirm"
        return self.reply(f'Here is my verdict:\n```json\n{{"verdict": "{verdict}", "reason": "because."}}\n```')


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    return cli_in(monkeypatch, tmp_path, "data.jsonl", RECORDS)


def codes(output: str) -> list[str]:
    return [d["code"] for d in json.loads(output)["diagnostics"]]


def test_dismissed_findings_leave_the_report_confirmed_ones_stay(runner: CliRunner) -> None:
    fake = Judge(dismiss_in="Summarize the following text.")
    with serve(fake) as url:
        result = runner.invoke(main, ["check", "data.jsonl", "--judge", "--endpoint", url, "--model", "judge-m", *SELECT])
    assert result.exit_code == 1, result.output
    assert codes(result.stdout) == ["VAG001"]
    assert "judge (judge-m): 2 finding(s) judged: 1 confirmed, 1 dismissed, 0 undecided (kept)" in result.stderr
    assert "judge dismissed data.jsonl:2 CTX001: because." in result.stderr
    prompts = [r["body"]["messages"][0]["content"] for r in fake.requests]
    assert len(prompts) == 2 and all("Answer with one JSON object" in p for p in prompts)
    assert all(r["body"]["temperature"] == 0.0 for r in fake.requests)
    vag = next(p for p in prompts if "VAG001" in p)
    assert "[instruction]  <-- the report points here\nDo something with this." in vag
    assert "[output]\nDone." in vag


def test_all_dismissed_passes_the_run(runner: CliRunner) -> None:
    fake = Judge(dismiss_in="Rule")  # every prompt names its rule
    with serve(fake) as url:
        result = runner.invoke(main, ["check", "data.jsonl", "--judge", "--endpoint", url, "--model", "m", *SELECT])
    assert (result.exit_code, codes(result.stdout)) == (0, [])


def test_undecided_findings_are_kept(runner: CliRunner) -> None:
    fake = Judge(dismiss_in="\0", answers={"Do something": "I think it is fine, really."})
    fake.script = []
    with serve(fake) as url:
        result = runner.invoke(main, ["check", "data.jsonl", "--judge", "--endpoint", url, "--model", "m", *SELECT])
    assert codes(result.stdout) == ["VAG001", "CTX001"]
    assert "1 confirmed, 0 dismissed, 1 undecided (kept)" in result.stderr


def test_a_failing_endpoint_keeps_every_finding(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dslint.generate.llm.time.sleep", lambda seconds: None)
    fake = FakeServer(script=["500"] * 50)
    with serve(fake) as url:
        result = runner.invoke(main, ["check", "data.jsonl", "--judge", "--endpoint", url, "--model", "m", *SELECT])
    assert (result.exit_code, codes(result.stdout)) == (1, ["VAG001", "CTX001"])
    assert "0 confirmed, 0 dismissed, 2 undecided (kept)" in result.stderr


def test_only_content_findings_are_judged(runner: CliRunner) -> None:
    fake = Judge(dismiss_in="Rule")
    with serve(fake) as url:
        result = runner.invoke(main, ["check", "data.jsonl", "--judge", "--endpoint", url, "--model", "m", "--isolated",
                                      "--select", "VAG001,FMT", "--format", "json", "--no-progress"])
    assert [r["body"]["messages"][0]["content"].count("VAG001") > 0 for r in fake.requests] == [True]
    assert "FMT010" in codes(result.stdout)  # reported, never sent to the judge


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--judge"], "--judge needs --endpoint (an http(s) URL) and --model"),
        (["--judge", "--endpoint", "ftp://x", "--model", "m"], "--judge needs --endpoint"),
        (["--judge", "--endpoint", "http://127.0.0.1:9", "--model", "m", "--fix"], "--judge works on a plain check"),
    ],
)
def test_judge_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["check", "data.jsonl", *args, "--isolated"])
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ('{"verdict": "dismiss", "reason": "The input\\n is there."}', ("dismiss", "The input is there.")),
        ('Sure. {"verdict": "CONFIRM"}', ("confirm", "")),
        ('{"verdict": "maybe"} {"verdict": "confirm", "reason": "ok"}', ("confirm", "ok")),
        ("confirm", None),
        ('{"verdict": ', None),
        ("[1, 2]", None),
    ],
)
def test_parse_verdict(answer: str, verdict: tuple[str, str] | None) -> None:
    assert parse_verdict(answer) == verdict
