"""GitHub Actions workflow commands: one `::error file=...,line=...,title=...::message` per finding.

Escaping follows actions/toolkit `packages/core/src/command.ts`: data escapes `%`, CR and LF
(`%25`, `%0D`, `%0A`); property values additionally escape `:` and `,` (`%3A`, `%2C`).

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per job); it drops
the rest without a word (actions/toolkit, docs/problem-matchers.md, "Limitations"). So within those limits
every finding is an annotation; beyond them the first findings of each severity are annotations, the rest
are printed as plain log lines (still in the log, not dropped), and a final notice says how many did not
become annotations and points at SARIF, which code scanning shows in full. One notice slot is kept for it.
"""

from __future__ import annotations

from dslint.model import Diagnostic, RunResult, Severity
from dslint.output.common import (
    RenderOptions,
    finding_line,
    message_with_pointer,
    plural,
    replace_surrogates,
)
from dslint.output.severity import github_command


def escape_data(text: str) -> str:
    return replace_surrogates(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


ANNOTATIONS_PER_STEP = 10  # per severity (error, warning, notice)
ANNOTATIONS_PER_JOB = 50


def annotation(diagnostic: Diagnostic) -> str:
    properties = [f"file={escape_property(diagnostic.path)}"]
    if diagnostic.line is not None:
        properties.append(f"line={diagnostic.line}")
    properties.append(f"title={escape_property(f'{diagnostic.code} {diagnostic.name}')}")
    command = github_command(diagnostic.severity)
    message = escape_data(message_with_pointer(diagnostic))
    return f"::{command} {','.join(properties)}::{message}\n"


def _over_limit(diagnostics: list[Diagnostic]) -> bool:
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    return any(count > ANNOTATIONS_PER_STEP for count in counts.values())


def render(result: RunResult, options: RenderOptions) -> str:
    diagnostics = result.diagnostics
    if not _over_limit(diagnostics):
        return "".join(annotation(d) for d in diagnostics)
    budget = {severity: ANNOTATIONS_PER_STEP for severity in Severity}
    budget[Severity.INFO] -= 1  # the closing notice is an annotation too
    lines: list[str] = []
    plain = 0
    for diagnostic in diagnostics:
        if budget[diagnostic.severity] > 0:
            budget[diagnostic.severity] -= 1
            lines.append(annotation(diagnostic))
        else:
            plain += 1
            # Prefixed, so that no path or message can start the line with `::` (a workflow command).
            lines.append(f"dslint: {replace_surrogates(finding_line(diagnostic))}\n")
    shown = len(diagnostics) - plain
    lines.append(
        f"::notice title=dslint annotation limit::{plural(len(diagnostics), 'finding')}: GitHub shows "
        f"{ANNOTATIONS_PER_STEP} error, {ANNOTATIONS_PER_STEP} warning and {ANNOTATIONS_PER_STEP} notice "
        f"annotations per step ({ANNOTATIONS_PER_JOB} per job), so {shown} are annotations and {plain} are "
        "plain lines in this log. Upload `dslint check --format sarif` to code scanning to see them all.\n"
    )
    return "".join(lines)
