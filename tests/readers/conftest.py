"""Fixtures for reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dslint.model import RawRecord

from .helpers import ReadBytes, read_target


@pytest.fixture
def read_bytes(tmp_path: Path) -> ReadBytes:
    """read_bytes(content, name="data.jsonl") writes `content` to tmp_path/name and reads it back."""

    def _read(content: bytes | str, name: str = "data.jsonl", kind: str | None = None) -> list[RawRecord]:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return read_target(path, kind)

    return _read
