"""The one table mapping a severity to what each output format calls it.

DESIGN.md section 5: error -> GitHub `error` / SARIF `error`; warning -> `warning` / `warning`;
info -> `notice` / `note`. No other module repeats this mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

from dslint.model import Severity


@dataclass(frozen=True)
class SeverityStyle:
    github: str  # workflow command: error / warning / notice
    sarif: str  # result and rule level: error / warning / note
    ansi: str  # SGR colour code for the text formats


STYLES: dict[Severity, SeverityStyle] = {
    Severity.ERROR: SeverityStyle(github="error", sarif="error", ansi="31"),
    Severity.WARNING: SeverityStyle(github="warning", sarif="warning", ansi="33"),
    Severity.INFO: SeverityStyle(github="notice", sarif="note", ansi="36"),
}


def github_command(severity: Severity) -> str:
    return STYLES[severity].github


def sarif_level(severity: Severity) -> str:
    return STYLES[severity].sarif


def ansi_colour(severity: Severity) -> str:
    return STYLES[severity].ansi
