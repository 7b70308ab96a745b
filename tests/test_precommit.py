"""The pre-commit hook, run for real: pre-commit installs dslint from a copy of this repository into its own
environment and runs it on a temporary git repository holding a clean and then a broken dataset.

Needs git, pre-commit and access to the package index (pre-commit installs dslint's dependencies); skipped
with the reason where one is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src")

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _init_repo(path: Path) -> None:
    path.mkdir()
    _git(path, "init", "-q", "-b", "main")
    _git(path, "config", "user.email", "test@example.com")
    _git(path, "config", "user.name", "dslint test")
    _git(path, "config", "commit.gpgsign", "false")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install '.[test]')")
    repo = tmp_path_factory.mktemp("hooks") / "dslint"
    _init_repo(repo)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "dslint")
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True,
                         text=True).stdout.strip()
    return repo, sha


def _run_hook(data: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                          cwd=data, env=env, capture_output=True, text=True, timeout=900)


def test_hook_passes_clean_and_fails_broken(hook_repo: tuple[Path, str], tmp_path: Path) -> None:
    repo, sha = hook_repo
    data = tmp_path / "data"
    _init_repo(data)
    (data / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {sha}\n    hooks:\n      - id: dslint\n"
    )
    (data / "train.jsonl").write_text(
        '{"messages": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Red."}]}\n'
    )
    (data / "notes.txt").write_text("not a dataset\n")
    _git(data, "add", "-A")
    home = tmp_path / "pre-commit-home"
    clean = _run_hook(data, home)
    if clean.returncode != 0 and "dslint" not in clean.stdout + clean.stderr:
        pytest.skip(f"pre-commit could not install the hook (offline?): {clean.stderr.strip()[-300:]}")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "dslint" in clean.stdout and "Passed" in clean.stdout

    (data / "broken.jsonl").write_text('{"messages": [\n')
    _git(data, "add", "-A")
    broken = _run_hook(data, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Failed" in broken.stdout
    assert "broken.jsonl:1: FMT001 [error] truncated JSON" in broken.stdout
    assert "train.jsonl" not in broken.stdout.split("Failed", 1)[1]
