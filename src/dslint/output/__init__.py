"""Reporters: render a RunResult in one of the output formats (DESIGN.md section 5).

Each format is a small module with `render(result, options) -> str`, imported only when asked for.
Severity names per format live in one table, `dslint.output.severity`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from dslint.model import RunResult
from dslint.output.common import RenderOptions

if TYPE_CHECKING:
    from dslint.rules.base import Rule

FORMATS = ("text", "concise", "json", "jsonl", "github", "sarif", "junit")


def render(
    result: RunResult,
    fmt: str,
    *,
    rules: Mapping[str, Rule],
    color: bool = False,
    statistics: bool = False,
    quiet: bool = False,
    version: str,
) -> str:
    """The report for `result` in format `fmt`; `rules` maps every code that may appear to its Rule."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    renderer: Callable[[RunResult, RenderOptions], str] = importlib.import_module(f"dslint.output.{fmt}").render
    options = RenderOptions(rules=rules, version=version, color=color, statistics=statistics, quiet=quiet)
    return renderer(result, options)
