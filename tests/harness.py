"""Run one rule over a small dataset written to a temporary file, as the rule case files and doc tests do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dslint.engine import Settings, run
from dslint.model import Diagnostic
from dslint.readers.discover import discover
from dslint.rules import rule_by_code
from dslint.suppression import EXAMPLE_KEY


def write_case(directory: Path, case: dict[str, Any], suffix: str = ".jsonl") -> Path:
    """Write a case (`record`, `records` or raw `text`) as a file and return its path; a case of several
    `files` (name: records, one dataset checked together) as a folder of them, and return the folder."""
    if "files" in case:
        folder = directory / "dataset"
        folder.mkdir()
        for name, records in case["files"].items():
            write_case(folder, {"records": records}, "." + name.rsplit(".", 1)[-1]).rename(folder / name)
        return folder
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


def check_file(path: Path, code: str, options: dict[str, Any] | None = None,
               against: Path | None = None) -> list[Diagnostic]:
    """The findings of one rule (only that rule enabled) on one file; `against`: an evaluation set."""
    rule = rule_by_code()[code]
    # Inline suppression on with the documented key, so DSL002's cases and doc examples can fire.
    settings = Settings(rules=[rule], options={code: rule.options.model_validate(options or {})},
                        inline_suppression_key=EXAMPLE_KEY)
    if against is not None:
        settings.against = discover([str(against)], root=against.parent)
    targets = discover([str(path)], root=path.parent)
    result = run(targets, settings)
    return [d for d in result.diagnostics if d.code == code]


def check_text(directory: Path, code: str, text: str, options: dict[str, Any] | None = None,
               suffix: str = ".jsonl", against: str | None = None) -> list[Diagnostic]:
    reference = None
    if against is not None:
        (directory / "against").mkdir(exist_ok=True)
        reference = write_case(directory / "against", {"text": against})
    return check_file(write_case(directory, {"text": text}, suffix), code, options, reference)


def fix_records(path: Path, code: str, options: dict[str, Any] | None = None, *,
                unsafe: bool = False) -> list[Any]:
    """The records of a JSON Lines case file after `--fix` (`--unsafe-fixes` with `unsafe`) with one rule."""
    from dslint.fixing.loop import FixOptions, fix_file

    rule = rule_by_code()[code]
    settings = Settings(rules=[rule], options={code: rule.options.model_validate(options or {})})
    (target,) = discover([str(path)], root=path.parent)
    result = fix_file(target, settings, FixOptions(unsafe=unsafe))
    return [json.loads(line) for line in result.fixed.decode("utf-8").splitlines() if line.strip()]
