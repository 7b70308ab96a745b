"""No network unless the user names a Hub resource: every CLI command runs in a child process whose
sockets refuse to connect (a `sitecustomize` on PYTHONPATH patches them before dslint is imported) and
none may try. Commands are found by walking the click command tree, so a command added later is run too
(with `--help` and, where its arguments can be guessed, for real)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, subprocess_env

SITECUSTOMIZE = '''
"""Installed by dslint's no-network test: record every attempt to reach the network, then refuse it."""
import os
import socket

_LOG = os.environ["DSLINT_NETWORK_LOG"]


def _refuse(what, detail):
    with open(_LOG, "a") as log:
        log.write(f"{os.getpid()} {what} {detail!r}\\n")
    raise OSError(101, f"network blocked by the test: {what}")


_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def connect(self, address):
    if self.family == getattr(socket, "AF_UNIX", None):
        return _connect(self, address)
    _refuse("connect", address)


def connect_ex(self, address):
    if self.family == getattr(socket, "AF_UNIX", None):
        return _connect_ex(self, address)
    _refuse("connect_ex", address)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.create_connection = lambda address, *a, **k: _refuse("create_connection", address)
socket.getaddrinfo = lambda host, *a, **k: _refuse("getaddrinfo", host)
socket.gethostbyname = lambda host: _refuse("gethostbyname", host)
'''

DRIVER = r'''
import json, sys
import click
from click.testing import CliRunner
from dslint.cli import main

data, rule_code, work = sys.argv[1], sys.argv[2], sys.argv[3]
import socket
try:  # the control: the guard is active and logs (192.0.2.0/24 is reserved for documentation)
    socket.create_connection(("192.0.2.1", 9), timeout=1)
except OSError:
    pass
template = f"{work}/template.jinja"
KNOWN = {
    "check": [["check", data, "--isolated", "--format", fmt] for fmt in
              ("text", "concise", "json", "jsonl", "github", "sarif", "junit")]
             + [["check", data, "--isolated", "--statistics", "--jobs", "2"],
                ["check", data, "--isolated", "-o", f"{work}/report.txt"],
                ["check", data, "--isolated", "--diff"]],
    "rules": [["rules"], ["rules", "--format", "json"]],
    "rule": [["rule", rule_code], ["rule", rule_code, "--format", "json"]],
    "config show": [["config", "show", "--isolated"], ["config", "show", "--format", "json"]],
    "baseline write": [["baseline", "write", data, "--isolated", "-o", f"{work}/baseline.json"]],
    "convert": [["convert", data, "--to", "chatml", "-o", f"{work}/converted.jsonl"]],
    "report": [["report", data, "--isolated", "-o", f"{work}/report.html"],
               ["report", data, "--isolated", "--format", "markdown"]],
    "stats": [["stats", data], ["stats", data, "--format", "json"]],
    "templates": [["templates", data, "--template", template]],
}


def leaves(command, path):
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from leaves(sub, path + [name])
    else:
        yield path, command


def guessed(path, command):
    """An invocation of an unknown command: the data file for its arguments, a guess for required options."""
    args = list(path)
    for param in command.params:
        if isinstance(param, click.Argument):
            args.append(data if param.name != "selector" else rule_code)
        elif param.required:
            value = param.type.choices[0] if isinstance(param.type, click.Choice) else f"{work}/{param.name}.out"
            args += [param.opts[0], value]
    return args


runs = []
for path, command in leaves(main, []):
    key = " ".join(path)
    for args in [path + ["--help"], *KNOWN.get(key, [guessed(path, command)])]:
        result = CliRunner().invoke(main, args)
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        runs.append({"args": args, "exit": result.exit_code, "crashed": repr(result.exception) if crashed else None,
                     "known": key in KNOWN})
print(json.dumps(runs))
'''


def test_no_command_tries_the_network(tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    work = tmp_path / "work"
    work.mkdir()
    data = work / "data.jsonl"
    data.write_text(
        json.dumps({"messages": [{"role": "user", "content": "Name a primary colour. "},
                                 {"role": "assistant", "content": "Red."}]}) + "\n"
        + json.dumps({"instruction": "Name a primary colour.", "output": "Blue"}) + "\n"
        + "not json\n")
    (work / "template.jinja").write_text("{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}")
    log = tmp_path / "network.log"
    env = subprocess_env(DSLINT_NETWORK_LOG=str(log), PYTHONPATH=os.pathsep.join([str(guard), str(REPO / "src")]))
    for offline in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE", "DSLINT_OFFLINE"):
        env.pop(offline, None)  # nothing may rely on an offline flag to stay off the network
    cache = Path(env.get("TIKTOKEN_CACHE_DIR", REPO.parent / "shared" / "tiktoken_cache"))
    encodings = cache.is_dir()
    if encodings:
        env["TIKTOKEN_CACHE_DIR"] = str(cache)
    else:  # without the encodings, token counts would need a download: the user has to allow that
        env["DSLINT_OFFLINE"] = "1"
    completed = subprocess.run([sys.executable, "-c", DRIVER, str(data), "FMT001", str(work)], cwd=work, env=env,
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    runs = json.loads(completed.stdout.strip().splitlines()[-1])
    attempts = log.read_text().splitlines() if log.exists() else []
    assert attempts and "create_connection ('192.0.2.1', 9)" in attempts[0], "the guard is not active"
    assert attempts[1:] == [], "network attempts:\n" + "\n".join(attempts[1:])
    commands = {" ".join(run["args"][:2]) for run in runs}
    assert {"check " + str(data), "rules", "rule FMT001", "config show"} <= commands
    for run in runs:
        assert run["crashed"] is None, run
        assert run["exit"] in (0, 1, 2), run
        if run["known"] and run["args"][-1] != "--help" and run["args"][0] != "templates":
            # The known invocations are valid ones; but without the encodings (downloads not allowed) `stats`
            # must refuse to count tokens with its usage error, not guess or reach for the network.
            valid = (2,) if run["args"][0] == "stats" and not encodings else (0, 1)
            assert run["exit"] in valid, run
