"""Big and special hostile inputs, generated in temporary directories: a 1 GB sparse file, a 50 MB line,
10,000 files in one directory, symlink loops, FIFOs, a file that vanishes mid-run, an unreadable file,
huge records. Each must end in a finding or a one-line error, within a time limit and a memory bound
(peak RSS of the dslint process, measured with wait4)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint import parallel
from dslint.cli import main
from dslint.engine import Settings
from dslint.readers import bytes_util
from dslint.readers.discover import discover
from dslint.rules import all_rules

from .conftest import subprocess_env

MIB = 1 << 20
GOOD = {"instruction": "Name a primary colour.", "output": "Red."}


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float
    seconds: float

    def report(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.stdout)


# Runs the CLI and, at exit, writes the peak RSS in KiB to the file named by its first argument: the
# process's own VmHWM (unlike ru_maxrss, it does not count the pages shared with the forking test process
# before exec), or that of its worker processes (`--jobs`) if higher (their ru_maxrss counts the pages
# they share with dslint's main process: an upper bound).
_MEASURED_MAIN = """
import atexit, resource, sys
peak_file = sys.argv.pop(1)

def _peak():
    try:
        with open("/proc/self/status") as status:
            kib = int(next((line.split()[1] for line in status if line.startswith("VmHWM:")), "-1"))
    except OSError:
        kib = -1
    if kib >= 0:
        kib = max(kib, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    with open(peak_file, "w") as out:
        out.write(str(kib))

atexit.register(_peak)
sys.argv[0] = "dslint"
from dslint.cli import main
main()
"""


def run_measured(args: list[str], cwd: Path, *, timeout: float = 60, stdin: Path | None = None) -> Measured:
    """Run `dslint ARGS` in a child process; its exit code, output, peak RSS and wall time. A child still
    running after `timeout` seconds is killed and the test fails: no input may make dslint hang."""
    out, err, peak = cwd / ".stdout", cwd / ".stderr", cwd / ".peak"
    with open(out, "wb") as stdout, open(err, "wb") as stderr, \
            open(stdin if stdin else os.devnull, "rb") as source:
        start = time.monotonic()
        try:
            completed = subprocess.run([sys.executable, "-c", _MEASURED_MAIN, str(peak), *args], cwd=cwd,
                                       env=subprocess_env(), stdout=stdout, stderr=stderr, stdin=source,
                                       timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"dslint {' '.join(args)} still running after {timeout} s")
        seconds = time.monotonic() - start
    kib = float(peak.read_text()) if peak.exists() else -1.0
    result = Measured(completed.returncode, out.read_text(), err.read_text(), kib / 1024, seconds)
    for path in (out, err, peak):
        path.unlink(missing_ok=True)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def assert_peak_below(run: Measured, mib: float, what: str) -> None:
    if run.peak_mib < 0:
        pytest.skip("no /proc/self/status to read the peak RSS from")
    assert run.peak_mib < mib, f"peak RSS {run.peak_mib:.0f} MiB {what}"


def _sparse(path: Path, size: int, prefix: bytes = b"") -> None:
    path.write_bytes(prefix)
    os.truncate(path, size)
    if path.stat().st_blocks * 512 > 16 * MIB:
        pytest.skip("the file system does not support sparse files")


def test_gigabyte_sparse_files_are_rejected_from_their_first_bytes(tmp_path: Path) -> None:
    for name in ("zeros.jsonl", "zeros.json", "zeros.csv", "zeros.ndjson"):
        _sparse(tmp_path / name, 1 << 30)
    _sparse(tmp_path / "tail.jsonl", 1 << 30, prefix=json.dumps(GOOD).encode() + b"\n")
    run = run_measured(["check", ".", "--isolated", "--format", "json", "--no-progress"], tmp_path, timeout=60)
    assert run.returncode == 1
    found = {d["path"]: d for d in run.report()["diagnostics"]}
    assert set(found) == {"zeros.jsonl", "zeros.json", "zeros.csv", "zeros.ndjson", "tail.jsonl"}
    assert all(d["code"] == "FMT002" for d in found.values())
    assert "only NUL bytes" in found["zeros.jsonl"]["message"]
    assert "NUL byte" in found["tail.jsonl"]["message"]
    assert_peak_below(run, 150, "reading 5 GB of sparse files")


def _line_file(path: Path, big_bytes: int) -> None:
    big = {"instruction": "Summarise the text.", "input": "word " * (big_bytes // 5), "output": "Words."}
    with path.open("w") as handle:
        handle.write(json.dumps(GOOD) + "\n")
        handle.write(json.dumps(big) + "\n")
        handle.write(json.dumps(GOOD) + "\n")
        handle.write('{"instruction": "truncated\n')


@pytest.mark.slow
def test_fifty_megabyte_line_is_read_within_the_default_limit(tmp_path: Path) -> None:
    _line_file(tmp_path / "big.jsonl", 50 * MIB)
    run = run_measured(["check", "big.jsonl", "--isolated", "--select", "FMT", "--format", "json",
                        "--jobs", "1", "--no-progress"], tmp_path, timeout=90)
    lines = [d["line"] for d in run.report()["diagnostics"] if d["code"] in ("FMT001", "FMT002")]
    assert lines == [4]  # the big record was parsed and checked; the bad line after it found
    assert_peak_below(run, 700, "for a 50 MiB line")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_line_over_max_record_bytes_is_reported_not_read(tmp_path: Path, jobs: str) -> None:
    _line_file(tmp_path / "big.jsonl", 50 * MIB)
    run = run_measured(["check", "big.jsonl", "--isolated", "--select", "FMT", "--format", "json",
                        "--max-record-bytes", "4MiB", "--jobs", jobs, "--no-progress"], tmp_path, timeout=60)
    found = [(d["line"], d["record"], d["code"], d["message"]) for d in run.report()["diagnostics"]]
    assert [item[:3] for item in found] == [(2, 1, "FMT001"), (4, 3, "FMT001")]
    assert "over the max-record-bytes limit of 4,194,304 bytes" in found[0][3]
    assert_peak_below(run, 120, "with a 4 MiB record limit")


def test_an_endless_line_on_stdin_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "endless.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"instruction": "' + b"a" * (16 * MIB))  # no closing quote, no newline
    run = run_measured(["check", "-", "--isolated", "--format", "json", "--max-record-bytes", "1MiB"],
                       tmp_path, stdin=path, timeout=60)
    [diagnostic] = run.report()["diagnostics"]
    assert diagnostic["code"] == "FMT001" and "16,777,233 bytes" in diagnostic["message"]
    assert_peak_below(run, 100, "with a 1 MiB record limit")


def test_max_record_bytes_is_validated_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "dslint.toml").write_text('max-record-bytes = "lots"\n')
    (tmp_path / "a.jsonl").write_text(json.dumps(GOOD) + "\n")
    for args in (["check", "a.jsonl"], ["check", "a.jsonl", "--isolated", "--max-record-bytes", "0"]):
        run = run_measured(args, tmp_path, timeout=30)
        assert run.returncode == 2
        last = run.stderr.strip().splitlines()[-1]
        assert "max-record-bytes" in last and ("dslint: error: " in last or "Error: " in last), run.stderr


@pytest.mark.slow
def test_ten_thousand_files_in_one_directory(tmp_path: Path) -> None:
    data = tmp_path / "many"
    data.mkdir()
    for number in range(10_000):
        (data / f"part-{number:05d}.jsonl").write_text(
            json.dumps({"instruction": f"Name colour number {number}.", "output": f"Colour {number}."}) + "\n")
    run = run_measured(["check", "many", "--isolated", "--select", "FMT", "--no-progress"], tmp_path,
                       timeout=120)
    assert run.returncode == 0, run.stdout[-500:]
    assert run.stdout.replace(",", "") == "All checks passed: 10000 records in 10000 files.\n"
    assert_peak_below(run, 300, "for 10,000 files")


def test_symlink_loops_in_a_directory_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "good.jsonl").write_text(json.dumps(GOOD) + "\n")
    os.symlink(".", data / "loop")  # a directory loop: never followed
    os.symlink(data, data / "sub_loop")
    os.symlink("b.jsonl", data / "a.jsonl")  # a file loop: reported
    os.symlink("a.jsonl", data / "b.jsonl")
    os.symlink("self.jsonl", data / "self.jsonl")
    run = run_measured(["check", "data", "--isolated", "--format", "json", "--no-progress"], tmp_path, timeout=30)
    found = {d["path"]: d for d in run.report()["diagnostics"]}
    assert set(found) == {"data/a.jsonl", "data/b.jsonl", "data/self.jsonl"}
    for diagnostic in found.values():
        assert diagnostic["code"] == "FMT002" and "symbolic links" in diagnostic["message"]
    monkeypatch.chdir(tmp_path)
    named = CliRunner().invoke(main, ["check", "data/self.jsonl", "--isolated", "--format", "concise"])
    assert named.exit_code == 2
    assert named.stderr == "dslint: error: data/self.jsonl: Too many levels of symbolic links\n"


def test_fifos_never_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "good.jsonl").write_text(json.dumps(GOOD) + "\n")
    for name in ("pipe.jsonl", "pipe.json", "pipe.csv", "pipe.parquet"):
        os.mkfifo(data / name)
    os.mkfifo(data / "unknown_type")
    run = run_measured(["check", "data", "--isolated", "--format", "json", "--no-progress"], tmp_path, timeout=30)
    found = {d["path"]: d for d in run.report()["diagnostics"]}
    assert set(found) >= {"data/pipe.jsonl", "data/pipe.json", "data/pipe.csv"}
    assert all(d["code"] == "FMT002" for d in found.values())
    assert "FIFO" in found["data/pipe.jsonl"]["message"]
    named = run_measured(["check", "data/pipe.jsonl", "data/unknown_type", "--isolated"], tmp_path, timeout=30)
    assert named.returncode == 2 and named.stderr.startswith("dslint: error: data/unknown_type: ")
    monkeypatch.chdir(tmp_path)  # discovery refuses to open a FIFO of unknown type; reading one never blocks
    named_fifo = CliRunner().invoke(main, ["check", "data/pipe.jsonl", "--isolated", "--format", "concise"])
    assert named_fifo.exit_code == 1 and "FIFO" in named_fifo.stdout


def test_a_file_that_disappears_mid_run(tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / f"part{number}.jsonl").write_text(json.dumps(GOOD) + "\n")
    targets = discover(["."], root=tmp_path)
    (tmp_path / "part1.jsonl").unlink()  # after discovery, before reading
    result = parallel.run(targets, Settings(rules=all_rules()), jobs=1)
    [diagnostic] = [d for d in result.diagnostics if d.path == "part1.jsonl"]
    assert diagnostic.code == "FMT002" and diagnostic.message == "cannot read file: No such file or directory"
    assert result.internal_errors == 0
    assert [f.records for f in result.files if f.path != "part1.jsonl"] == [1, 1]


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.jsonl"
    path.write_text(json.dumps(GOOD) + "\n")
    if os.geteuid() == 0:
        # root reads any file, and the interpreter lives where an unprivileged user cannot run it here:
        # refuse the open the way the kernel would.
        def refuse(target: Path):  # type: ignore[no-untyped-def]
            raise PermissionError(13, "Permission denied", str(target))

        monkeypatch.setattr(bytes_util, "open_binary", refuse)
        result = parallel.run(discover(["secret.jsonl"], root=tmp_path), Settings(rules=all_rules()), jobs=1)
        [diagnostic] = result.diagnostics
        message = diagnostic.message
    else:
        path.chmod(0)
        run = run_measured(["check", "secret.jsonl", "--isolated", "--format", "json"], tmp_path, timeout=30)
        [diagnostic] = run.report()["diagnostics"]
        message = diagnostic["message"]
    assert message == "cannot read file: Permission denied"


@pytest.mark.slow
def test_huge_records_finish_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """300,000 keys in one record and a 100,000-turn conversation, through every default rule."""
    keys = {f"key{number}": number for number in range(300_000)}
    keys.update(GOOD)
    (tmp_path / "keys.jsonl").write_text(json.dumps(keys) + "\n")
    turns = [{"role": ("user", "assistant")[n % 2], "content": f"Turn {n}: tell me more about colour {n}."}
             for n in range(100_000)]
    (tmp_path / "turns.jsonl").write_text(json.dumps({"messages": turns}) + "\n")
    run = run_measured(["check", "keys.jsonl", "turns.jsonl", "--isolated", "--format", "json", "--no-progress"],
                       tmp_path, timeout=180)
    codes = {d["code"] for d in run.report()["diagnostics"]}
    assert "DSL001" not in codes and run.returncode in (0, 1)
    assert_peak_below(run, 1200, "for 300,000 keys and 100,000 turns")
