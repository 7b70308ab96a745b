"""The one scan behind every SEC secrets and personal-data rule (SEC001-SEC010): each record searched once.

- Every string value of the raw record is searched (Alpaca's `instruction`, `input` and `output` apart,
  every message, typed content parts, tool-call arguments, metadata), and a finding names the JSON
  pointer of its string. The strings of a record are first searched as one text (most records end there,
  with nothing found); only a record with a hit is searched string by string, for the pointers.
- Cheap gates first: single-character searches (memchr) and the count of different digits decide which
  detectors (`sec_detect`) run; regular expressions run only at candidate positions or in small windows.
- Overlaps are settled once: every match, placeholders included, claims its span, and a lower-priority
  match inside a claimed span is dropped (the `user:pass@host` of a URL is no e-mail address; the digits
  of a key are no phone number). A value found twice in one string is reported once, with its count.
- The rules ask for their own code. The scan depends on no option (options only filter its hits), so the
  result for the example last scanned is kept and the other rules reuse it.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pydantic import Field

from dslint.model import Example, Violation, escape_pointer_token
from dslint.rules import sec_detect as d
from dslint.rules import sec_patterns as p
from dslint.rules.base import RuleOptions
from dslint.rules.sec_detect import Hit


class Found(NamedTuple):
    pointer: str
    hit: Hit
    repeats: int  # occurrences of the same value in this text
    context: str | None = None  # the text with every finding in it masked (`sec_patterns.redacted`)


# Higher first: a match overlapping a higher-priority match is dropped.
PRIORITY = {code: rank for rank, code in enumerate(
    ("SEC002", "SEC001", "SEC003", "SEC004", "SEC005", "SEC008", "SEC009", "SEC006", "SEC007", "SEC010"))}
_SKIP_KEYS = frozenset({"role", "from", "type"})
_MIN_LENGTH = 6  # `a@b.co`: nothing shorter can match
_EMPTY: dict[str, list[Found]] = {}


def scan_text(text: str) -> list[Hit]:
    """Everything the SEC rules could report in one text, overlaps settled (placeholders dropped).

    The gates are single-character searches (memchr, a few hundred instructions each); what they let
    through is searched for literal prefixes, and regular expressions run only there or in small windows.
    A generated key always holds a digit (all but Hugging Face's letters-only tokens), so a text without
    one is searched for those tokens, e-mail addresses and passwords in URLs only. Escaped line breaks
    (`\\n` in a JSON string inside a string) count as blanks.
    """
    text = p.unescape_breaks(text)
    hits: list[Hit] = []
    # How many different digits the text holds: a key has some; a phone, card or IBAN number has four or
    # more (a text with fewer, such as a numbered list, is not searched for numbers at all).
    digits = (("0" in text) + ("1" in text) + ("2" in text) + ("3" in text) + ("4" in text) + ("5" in text)
              + ("6" in text) + ("7" in text) + ("8" in text) + ("9" in text))
    if digits:
        if "-" in text:
            d.separated_keys(text, "-", hits)
            if "-----BEGIN " in text:
                d.pem(text, hits)
        if "_" in text:
            d.separated_keys(text, "_", hits)
            if "ccess_key" in text or "CCESS_KEY" in text:
                d.aws_secret(text, hits)
            for prefix in ("ASIA", "ABIA", "ACCA"):  # temporary AWS credentials come with a session token
                if prefix in text:
                    d.literal_keys(text, prefix, hits)
        if "K" in text:
            d.literal_keys(text, "AKIA", hits)
            if "AccessKey" in text:
                d.aws_secret(text, hits)
        if "J" in text and "eyJ" in text:
            d.jwt(text, hits)
        if "z" in text and "AIza" in text:
            d.literal_keys(text, "AIza", hits)
        if "G" in text and "SG." in text:
            d.literal_keys(text, "SG.", hits)
        if "/" in text and "//hooks.slack.com" in text:
            d.literal_keys(text, "https://hooks.slack.com", hits)
    elif "_" in text:
        if "hf_" in text:
            d.literal_keys(text, "hf_", hits)
        if "api_org_" in text:
            d.literal_keys(text, "api_org_", hits)
    if "@" in text:
        if "://" in text:
            d.url_credentials(text, hits)
        d.emails(text, hits)
    if "=" in text and (";" in text or "&" in text) and p.CONNECTION_GATE.search(text):
        d.connection_strings(text, hits)
    if digits >= 4:
        _numbers(text, hits)
    return _settle(hits) if hits else hits


def _numbers(text: str, hits: list[Hit]) -> None:
    """Cards, IBANs, phone numbers and IP addresses. Gated on the text's compact digit shape (digits and
    their separators only, a fifth of the text), then searched only in windows around digit groups."""
    data = text.encode("utf-8", "surrogatepass")
    compact = data.translate(p.DIGIT_SHAPE, p.NOT_NUMERIC)
    grouped = b"999" in compact and p.GROUPED_DIGITS.search(compact) is not None
    international = "+" in text and p.INTERNATIONAL_DIGITS.search(compact) is not None
    dotted = b"9.9" in compact and p.DOTTED_DIGITS.search(compact) is not None
    compressed = ":" in text and b"::" in compact
    if not (grouped or international or dotted or compressed):
        return
    shape = data.translate(p.DIGIT_SHAPE)
    if grouped:
        for lo, hi in _windows(text, data, shape, p.GROUPED_DIGITS):
            d.cards(text, lo, hi, hits)
            d.iban(text, lo, hi, hits)
            d.phones(text, lo, hi, hits, international=False)
    if international:
        for lo, hi in _windows(text, data, shape, p.INTERNATIONAL_DIGITS):
            d.phones(text, lo, hi, hits, international=True)
    if dotted:
        for lo, hi in _windows(text, data, shape, p.DOTTED_DIGITS):
            d.ips(text, lo, hi, hits, 4)
    if compressed:
        for lo, hi in _windows(text, data, shape, p.COMPRESSED_IPV6):
            d.ips(text, lo, hi, hits, 6)


def _windows(text: str, data: bytes, shape: bytes, pattern: re.Pattern[bytes]) -> list[tuple[int, int]]:
    """Stretches of the text around each match of `pattern` in the digit shape: from 40 characters before
    to the first whitespace 60 characters after; overlaps merged. The shape is in bytes, so a non-ASCII
    text's positions are mapped back to characters.

    Lookbehinds see before a window, so a match cannot start inside a longer number; a window ends at
    whitespace, so a number is never cut short by it."""
    windows: list[tuple[int, int]] = []
    same = len(data) == len(text)
    match = pattern.search(shape)
    while match is not None:
        at = match.start()
        index = at if same else len(data[:at].decode("utf-8", "surrogatepass"))
        lo, hi = max(0, index - 40), _whitespace_after(text, index + 60)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
        if hi >= len(text):
            break
        match = pattern.search(shape, hi if same else len(text[:hi].encode("utf-8", "surrogatepass")))
    return windows


def _whitespace_after(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    ends = [end for end in (text.find(" ", index), text.find("\n", index)) if end >= 0]
    return min(ends) if ends else len(text)


def _settle(hits: list[Hit]) -> list[Hit]:
    """Drop matches overlapping a higher-priority (or, at equal priority, earlier) match; then placeholders."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (PRIORITY[h.code], h.start, -h.end)):
        if all(hit.end <= other.start or hit.start >= other.end for other in kept):
            kept.append(hit)
    return [hit for hit in kept if hit.report]


