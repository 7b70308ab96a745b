"""The HTML report: one self-contained file (inline CSS, inline SVG, a small inline script).

Every string from a dataset or a path goes through `html.escape` (quotes included) before it is placed in
the page, and a Content-Security-Policy forbids loading anything and running any script but the report's
own (by nonce), so even a missed escape could not load or run anything.
"""

from __future__ import annotations

import re
import secrets
import statistics
from collections import Counter
from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from dslint.model import Severity
from dslint.output.common import files as file_summaries
from dslint.report import charts
from dslint.report.collect import ReportData, RuleExample
from dslint.report.html_assets import SCRIPT, STYLE

if TYPE_CHECKING:
    from dslint.rules.base import Rule

MAX_TABLE_ROWS = 5000
NAV = ('<nav><a href="#summary">Summary</a><a href="#charts">Findings</a><a href="#dataset">Dataset</a>'
       '<a href="#duplicates">Duplicates</a><a href="#rules">Examples</a><a href="#table">Table</a>'
       '<a href="#files">Files</a></nav></header><main>')
DUPLICATE_CLUSTERS = 12


def _e(text: object) -> str:
    """Escape for HTML text and attribute values; lone surrogates become U+FFFD."""
    return escape(str(text).encode("utf-8", "replace").decode("utf-8"), quote=True)


def _card(label: str, value: str, css: str = "") -> str:
    return f'<div class="card {css}"><div class="value">{_e(value)}</div><div class="label">{_e(label)}</div></div>'


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _cards(data: ReportData) -> str:
    result = data.result
    cards = [
        _card("records", f"{data.records:,}"),
        _card("files", f"{len(file_summaries(result)):,}"),
        _card("formats", ", ".join(sorted(data.formats)) or "none"),
        _card("errors", f"{result.count(Severity.ERROR):,}", "error"),
        _card("warnings", f"{result.count(Severity.WARNING):,}", "warning"),
        _card("infos", f"{result.count(Severity.INFO):,}", "info"),
        _card("clean records", _percent(data.clean_share), "ok"),
    ]
    lengths = data.tokens.lengths
    if lengths:
        cards.append(_card(f"tokens ({data.tokens.tokenizer})", f"{sum(lengths):,}"))
        cards.append(_card("median tokens / record", f"{statistics.median(lengths):,.0f}"))
        cards.append(_card(f"over {data.tokens.max_tokens:,} tokens", f"{data.tokens.over_limit:,}",
                           "error" if data.tokens.over_limit else "ok"))
    return f'<section class="cards" id="summary">{"".join(cards)}</section>'


