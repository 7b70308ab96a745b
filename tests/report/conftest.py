"""Shared pieces of the report tests: a dataset with hostile text, and the tiktoken cache if present."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# What a successful injection would do; the browser test asserts none of it happened.
MARKER = "PWNED"
PAYLOADS = (
    f"<script>document.title='{MARKER}';document.documentElement.setAttribute('data-pwned','1')</script>",
    f"<img src=x onerror=\"document.title='{MARKER}';document.documentElement.setAttribute('data-pwned','1')\">",
    f"</style></title></textarea><svg onload=\"document.title='{MARKER}'\"><b>bold</b>",
    "\" onmouseover=\"alert(1)\" x=\"",
    "`|*[link](javascript:alert(1))*| ![img](http://example.invalid/x.png) <!-- comment",
)


def hostile_records() -> list[object]:
    records: list[object] = []
    for payload in PAYLOADS:
        records.append({"messages": [{"role": "user", "content": payload}]})  # FMT011: no assistant turn
        records.append({"instruction": payload, "input": "", "output": ""})  # FMT010: empty output
        records.append({payload: "x"})  # FMT006: the key is quoted in the message
    records.append({"messages": [{"role": "user", "content": "Name a colour."},
                                 {"role": "assistant", "content": "Red."}]})
    return records


@pytest.fixture()
def hostile_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    text = "".join(json.dumps(r) + "\n" for r in hostile_records())
    (directory / "hostile.jsonl").write_text(text, encoding="utf-8")
    (directory / "clean.jsonl").write_text(
        "".join(json.dumps({"messages": [{"role": "user", "content": f"What is {n} + {n}?"},
                                         {"role": "assistant", "content": str(2 * n)}]}) + "\n"
                for n in range(40)), encoding="utf-8")
    return directory


def tiktoken_cache() -> Path | None:
    """The tiktoken cache: TIKTOKEN_CACHE_DIR, else the team's cache beside the checkout."""
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    for candidate in ([Path(configured)] if configured else []) + [REPO.parent / "shared" / "tiktoken_cache"]:
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    return None
