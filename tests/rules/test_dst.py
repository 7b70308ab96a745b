"""DST rules beyond the case files: parallel runs, the real FastChat file, configured datasets, lazy imports."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint import parallel
from dslint.cli import main
from dslint.engine import Settings
from dslint.readers.discover import discover
from dslint.rules import rule_by_code

ROOT = Path(__file__).resolve().parents[2]
FASTCHAT = ROOT.parent / "shared" / "corpora" / "fastchat" / "dummy_conversation.json"
CODES = ["DST001", "DST002", "DST003", "DST004", "DST005"]


def _records(count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    words = ["river", "stone", "cloud", "market", "engine", "garden", "window", "silver", "orbit", "meadow", "lantern"]
    records = []
    for number in range(count):
        messages = []
        for _ in range(1 if rng.random() < 0.97 else 2):
            prompt = "What is up?" if rng.random() < 0.2 else " ".join(rng.choices(words, k=8)) + f" {number}?"
            answer = ("Sure! Here's " if rng.random() < 0.3 else "") + " ".join(rng.choices(words, k=rng.randint(3, 30)))
            if rng.random() < 0.002:
                answer = "log " * 5000
            messages += [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]
        records.append({"messages": messages})
    return records


def _run(path: Path, jobs: int, shard_bytes: int) -> list[tuple[str, str | None, str]]:
    rules = [rule_by_code()[code] for code in CODES]
    size = rule_by_code()["DST001"].options.model_validate({"task": "multi-task"})
    result = parallel.run(discover([str(path)], root=path.parent), Settings(rules=rules, options={"DST001": size}),
                          jobs, shard_bytes=shard_bytes)
    return [(d.code, d.path, d.message) for d in result.diagnostics]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="parallel runs need fork")
def test_a_parallel_run_reports_what_a_serial_run_reports(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records(3000, 3)), encoding="utf-8")
    serial = _run(path, 1, 1 << 30)
    assert {code for code, *_ in serial} == {"DST001", "DST002", "DST003", "DST004", "DST005"}
    assert _run(path, 2, 50_000) == serial


@pytest.mark.skipif(not FASTCHAT.is_file(), reason="needs the shared corpora beside the checkout")
@pytest.mark.shared
def test_fastchat_dummy_file_has_52_distinct_first_turns() -> None:
    rules = [rule_by_code()["DST002"]]
    result = parallel.run(discover([str(FASTCHAT)], root=FASTCHAT.parent), Settings(rules=rules), 1)
    (finding,) = result.diagnostics
    assert finding.message.startswith("only 52 distinct prompts among 500 examples")
    assert finding.line is None and finding.record is None


def test_check_without_paths_reads_the_configured_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}\n'
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.jsonl").write_text(record)
    (tmp_path / "data" / "b.jsonl").write_text(record)
    (tmp_path / "elsewhere.jsonl").write_text(record)
    (tmp_path / "dslint.toml").write_text('datasets = ["data"]\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = CliRunner().invoke(main, ["check", "--no-progress", "--select", "DUP001", "--format", "json"])
    report = json.loads(result.output)
    assert sorted(f["path"] for f in report["files"]) == ["../data/a.jsonl", "../data/b.jsonl"]
    assert [(d["code"], d["path"]) for d in report["diagnostics"]] == [("DUP001", "../data/b.jsonl")]


def test_version_does_not_import_numpy() -> None:
    code = "import sys; from dslint.cli import main; import dslint.rules as r; r.all_rules(); print('numpy' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert found.stdout.strip() == "False"
