"""`dslint generate self-instruct` against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.generate.llm import Endpoint, LLMError, complete
from dslint.generate.selfinstruct import (
    Pool,
    Task,
    build_prompt,
    parse_tasks,
    reject_reason,
    rouge_l,
    tokens,
)
from tests.generate.fake_openai import FakeServer, answer_text, cli_in, serve

SEEDS = [
    {"instruction": "Give three tips for staying healthy during the winter.", "instances": [{"input": "", "output": "Sleep, move, eat greens."}]},
    {"instruction": "Sort the list of words in alphabetical order.", "instances": [{"input": "pear, apple, fig", "output": "apple, fig, pear"}]},
    {"instruction": "Write a short riddle whose answer is a clock.", "instances": [{"input": "", "output": "I have hands but cannot clap."}]},
]


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    return cli_in(monkeypatch, tmp_path, "seeds.jsonl", SEEDS, key_env="DSLINT_TEST_KEY")


def _args(url: str, n: int, *extra: str) -> list[str]:
    return ["generate", "self-instruct", "--seeds", "seeds.jsonl", "-n", str(n), "-o", "out.jsonl",
            "--endpoint", url, "--model", "fake", "--backoff", "0", "--isolated", "--api-key-env",
            "DSLINT_TEST_KEY", *extra]


def _out(tmp_path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]


def test_generates_filters_and_gates(runner: CliRunner, tmp_path: Path) -> None:
    fake = FakeServer(per_answer=4, include_bad=True)
    with serve(fake) as url:
        result = runner.invoke(main, _args(url, 8, "--concurrency", "1", "--select", "FMT,ALN007"))
    assert result.exit_code == 0, result.output
    records = _out(tmp_path)
    assert len(records) == 8 and len({r["instruction"] for r in records}) == 8
    assert all(set(r) == {"instruction", "input", "output"} for r in records)
    assert not any("picture" in r["instruction"] or "AI language model" in r["output"] for r in records)
    assert "rejected 1: instruction needs a non-text modality" in result.stderr
    assert "rejected 1: instruction shorter than 4 words" in result.stderr
    assert "rejected 1: too similar to the pool (ROUGE-L > 0.7)" in result.stderr
    assert "rejected 1: dslint ALN007 refusal-or-boilerplate" in result.stderr
    assert ", 8 written; 8 of 8 records in out.jsonl" in result.stderr
    request = fake.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["body"]["model"] == "fake"
    assert "Authorization" not in request["headers"]
    assert request["body"]["messages"][0]["content"].endswith("4. Instruction:")


def test_429_500_malformed_and_truncated_answers_are_retried(runner: CliRunner, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSLINT_TEST_KEY", "sk-test")
    fake = FakeServer(script=["429", "500", "malformed", "truncated", "nochoices"])
    with serve(fake) as url:
        result = runner.invoke(main, _args(url, 3, "--concurrency", "1", "--retries", "5"))
    assert result.exit_code == 0, result.output
    assert len(_out(tmp_path)) == 3 and len(fake.requests) == 6
    assert fake.requests[0]["headers"]["Authorization"] == "Bearer sk-test"
    assert "1 requests (0 failed)" in result.stderr


def test_failures_after_the_last_retry_are_reported_and_nothing_is_half_written(runner: CliRunner,
                                                                                tmp_path: Path) -> None:
    fake = FakeServer(script=["500"] * 100)
    with serve(fake) as url:
        result = runner.invoke(main, _args(url, 3, "--retries", "2", "--max-requests", "2", "--concurrency", "2"))
    assert result.exit_code == 1
    assert (tmp_path / "out.jsonl").read_bytes() == b""
    assert len(fake.requests) == 6
    assert "2 requests (2 failed), 0 candidates" in result.stderr
    assert "failed 2: gave up after 3 attempts: HTTP 500" in result.stderr


def test_resume_keeps_complete_lines_drops_a_partial_one_and_generates_the_rest(runner: CliRunner,
                                                                                tmp_path: Path) -> None:
    done = [{"instruction": "Name a mammal that can fly at night.", "input": "", "output": "A bat."},
            {"instruction": "Give the capital city of Australia.", "input": "", "output": "Canberra."}]
    (tmp_path / "out.jsonl").write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in done) + b'{"instruction": "Hal')
    fake = FakeServer(per_answer=3)
    with serve(fake) as url:
        result = runner.invoke(main, _args(url, 5, "--concurrency", "1"))
    assert result.exit_code == 0, result.output
    records = _out(tmp_path)
    assert records[:2] == done and len(records) == 5
    assert "5 of 5 records in out.jsonl (2 resumed)" in result.stderr
    again = runner.invoke(main, _args("http://127.0.0.1:9/v1", 5))
    assert again.exit_code == 0 and "0 requests" in again.stderr, "nothing left to do: no request at all"


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, _args("ftp://x", 2))
    assert result.exit_code == 2 and "--endpoint must be an http(s) URL" in result.stderr
    (tmp_path / "one.jsonl").write_text(json.dumps(SEEDS[0]) + "\n", encoding="utf-8")
    args = _args("http://127.0.0.1:9/v1", 2)
    args[args.index("seeds.jsonl")] = "one.jsonl"
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "needs at least 2 seed tasks" in result.stderr


def test_client_fails_at_once_on_a_client_error() -> None:
    fake = FakeServer()
    with serve(fake) as url, pytest.raises(LLMError, match="HTTP 404"):
        complete(Endpoint(url.replace("/v1", "/nowhere/x"), "m", retries=3, backoff=0), "hi")
    assert len(fake.requests) == 1


def test_a_length_cut_answer_loses_its_incomplete_last_task() -> None:
    text = answer_text([("Classify the sentiment of this review please.", "Great!", "Positive")], 4)
    fake = FakeServer(script=[("ok", text + "5. Instruction: Write a poem about", "length")])
    with serve(fake) as url:
        got = complete(Endpoint(url, "m", retries=0), "prompt")
    assert [t.instruction for t in parse_tasks(got, 4)] == ["Classify the sentiment of this review please."]


def test_parse_prompt_and_filters() -> None:
    seeds = [Task("Sort the words.", "b, a", "a, b"), Task("Say hi politely.", "", "Hello.")]
    prompt = build_prompt(seeds, 10)
    assert "List of 10 tasks:" in prompt and prompt.endswith("###\n3. Instruction:")
    tasks = parse_tasks(" Name a colour you like.\n3. Input:\n<noinput>\n3. Output:\nRed.\n###\n"
                        "4. Instruction: Add the numbers given below.\n4. Input:\n2, 3\n4. Output:\n5\n###\n"
                        "5. Instruction: Missing output here.\n5. Input:\nx\n", 3)
    assert tasks == [Task("Name a colour you like.", "", "Red."), Task("Add the numbers given below.", "2, 3", "5")]
    pool = Pool(0.7)
    pool.add("Give three tips for staying healthy.")
    assert reject_reason(Task("Give three tips for staying healthy today.", "", "x"), pool) is not None
    assert reject_reason(Task("Plot the function sin x over a period.", "", "x"), pool) == "instruction needs a non-text modality"
    assert reject_reason(Task("\"Quote\" this sentence back to me.", "", "x"), pool) == "instruction starts with punctuation"
    assert reject_reason(Task("Explain how vaccines train the immune system.", "", "x"), pool) is None
    assert rouge_l(tokens("a b c d"), tokens("a b c d")) == 1.0 and rouge_l([], ["a"]) == 0.0