def texts_of(raw: Any) -> list[tuple[Any, Any, str]]:
    """Every string of a record worth searching, as (container, key, text); `pointer_of` makes the pointer.

    A container is a chain `(outer container, key)` from the record (`()`) down, so a record nested
    100,000 levels deep costs no recursion and no pointer is built until a hit needs it. Inline images
    and other encoded blobs are left out."""
    found: list[tuple[Any, Any, str]]
    if type(raw) is dict:  # the common case, a flat record (Alpaca), costs one pass over its values
        found = [((), key, value) for key, value in raw.items() if type(value) is str and len(value) >= _MIN_LENGTH]
        if len(found) == len(raw) or all(type(value) is not dict and type(value) is not list
                                         for value in raw.values()):
            return [item for item in found if item[1] not in _SKIP_KEYS and not _blob(item[2])]
    found = []
    if type(raw) is not dict and type(raw) is not list:
        if type(raw) is str and len(raw) >= _MIN_LENGTH and not _blob(raw):
            found.append((None, None, raw))  # the record is a string
        return found
    # A stack of open containers, each with the iterator of its items: strings come out in document order.
    stack: list[tuple[Any, Any]] = [(iter(raw.items() if type(raw) is dict else enumerate(raw)), ())]
    while stack:
        items, chain = stack[-1]
        for key, item in items:
            kind = type(item)
            if kind is str:
                if len(item) >= _MIN_LENGTH and key not in _SKIP_KEYS and not _blob(item):
                    found.append((chain, key, item))
            elif kind is dict or kind is list:
                stack.append((iter(item.items() if kind is dict else enumerate(item)), (chain, key)))
                break
        else:
            stack.pop()
    return found


