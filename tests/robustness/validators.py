"""What "a valid report" means, per output format. A format without an entry here (one added later) is
still rendered and must encode as UTF-8; add its validator when adding the format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from dslint.model import RunResult
from dslint.output import FORMATS, render
from dslint.rules import rule_by_code

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "output" / "schemas" / "sarif-schema-2.1.0.json"
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^:,\r\n]*(,line=\d+)?,title=[^:,\r\n]*::[^\r\n]*$")
GITHUB_NOTICE = re.compile(r"^::notice title=[^:,\r\n]*::[^\r\n]*$")


@lru_cache(maxsize=1)
def _sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def _json(text: str, result: RunResult) -> None:
    assert len(json.loads(text)["diagnostics"]) == len(result.diagnostics)


def _jsonl(text: str, result: RunResult) -> None:
    lines = [line for line in text.split("\n") if line]
    assert len(lines) == len(result.diagnostics)
    for line in lines:
        assert isinstance(json.loads(line), dict)


def _github(text: str, result: RunResult) -> None:
    """Annotations; past GitHub's per-step cap, plain `dslint: ` lines and one closing notice."""
    lines = [line for line in text.split("\n") if line]
    findings = [line for line in lines if GITHUB_LINE.match(line) or line.startswith("dslint: ")]
    assert len(findings) == len(result.diagnostics)
    for line in lines:
        assert GITHUB_LINE.match(line) or line.startswith("dslint: ") or GITHUB_NOTICE.match(line), line


def _sarif(text: str, result: RunResult) -> None:
    log = json.loads(text)
    _sarif_validator().validate(log)
    assert len(log["runs"][0]["results"]) == len(result.diagnostics)


def _junit(text: str, result: RunResult) -> None:
    ET.fromstring(text)


def _lines(text: str, result: RunResult) -> None:
    assert "\r" not in text.replace("\r\n", "")  # no raw carriage return can rewrite a terminal line


VALIDATORS: dict[str, Callable[[str, RunResult], None]] = {
    "json": _json, "jsonl": _jsonl, "github": _github, "sarif": _sarif, "junit": _junit,
    "text": _lines, "concise": _lines,
}


def check_every_format(result: RunResult) -> None:
    """Render `result` in every registered format and validate each report."""
    rules = rule_by_code()
    for fmt in FORMATS:
        for quiet in (False, True):
            text = render(result, fmt, rules=rules, statistics=not quiet, quiet=quiet, version="0.0.0")
            text.encode("utf-8", "replace")
            text.encode("utf-8")  # a lone surrogate never reaches a report
            validator = VALIDATORS.get(fmt)
            if validator is not None:
                try:
                    validator(text, result)
                except Exception as exc:
                    raise AssertionError(f"format {fmt} (quiet={quiet}) is invalid: {exc!r}") from exc
    concise = render(result, "concise", rules=rules, quiet=True, version="0.0.0")
    assert len(concise.splitlines()) == len(result.diagnostics), "concise: one line per finding"
