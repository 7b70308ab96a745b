"""The text format without excerpt lines: exactly one line per finding, then the summary."""

from __future__ import annotations

from dslint.model import RunResult
from dslint.output import text
from dslint.output.common import RenderOptions


def render(result: RunResult, options: RenderOptions) -> str:
    return text.render(result, options, context=False)
