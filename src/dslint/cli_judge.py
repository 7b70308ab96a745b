"""`dslint check --judge`: the LLM judge's verdicts on the content findings, and what it says on stderr."""

from __future__ import annotations

from collections.abc import Sequence

import click

from dslint.engine import Settings
from dslint.generate.llm import Endpoint, endpoint_from_options
from dslint.model import RunResult
from dslint.readers import Target

SHOWN_DISMISSED = 20  # dismissed findings listed on stderr; the rest are counted


def judge_endpoint(url: str | None, model: str | None) -> Endpoint | str:
    """The endpoint `--endpoint` and `--model` name, or why they do not make one."""
    # Verdicts should not be sampled creatively; a verdict and a sentence fit in a few hundred tokens.
    return endpoint_from_options("--judge", url, model, temperature=0.0, max_tokens=300)


def run_judge(result: RunResult, targets: Sequence[Target], settings: Settings, endpoint: Endpoint) -> RunResult:
    from dslint.judge import judge
    from dslint.rules import rule_by_code

    judged, verdicts = judge(result, targets, endpoint, rule_by_code(), max_record_bytes=settings.max_record_bytes)
    click.echo(f"dslint: {verdicts.summary()}", err=True)
    for diagnostic, reason in verdicts.dismissed[:SHOWN_DISMISSED]:
        where = f"{diagnostic.path}:{diagnostic.line}" if diagnostic.line else f"{diagnostic.path} record {diagnostic.record}"
        click.echo(f"dslint: judge dismissed {where} {diagnostic.code}: {reason or 'no reason given'}", err=True)
    if len(verdicts.dismissed) > SHOWN_DISMISSED:
        click.echo(f"dslint: ... and {len(verdicts.dismissed) - SHOWN_DISMISSED} more dismissed", err=True)
    return judged
