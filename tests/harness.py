"""Run one rule over a small dataset written to a temporary file, as the rule case files and doc tests do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dslint.engine import Settings, run
from dslint.model import Diagnostic
from dslint.readers.discover import discover
from dslint.rules import rule_by_code


def write_case(directory: Path, case: dict[str, Any], suffix: str = ".jsonl") -> Path:
    """Write a case (`record`, `records` or raw `text`) as a file and return its path."""
    path = directory / f"case{suffix}"
    if "text" in case:
        path.write_text(case["text"], encoding="utf-8", newline="")
    else:
        records = [case["record"]] if "record" in case else case["records"]
        if suffix == ".json":
            path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            lines = (json.dumps(r, ensure_ascii=False) for r in records)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check_file(path: Path, code: str, options: dict[str, Any] | None = None) -> list[Diagnostic]:
    """The findings of one rule (only that rule enabled) on one file."""
    rule = rule_by_code()[code]
    settings = Settings(rules=[rule], options={code: rule.options.model_validate(options or {})})
    targets = discover([str(path)], root=path.parent)
    result = run(targets, settings)
    return [d for d in result.diagnostics if d.code == code]


def check_text(directory: Path, code: str, text: str, options: dict[str, Any] | None = None,
               suffix: str = ".jsonl") -> list[Diagnostic]:
    return check_file(write_case(directory, {"text": text}, suffix), code, options)
