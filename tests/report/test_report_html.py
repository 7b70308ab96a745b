"""The HTML report's structure: self-contained, every dataset string escaped, charts and table present."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.report import charts
from tests.report.conftest import MARKER, tiktoken_cache


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    return parser


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _report(runner: CliRunner, directory: Path, out: Path, *extra: str) -> str:
    result = runner.invoke(main, ["report", str(directory), "-o", str(out), "--isolated", *extra])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_hostile_text_is_escaped_and_nothing_external_loads(runner: CliRunner, hostile_dir: Path,
                                                            tmp_path: Path) -> None:
    text = _report(runner, hostile_dir, tmp_path / "r.html", "--no-tokens")
    page = parse(text)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert len(scripts) == 1  # the report's own
    csp = next(attrs["content"] for tag, attrs in page.tags
               if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp
    assert f"'nonce-{scripts[0]['nonce']}'" in csp
    assert len([tag for tag, _ in page.tags if tag == "style"]) == 1
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "object", "embed", "link", "b"), tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("src", "href"):
            assert attrs.get(name) is None or attrs[name].startswith("#"), (tag, attrs)
    visible = "".join(page.text)
    assert f"<script>document.title='{MARKER}'" in visible  # shown as text
    assert "<img src=x onerror=" in visible and "</style></title></textarea>" in visible
    assert re.search(r"<script>document", text) is None  # never raw in the markup


def test_sections_charts_and_table(runner: CliRunner, hostile_dir: Path, tmp_path: Path) -> None:
    text = _report(runner, hostile_dir, tmp_path / "r.html", "--no-tokens", "--select", "FMT", "--examples", "2")
    page = parse(text)
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {"summary", "charts", "dataset", "duplicates", "rules", "table", "files", "findings",
            "rule-FMT011", "doc-FMT011"} <= ids
    svg_classes = [attrs.get("class") for tag, attrs in page.tags if tag == "svg"]
    assert svg_classes.count("bars") == 4  # family, rule, turns, formats
    rows = [attrs for tag, attrs in page.tags if tag == "tr" and "data-severity" in attrs]
    assert len(rows) == 15 and {r["data-severity"] for r in rows} == {"error"}
    assert text.count('<div class="example">') == 6  # 2 per rule, 3 rules
    assert '<a href="#doc-FMT011">documentation</a>' in text
    assert "Tokens were not counted" in text
    small = _report(runner, hostile_dir, tmp_path / "s.html", "--no-tokens", "--select", "FMT", "--table-rows", "4")
    assert small.count('<tr data-severity="error">') == 4 and "The first 4 of 15 findings are listed" in small


def test_highlighted_span_in_an_example(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"instruction": "Rewrite the following sentence in the passive voice.",
                                "input": "", "output": "The ball was thrown."}) + "\n", encoding="utf-8")
    text = _report(runner, data, tmp_path / "r.html", "--no-tokens", "--select", "CTX001")
    assert "Rewrite <mark>the following sentence</mark> in the passive voice." in text


def test_token_histogram_with_the_limit_line(runner: CliRunner, hostile_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tiktoken_cache()
    if cache is None:
        pytest.skip("no tiktoken cache with o200k_base (set TIKTOKEN_CACHE_DIR); tests never download")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    monkeypatch.setenv("DSLINT_OFFLINE", "1")
    text = _report(runner, hostile_dir, tmp_path / "r.html", "--max-tokens", "40", "--select", "FMT")
    assert '<svg class="histogram"' in text
    assert 'class="limit"' in text and "limit 40" in text
    assert "tokens (o200k_base)" in text


def test_histogram_bins_and_limit_placement() -> None:
    edges, width = charts.histogram_bins([0, 5, 9, 10, 29], top=29, bins=3)
    assert width == 10 and edges == [(0, 3), (10, 1), (20, 1)]
    far = charts.histogram([10, 20, 30], title="t", unit="tokens", limit=16_385)
    assert 'class="limit"' not in far  # far beyond the data: the caption says it
    near = charts.histogram([10, 20, 30], title="t", unit="tokens", limit=25)
    assert 'class="limit"' in near
    assert "&lt;b&gt;" in charts.bar_chart([("<b>", 1)], title="<t>")
    # A long tail ends the axis at the 99th percentile; the last column holds the rest.
    tail = charts.histogram([10] * 200 + [50_000], title="t", unit="tokens", bins=10)
    assert "≥" in tail and "50,000" not in tail.split("</title>", 1)[1].split("<rect")[0]
    # The limit line always falls inside the axis when it is drawn.
    for values, limit in (([10, 20, 30], 45), ([10] * 200 + [900], 1000), ([5, 8], 9)):
        svg = charts.histogram(values, title="t", unit="tokens", limit=limit)
        x = float(re.search(r'class="limit" x1="([\d.]+)"', svg).group(1))
        assert 56 <= x <= 56 + charts.CHART_WIDTH - 70, (values, limit, x)


def test_duplicate_clusters_group_by_first_copy() -> None:
    from collections import Counter

    from dslint.model import Diagnostic, RunResult, Severity
    from dslint.report.collect import ReportData, TokenStats
    from dslint.report.html import duplicate_clusters

    def dup(code: str, path: str, record: int, message: str) -> Diagnostic:
        return Diagnostic(code, "dup", Severity.WARNING, message, path, record + 1, record, None, f"{path}{record}")

    findings = [
        dup("DUP002", "a.jsonl", 5, "near-duplicate of record 0 (line 1) (90% similar; cluster of 3 records)"),
        dup("DUP002", "a.jsonl", 9, "near-duplicate of record 0 (line 1) (85% similar; cluster of 3 records)"),
        dup("DUP001", "b.jsonl", 2, "exact duplicate of record 7 (line 8) in a, b.jsonl (after normalising)"),
        dup("DUP003", "b.jsonl", 4, "a similar prompt to record 9 (line 10) in a.jsonl, with a reworded answer"),
        dup("DUP004", "b.jsonl", 3, "the same prompt as record 4 (line 5) in a.jsonl, but a different answer"),
    ]
    data = ReportData(RunResult(findings, []), Counter(), Counter(), TokenStats("x"), {})
    assert [(code, first, count) for code, first, count, _ in duplicate_clusters(data)] == [
        ("DUP002", "a.jsonl record 0", 2),
        ("DUP001", "a, b.jsonl record 7", 1),
        ("DUP003", "a.jsonl record 9", 1),
        ("DUP004", "a.jsonl record 4", 1),
    ]


def test_highlight_prefers_the_longest_quoted_phrase() -> None:
    from dslint.report.collect import highlight_span

    text = "Preheat the oven. Then, remove the cake from the"
    message = "output looks cut off: it ends mid-sentence on 'the': '…Then, remove the cake from the'"
    start, end = highlight_span(text, message) or (0, 0)
    assert text[start:end] == "Then, remove the cake from the"
    assert highlight_span("nothing here", 'asked for "a list"') is None
