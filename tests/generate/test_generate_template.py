"""`dslint generate template`: expansion, sampling, dedupe, the lint gate, and spec errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.generate.template import SpecError, assignments, parse_spec, render

SPEC = """\
format: {fmt}
system: "You translate."
instruction: "Translate '{{pair.text}}' into {{language}}."
output: "{{pair.answer}}"
slots:
  language: [French]
  pair:
    - {{text: "thank you", answer: "merci"}}
    - {{text: "good morning", answer: "bonjour"}}
    - {{text: "Good  morning", answer: "bonjour"}}
    - {{text: "yes", answer: "As an AI language model, I cannot translate that."}}
"""


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_expands_dedupes_gates_and_writes_only_passing_records(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC.format(fmt="chatml"), encoding="utf-8")
    result = runner.invoke(main, ["generate", "template", "spec.yaml", "-o", "out.jsonl", "--isolated",
                                  "--select", "FMT,ALN007"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ("4 of 4 combinations made, 1 duplicates dropped, 1 rejected by the checks, "
                             "2 written to out.jsonl\n  rejected 1: ALN007 refusal-or-boilerplate\n")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[0] == {"messages": [{"role": "system", "content": "You translate."},
                                       {"role": "user", "content": "Translate 'thank you' into French."},
                                       {"role": "assistant", "content": "merci"}]}
    assert len(records) == 2


def test_the_gate_level_and_selection_apply(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC.format(fmt="alpaca"), encoding="utf-8")
    result = runner.invoke(main, ["generate", "template", "spec.yaml", "-o", "out.jsonl", "--isolated",
                                  "--select", "FMT,ALN007", "--ignore", "ALN007"])
    assert "0 rejected by the checks, 3 written" in result.stderr
    result = runner.invoke(main, ["generate", "template", "spec.yaml", "-o", "out.jsonl", "--isolated",
                                  "--select", "FMT,ALN007", "--fail-on", "error"])
    assert "0 rejected by the checks, 3 written" in result.stderr


def test_sampling_is_seeded_distinct_and_bounded() -> None:
    spec = parse_spec({"instruction": "{a} {b}", "output": "x", "slots": {"a": list(range(10)), "b": list("xyz")}})
    first = [tuple(v.values()) for v in assignments(spec, 7, seed=3)]
    assert first == [tuple(v.values()) for v in assignments(spec, 7, seed=3)]
    assert len(set(first)) == 7 and first != [tuple(v.values()) for v in assignments(spec, 7, seed=4)]
    assert len(list(assignments(spec, 100, seed=0))) == 30
    assert len(list(assignments(spec, None, seed=0))) == 30


def test_render_slots_attributes_and_braces() -> None:
    assert render("{{x}} {a} {p.k}", {"a": "A", "p": {"k": 1}}) == "{x} A 1"


@pytest.mark.parametrize(("data", "message"), [
    ([], "must be a mapping"),
    ({"instruction": "x", "output": "y", "extra": 1}, "unknown key(s) extra"),
    ({"instruction": "", "output": "y"}, "`instruction` must be a non-empty template string"),
    ({"instruction": "{a}", "output": "y"}, "uses slot {a}, which `slots` does not define"),
    ({"instruction": "{a.k}", "output": "y", "slots": {"a": ["s"]}}, "needs key `k`"),
    ({"instruction": "x", "output": "y", "slots": {"a": []}}, "non-empty list"),
    ({"instruction": "x", "output": "y", "format": "csv"}, "format must be"),
])
def test_bad_specs_are_one_line_errors(data: object, message: str) -> None:
    with pytest.raises(SpecError, match=message.replace("{", "\\{").replace("(", "\\(").replace(")", "\\)")):
        parse_spec(data)


def test_bad_spec_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text("instruction: [unclosed", encoding="utf-8")
    result = runner.invoke(main, ["generate", "template", "spec.yaml", "-o", "out.jsonl", "--isolated"])
    assert result.exit_code == 2 and result.stderr.startswith("dslint: error: spec.yaml: not valid YAML")
    assert not (tmp_path / "out.jsonl").exists()


def test_too_many_combinations_need_sampling(runner: CliRunner, tmp_path: Path) -> None:
    spec = {"instruction": "{a}{b}{c}", "output": "x", "slots": {k: list(range(101)) for k in "abc"}}
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    result = runner.invoke(main, ["generate", "template", "spec.json", "-o", "out.jsonl", "--isolated"])
    assert result.exit_code == 2 and "1,030,301 combinations: sample some with -n" in result.stderr
