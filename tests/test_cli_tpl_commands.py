"""`dslint stats` and `dslint templates`: contract tests with click's runner (exit code, stdout, stderr)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.cli_stats import default_epochs, histogram


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _chat(*pairs: tuple[str, str]) -> dict:
    return {"messages": [{"role": role, "content": content} for role, content in pairs]}


def test_default_epochs_follow_the_cookbook() -> None:
    assert default_epochs(10) == 10  # 10 x 3 < 100: 100 // 10
    assert default_epochs(2) == 25  # capped at 25
    assert default_epochs(1000) == 3
    assert default_epochs(10_000) == 2  # 25,000 // 10,000
    assert default_epochs(100_000) == 1


def test_histogram_bins_cover_every_example() -> None:
    bins = histogram(sorted([1, 1, 2, 50, 99, 100]))
    assert sum(b["examples"] for b in bins) == 6
    assert bins[0]["from"] == 1 and bins[-1]["to"] >= 100


def test_stats_json_with_bytes_counter(tmp_path: Path) -> None:
    _write(tmp_path / "d.jsonl", [
        _chat(("system", "abcd"), ("user", "hello"), ("assistant", "world!")),  # 3 + (3+4) + (3+5) + (3+6) = 27
        _chat(("user", "hi"), ("assistant", "ok")),  # 3 + 5 + 5 = 13
    ])
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", str(tmp_path), "--tokenizer", "bytes", "--format", "json",
                                       "--max-tokens", "20", "--price-per-million", "10"])
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["examples"] == 2 and stats["unparsed_records"] == 1
    assert stats["tokens"] == {"total": 40, "min": 13, "median": 20, "p95": 27, "max": 27, "over_limit": 1,
                               "limit": 20}
    assert stats["system_prompt_share"] == pytest.approx(7 / 40)
    assert stats["estimate"]["epochs"] == 25
    assert stats["estimate"]["billed_tokens_per_epoch"] == 33  # 20 + 13
    assert stats["estimate"]["cost"] == pytest.approx(33 * 25 / 1e6 * 10)


def test_stats_text(tmp_path: Path) -> None:
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "x" * n), ("assistant", "y")) for n in range(1, 30)])
    result = CliRunner().invoke(main, ["stats", str(data), "--tokenizer", "bytes"])
    assert result.exit_code == 0
    assert result.stdout.startswith("29 examples in 1 file(s)\ntokens (bytes): total ")
    assert "tokens per example:\n" in result.stdout and "#" in result.stdout


def test_stats_unknown_tokenizer_is_exit_2(tmp_path: Path) -> None:
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "hi"), ("assistant", "ok"))])
    result = CliRunner().invoke(main, ["stats", str(data), "--tokenizer", "nobody/nothing"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("dslint: error: --tokenizer nobody/nothing") and result.stderr.count("\n") == 1


def test_templates_matrix(tmp_path: Path) -> None:
    pytest.importorskip("jinja2")
    raising = tmp_path / "no-system.jinja"
    raising.write_text("{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('no system') }}"
                       "{% endif %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}", encoding="utf-8")
    dropping = tmp_path / "user-assistant.jinja"
    dropping.write_text("{% for m in messages %}{% if m['role'] in ['user', 'assistant'] %}"
                        "{{ m['content'] }}\n{% endif %}{% endfor %}", encoding="utf-8")
    data = _write(tmp_path / "d.jsonl", [
        _chat(("system", "be brief"), ("user", "hi"), ("assistant", "hello")),
        _chat(("user", "hi"), ("assistant", "hello")),
    ])
    args = ["templates", str(data), "--template", str(raising), "--template", str(dropping)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith(f"{data}:1"))
    assert row.split()[1:] == ["raised", "dropped"]
    assert "T1: 1 of 2 records fail" in result.stdout and "T2: 1 of 2 records fail" in result.stdout
    as_json = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)
    assert as_json["failing"] == [{"path": str(data), "record": 0, "line": 1,
                                   "templates": {str(raising): ["raised"], str(dropping): ["dropped"]}}]


def test_templates_missing_template_is_exit_2(tmp_path: Path) -> None:
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "hi"), ("assistant", "ok"))])
    result = CliRunner().invoke(main, ["templates", str(data), "--template", str(tmp_path / "none.jinja")])
    assert result.exit_code == 2 and "no such file or tokenizer directory" in result.stderr
