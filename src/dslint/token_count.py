"""Token counting for the TPL rules and `dslint stats`: a tiktoken encoding or a Hugging Face tokenizer.

`load_counter(spec)` accepts a tiktoken encoding name (`o200k_base`, `cl100k_base` ...), an OpenAI model
name (`gpt-4o-mini`), a local tokenizer directory, a Hugging Face Hub id, or `bytes` (UTF-8 bytes: an upper
bound for byte-level BPE tokenizers that needs no tokenizer at all). tiktoken and transformers are
imported only here, only when a counter is loaded.

Nothing may hang or download silently: a tiktoken encoding missing from tiktoken's cache, or a Hub
tokenizer missing from the Hugging Face cache, is downloaded only when the environment is not marked
offline (`DSLINT_OFFLINE`, `HF_HUB_OFFLINE`), within a bounded time; otherwise `TokenizerError` says
exactly what is missing and which option to use.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

DEFAULT_ENCODING = "o200k_base"
# `--tokenizer bytes`: UTF-8 bytes per text, an upper bound of any byte-level BPE's count; needs nothing.
BYTES = "bytes"
DOWNLOAD_TIMEOUT_SECONDS = 60.0
_BLOB = "https://openaipublic.blob.core.windows.net/"
# Files each tiktoken encoding needs in tiktoken's cache (cache key = sha1 of the download address).
_ENCODING_FILES: dict[str, tuple[str, ...]] = {
    "o200k_base": (_BLOB + "encodings/o200k_base.tiktoken",),
    "o200k_harmony": (_BLOB + "encodings/o200k_base.tiktoken",),
    "cl100k_base": (_BLOB + "encodings/cl100k_base.tiktoken",),
    "p50k_base": (_BLOB + "encodings/p50k_base.tiktoken",),
    "p50k_edit": (_BLOB + "encodings/p50k_base.tiktoken",),
    "r50k_base": (_BLOB + "encodings/r50k_base.tiktoken",),
    "gpt2": (_BLOB + "gpt-2/encodings/main/vocab.bpe", _BLOB + "gpt-2/encodings/main/encoder.json"),
}

T = TypeVar("T")


class TokenizerError(Exception):
    """A tokenizer cannot be used; the message is one line naming the option to change."""


class Counter:
    """Counts tokens of many texts at once (ordinary text: special-token spellings count as text)."""

    name: str
    count_batch: Callable[[Sequence[str]], list[int]]
    special_tokens: frozenset[str]

    def __init__(self, name: str, count_batch: Callable[[Sequence[str]], list[int]],
                 special_tokens: frozenset[str]) -> None:
        self.name = name
        self.count_batch = count_batch
        self.special_tokens = special_tokens


def _count_bytes(texts: Sequence[str]) -> list[int]:
    return [len(text.encode("utf-8", "surrogatepass")) for text in texts]


def unavailable(spec: str) -> str | None:
    """Why the counter `spec` cannot be loaded here (None when it can): for tests to skip with a reason."""
    try:
        load_counter(spec, "--tokenizer")
    except TokenizerError as exc:
        return str(exc)
    return None


def count_texts(spec: str, texts: Sequence[str]) -> list[int]:
    """Token counts of many texts with the counter `spec` names (lone surrogates counted as U+FFFD)."""
    counter = load_counter(spec, "--tokenizer")
    try:
        return counter.count_batch(texts)
    except UnicodeEncodeError:
        return counter.count_batch([t.encode("utf-8", "replace").decode("utf-8") for t in texts])


def offline() -> bool:
    return any(os.environ.get(var, "").strip() not in ("", "0", "false") for var in ("DSLINT_OFFLINE", "HF_HUB_OFFLINE"))


@lru_cache(maxsize=8)
def load_counter(spec: str, option: str = "--tokenizer") -> Counter:
    """The counter a `--tokenizer` value names; TokenizerError (one line, naming `option`) when unusable."""
    spec = spec.strip()
    if not spec:
        raise TokenizerError(f"{option}: empty value; give a tiktoken encoding, an OpenAI model name, "
                             "a tokenizer directory or a Hub id")
    if spec == BYTES:
        return Counter(BYTES, _count_bytes, frozenset())
    encoding = _encoding_name(spec)
    if encoding is not None:
        return _tiktoken_counter(encoding, option)
    return _hf_counter(spec, option)


def _encoding_name(spec: str) -> str | None:
    if spec in _ENCODING_FILES:
        return spec
    if "/" in spec or Path(spec).exists():
        return None
    try:
        import tiktoken
    except ImportError:
        return None
    if spec in tiktoken.list_encoding_names():
        return spec
    try:
        return tiktoken.encoding_name_for_model(spec)
    except KeyError:
        return None


def _tiktoken_cache_dir() -> Path:
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if os.environ.get(var):
            return Path(os.environ[var])
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def _tiktoken_counter(encoding_name: str, option: str) -> Counter:
    try:
        import tiktoken
    except ImportError:
        raise TokenizerError(f"{option} {encoding_name}: tiktoken is not installed (pip install tiktoken)") from None
    files = _ENCODING_FILES.get(encoding_name, ())
    cache = _tiktoken_cache_dir()
    cached = all((cache / hashlib.sha1(url.encode()).hexdigest()).is_file() for url in files)
    if not cached and offline():
        raise TokenizerError(
            f"{option} {encoding_name}: the tiktoken encoding is not available offline (not in the tiktoken "
            f"cache {cache}); set TIKTOKEN_CACHE_DIR to a cache holding it, or pass another {option}")
    what = f"{option} {encoding_name}: cannot load the tiktoken encoding"
    encoding = _bounded(lambda: tiktoken.get_encoding(encoding_name), what)
    special = frozenset(getattr(encoding, "special_tokens_set", ()))

    def count_batch(texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in encoding.encode_ordinary_batch(list(texts))]

    return Counter(encoding_name, count_batch, special)


def _hf_counter(spec: str, option: str) -> Counter:
    tokenizer = load_hf_tokenizer(spec, option)

    def count_batch(texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = tokenizer(list(texts), add_special_tokens=False, return_attention_mask=False)
        return [len(ids) for ids in encoded["input_ids"]]

    return Counter(spec, count_batch, hf_special_tokens(tokenizer))


def hf_special_tokens(tokenizer: Any) -> frozenset[str]:
    found = set(getattr(tokenizer, "all_special_tokens", ()) or ())
    decoder = getattr(tokenizer, "added_tokens_decoder", None) or {}
    for added in decoder.values():
        if getattr(added, "special", False):
            found.add(str(added.content))
    return frozenset(token for token in found if token)


@lru_cache(maxsize=8)
def load_hf_tokenizer(spec: str, option: str) -> Any:
    """A transformers tokenizer from a local directory or a Hub id (the local cache first)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no advice about PyTorch on stderr
    try:
        from transformers import AutoTokenizer
    except ImportError:
        raise TokenizerError(f"{option} {spec}: needs transformers (pip install 'dslint[hf]')") from None
    local = Path(spec).expanduser()
    if local.exists():
        if not local.is_dir():
            raise TokenizerError(f"{option} {spec}: not a tokenizer directory, a tiktoken encoding or an "
                                 "OpenAI model name")
        what = f"{option} {spec}: cannot load a tokenizer from this directory"
        return _bounded(lambda: AutoTokenizer.from_pretrained(str(local), local_files_only=True), what)
    try:
        return _quiet(lambda: AutoTokenizer.from_pretrained(spec, local_files_only=True))
    except Exception:  # noqa: BLE001, S110 - not in the local cache (or not a Hub id at all): try below
        pass
    if offline():
        raise TokenizerError(f"{option} {spec}: not a tiktoken encoding, an OpenAI model name or a local "
                             "directory, and not in the Hugging Face cache (offline); give a tokenizer "
                             f"directory to {option}")
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "30")
    what = f"{option} {spec}: cannot load this Hub tokenizer"
    return _bounded(lambda: AutoTokenizer.from_pretrained(spec), what)


