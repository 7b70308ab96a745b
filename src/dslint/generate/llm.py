"""A minimal client for any OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp server,
the OpenAI API), with retries and exponential backoff. Standard library only.

Retried: HTTP 429 and 5xx, connection errors and timeouts, and answers that are not the expected JSON
(malformed or truncated bodies, no `choices`). Anything else (401, 404 ...) fails at once. After the last
retry the request raises `LLMError`; callers count it and go on, writing nothing of it.
"""

from __future__ import annotations

import json
import os
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class LLMError(RuntimeError):
    """A request that failed for good (one-line reason)."""


class _Retryable(Exception):
    pass


@dataclass
class Endpoint:
    url: str  # the API base, e.g. http://127.0.0.1:8000/v1
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubled each time, with jitter
    temperature: float = 1.0
    max_tokens: int = 2048

    @property
    def completions_url(self) -> str:
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


def endpoint_from_options(option: str, url: str | None, model: str | None, **settings: Any) -> Endpoint | str:
    """The endpoint that `--endpoint URL --model NAME` name for `option` (`--generate`, `--judge`), with the
    API key from OPENAI_API_KEY; or why they make none."""
    if not url or not model or not url.startswith(("http://", "https://")):
        return f"{option} needs --endpoint (an http(s) URL) and --model"
    return Endpoint(url, model, os.environ.get("OPENAI_API_KEY") or None, **settings)


def complete(endpoint: Endpoint, prompt: str, *, sleep: Callable[[float], None] | None = None) -> str:
    """The assistant text for one user prompt (raises LLMError when every attempt failed)."""
    body = json.dumps({"model": endpoint.model, "messages": [{"role": "user", "content": prompt}],
                       "temperature": endpoint.temperature, "max_tokens": endpoint.max_tokens}).encode()
    headers = {"Content-Type": "application/json"}
    if endpoint.api_key:
        headers["Authorization"] = f"Bearer {endpoint.api_key}"
    last = "no attempt made"
    for attempt in range(endpoint.retries + 1):
        if attempt:
            (sleep or time.sleep)(endpoint.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4))
        try:
            return _attempt(endpoint, body, headers)
        except _Retryable as exc:
            last = str(exc)
    raise LLMError(f"gave up after {endpoint.retries + 1} attempts: {last}")


def _attempt(endpoint: Endpoint, body: bytes, headers: dict[str, str]) -> str:
    request = urllib.request.Request(endpoint.completions_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise _Retryable(f"HTTP {exc.code}") from None
        raise LLMError(f"HTTP {exc.code} from {endpoint.completions_url}: {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Retryable(f"cannot reach {endpoint.completions_url}: {reason}") from None
    try:
        answer = json.loads(raw)
        content = answer["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise _Retryable("malformed answer (not a chat completion)") from None
    if not isinstance(content, str):
        raise _Retryable("malformed answer (content is not text)")
    if answer["choices"][0].get("finish_reason") == "length":
        content = _drop_last_block(content)  # cut off by max_tokens: the last task is incomplete
    return content


def _drop_last_block(text: str) -> str:
    cut = text.rfind("###")
    return text[:cut] if cut > 0 else ""
