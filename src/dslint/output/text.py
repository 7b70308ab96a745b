"""The default human format: one line per finding, its excerpt beneath, then a closing summary."""

from __future__ import annotations

from dslint.model import RunResult
from dslint.output.common import RenderOptions, finding_line, one_line, statistics_lines, summary_line


def render(result: RunResult, options: RenderOptions, *, context: bool = True) -> str:
    lines: list[str] = []
    for diagnostic in result.diagnostics:
        lines.append(finding_line(diagnostic, color=options.color))
        if context and diagnostic.context:
            lines.append(f"    | {one_line(diagnostic.context)}")
    if not options.quiet:
        if result.diagnostics:
            lines.append("")
            if options.statistics:
                lines.extend(statistics_lines(result))
                lines.append("")
        lines.append(summary_line(result))
    return "".join(f"{line}\n" for line in lines)
