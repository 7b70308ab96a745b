"""Test-session environment: nothing downloads, and tiktoken finds the team's offline cache when present.

The cache is looked for beside the checkout (`../shared/tiktoken_cache`) unless `TIKTOKEN_CACHE_DIR` is
already set; tests needing an encoding skip with the reason when it is unavailable.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("DSLINT_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
_CACHE = Path(__file__).resolve().parent.parent.parent / "shared" / "tiktoken_cache"
if "TIKTOKEN_CACHE_DIR" not in os.environ and _CACHE.is_dir():
    os.environ["TIKTOKEN_CACHE_DIR"] = str(_CACHE)
