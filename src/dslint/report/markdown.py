"""The Markdown report, for pull-request comments, job summaries and dataset cards (GitHub-flavoured).

Dataset text is escaped for Markdown and for the HTML that GitHub renders inside Markdown: `&`, `<` and
`>` become entities (no tag, image or comment can start), table pipes and emphasis characters get a
backslash, and line breaks become spaces, so a finding stays one table row.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from dslint.model import Severity
from dslint.output.common import files as file_summaries
from dslint.report.collect import ReportData

if TYPE_CHECKING:
    from dslint.rules.base import Rule

MAX_RULE_ROWS = 50
MAX_TEXT = 160
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x85\u2028\u2029]+")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def md_text(text: object, limit: int = MAX_TEXT) -> str:
    """Dataset text as inert Markdown on one line, cut to `limit` characters."""
    value = _CONTROL.sub("\ufffd", _BREAKS.sub(" ", str(text)))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def render(data: ReportData, rules: Mapping[str, Rule], *, version: str) -> str:
    result = data.result
    summaries = file_summaries(result)
    lines = [f"## {md_text(data.title)}", "",
             f"{data.records:,} records in {len(summaries):,} files, checked by dslint {md_text(version)}.", "",
             _row("Records", "Files", "Formats", "Errors", "Warnings", "Infos", "Clean records"),
             _row(*["---:"] * 2, "---", *["---:"] * 4),
             _row(f"{data.records:,}", f"{len(summaries):,}",
                  md_text(", ".join(f"{name} ({count:,})" for name, count in data.formats.most_common()) or "none"),
                  f"{result.count(Severity.ERROR):,}", f"{result.count(Severity.WARNING):,}",
                  f"{result.count(Severity.INFO):,}", f"{data.clean_share * 100:.1f}%"), ""]
    tokens = data.tokens
    if tokens.lengths:
        ordered = sorted(tokens.lengths)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        lines += [(f"**Tokens** ({md_text(tokens.tokenizer)}): {sum(ordered):,} in all; per record median "
                   f"{statistics.median(ordered):,.0f}, 95th percentile {p95:,}, longest {ordered[-1]:,}; "
                   f"{tokens.over_limit:,} over the limit of {tokens.max_tokens:,}."), ""]
    else:
        lines += [f"**Tokens**: not counted ({md_text(tokens.error or 'no records')}).", ""]
    if data.turns:
        common = ", ".join(f"{turns} turn{'' if turns == 1 else 's'}: {count:,}" for turns, count in data.turns.most_common(4))
        lines += [f"**Turns per record** (most common): {common}.", ""]
    by_code = sorted(result.by_code().items(), key=lambda item: (-item[1], item[0]))
    if not by_code:
        lines += ["No findings.", ""]
        return "\n".join(lines)
    severities = {d.code: d.severity.value for d in result.diagnostics}
    names = {d.code: d.name for d in result.diagnostics}
    lines += ["### Findings by rule", "", _row("Rule", "Name", "Severity", "Findings", "First example"),
              _row("---", "---", "---", "---:", "---")]
    for code, count in by_code[:MAX_RULE_ROWS]:
        example = data.examples.get(code, [])
        first = ""
        if example:
            d = example[0].diagnostic
            where = f"{d.path}" + (f":{d.line}" if d.line is not None else "")
            first = f"{md_text(where, 80)}: {md_text(d.message)}"
        rule = rules.get(code)
        label = md_text(rule.summary if rule else names[code], 80)
        lines.append(_row(md_text(code, 12), f"{md_text(names[code], 40)}: {label}", severities[code],
                          f"{count:,}", first))
    if len(by_code) > MAX_RULE_ROWS:
        lines.append(f"\n{len(by_code) - MAX_RULE_ROWS} more rules; `dslint check --statistics` lists them all.")
    per_file = Counter(d.path for d in result.diagnostics)
    lines += ["", "<details><summary>Files</summary>", "", _row("Path", "Format", "Records", "Findings"),
              _row("---", "---", "---:", "---:")]
    lines += [_row(md_text(s.path, 120), md_text(s.format or ""), f"{s.records:,}", f"{per_file.get(s.path, 0):,}")
              for s in summaries[:200]]
    lines += ["", "</details>", ""]
    return "\n".join(lines)
