"""Bad input is normal input: every hostile file becomes a finding with a location, never a traceback,
and dslint never writes to what it checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main

GOOD = b'{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}'

# name -> (bytes, codes expected among the findings)
HOSTILE: dict[str, tuple[bytes, set[str]]] = {
    "empty.jsonl": (b"", {"FMT003"}),
    "truncated.jsonl": (GOOD + b"\n" + GOOD[:40], {"FMT001"}),
    "garbage.jsonl": (bytes(range(256)) * 64, {"FMT002"}),
    "utf16.jsonl": ((GOOD + b"\n").decode().encode("utf-16"), {"FMT002"}),
    "bom_crlf.jsonl": (b"\xef\xbb\xbf" + GOOD + b"\r\n" + GOOD + b"\r\n", set()),
    "nan.jsonl": (b'{"instruction": "x", "output": NaN}\n{"instruction": "y", "output": Infinity}\n', {"FMT001"}),
    "dupkey.jsonl": (b'{"instruction": "a", "output": "b", "output": "c"}\n', {"FMT005"}),
    "deep.jsonl": (b"[" * 100_000 + b"]" * 100_000 + b"\n", {"FMT001"}),
    "non_objects.json": (b"[1, \"two\", null, [3]]", {"FMT004"}),
    "string.json": (b'"just a string"', {"FMT004"}),
    "invalid_utf8.jsonl": (GOOD + b"\n" + b'{"instruction": "caf\xe9", "output": "x"}\n', {"FMT001"}),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_a_finding(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, expected = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(data)
    before = _digest(path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", name, "--isolated", "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    report = json.loads(result.output)
    codes = {d["code"] for d in report["diagnostics"]}
    assert expected <= codes, codes
    assert "DSL001" not in codes
    assert all(d["path"] == name for d in report["diagnostics"])
    assert result.exit_code == (1 if any(d["severity"] == "error" for d in report["diagnostics"]) else 0)
    assert _digest(path) == before


def test_twenty_megabyte_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "word " * 4_000_000
    record = {"instruction": "Summarise the text.", "input": text, "output": "Words."}
    (tmp_path / "big.jsonl").write_text(json.dumps(record) + "\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "big.jsonl", "--isolated"])
    assert result.exit_code == 0, result.output
    assert result.output == "All checks passed: 1 record in 1 file.\n"


def test_a_crashing_rule_is_an_internal_error_and_the_run_goes_on(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import dslint.resolve
    from dslint.rules import all_rules

    def broken(example, options):  # type: ignore[no-untyped-def]
        raise ValueError("boom")
        yield  # pragma: no cover - makes this a generator like every record rule

    rules = tuple(dataclasses.replace(r, check=broken) if r.code == "FMT010" else r for r in all_rules())
    monkeypatch.setattr(dslint.resolve, "all_rules", lambda: rules)
    (tmp_path / "d.jsonl").write_text(GOOD.decode() + "\nnot json\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "d.jsonl", "--isolated", "--format", "concise"])
    assert result.exit_code == 2
    assert "DSL001 [error] rule FMT010 (empty-content) failed: ValueError: boom" in result.output
    assert "d.jsonl:2: FMT001" in result.output  # the other rules still ran
