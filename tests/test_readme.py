"""The README is the newcomer's entry point: its rule table and its Quickstart must stay true."""

from __future__ import annotations

import re
from pathlib import Path

from dslint.rules import all_rules

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_listed_with_its_name() -> None:
    missing = [f"{r.code} {r.name}" for r in all_rules() if f"{r.code} {r.name}" not in README]
    assert missing == []


def test_quickstart_has_exactly_two_commands() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    assert len(commands) == 2
    assert all(len(block.strip().splitlines()) == 1 for block in commands)
    assert "dslint check" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    test_command = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)[1].strip()
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci
