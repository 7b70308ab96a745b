"""`dslint generate template SPEC` and `dslint generate self-instruct --seeds FILE`: new examples, gated by
dslint's own rules before they are written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from dslint.cli import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    _config_options,
    _fail,
    _load_settings,
    main,
)


@main.group("generate")
def generate_group() -> None:
    """Generate examples from templates or with an LLM; only records passing dslint's rules are written."""


def _gate_options(func: Any) -> Any:
    func = click.option("--fail-on", "gate_level", type=click.Choice(["error", "warning", "info"]), default="warning",
                        show_default=True, help="Reject a generated record with a finding at this severity or above.")(func)
    func = click.option("--select", multiple=True, help="Rules the gate runs (default: the configured set).")(func)
    func = click.option("--ignore", multiple=True, help="Rules the gate does not run.")(func)
    return _config_options(func)


def _settings(select: tuple[str, ...], ignore: tuple[str, ...], config_path: Path | None, isolated: bool) -> Any:
    from dslint.resolve import Overrides

    _, settings = _load_settings(config_path, isolated, Overrides(select=select or None, ignore=ignore))
    return settings


def _report_rejections(rejected: Any) -> None:
    for code, count in sorted(rejected.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"  rejected {count:,}: {code}", err=True)


@generate_group.command("template")
@click.argument("spec", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (JSON Lines), atomically.")
@click.option("-n", "count", type=click.IntRange(min=1), help="Sample this many combinations instead of all.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for -n sampling.")
@_gate_options
def template_command(spec: Path, output: Path, count: int | None, seed: int, gate_level: str,
                     select: tuple[str, ...], ignore: tuple[str, ...], config_path: Path | None,
                     isolated: bool) -> None:
    """Expand a template SPEC (YAML or JSON: templates and slot values) into examples."""
    from dslint.atomic import write_bytes_atomic
    from dslint.convert.run import ConvertOptions, build
    from dslint.generate.gate import dumps, gate
    from dslint.generate.template import SpecError, assignments, conversation, load_spec
    from dslint.model import Severity

    settings = _settings(select, ignore, config_path, isolated)
    try:
        parsed = load_spec(spec)
        options = ConvertOptions(parsed.format)
        records, seen, duplicates, made = [], set(), 0, 0
        for values in assignments(parsed, count, seed):
            made += 1
            example, key = conversation(parsed, values)
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            records.append(build(example, options))
    except SpecError as exc:
        _fail(str(exc))
        return
    result = gate(records, settings, Severity(gate_level))
    write_bytes_atomic(output, b"".join(dumps(record) for record in result.kept))
    click.echo(f"{made:,} of {parsed.combinations:,} combinations made, {duplicates:,} duplicates dropped, "
               f"{result.rejected_records:,} rejected by the checks, {len(result.kept):,} written to {output}",
               err=True)
    _report_rejections(result.rejected)
    sys.exit(EXIT_FINDINGS if result.rejected_records and not result.kept else EXIT_CLEAN)


@generate_group.command("self-instruct")
@click.option("--seeds", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
              help="Seed tasks: Self-Instruct `instruction` + `instances`, or Alpaca records.")
@click.option("-n", "count", type=click.IntRange(min=1), required=True, help="Records wanted in the output.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="JSON Lines output; an existing file is resumed (its records count toward -n).")
@click.option("--endpoint", required=True, help="OpenAI-compatible API base URL, e.g. http://127.0.0.1:8000/v1.")
@click.option("--model", required=True, help="Model name to request.")
@click.option("--api-key-env", default="OPENAI_API_KEY", show_default=True,
              help="Environment variable holding the API key (none sent when unset).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True, help="Requests in flight.")
@click.option("--retries", type=click.IntRange(0, 20), default=4, show_default=True,
              help="Retries on 429, 5xx, timeouts and malformed answers.")
@click.option("--backoff", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds before the first retry (doubled each time).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds per request.")
@click.option("--similarity", type=click.FloatRange(0, 1), default=0.7, show_default=True,
              help="Reject instructions with ROUGE-L above this against the pool.")
@click.option("--tasks-per-request", type=click.IntRange(1, 50), default=8, show_default=True)
@click.option("--max-requests", type=click.IntRange(min=1), help="Stop after this many requests.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for choosing few-shot examples.")
@click.option("--temperature", type=float, default=1.0, show_default=True)
@click.option("--no-progress", is_flag=True, help="Never show the progress line on stderr.")
@_gate_options
def self_instruct_command(seeds: Path, count: int, output: Path, endpoint: str, model: str, api_key_env: str,
                          concurrency: int, retries: int, backoff: float, timeout: float, similarity: float,
                          tasks_per_request: int, max_requests: int | None, seed: int, temperature: float,
                          no_progress: bool, gate_level: str, select: tuple[str, ...], ignore: tuple[str, ...],
                          config_path: Path | None, isolated: bool) -> None:
    """Generate instruction-following records with an LLM, the Self-Instruct / Alpaca way."""
    import os

    from dslint.generate.llm import Endpoint
    from dslint.generate.run_selfinstruct import SelfInstructOptions, run
    from dslint.generate.selfinstruct import seed_tasks
    from dslint.model import Severity
    from dslint.readers import ReaderError, read
    from dslint.readers.discover import discover

    if not endpoint.startswith(("http://", "https://")):
        _fail(f"--endpoint must be an http(s) URL, got {endpoint!r}")
    settings = _settings(select, ignore, config_path, isolated)
    try:
        records = [raw.value for target in discover([str(seeds)], root=Path.cwd()) for raw in read(target)
                   if raw.problem is None]
    except ReaderError as exc:
        _fail(str(exc))
        return
    tasks = seed_tasks(records)
    if len(tasks) < 2:
        _fail(f"{seeds}: needs at least 2 seed tasks with an instruction and an output, found {len(tasks)}")
    options = SelfInstructOptions(
        count, tasks, Endpoint(endpoint, model, os.environ.get(api_key_env) or None, timeout, retries, backoff,
                               temperature),
        concurrency, similarity, seed, tasks_per_request, max_requests)
    show = not no_progress and sys.stderr.isatty()

    def progress(done: int, wanted: int) -> None:
        if show:
            sys.stderr.write(f"\r\x1b[2Kdslint: {done:,}/{wanted:,} records")
            sys.stderr.flush()

    try:
        tally, existing = run(output, options, settings, Severity(gate_level), progress)
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")
        return
    if show:
        sys.stderr.write("\r\x1b[2K")
    total = existing + tally.written
    click.echo(f"{tally.requests:,} requests ({tally.failed:,} failed), {tally.candidates:,} candidates, "
               f"{sum(tally.rejected.values()):,} rejected, {tally.written:,} written; "
               f"{total:,} of {count:,} records in {output}" + (f" ({existing:,} resumed)" if existing else ""),
               err=True)
    for reason, n in sorted(tally.failures.items(), key=lambda item: -item[1]):
        click.echo(f"  failed {n:,}: {reason}", err=True)
    _report_rejections(tally.rejected)
    sys.exit(EXIT_CLEAN if total >= count else EXIT_FINDINGS)
