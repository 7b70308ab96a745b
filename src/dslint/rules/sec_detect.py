"""The detectors of the SEC secrets and personal-data rules: each finds one kind of match in a text (or in a
window of it) and appends a `Hit`, placeholders included (`report=False`), so that a placeholder still
claims its span when overlaps are settled (`sec_scan`). Messages are built here, masked.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from typing import Any, NamedTuple

import orjson

from dslint.rules import sec_patterns as p


class Hit(NamedTuple):
    code: str
    start: int
    end: int
    value: str  # as written in the text; messages never show it (they show `what`)
    what: str  # for the message, masked: "OpenAI project API key `sk-proj-…a1B2`"
    report: bool = True  # False: a placeholder, which only claims its span
    detail: Any = None  # what a rule's options filter on (an e-mail's domain, a token's entropy ...)



def _key_at(text: str, start: int, hits: list[Hit]) -> None:
    """A provider key starting at `start`, if the provider table has one there."""
    match = p.PROVIDER_RE.match(text, start)
    if match is None:
        return
    provider = p.PROVIDERS[int(match.lastgroup[1:])]  # type: ignore[index]
    value = match.group()
    body = value[provider.keep:]
    fake = p.looks_fake(body) or _classes(body) < 2 or value in p.DOCUMENTED_KEYS  # generated keys mix classes
    hits.append(Hit("SEC001", match.start(), match.end(), value,
                    f"{provider.name} `{p.mask(value, provider.keep)}`", not fake, provider.id))


def separated_keys(text: str, separator: str, hits: list[Hit]) -> None:
    """Keys whose prefix ends in `-` or `_` (`sk-`, `ghp_` ...): tried where the separator follows a known
    ending; a plain search for each separator, so a text costs a few hundred instructions per separator."""
    endings = p.SEPARATOR_PREFIXES[separator]
    at = text.find(separator, 2)
    while at >= 0:
        lengths = endings.get(text[at - 2:at])
        if lengths is not None:
            for length in lengths:
                if at >= length:
                    _key_at(text, at - length, hits)
        at = text.find(separator, at + 1)


def literal_keys(text: str, literal: str, hits: list[Hit]) -> None:
    at = text.find(literal)
    while at >= 0:
        _key_at(text, at, hits)
        at = text.find(literal, at + 1)


def aws_secret(text: str, hits: list[Hit]) -> None:
    """An AWS secret access key: 40 characters assigned to `aws_secret_access_key` or `SecretAccessKey`."""
    for match in p.AWS_SECRET.finditer(text):
        value = match.group(1)
        fake = p.looks_fake(value) or _classes(value) < 3
        hits.append(Hit("SEC001", match.start(1), match.end(1), value,
                        f"AWS secret access key `{p.mask(value)}`", not fake, "aws"))


def _classes(text: str) -> int:
    """How many of upper-case letters, lower-case letters and digits a text holds."""
    return (any(c.isupper() for c in text) + any(c.islower() for c in text)
            + any(c.isdigit() for c in text))


def pem(text: str, hits: list[Hit]) -> None:
    for match in p.PEM_RE.finditer(text):
        kind = match.group(1)
        end_marker = f"-----END {kind}-----"
        end = text.find(end_marker, match.end())
        stop = len(text) if end < 0 else end + len(end_marker)
        body = p.PEM_BODY_LINE.sub("", text[match.end():stop if end < 0 else end]).replace("\\n", "\n")
        material = sum(len(run) for run in p.BASE64_CHARS.findall(body))
        # Real key material is long base64; documentation writes `...`, `<your key>` or a few characters.
        real = material >= 64 and not p.PEM_PLACEHOLDER.search(body)
        encrypted = " (encrypted)" if "ENCRYPTED" in kind or "ENCRYPTED" in body else ""
        hits.append(Hit("SEC002", match.start(), stop, text[match.start():stop],
                        f"private key block `-----BEGIN {kind}-----` with {material:,} characters of key "
                        f"material{encrypted}", real))


def _b64json(segment: str) -> Any:
    try:
        return orjson.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        return None


def jwt(text: str, hits: list[Hit]) -> None:
    for match in p.JWT_RE.finditer(text):
        token = match.group()
        header_part, payload_part, _ = token.split(".", 2)
        header, payload = _b64json(header_part), _b64json(payload_part)
        if not isinstance(header, dict) or not ("alg" in header or "typ" in header):
            continue
        claims = sorted(payload)[:6] if isinstance(payload, dict) else []
        # jwt.io's sample token (sub 1234567890, name John Doe) is in every tutorial: documentation.
        sample = isinstance(payload, dict) and payload.get("sub") == "1234567890"
        alg = header.get("alg")
        detail = f" (alg {alg}" + (f"; claims {', '.join(map(str, claims))})" if claims else ")")
        hits.append(Hit("SEC003", match.start(), match.end(), token,
                        f"JSON Web Token `{p.mask(token, 6)}`{detail}", not sample))


def url_credentials(text: str, hits: list[Hit]) -> None:
    for match in p.URL_CREDENTIALS.finditer(text):
        scheme, user, password, host = match.groups()
        fake = p.placeholder_password(password, user) or bool(p.DOCUMENTATION_HOSTS.search(host))
        hits.append(Hit("SEC004", match.start(), match.end(), password,
                        f"password in URL `{scheme}://{user}:****@{host}`", not fake))


def connection_strings(text: str, hits: list[Hit]) -> None:
    for match in p.CONNECTION_PASSWORD.finditer(text):
        key, value = match.group(1), match.group(2)
        fake = p.placeholder_password(value) or ("key" in key.lower() and len(value.strip("\"'")) < 20)
        hits.append(Hit("SEC004", match.start(), match.end(), value,
                        f"{key} in connection string `{key}={p.mask(value.strip(chr(34) + chr(39)), 2)}`", not fake))


def emails(text: str, hits: list[Hit]) -> None:
    for match in p.EMAIL_RE.finditer(text):
        local, domain, tld = match.groups()
        url_user = text[max(0, match.start() - 3):match.start()] == "://"
        real = tld.lower() not in p.NOT_TLDS and not url_user
        hits.append(Hit("SEC006", match.start(), match.end(), match.group(),
                        f"e-mail address `{local[0]}…@{domain}`", real, (local.lower(), domain.lower())))


def cards(text: str, lo: int, hi: int, hits: list[Hit]) -> None:
    for match in p.CARD_RE.finditer(text, lo, hi):
        value = match.group()
        digits = value.replace(" ", "").replace("-", "")
        if not 13 <= len(digits) <= 19 or len({c for c in value if not c.isdigit()}) > 1:
            continue
        brand = p.card_brand(digits)
        if brand and p.luhn(digits):
            # Written without separators, a number is a card only where a card is spoken of: seeds, ids and
            # sums are long Luhn-valid numbers one time in ten.
            grouped = len(digits) < len(value) or p.CARD_WORDS.search(text, max(0, match.start() - 60),
                                                                      match.start()) is not None
            real = (grouped and not any(digits.count(d * 6) for d in "0123456789")
                    and not _arithmetic(text, *match.span()))
            hits.append(Hit("SEC008", match.start(), match.end(), digits,
                            f"{brand} card number `{digits[:4]} … {digits[-4:]}` (passes the Luhn check)", real))


def _arithmetic(text: str, start: int, end: int) -> bool:
    """Whether a number is an operand of a sum: an operator between it and another number (`12 + 34`)."""
    before = text[max(0, start - 24):start].rstrip()
    if before[-1:] in _OPERATORS:
        operand = before[:-1].rstrip()[-1:]
        if operand.isdigit() or operand == ")":
            return True
    after = text[end:end + 24].lstrip()
    return after[:1] in _OPERATORS and after != "" and (after[1:].lstrip()[:1].isdigit() or after[1:].lstrip()[:1] == "(")


_OPERATORS = frozenset("+-*/=×÷^")


def iban(text: str, lo: int, hi: int, hits: list[Hit]) -> None:
    for match in p.IBAN_RE.finditer(text, lo, hi):
        country = match.group(1)
        length = p.IBAN_LENGTHS.get(country)
        if length is None:
            continue
        compact = match.group().replace(" ", "")
        if len(compact) < length:
            continue
        end, seen = match.start(), 0
        while seen < length:  # where the IBAN ends in the text (a following word may have been taken)
            seen += text[end] != " "
            end += 1
        if end < match.end() and text[end] != " ":
            continue
        if p.iban_valid(compact[:length]):
            hits.append(Hit("SEC009", match.start(), end, compact[:length],
                            f"IBAN `{compact[:4]} … {compact[length - 4:length]}` (passes the mod-97 check)"))


def phones(text: str, lo: int, hi: int, hits: list[Hit], international: bool) -> None:
    if not international:
        for match in p.NANP_RE.finditer(text, lo, hi):
            area, exchange = match.group(1) or match.group(3), match.group(2) or match.group(5)
            digits = area + exchange + match.group(6)
            fictional = ("555" in (area, exchange) or len(p._ASCENDING.findall(digits)) >= 2
                         or _arithmetic(text, *match.span()))
            hits.append(Hit("SEC007", match.start(), match.end(), digits,
                            f"phone number `({area}) … {match.group(6)}`", not fictional))
        return
    for match in p.INTL_PHONE_RE.finditer(text, lo, hi):
        digits = match.group(1) + "".join(c for c in match.group(2) if c.isdigit())
        separators = [c for c in match.group(2) if not c.isdigit()]
        if separators and set(separators) == {"."} and len(separators) < 3 or p.DATE_LIKE.match(match.group()):
            continue  # `+35236450.6` is a signed decimal number, `+1980-02-29` a date
        if not separators and (text[:match.start()].rstrip()[-1:] in ("=", "(", ",", "[") or set(digits) <= {"0", "1"}):
            continue  # `a = +4294967296`, `+10011010010`: a signed literal in code, not a phone
        # 9 to 15 digits (E.164); written without any separator, over 13 is a long number, not a phone.
        if 9 <= len(digits) <= (15 if separators else 13):
            operand = text[max(0, match.start() - 24):match.start()].rstrip()[-1:]  # `12\n+3456…` is a sum
            fictional = digits.startswith("1555") or operand.isdigit() or _arithmetic(text, *match.span())
            hits.append(Hit("SEC007", match.start(), match.end(), digits,
                            f"phone number `+{match.group(1)} … {digits[-4:]}`", not fictional))


def ips(text: str, lo: int, hi: int, hits: list[Hit], version: int) -> None:
    pattern = p.IPV4_RE if version == 4 else p.IPV6_RE
    for match in pattern.finditer(text, lo, hi):
        value = match.group()
        if p.CIDR_SUFFIX.match(text, match.end()) or version == 4 and (
                p.NOT_ADDRESS_BEFORE.search(text, max(0, match.start() - 12), match.start())
                or value.endswith(".0") or max(map(len, match.groups()[:3])) == 1):
            continue  # a version or section number (`8.2.4.44`); a network (`69.63.176.0/20`), not a host
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            continue
        # Global IPv6 unicast is 2000::/3; anything else written with `::` is a slice or a special address.
        public = address.is_global and (version == 4 or 0x2000 <= int(address) >> 112 <= 0x3FFF)
        shown = value.rsplit(".", 1)[0] + ".…" if version == 4 else value.rsplit(":", 2)[0] + ":…"
        hits.append(Hit("SEC010", match.start(), match.end(), value, f"IPv{version} address `{shown}`", public))
