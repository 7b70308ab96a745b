"""The `dslint-dataset` pre-commit hook, run for real: it passes no file names and checks the configured
`datasets` as a whole, so a duplicate across two files is found even when only one of them is staged.

Needs git, pre-commit and access to the package index (skipped with the reason otherwise), like
tests/test_precommit.py, whose temporary hook repository it shares.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_precommit import _git, _init_repo, _run_hook, hook_repo  # noqa: F401 - hook_repo is a fixture

pytestmark = pytest.mark.slow

CHAT = '{"messages": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Red."}]}\n'
OTHER = '{"messages": [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}]}\n'


def test_dataset_hook_checks_the_configured_datasets_whole(hook_repo: tuple[Path, str], tmp_path: Path) -> None:  # noqa: F811
    repo, sha = hook_repo
    data = tmp_path / "data"
    _init_repo(data)
    (data / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {sha}\n    hooks:\n      - id: dslint-dataset\n"
        "        args: [--fail-on, warning]\n"
    )
    (data / "pyproject.toml").write_text('[tool.dslint]\ndatasets = ["train"]\n')
    (data / "train").mkdir()
    (data / "train" / "a.jsonl").write_text(CHAT)
    (data / "train" / "b.jsonl").write_text(OTHER)
    (data / "scratch.jsonl").write_text(CHAT)  # outside the configured datasets: never checked
    _git(data, "add", "-A")
    home = tmp_path / "pre-commit-home"
    clean = _run_hook(data, home)
    if clean.returncode != 0 and "dslint" not in clean.stdout + clean.stderr:
        pytest.skip(f"pre-commit could not install the hook (offline?): {clean.stderr.strip()[-300:]}")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (data / "train" / "b.jsonl").write_text(OTHER + CHAT)  # now a copy of a.jsonl's record
    _git(data, "add", "train/b.jsonl")
    duplicated = _run_hook(data, home)
    assert duplicated.returncode == 1, duplicated.stdout
    assert "train/b.jsonl:2: DUP001 [warning] exact duplicate of record 0 (line 1) in train/a.jsonl" in duplicated.stdout
    assert "scratch.jsonl" not in duplicated.stdout
