"""`dslint check --fix` killed (SIGKILL) while writing: the original file is intact, byte for byte."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")

# The child runs the real command; its first fsync (the temporary file's, before the rename) tells the
# parent it is there and then hangs, so the parent kills it in the middle of the atomic write.
CHILD = r"""
import os, sys, time
real_fsync, marker = os.fsync, sys.argv[2]
def stalled(fd):
    real_fsync(fd)
    open(marker, "w").close()
    time.sleep(120)
os.fsync = stalled
from dslint.cli import main
sys.argv = ["dslint", "check", sys.argv[1], "--fix", "--isolated", "--select", "FMT018"]
main()
"""


def test_sigkill_mid_write_leaves_the_original_intact(tmp_path: Path) -> None:
    target = tmp_path / "data.jsonl"
    original = b"".join(b'{"instruction": "Task %d ", "input": "", "output": "Done."}\n' % i for i in range(300))
    target.write_bytes(original)
    marker = tmp_path / "writing"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target), str(marker)], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"child ended before writing: {child.stderr.read().decode()}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                pytest.fail("child never reached the write")
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == original
    temps = [p for p in tmp_path.iterdir() if p.name.startswith(".data.jsonl.") and p.name.endswith(".tmp")]
    assert len(temps) == 1, "the killed write left only its temporary file"
    assert temps[0].read_bytes().count(b'"Task 299"') == 1, "the fixed content was being written"
