"""A tiny OpenAI-compatible chat-completions server for tests, on 127.0.0.1 in a thread (loopback only).

`script` is a list of behaviours used one per request, then `default`: "429", "500", "malformed" (not
JSON), "truncated" (JSON cut short), "nochoices", or ("ok", text[, finish_reason]). The default answers
with the next tasks of `TASKS`, numbered from the number the prompt ends with.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

TASKS = [
    ("Classify the sentiment of this movie review as positive or negative.", "The plot dragged and the acting was flat.", "Negative"),
    ("Suggest three names for a bakery that sells sourdough bread.", "", "Rise & Crust, The Sour Note, Daily Loaf"),
    ("Convert the temperature from Celsius to Fahrenheit and show the formula.", "25 degrees Celsius", "F = 25 * 9/5 + 32 = 77"),
    ("Rewrite the sentence in the passive voice without changing its tense.", "The committee approved the budget.", "The budget was approved by the committee."),
    ("Explain why the sky appears blue during a clear day.", "", "Air molecules scatter short blue wavelengths of sunlight more than red ones (Rayleigh scattering)."),
    ("List the prime numbers between twenty and forty in ascending order.", "", "23, 29, 31, 37"),
    ("Summarize the paragraph in one sentence for a busy manager.", "Sales rose 4% in March, driven by online orders, while store visits fell slightly.", "Online orders lifted March sales 4% despite fewer store visits."),
    ("Give a synonym for the word that fits a formal letter.", "happy", "Delighted"),
    ("Write a haiku about autumn leaves falling in a quiet park.", "", "Red leaves drift and fall / the bench keeps their quiet hush / paths fade into gold"),
    ("Identify the grammatical error in the sentence and correct it.", "She don't like apples.", "\"don't\" should be \"doesn't\": She doesn't like apples."),
    ("Estimate how many minutes a 5 kilometre walk takes at a normal pace.", "", "About 60 minutes at 5 km/h."),
    ("Translate the greeting into Spanish for a hotel reception desk.", "Welcome, we hope you enjoy your stay.", "Bienvenido, esperamos que disfrute de su estancia."),
    ("Name the largest planet of the solar system and one of its moons.", "", "Jupiter; one of its moons is Europa."),
    ("Decide whether the number is even or odd and justify briefly.", "317", "Odd: it ends in 7."),
    ("Compose a polite reminder email about an unpaid invoice.", "Invoice 1042, due 3 May", "Dear customer, a friendly reminder that invoice 1042 was due on 3 May. Kind regards."),
    ("Describe the water cycle to a ten year old child.", "", "Water evaporates, forms clouds, falls as rain and flows back to the sea to start again."),
]
BAD = [
    ("Draw a picture of a cat sitting on a fence.", "", "I cannot draw."),  # modality
    ("Be nice.", "", "OK."),  # too short
    ("Tell me why the sky appears blue on a clear day.", "", "Rayleigh scattering."),  # close to a task above
    ("Give advice on choosing a first programming language to learn.", "", "As an AI language model, I cannot have opinions."),  # ALN007
]


def answer_text(tasks: list[tuple[str, str, str]], first: int) -> str:
    parts = []
    for offset, (instruction, inp, out) in enumerate(tasks):
        n = first + offset
        head = f"{n}. Instruction:" if offset else ""
        parts.append(f"{head} {instruction}\n{n}. Input:\n{inp or '<noinput>'}\n{n}. Output:\n{out}\n###\n")
    return "".join(parts)


class FakeServer:
    def __init__(self, script: list[Any] | None = None, per_answer: int = 3, include_bad: bool = False) -> None:
        self.script = list(script or [])
        self.per_answer = per_answer
        self.tasks = (BAD if include_bad else []) + TASKS
        self.served = 0
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def behaviour(self, prompt: str) -> tuple[int, bytes]:
        with self.lock:
            step = self.script.pop(0) if self.script else None
            if step is None:
                first = int(re.findall(r"(\d+)\. Instruction:\s*$", prompt)[-1])
                tasks = [self.tasks[(self.served + i) % len(self.tasks)] for i in range(self.per_answer)]
                self.served += self.per_answer
                step = ("ok", answer_text(tasks, first))
        if step == "429":
            return 429, b'{"error": "rate limited"}'
        if step == "500":
            return 500, b"internal error"
        if step == "malformed":
            return 200, b"<html>not json</html>"
        if step == "truncated":
            return 200, b'{"choices": [{"message": {"role": "assistant", "content": "1. Instr'
        if step == "nochoices":
            return 200, b'{"object": "chat.completion"}'
        return self.reply(step[1], step[2] if len(step) > 2 else "stop")

    @staticmethod
    def reply(text: str, finish: str = "stop") -> tuple[int, bytes]:
        """A successful chat completion answering `text`."""
        body = {"object": "chat.completion", "choices": [
            {"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": text}}]}
        return 200, json.dumps(body).encode()


@contextmanager
def serve(fake: FakeServer) -> Iterator[str]:
    """Run the fake server; yields its API base URL (http://127.0.0.1:PORT/v1)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if self.path != "/v1/chat/completions":
                self.send_error(404, "Not Found")
                return
            status, payload = fake.behaviour(body["messages"][-1]["content"])
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def cli_in(monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, records: list[dict[str, Any]],
           key_env: str = "OPENAI_API_KEY") -> CliRunner:
    """A CLI runner working in `folder`, which holds `records` as the JSON Lines file `name`; no API key is
    set in `key_env` (the fake server needs none, and a real one must not leak into a test)."""
    monkeypatch.chdir(folder)
    monkeypatch.delenv(key_env, raising=False)
    (folder / name).write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return CliRunner()
