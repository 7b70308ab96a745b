"""A progress line on stderr for long runs: shown only on a terminal, only after a second, never on stdout."""

from __future__ import annotations

import sys
import time

DELAY_SECONDS = 1.0
REFRESH_SECONDS = 0.2


class Progress:
    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, records: int, path: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._started < DELAY_SECONDS or now - self._last < REFRESH_SECONDS:
            return
        self._last = now
        rate = records / (now - self._started)
        name = path if len(path) <= 40 else "…" + path[-39:]
        sys.stderr.write(f"\r\x1b[2Kdslint: {records:,} records ({rate:,.0f}/s) {name}")
        sys.stderr.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
