"""`dslint convert`: options, per-record notes and counts, exit codes, and what is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.convert.template import PromptTemplate, TemplateError


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


MULTI = {"messages": [{"role": "user", "content": "Q1"}, {"role": "assistant", "content": "A1"},
                      {"role": "user", "content": "Q2"}, {"role": "assistant", "content": "A2"}]}


def test_system_and_role_map(runner: CliRunner, tmp_path: Path) -> None:
    _jsonl(tmp_path / "in.jsonl", {"conversations": [{"from": "user", "value": "Hi"}, {"from": "bot", "value": "Yo"}]},
           {"conversations": [{"from": "system", "value": "Own."}, {"from": "human", "value": "Hi"},
                              {"from": "gpt", "value": "Yo"}]})
    result = runner.invoke(main, ["convert", "in.jsonl", "--to", "chatml", "-o", "out.jsonl",
                                  "--system", "Be brief.", "--role-map", "bot=assistant"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ("converted 2 records to chatml in out.jsonl (0 skipped, 0 notes); "
                             "output check: 0 FMT findings\n")
    assert _read(tmp_path / "out.jsonl") == [
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                      {"role": "assistant", "content": "Yo"}]},
        {"messages": [{"role": "system", "content": "Own."}, {"role": "user", "content": "Hi"},
                      {"role": "assistant", "content": "Yo"}]},
    ]


def test_unknown_role_without_a_map_is_skipped_with_a_located_reason(runner: CliRunner, tmp_path: Path) -> None:
    _jsonl(tmp_path / "in.jsonl", {"conversations": [{"from": "user", "value": "Hi"}, {"from": "bot", "value": "Yo"}]})
    result = runner.invoke(main, ["convert", "in.jsonl", "--to", "alpaca", "-o", "out.jsonl"])
    assert result.exit_code == 1
    assert result.stderr.startswith("in.jsonl:1: record has schema problems (unknown ShareGPT role 'bot'")
    assert (tmp_path / "out.jsonl").read_text() == ""


@pytest.mark.parametrize(("mode", "expected", "skipped"), [
    ("history", {"instruction": "Q2", "input": "", "output": "A2", "history": [["Q1", "A1"]]}, 0),
    ("fold", {"instruction": "Q2", "input": "User: Q1\nAssistant: A1", "output": "A2"}, 0),
    ("skip", None, 1),
])
def test_multi_turn_to_alpaca(runner: CliRunner, tmp_path: Path, mode: str, expected: object, skipped: int) -> None:
    _jsonl(tmp_path / "in.jsonl", MULTI)
    result = runner.invoke(main, ["convert", "in.jsonl", "--to", "alpaca", "-o", "out.jsonl", "--multi-turn", mode])
    assert result.exit_code == (1 if skipped else 0)
    assert _read(tmp_path / "out.jsonl") == ([expected] if expected else [])
    assert f"({skipped} skipped" in result.stderr


def test_prompt_template_merges_csv_columns(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("question,context,answer,id\nWhat colour?,The sky.,Blue.,7\nWhy?,,Because.,8\n",
                                     encoding="utf-8")
    result = runner.invoke(main, ["convert", "in.csv", "--to", "sharegpt", "-o", "out.json",
                                  "--prompt-template", "{question}[[\n\nContext: {context}]]",
                                  "--output-field", "answer"])
    assert result.exit_code == 0, result.output
    records = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert records == [
        {"conversations": [{"from": "human", "value": "What colour?\n\nContext: The sky."},
                           {"from": "gpt", "value": "Blue."}], "id": "7"},
        {"conversations": [{"from": "human", "value": "Why?"}, {"from": "gpt", "value": "Because."}], "id": "8"},
    ]


def test_template_rendering() -> None:
    template = PromptTemplate("{instruction}[[\n\n### Input:\n{input}]]{{literal}}")
    assert template.fields == ("instruction", "input")
    assert template.render({"instruction": "Do", "input": " "}) == "Do{literal}"
    assert template.render({"instruction": "Do", "input": "it", "n": 1}) == "Do\n\n### Input:\nit{literal}"
    for bad in ("no slots", "{a}[[ {b}", "{a} ]] x"):
        with pytest.raises(TemplateError):
            PromptTemplate(bad)


@pytest.mark.parametrize(("args", "message"), [
    (["--role-map", "bot"], "--role-map entry 'bot' must be RAW=ROLE"),
    (["--role-map", "bot=robot"], "'robot' is not one of system, user, assistant, tool"),
    (["--prompt-template", "plain"], "--prompt-template names no {field}"),
    (["-o", "in.jsonl"], "the output would overwrite an input"),
])
def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    _jsonl(tmp_path / "in.jsonl", MULTI)
    base = ["convert", "in.jsonl", "--to", "chatml"] + ([] if "-o" in args else ["-o", "out.jsonl"])
    result = runner.invoke(main, base + args)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""
    assert not (tmp_path / "out.jsonl").exists()


def test_unreadable_and_unknown_records_are_counted(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text('{"text": "x"}\nnot json\n' + json.dumps(MULTI) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["convert", "in.jsonl", "--to", "sharegpt", "-o", "out.jsonl", "-q"])
    assert result.exit_code == 1
    assert result.stderr == ("converted 1 records to sharegpt in out.jsonl (2 skipped, 0 notes); "
                             "output check: 0 FMT findings\n")
