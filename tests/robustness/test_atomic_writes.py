"""Never lose data: a write that dies half-way (SIGKILL) or fails (a full disk) leaves the original file
intact; a failed write is one line on stderr and exit code 2; a killed write leaves at most a hidden
`.<name>.*.tmp` file, which the next run does not read.

The kill tests stop a child process at a chosen point of the write (the write is slowed there on purpose
and the child says when it got there), so they are deterministic; the disk-full tests use a real 1 MiB
tmpfs where one can be mounted, and otherwise make the write itself fail with ENOSPC."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint import atomic
from dslint.cli import main

from .conftest import subprocess_env

# Records with stray whitespace: `check --fix --select FMT018` rewrites every line.
FIXABLE = {"instruction": "  Name a primary colour.  ", "output": "Red. "}
CLEAN = {"instruction": "Name a primary colour.", "output": "Red."}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_records(path: Path, record: dict[str, str], count: int) -> None:
    path.write_text((json.dumps(record) + "\n") * count)


# The child: slow down the chosen step of an atomic write, announce it, then run the CLI (or a direct write).
CHILD = r'''
import os, sys, time
ready, step = sys.argv[1], sys.argv[2]
args = sys.argv[3:]

def announce():
    open(ready, "w").close()
    time.sleep(60)

if step == "fsync":  # everything written to the temporary file, not yet renamed over the target
    real_fsync = os.fsync
    def fsync(fd):
        if os.fstat(fd).st_size > 0:
            announce()
        return real_fsync(fd)
    os.fsync = fsync
else:  # "write": half of the data written to the temporary file
    real_fdopen = os.fdopen
    class HalfWriter:
        def __init__(self, handle):
            self._handle = handle
        def write(self, data):
            half = len(data) // 2
            self._handle.write(data[:half])
            self._handle.flush()
            announce()
        def __getattr__(self, name):
            return getattr(self._handle, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self._handle.__exit__(*exc)
    os.fdopen = lambda fd, *a, **k: HalfWriter(real_fdopen(fd, *a, **k))

if args[0] == "--direct":
    from pathlib import Path
    from dslint.atomic import write_bytes_atomic
    write_bytes_atomic(Path(args[1]), b"new content\n" * 1_000_000)
else:
    from dslint.cli import main
    sys.argv = ["dslint", *args]
    main()
'''


def _kill_during(step: str, args: list[str], cwd: Path) -> None:
    """Run the child until it reaches `step` of its atomic write, then SIGKILL it."""
    ready = cwd / ".ready"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(ready), step, *args], cwd=cwd,
                             env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while not ready.exists():
        if child.poll() is not None:
            stderr = child.stderr.read().decode() if child.stderr else ""
            pytest.fail(f"the child ended before writing: {stderr[-2000:]}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the child never reached the write")
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    ready.unlink()


def _litter(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("step", ["write", "fsync"])
def test_killed_direct_write_keeps_the_original(tmp_path: Path, step: str) -> None:
    target = tmp_path / "data.jsonl"
    _write_records(target, CLEAN, 1000)
    before = _digest(target)
    _kill_during(step, ["--direct", str(target)], tmp_path)
    assert _digest(target) == before
    [temp] = _litter(tmp_path)
    assert temp.startswith(".data.jsonl.")  # hidden, beside the target


@pytest.mark.parametrize("step", ["write", "fsync"])
def test_killed_fix_keeps_the_original_and_the_next_run_ignores_the_litter(tmp_path: Path, step: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "data.jsonl"
    _write_records(target, FIXABLE, 2_000)
    before = _digest(target)
    _kill_during(step, ["check", "data.jsonl", "--isolated", "--select", "FMT018", "--fix"], tmp_path)
    assert _digest(target) == before
    assert len(_litter(tmp_path)) == 1
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", ".", "--isolated", "--select", "FMT", "--format", "json"])
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == ["data.jsonl"]  # the temporary file is not read


def test_killed_convert_keeps_the_previous_output(tmp_path: Path) -> None:
    source, output = tmp_path / "alpaca.jsonl", tmp_path / "chat.jsonl"
    _write_records(source, CLEAN, 2_000)
    output.write_text("previous output\n")
    _kill_during("fsync", ["convert", "alpaca.jsonl", "--to", "chatml", "-o", "chat.jsonl", "-q"], tmp_path)
    assert output.read_text() == "previous output\n"


# -- a full disk ---------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, where this process may mount one (root in a container usually may)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                             capture_output=True, timeout=30)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True, timeout=30)


def _one_line_error(stderr: str, *words: str) -> None:
    lines = stderr.strip().splitlines()
    assert lines and "Traceback" not in stderr, stderr
    assert lines[-1].startswith("dslint: error: ") and all(w in lines[-1] for w in words), stderr


def test_fix_on_a_full_disk_keeps_the_original(small_disk: Path) -> None:
    target = small_disk / "data.jsonl"
    _write_records(target, FIXABLE, 3_000)  # about 200 KiB
    (small_disk / "filler").write_bytes(b"x" * 700_000)  # the rewritten copy no longer fits beside it
    before = _digest(target)
    result = subprocess.run([sys.executable, "-m", "dslint", "check", "data.jsonl", "--isolated", "--select",
                             "FMT018", "--fix"], cwd=small_disk, env=subprocess_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    _one_line_error(result.stderr, "data.jsonl", "No space left on device")
    assert _digest(target) == before
    assert _litter(small_disk) == []


def test_report_on_a_full_disk_keeps_the_previous_report(small_disk: Path, tmp_path: Path) -> None:
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps(CLEAN) + "\n" + "not json\n" * 3000)  # a report of about 1 MB
    (small_disk / "filler").write_bytes(b"x" * 1_000_000)
    report = small_disk / "report.json"
    report.write_text("previous report\n")
    result = subprocess.run([sys.executable, "-m", "dslint", "check", str(data), "--isolated", "--format", "json",
                             "--select", "FMT001", "-o", str(report)], cwd=tmp_path, env=subprocess_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    _one_line_error(result.stderr, "report.json", "No space left on device")
    assert report.read_text() == "previous report\n"
    assert _litter(small_disk) == []


class _FullDisk:
    """A file object whose writes fail half-way with ENOSPC, as on a full disk."""

    def __init__(self, handle: object) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)

    def __enter__(self) -> _FullDisk:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.__exit__(*exc)  # type: ignore[attr-defined]


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, *a, **k: _FullDisk(real_fdopen(fd, *a, **k)))


@pytest.mark.usefixtures("full_disk")
@pytest.mark.parametrize("command", ["fix", "report", "convert", "baseline"])
def test_a_failing_write_keeps_the_original(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data.jsonl"
    _write_records(data, FIXABLE, 200)
    existing = {"fix": data, "report": tmp_path / "out.txt", "convert": tmp_path / "out.jsonl",
                "baseline": tmp_path / "baseline.json"}[command]
    if command in ("report", "convert"):
        existing.write_text("previous\n")
    before = _digest(existing) if existing.exists() else None
    args = {
        "fix": ["check", "data.jsonl", "--isolated", "--select", "FMT018", "--fix"],
        "report": ["check", "data.jsonl", "--isolated", "-o", "out.txt"],
        "convert": ["convert", "data.jsonl", "--to", "chatml", "-o", "out.jsonl"],
        "baseline": ["baseline", "write", "data.jsonl", "--isolated", "-o", "baseline.json"],
    }[command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    _one_line_error(result.stderr, "No space left on device")
    assert (_digest(existing) if existing.exists() else None) == before
    assert _litter(tmp_path) == []


def test_new_files_get_the_usual_permissions_and_replaced_files_keep_theirs(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        created = tmp_path / "report.html"
        atomic.write_text_atomic(created, "new")
        assert created.stat().st_mode & 0o777 == 0o644

        private = tmp_path / "private.jsonl"
        private.write_text("old")
        private.chmod(0o600)
        atomic.write_text_atomic(private, "new")
        assert private.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)
