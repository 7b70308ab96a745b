"""`dslint convert IN... --to FORMAT -o OUT`: rewrite records in another format, through dslint's adapters."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dslint.cli import EXIT_CLEAN, EXIT_FINDINGS, _fail, main

TARGET_NAMES = ("alpaca", "chatml", "sharegpt", "prompt-completion")


@main.command("convert")
@click.argument("paths", nargs=-1, required=True)
@click.option("--to", "target", type=click.Choice(TARGET_NAMES), required=True, help="Format to write.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (JSON Lines; a JSON array when it ends in .json). Written atomically.")
@click.option("--system", "system", help="Add this system prompt to records that have none.")
@click.option("--role-map", help="Map raw roles before converting: human=user,gpt=assistant,bot=assistant.")
@click.option("--prompt-template", help="Build the user turn from fields: '{instruction}[[\\n\\n{input}]]' "
                                        "([[...]] is dropped when a field in it is empty).")
@click.option("--output-field", default="output", show_default=True,
              help="With --prompt-template: the field holding the answer.")
@click.option("--multi-turn", type=click.Choice(["history", "fold", "skip"]), default="history", show_default=True,
              help="To Alpaca: earlier exchanges as `history` pairs, folded into `input`, or skip the record.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
def convert_command(paths: tuple[str, ...], target: str, output: Path, system: str | None, role_map: str | None,
                    prompt_template: str | None, output_field: str, multi_turn: str, quiet: bool) -> None:
    """Convert datasets between alpaca, chatml, sharegpt and prompt-completion."""
    from dslint.convert.conversation import parse_role_map
    from dslint.convert.run import ConvertOptions, convert
    from dslint.convert.template import PromptTemplate, TemplateError
    from dslint.readers import ReaderError
    from dslint.readers.discover import discover

    try:
        options = ConvertOptions(target, system, parse_role_map(role_map),
                                 PromptTemplate(prompt_template) if prompt_template else None,
                                 output_field, multi_turn)
        targets = discover(list(paths), root=Path.cwd())
    except (ValueError, TemplateError, ReaderError) as exc:
        _fail(str(exc))
        return
    resolved = output.resolve()
    if any(t.path is not None and t.path.resolve() == resolved for t in targets):
        _fail(f"{output}: the output would overwrite an input")
    try:
        report = convert(targets, output, options)
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")
        return
    if not quiet:
        for line in report.shown:
            click.echo(line, err=True)
        for text, count in sorted(report.skipped.items(), key=lambda item: -item[1]):
            click.echo(f"skipped {count:,}: {text}", err=True)
        for text, count in sorted(report.notes.items(), key=lambda item: -item[1]):
            click.echo(f"noted {count:,}: {text}", err=True)
    skipped = sum(report.skipped.values())
    click.echo(f"converted {report.converted:,} records to {target} in {output} "
               f"({skipped:,} skipped, {sum(report.notes.values()):,} notes); "
               f"output check: {report.fmt_findings:,} FMT findings", err=True)
    if report.fmt_findings:
        click.echo(f"the output has FMT findings (often carried over from the input): dslint check {output}",
                   err=True)
    sys.exit(EXIT_FINDINGS if skipped or report.fmt_findings else EXIT_CLEAN)