def _family_rows(data: ReportData, titles: Mapping[str, str]) -> list[tuple[str, int]]:
    counts = Counter(d.code[:3] for d in data.result.diagnostics)
    return [(f"{family} {titles.get(family, '')}".strip(), count)
            for family, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _charts(data: ReportData, titles: Mapping[str, str]) -> str:
    by_code = sorted(data.result.by_code().items(), key=lambda item: (-item[1], item[0]))[:30]
    names = {d.code: d.name for d in data.result.diagnostics}
    rule_rows = [(f"{code} {names.get(code, '')}", count) for code, count in by_code]
    parts = ['<section id="charts"><h2>Findings</h2><div class="grid">',
             "<div><h3>By family</h3>", charts.bar_chart(_family_rows(data, titles), title="Findings by family"),
             "</div><div><h3>By rule</h3>",
             charts.bar_chart(rule_rows, title="Findings by rule", links=[f"#rule-{code}" for code, _ in by_code]),
             "</div></div></section>"]
    parts.append('<section id="dataset"><h2>Dataset</h2><div class="grid"><div><h3>Tokens per record</h3>')
    tokens = data.tokens
    if tokens.lengths:
        parts.append(charts.histogram(tokens.lengths, title="Tokens per record", unit="tokens",
                                      limit=tokens.max_tokens))
        longest = max(tokens.lengths)
        parts.append(f'<p class="caption">Counted with {_e(tokens.tokenizer)} as OpenAI counts chat examples '
                     f"(text plus framing per message). Longest record: {longest:,} tokens; limit "
                     f"(--max-tokens) {tokens.max_tokens:,}: {tokens.over_limit:,} over it.</p>")
    else:
        parts.append(f'<p class="empty">Tokens were not counted: {_e(tokens.error or "no records")}.</p>')
    turn_rows = [(f"{turns} turn{'' if turns == 1 else 's'}", count) for turns, count in sorted(data.turns.items())]
    parts += ["</div><div><h3>Turns per record</h3>", charts.bar_chart(turn_rows[:25], title="Turns per record"),
              "<h3>Format mix</h3>", charts.bar_chart(data.formats.most_common(), title="Format mix"),
              "</div></div></section>"]
    return "".join(parts)


# DUP messages name the first copy as `record 3 (line 4)`, plus ` in other.jsonl` across files.
_FIRST_COPY = re.compile(r"\brecord (\d+)(?: \(line \d+\))?(?: in (.+?))?(?=, [a-z]+ | \(|;|$)")


def duplicate_clusters(data: ReportData) -> list[tuple[str, str, int, str]]:
    """(code, first copy, findings, a message) per cluster of DUP findings naming the same first copy."""
    clusters: dict[tuple[str, str], list[str]] = {}
    for d in data.result.diagnostics:
        if not d.code.startswith("DUP"):
            continue
        found = _FIRST_COPY.search(d.message)
        first = f"{found.group(2) or d.path} record {found.group(1)}" if found else d.message
        clusters.setdefault((d.code, first), []).append(d.message)
    ranked = sorted(clusters.items(), key=lambda item: (-len(item[1]), item[0]))
    return [(code, first, len(messages), messages[0]) for (code, first), messages in ranked]


def _duplicates(data: ReportData) -> str:
    clusters = duplicate_clusters(data)
    if not clusters:
        note = "No duplicate findings (DUP rules found nothing, or were not enabled)."
        return f'<section id="duplicates"><h2>Duplicate clusters</h2><p class="empty">{note}</p></section>'
    rows = "".join(f"<tr><td>{_e(code)}</td><td class=\"path\">{_e(first)}</td><td>{count:,}</td>"
                   f"<td>{_e(message)}</td></tr>" for code, first, count, message in clusters[:DUPLICATE_CLUSTERS])
    return ('<section id="duplicates"><h2>Duplicate clusters</h2><p class="caption">The largest groups of '
            f"duplicate findings pointing at the same first copy ({len(clusters):,} groups in all).</p><table>"
            "<thead><tr><th>Rule</th><th>First copy</th><th>Later copies</th><th>First finding</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")


def _example(example: RuleExample) -> str:
    d = example.diagnostic
    where = f"{d.path}" + (f":{d.line}" if d.line is not None else "") + (f" record {d.record}" if d.record is not None else "")
    where += f" {d.pointer}" if d.pointer else ""
    body = ""
    if example.text is not None:
        text = example.text
        if example.span is not None:
            start, end = example.span
            body = f"<pre>{_e(text[:start])}<mark>{_e(text[start:end])}</mark>{_e(text[end:])}</pre>"
        else:
            body = f"<pre><mark>{_e(text)}</mark></pre>"
    elif d.context:
        body = f"<pre>{_e(d.context)}</pre>"
    return (f'<div class="example"><div class="where">{_e(where)}</div>'
            f'<div class="msg">{_e(d.message)}</div>{body}</div>')


def _rules(data: ReportData, rules: Mapping[str, Rule]) -> str:
    counts = data.result.by_code()
    parts = ['<section id="rules"><h2>Examples by rule</h2>']
    for code, examples in data.examples.items():
        rule = rules.get(code)
        first = examples[0].diagnostic
        summary = rule.summary if rule else first.name
        doc_link = f' · <a href="#doc-{_e(code)}">documentation</a>' if rule else ""
        parts.append(f'<h3 id="rule-{_e(code)}">{_e(code)} {_e(first.name)} '
                     f'<span class="sev sev-{first.severity.value}">{first.severity.value}</span></h3>'
                     f'<p class="caption">{_e(summary)} · {counts.get(code, 0):,} finding(s){doc_link}'
                     f" · <code>dslint rule {_e(code)}</code></p>")
        parts.extend(_example(example) for example in examples)
    if not data.examples:
        parts.append('<p class="empty">No findings.</p>')
    parts.append("</section>")
    return "".join(parts)


def _table(data: ReportData, max_rows: int) -> str:
    diagnostics = data.result.diagnostics
    shown = diagnostics[:max_rows]
    rows = []
    for d in shown:
        rows.append(
            f'<tr data-severity="{d.severity.value}"><td class="sev sev-{d.severity.value}" data-key="{d.severity.rank}">'
            f"{d.severity.value}</td><td>{_e(d.code)}</td><td>{_e(d.name)}</td><td class=\"path\">{_e(d.path)}</td>"
            f'<td data-key="{d.line if d.line is not None else -1}">{"" if d.line is None else d.line}</td>'
            f'<td data-key="{d.record if d.record is not None else -1}">{"" if d.record is None else d.record}</td>'
            f'<td class="pointer">{_e(d.pointer or "")}</td><td class="message">{_e(d.message)}</td></tr>')
    more = (f'<p class="note">The first {len(shown):,} of {len(diagnostics):,} findings are listed; '
            "`dslint check --format json` gives them all.</p>") if len(shown) < len(diagnostics) else ""
    return (
        '<section id="table"><h2>All findings</h2><div class="filters">'
        '<input id="filter-text" type="search" placeholder="Filter: code, path, message…" aria-label="Filter findings">'
        '<select id="filter-severity" aria-label="Severity"><option value="">all severities</option>'
        '<option value="error">error</option><option value="warning">warning</option><option value="info">info</option>'
        f'</select><span id="filter-count" class="caption"></span></div>{more}<div class="table-wrap">'
        '<table id="findings"><thead><tr><th data-sort="number">Severity</th><th data-sort="text">Code</th>'
        '<th data-sort="text">Name</th><th data-sort="text">Path</th><th data-sort="number">Line</th>'
        '<th data-sort="number">Record</th><th data-sort="text">Pointer</th><th data-sort="text">Message</th>'
        f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>'
    )


def _files(data: ReportData) -> str:
    per_file = Counter(d.path for d in data.result.diagnostics)
    rows = "".join(f'<tr><td class="path">{_e(s.path)}</td><td>{_e(s.format or "")}</td>'
                   f"<td>{s.records:,}</td><td>{per_file.get(s.path, 0):,}</td></tr>"
                   for s in file_summaries(data.result))
    return ('<section id="files"><h2>Files</h2><table><thead><tr><th>Path</th><th>Format</th><th>Records</th>'
            f"<th>Findings</th></tr></thead><tbody>{rows}</tbody></table></section>")


def _docs(data: ReportData, rules: Mapping[str, Rule]) -> str:
    parts = ['<section id="docs"><h2>Rule documentation</h2>']
    for code in data.examples:
        rule = rules.get(code)
        if rule is not None:
            parts.append(f'<details class="doc" id="doc-{_e(code)}"><summary>{_e(code)} {_e(rule.name)}: '
                         f"{_e(rule.summary)}</summary><pre>{_e(rule.doc)}</pre></details>")
    parts.append("</section>")
    return "".join(parts)


def render(data: ReportData, rules: Mapping[str, Rule], *, version: str, family_titles: Mapping[str, str],
           max_rows: int = MAX_TABLE_ROWS) -> str:
    nonce = secrets.token_urlsafe(16)
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    title = data.title
    subtitle = (f"{data.records:,} records in {len(file_summaries(data.result)):,} files · "
                f"{len(data.result.diagnostics):,} findings · dslint {version}")
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><p>{_e(subtitle)}</p>",
        NAV,
        _cards(data), _charts(data, family_titles), _duplicates(data), _rules(data, rules), _table(data, max_rows),
        _files(data), _docs(data, rules),
        f'</main><script nonce="{nonce}">{SCRIPT}</script></body></html>\n',
    ])
