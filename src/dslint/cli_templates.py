"""`dslint templates PATHS --template A --template B ...`: which records fail under which chat template.

Each template is run through the per-record template rules (TPL003-TPL007) over the same data; the table
lists every record that fails under at least one template, one column per template, each cell naming
the rules that fired (`ok` where none did), then a total per template.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dslint.cli import main

RECORD_RULES = ("TPL003", "TPL004", "TPL005", "TPL006", "TPL007")
SHORT = {"TPL003": "raised", "TPL004": "dropped", "TPL005": "sys-prompt", "TPL006": "trimmed",
         "TPL007": "no-answer"}

Key = tuple[str, int | None, int | None]  # path, record, line


def matrix(paths: tuple[str, ...], templates: tuple[str, ...]) -> tuple[dict[Key, dict[str, list[str]]], dict[str, int]]:
    """(per failing record: per template, the rules that fired; records checked per file)."""
    from dslint.engine import Settings, run
    from dslint.readers.discover import discover
    from dslint.rules import rule_by_code

    rules = [rule_by_code()[code] for code in RECORD_RULES]
    table: dict[Key, dict[str, list[str]]] = {}
    records: dict[str, int] = {}
    for template in templates:
        options = {rule.code: rule.options.model_validate({"template": template}) for rule in rules}
        result = run(discover(list(paths), root=Path.cwd()), Settings(rules=rules, options=options))
        for summary in result.files:
            records[summary.path] = summary.records
        for diagnostic in result.diagnostics:
            if diagnostic.code not in SHORT:
                continue
            cell = table.setdefault((diagnostic.path, diagnostic.record, diagnostic.line), {}).setdefault(template, [])
            if SHORT[diagnostic.code] not in cell:
                cell.append(SHORT[diagnostic.code])
    return dict(sorted(table.items(), key=lambda item: (item[0][0], item[0][1] or -1))), records


def render_text(table: dict[Key, dict[str, list[str]]], records: dict[str, int], templates: tuple[str, ...]) -> str:
    names = [f"T{i + 1}" for i in range(len(templates))]
    lines = [f"{name} = {template}" for name, template in zip(names, templates)]
    lines.append("")
    header = ["record", *names]
    rows = [[_where(key), *(",".join(cells.get(t, [])) or "ok" for t in templates)] for key, cells in table.items()]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    total = sum(records.values())
    lines.append("")
    for name, template in zip(names, templates):
        failing = sum(1 for cells in table.values() if cells.get(template))
        lines.append(f"{name}: {failing:,} of {total:,} records fail")
    return "\n".join(lines) + "\n"


def _where(key: Key) -> str:
    path, record, line = key
    return f"{path}:{line}" if line is not None else f"{path}#{record}"


@main.command("templates")
@click.argument("paths", nargs=-1, required=True)
@click.option("--template", "templates", multiple=True, required=True, metavar="PATH_OR_ID",
              help="A chat template (tokenizer directory, Hub id or .jinja file); repeat for several.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def templates_command(paths: tuple[str, ...], templates: tuple[str, ...], output_format: str) -> None:
    """Render datasets through several chat templates and show which records fail under which."""
    from dslint.chat_render import TemplateError, load_template
    from dslint.readers import ReaderError

    try:
        for template in templates:
            load_template(template)
        table, records = matrix(paths, templates)
    except (TemplateError, ReaderError) as exc:
        click.echo(f"dslint: error: {exc}", err=True)
        sys.exit(2)
    if output_format == "json":
        payload = {
            "templates": list(templates),
            "records": sum(records.values()),
            "failing": [{"path": k[0], "record": k[1], "line": k[2], "templates": cells} for k, cells in table.items()],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(table, records, templates), nl=False)
    sys.exit(1 if table else 0)
