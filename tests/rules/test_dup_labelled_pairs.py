"""The labelled DUP pair set is well formed, large enough, split before use; its evaluator counts per part."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dslint.formats import normalise as normalise_record
from dslint.model import Source

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "dup"
LABELLED = BENCHMARK / "labelled_pairs.jsonl"
LABELS = ("DUP002", "DUP003", "DUP004", "none")


def load_pairs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate_pairs", BENCHMARK / "evaluate_pairs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pairs() -> list[dict[str, Any]]:
    if not LABELLED.exists():
        pytest.skip("benchmarks/dup/labelled_pairs.jsonl is not in this checkout")
    return load_pairs()


def test_every_pair_is_labelled_and_split(pairs: list[dict[str, Any]]) -> None:
    for number, pair in enumerate(pairs, 1):
        assert pair["label"] in LABELS, number
        assert pair["part"] in ("tuning", "heldout"), number
        assert pair["a"] != pair["b"], number


def test_both_records_parse_in_one_format(pairs: list[dict[str, Any]]) -> None:
    for number, pair in enumerate(pairs, 1):
        first = normalise_record(pair["a"], Source("a.jsonl", 1, 0))
        second = normalise_record(pair["b"], Source("b.jsonl", 1, 0))
        assert first.format is not None and first.format == second.format, number
        assert not first.issues and not second.issues, number


def test_no_pair_is_repeated(pairs: list[dict[str, Any]]) -> None:
    keys = Counter(json.dumps(sorted([pair["a"], pair["b"]], key=json.dumps), sort_keys=True) for pair in pairs)
    assert [key for key, times in keys.items() if times > 1] == []


def test_large_enough_and_about_a_third_held_out(pairs: list[dict[str, Any]]) -> None:
    labels = Counter(pair["label"] for pair in pairs)
    assert sum(labels[rule] for rule in LABELS[:3]) >= 160
    assert labels["none"] >= 160
    assert all(labels[rule] >= 50 for rule in LABELS[:3])
    for label in LABELS:
        held = sum(1 for pair in pairs if pair["label"] == label and pair["part"] == "heldout")
        assert 0.25 <= held / labels[label] <= 0.4, label


def test_evaluator_counts_the_chosen_part(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    record = {"instruction": "Explain why the sky is blue in two sentences.", "input": "",
              "output": "Sunlight scatters off air molecules. Blue light scatters most, so the sky looks blue."}
    typo = {**record, "instruction": "Explain why the sky is blue in two sentence."}
    other = {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    lines = [{"a": record, "b": typo, "label": "DUP002", "part": "tuning"},
             {"a": record, "b": other, "label": "none", "part": "heldout"}]
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["evaluate_pairs.py", str(path), "--part", "tuning"])
    evaluator().main()
    out = capsys.readouterr().out
    assert "tuning: 1 pairs" in out and "heldout:" not in out and "all:" not in out
    assert "DUP002      1    0    0       1.00     1.00" in out