def _quiet(load: Callable[[], T]) -> T:
    """Run a load with transformers' logging down to errors (it warns about missing optional files)."""
    if "transformers" not in sys.modules:
        return load()
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        return load()
    finally:
        hf_logging.set_verbosity(level)


def _bounded(load: Callable[[], T], what: str) -> T:
    """Run `load` in a daemon thread and wait at most DOWNLOAD_TIMEOUT_SECONDS: a network that never
    answers must not hang the run. Any failure becomes a one-line TokenizerError."""
    result: list[Any] = []

    def target() -> None:
        try:
            result.append((True, _quiet(load)))
        except BaseException as exc:  # noqa: BLE001 - reported below as one line
            result.append((False, exc))

    thread = threading.Thread(target=target, daemon=True, name="dslint-tokenizer-load")
    thread.start()
    thread.join(DOWNLOAD_TIMEOUT_SECONDS)
    if not result:
        raise TokenizerError(f"{what}: gave up after {DOWNLOAD_TIMEOUT_SECONDS:.0f} s (network unreachable?)")
    ok, value = result[0]
    if ok:
        return value  # type: ignore[no-any-return]
    first_line = str(value).strip().splitlines()[0] if str(value).strip() else type(value).__name__
    raise TokenizerError(f"{what}: {first_line[:200]}")
