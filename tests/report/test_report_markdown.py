"""The Markdown report: its layout, and dataset text made inert for GitHub's Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.report.markdown import md_text


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_md_text_is_inert_and_one_line() -> None:
    assert md_text("a|b\nc") == "a\\|b c"
    assert md_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert\\(1\\)&gt;"
    assert md_text("*[x](javascript:1)*") == "\\*\\[x\\]\\(javascript:1\\)\\*"
    assert md_text("x" * 500, limit=10) == "x" * 9 + "…"
    assert md_text("a\u202eb\ud800") == "a\ufffdb\ufffd"


def test_markdown_report_layout(runner: CliRunner, hostile_dir: Path) -> None:
    result = runner.invoke(main, ["report", str(hostile_dir), "--format", "markdown", "--no-tokens", "--isolated",
                                  "--select", "FMT"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "## dslint report"
    assert lines[4] == "| Records | Files | Formats | Errors | Warnings | Infos | Clean records |"
    assert lines[6] == "| 56 | 2 | chatml \\(46\\), alpaca \\(5\\) | 15 | 0 | 0 | 73.2% |"
    assert "**Tokens**: not counted (token counting was turned off \\(--no-tokens\\))." in text
    assert "**Turns per record** (most common): 2 turns: 46, 1 turn: 5" in text
    rows = [line for line in lines if line.startswith("| FMT")]
    assert [row.split(" | ")[0] for row in rows] == ["| FMT006", "| FMT010", "| FMT011"]
    assert all(row.count(" | ") == 4 for row in rows)  # no pipe from the data splits a row
    # Nothing from the data can open a tag, a comment, a link or an image.
    data_part = text.split("### Findings by rule", 1)[1]
    assert not re.search(r"<(?!/?details>|summary>|/summary>)", data_part)
    assert "](" not in data_part.replace("\\](", "")


def test_markdown_report_to_a_file_by_suffix(runner: CliRunner, hostile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.md"
    result = runner.invoke(main, ["report", str(hostile_dir), "-o", str(out), "--no-tokens", "--isolated"])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("## dslint report\n")
    assert "wrote markdown report" in result.stderr


def test_report_refuses_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["report", "-", "--no-tokens"], input='{"instruction": "a", "output": "b"}\n')
    assert result.exit_code == 2 and "cannot read stdin" in result.stderr
