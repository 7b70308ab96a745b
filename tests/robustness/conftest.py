"""Shared settings of the robustness suite: hypothesis profiles and helpers to run dslint in a subprocess.

Profiles (pick one with `DSLINT_FUZZ_PROFILE`):
- `ci` (default): a modest, derandomised number of examples per test, so the suite is fast and a failure
  reproduces on every run;
- `fuzz`: twenty times the examples, random seeds, for a long local fuzzing session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"

settings.register_profile(
    "ci", max_examples=30, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.register_profile(
    "fuzz", max_examples=800, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
PROFILE = settings.get_profile(os.environ.get("DSLINT_FUZZ_PROFILE", "ci"))


def fuzz_settings(scale: float = 1.0) -> settings:
    """The active profile, with `scale` times its number of examples (cheap tests run more)."""
    return settings(PROFILE, max_examples=max(1, int(PROFILE.max_examples * scale)))


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running dslint from this checkout in a child process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env.setdefault("NO_COLOR", "1")
    env.update(extra)
    return env


def run_dslint(args: list[str], cwd: Path, *, timeout: float = 60, env: dict[str, str] | None = None,
               stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    """`python -m dslint ARGS` in `cwd`, with a time limit (a hang fails the test instead of stalling it)."""
    return subprocess.run([sys.executable, "-m", "dslint", *args], cwd=cwd, env=env or subprocess_env(),
                          capture_output=True, text=True, timeout=timeout, stdin=stdin)


def one_line_error(stderr: str) -> bool:
    """A clear error: `dslint: error: ...` or click's usage error, never a traceback."""
    return "Traceback" not in stderr and (stderr.startswith("dslint: error: ") or "Error: " in stderr)
