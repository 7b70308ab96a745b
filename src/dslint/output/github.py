"""GitHub Actions workflow commands: one `::error file=...,line=...,title=...::message` per finding.

Escaping follows actions/toolkit `packages/core/src/command.ts`: data escapes `%`, CR and LF
(`%25`, `%0D`, `%0A`); property values additionally escape `:` and `,` (`%3A`, `%2C`). GitHub caps the
annotations shown per step, so large runs should upload SARIF instead.
"""

from __future__ import annotations

from dslint.model import RunResult
from dslint.output.common import RenderOptions, message_with_pointer, replace_surrogates
from dslint.output.severity import github_command


def escape_data(text: str) -> str:
    return replace_surrogates(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult, options: RenderOptions) -> str:
    lines: list[str] = []
    for diagnostic in result.diagnostics:
        properties = [f"file={escape_property(diagnostic.path)}"]
        if diagnostic.line is not None:
            properties.append(f"line={diagnostic.line}")
        properties.append(f"title={escape_property(f'{diagnostic.code} {diagnostic.name}')}")
        command = github_command(diagnostic.severity)
        message = escape_data(message_with_pointer(diagnostic))
        lines.append(f"::{command} {','.join(properties)}::{message}\n")
    return "".join(lines)
