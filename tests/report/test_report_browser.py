"""The HTML report in a real browser: headless Chromium renders the charts and the table, and the hostile
records in the data run nothing. Skipped where no Chromium is installed (CI installs Debian's `chromium`).

The screenshot is kept as a test artifact: in `$DSLINT_TEST_ARTIFACTS` when set, else in pytest's
temporary directory; its path is printed (`pytest -s` shows it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from tests.report.conftest import MARKER, PAYLOADS, tiktoken_cache

TIMEOUT_SECONDS = 120


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on this machine (install Debian's `chromium`; .ci/run does)")


def _browser(binary: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
               "--virtual-time-budget=3000", *args, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _title(dom: str) -> str:
    found = re.search(r"<title>(.*?)</title>", dom, re.DOTALL)
    return found.group(1) if found else ""


def test_the_marker_works_on_an_unescaped_page(tmp_path: Path) -> None:
    """Control: the payloads do run when placed raw, so their absence below means something."""
    binary = _chromium()
    page = tmp_path / "raw.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>clean</title></head><body>{PAYLOADS[0]}</body></html>",
                    encoding="utf-8")
    dom = _browser(binary, page, "--dump-dom").stdout
    assert _title(dom) == MARKER and 'data-pwned="1"' in dom


def test_report_renders_and_hostile_records_run_nothing(hostile_dir: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    binary = _chromium()
    cache = tiktoken_cache()
    extra = ["--max-tokens", "40"]
    if cache is not None:
        monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
        monkeypatch.setenv("DSLINT_OFFLINE", "1")
    else:
        extra.append("--no-tokens")
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(hostile_dir), "-o", str(report), "--isolated",
                                       "--title", "dslint report under test", *extra])
    assert result.exit_code == 0, result.output

    dom = _browser(binary, report, "--dump-dom").stdout
    assert _title(dom) == "dslint report under test"
    assert "data-pwned" not in dom.split("<body", 1)[0] and 'data-pwned="1"' not in dom
    # The report's own script ran: it marks the page ready with the number of table rows it manages.
    ready = re.search(r'data-report-ready="(\d+)"', dom)
    assert ready is not None and int(ready.group(1)) > 0
    assert re.search(r'<span id="filter-count" class="caption">\d+ of \d+ shown</span>', dom)
    assert dom.count("<svg") >= 4 and "<rect" in dom
    # The payloads are in the page as text.
    assert "&lt;script&gt;document.title=" in dom and "&lt;img src=x onerror=" in dom

    artifacts = Path(os.environ.get("DSLINT_TEST_ARTIFACTS") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    screenshot = artifacts / "dslint-report.png"
    _browser(binary, report, f"--screenshot={screenshot}", "--window-size=1400,2400")
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000  # a rendered page, not a blank one
    print(f"\nreport screenshot: {screenshot} ({len(data):,} bytes)")


def test_table_sorts_and_filters_in_the_browser(hostile_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Drive the report's own script: a test-only script (with the page's nonce) clicks and types."""
    import json

    binary = _chromium()
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "report.html"
    args = [str(hostile_dir), "--isolated", "--select", "FMT,MIX"]
    assert CliRunner().invoke(main, ["report", *args, "-o", str(report), "--no-tokens"]).exit_code == 0
    checked = CliRunner().invoke(main, ["check", *args, "--format", "json"])
    codes = [d["code"] for d in json.loads(checked.stdout)["diagnostics"]]
    text = report.read_text(encoding="utf-8")
    nonce = re.search(r'<script nonce="([^"]+)"', text).group(1)  # type: ignore[union-attr]
    driver = (
        f'<script nonce="{nonce}">(function () {{'
        "var t = document.getElementById('findings'); var head = t.tHead.rows[0].cells[1];"
        "head.click(); var up = t.tBodies[0].rows[0].cells[1].textContent;"
        "head.click(); var down = t.tBodies[0].rows[0].cells[1].textContent;"
        "var box = document.getElementById('filter-text'); box.value = 'fmt011';"
        "box.dispatchEvent(new Event('input'));"
        "var shown = Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.hidden; }).length;"
        "document.title = [up, down, shown].join('|');"
        "})();</script>"
    )
    driven = tmp_path / "driven.html"
    driven.write_text(text.replace("</body>", driver + "</body>"), encoding="utf-8")
    dom = _browser(binary, driven, "--dump-dom").stdout
    assert _title(dom) == f"{min(codes)}|{max(codes)}|{codes.count('FMT011')}"