def pointer_of(chain: Any, key: Any) -> str:
    """The JSON pointer of `key` in the container `chain` (see `texts_of`)."""
    if chain is None:
        return ""
    tokens = [key]
    while chain:
        chain, outer = chain
        tokens.append(outer)
    return "/" + "/".join(escape_pointer_token(token) for token in reversed(tokens))


def _blob(text: str) -> bool:
    """An inline image or other encoded payload: a data URI, or a long text with no space near its start."""
    return text[:5] == "data:" or (len(text) > 2000 and " " not in text[:500] and "\n" not in text[:500])


_SEPARATOR = "\n\x00\n"  # between the texts of a record searched at once: no pattern matches across it


def _joined(raw: Any) -> str | None:
    """All strings of a record in one text, cheaply; None when the record is too large or nested for that."""
    if type(raw) is dict:
        try:
            return _SEPARATOR.join(raw.values())  # a flat record (Alpaca, prompt/completion): one C call
        except TypeError:
            pass
    texts: list[str] = []
    stack = [raw]
    size = 0
    while stack:
        node = stack.pop()
        for item in node.values() if type(node) is dict else node:
            kind = type(item)
            if kind is str:
                texts.append(item)
                size += len(item)
            elif kind is dict or kind is list:
                stack.append(item)
        if size > _FAST_LIMIT or len(stack) > 64:
            return None
    return _SEPARATOR.join(texts)


_FAST_LIMIT = 16384  # characters: larger records (long chats, inline images) are searched text by text


def scan_record(raw: Any) -> dict[str, list[Found]]:
    """Every reportable hit of a record, by rule code.

    First all strings of the record are searched as one text, so the gates run once per record and most
    records end there. Only a record with a hit is searched string by string, to give each hit the
    pointer of the string it is in."""
    if type(raw) is not dict and type(raw) is not list:
        return _EMPTY
    joined = _joined(raw)
    if joined is not None and len(joined) <= _FAST_LIMIT and not scan_text(joined):
        return _EMPTY
    result: dict[str, list[Found]] = {}
    for parent, key, text in texts_of(raw):
        hits = scan_text(text)
        if not hits:
            continue
        pointer = pointer_of(parent, key)
        context = p.redacted(text, [(hit.start, hit.end) for hit in hits])
        seen: dict[tuple[str, str], Found] = {}
        for hit in hits:
            found = seen.get((hit.code, hit.value))  # the same value again in one text: counted, not repeated
            seen[hit.code, hit.value] = Found(pointer, hit, 1, context) if found is None else found._replace(
                repeats=found.repeats + 1)
        for found in seen.values():
            result.setdefault(found.hit.code, []).append(found)
    return result or _EMPTY


last: tuple[Example | None, dict[str, list[Found]]] = (None, _EMPTY)


def results(example: Example) -> dict[str, list[Found]]:
    """Every hit of one example, by rule code. The result for the example last asked about is kept (the
    example itself is held, so its identity cannot be reused), so the ten rules cost one scan."""
    global last
    cached = last
    if cached[0] is not example:
        cached = last = (example, scan_record(example.raw))
    return cached[1]


# -- shared by the rule modules ------------------------------------------------------------------------------
class AllowOptions(RuleOptions):
    allow: tuple[str, ...] = Field((), description="Values never reported, exactly as written.")


def times(item: Found) -> str:
    return f" ({item.repeats} times in this text)" if item.repeats > 1 else ""


def report(items: list[Found], allow: tuple[str, ...] = ()) -> list[Violation]:
    """The violations of one rule: its hits, less the allowed values."""
    return [Violation(item.hit.what + times(item), item.pointer, context=item.context) for item in items
            if item.hit.value not in allow]
