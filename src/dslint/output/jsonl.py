"""One JSON object per diagnostic per line, nothing else: easy to stream, grep and load."""

from __future__ import annotations

from dslint.model import RunResult
from dslint.output.common import RenderOptions, dumps


def render(result: RunResult, options: RenderOptions) -> str:
    return "".join(dumps(diagnostic.to_dict()) + "\n" for diagnostic in result.diagnostics)
