"""The search behind SEC005 (high-entropy-string), apart from the shared scan: the rule is opt-in, and its
regular expressions (secret names in any case, followed by a value) cost a pass over every text, which
the default rules must not pay.

A value found here is dropped when it overlaps anything the shared scan found in the same text (a provider
key assigned to `api_key` is SEC001's finding, not a second one here).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

import orjson

from dslint.model import Example
from dslint.rules import sec_patterns as p
from dslint.rules.sec_detect import Hit
from dslint.rules.sec_scan import Found, pointer_of, results, texts_of

MIN_LENGTH = 16  # a value shorter than this is not reported (passwords in prose are too often examples)
BARE_MIN_LENGTH = 24


def random_looking(value: str) -> bool:
    """Letters and digits mixed, no spaces, and not an identifier: an identifier is made of words of three
    letters or more (`oauth2_client_credentials`, `getUserProfileById2`); a random string of short runs."""
    if " " in value or not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    parts = p.WORDS.findall(value)
    short = sum(1 for part in parts if part.isalpha() and len(part) < 3)
    return short >= 2 or len(parts) > len(value) / 4


# Prefixes of the ids APIs generate (tool calls, completions, messages, files, runs): random, not secret.
ID_PREFIXES = ("call_", "chatcmpl-", "msg_", "toolu_", "req_", "run_", "file-", "asst_", "thread_", "cmpl-",
               "resp_", "batch_", "ft-", "ftjob-")


def _candidate(value: str, bare: bool) -> bool:
    if len(value) < (BARE_MIN_LENGTH if bare else MIN_LENGTH) or "://" in value or p.looks_fake(value):
        return False
    if p.PROVIDER_RE.fullmatch(value) or p.JWT_RE.fullmatch(value):
        return False  # a provider's format or a JWT: SEC001 or SEC003 decides, placeholders and samples included
    if bare:  # a bare token must look generated: both cases and digits (hashes and ids rarely mix cases)
        return (any(c.isupper() for c in value) and any(c.islower() for c in value)
                and any(c.isdigit() for c in value) and not value.startswith(ID_PREFIXES) and not _encoded_text(value))
    return random_looking(value)


def _encoded_text(value: str) -> bool:
    """Whether a token is base64 of ordinary text (a puzzle's hidden message, not a key)."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=False)
    except (binascii.Error, ValueError):
        return False
    printable = sum(32 <= byte < 127 for byte in decoded)
    return len(decoded) > 8 and printable >= 0.9 * len(decoded) and b" " in decoded


def _hit(value: str, start: int, name: str | None) -> Hit:
    bits = p.entropy(value)
    where = f"assigned to `{name}`" if name else "in the text"
    return Hit("SEC005", start, start + len(value), value,
               f"high-entropy value {where}: `{p.mask(value)}` ({len(value)} characters, {bits:.1f} bits "
               f"each)", True, (bits, name is None))


def _search(text: str, key: Any, bare: bool) -> list[Hit]:
    text = p.unescape_breaks(text)
    hits: list[Hit] = []
    if type(key) is str and p.SECRET_NAME.search(key) and not p.NOT_SECRET_NAME.search(key) and _candidate(
            text.strip(), False):
        hits.append(_hit(text.strip(), text.index(text.strip()), key))  # {"api_key": "q7Rk…"}
    elif "=" in text or ":" in text or " " in text:
        for match in _assignments(text):
            value, start = match.group(2), match.start(2)
            if value[0] in "\"'`":
                value, start = value[1:-1], start + 1
            if _candidate(value, False) and not p.NOT_SECRET_NAME.search(match.group(1)):
                hits.append(_hit(value, start, match.group(1)))
    if bare:
        for match in p.BARE_TOKEN.finditer(text):
            value = match.group()
            if _candidate(value, True) and not text[max(0, match.start() - 8):match.start()].endswith(
                    ("base64,", "/", "=", "#", "?")):  # a URL's path, query or anchor; an inline image
                hits.append(_hit(value, match.start(), None))
    return hits


def _word_char(char: str) -> bool:
    """What the lookbehind `[A-Za-z0-9]` of the pattern refuses before a name."""
    return char.isascii() and char.isalnum()


def _assignments(text: str) -> list[re.Match[str]]:
    """The matches of `SECRET_ASSIGNMENT` in a text, as `finditer` would give them, found faster.

    The pattern allows up to 30 name characters before the secret word, so searched from every position it
    costs a pass of 30 steps per character (about 0.4 ms per record). Instead, a text without any of the
    words (lower-cased substring checks) is skipped; otherwise the words are found, and the pattern is
    matched only from the starts of the names that can end in each: after a non-alphanumeric character at
    most 30 characters before it."""
    if not p.has_secret_word(text):
        return []
    found: list[re.Match[str]] = []
    end = 0
    for word in p.SECRET_WORD.finditer(text):
        at = word.start()
        if at < end:
            continue  # inside the last assignment
        lo = max(end, at - 30)
        starts = [i for i in range(lo, at + 1) if i == 0 or not _word_char(text[i - 1])]
        for start in starts:
            match = p.SECRET_ASSIGNMENT.match(text, start)
            if match is not None and match.start(1) <= at < match.end(1):
                found.append(match)
                end = match.end()
                break
    return found


def _may_assign(raw: Any) -> bool:
    """Whether a record can hold a secret-named value: one of the secret words somewhere in its keys or
    values. One serialisation (a C call) and a few substring checks, so the records without (nearly all)
    cost a few microseconds instead of a walk over their texts."""
    try:
        data = orjson.dumps(raw).lower()
    except (TypeError, orjson.JSONEncodeError):
        return True  # lone surrogates or very deep nesting: search the slow way
    return (b"key" in data or b"token" in data or b"secret" in data or b"passw" in data or b"auth" in data
            or b"pwd" in data or b"bearer" in data or b"credential" in data)


def found(example: Example, bare: bool) -> list[Found]:
    """SEC005's hits in one example: one per value and text, none where another SEC rule found something."""
    if not bare and not _may_assign(example.raw):
        return []
    shared = results(example)
    taken: dict[str, list[tuple[int, int]]] = {}
    for items in shared.values():
        for item in items:
            taken.setdefault(item.pointer, []).append((item.hit.start, item.hit.end))
    result: list[Found] = []
    for parent, key, text in texts_of(example.raw):
        hits = _search(text, key, bare)
        if not hits:
            continue
        pointer = pointer_of(parent, key)
        spans = taken.get(pointer, [])
        seen: dict[str, int] = {}
        for hit in sorted(hits, key=lambda h: (h.start, h.detail[1])):
            if any(hit.start < end and start < hit.end for start, end in spans):
                continue
            spans.append((hit.start, hit.end))
            seen[hit.value] = seen.get(hit.value, 0) + 1
            if seen[hit.value] == 1:
                result.append(Found(pointer, hit, 1))
        if not seen:
            continue
        context = p.redacted(text, spans)  # this rule's values and the other rules' findings masked
        result = [item._replace(repeats=seen.get(item.hit.value, 1), context=context) if item.pointer == pointer
                  else item for item in result]
    return result
