"""Tables and patterns of the SEC secrets and personal-data rules; every regex is compiled at import.

- `PROVIDERS` is the provider table (data): one entry per key format, with the name a message gives it and
  how much of the key a message may show (its public prefix).
- The validators say when a match is real: a key body that is not a placeholder, a card number passing
  Luhn, an IBAN passing mod-97, an address that is globally routable.
- `mask` is the one way a message shows a secret: its public prefix, an ellipsis, its last four characters.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple


class Provider(NamedTuple):
    name: str  # what a message calls it
    id: str  # what `ignore-providers` names
    pattern: str  # the whole key, prefix included
    keep: int  # characters a message may show before the ellipsis (the documented prefix)


# Order matters where prefixes overlap: the first alternative matching at a position wins, so the specific
# `sk-ant-`/`sk-proj-` formats come before the generic `sk-` one.
PROVIDERS: tuple[Provider, ...] = (
    Provider("Anthropic API key", "anthropic", r"sk-ant-(?:api|admin|sid)\d\d-[A-Za-z0-9_-]{80,120}", 13),
    Provider("OpenAI project API key", "openai", r"sk-proj-[A-Za-z0-9_-]{40,200}", 8),
    Provider("OpenAI service-account key", "openai", r"sk-svcacct-[A-Za-z0-9_-]{40,200}", 11),
    Provider("OpenAI admin key", "openai", r"sk-admin-[A-Za-z0-9_-]{40,200}", 9),
    Provider("OpenRouter API key", "openrouter", r"sk-or-v1-[a-f0-9]{64}", 9),
    Provider("OpenAI-format API key (`sk-`)", "openai", r"sk-[A-Za-z0-9]{20,160}", 3),
    Provider("AWS access key ID", "aws", r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", 4),
    Provider("GitHub personal access token", "github", r"ghp_[A-Za-z0-9]{36}", 4),
    Provider("GitHub OAuth token", "github", r"gho_[A-Za-z0-9]{36}", 4),
    Provider("GitHub app token", "github", r"gh[us]_[A-Za-z0-9]{36}", 4),
    Provider("GitHub refresh token", "github", r"ghr_[A-Za-z0-9]{36,76}", 4),
    Provider("GitHub fine-grained token", "github", r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", 11),
    Provider("GitLab access token", "gitlab", r"glpat-[A-Za-z0-9_-]{20}", 6),
    Provider("Slack token", "slack", r"xox[abposre]-\d{6,}-[A-Za-z0-9-]{10,}", 5),
    Provider("Slack app token", "slack", r"xapp-\d-[A-Z0-9]{9,}-\d{9,}-[a-f0-9]{32,}", 5),
    Provider("Slack webhook URL", "slack", r"https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}",
             33),
    Provider("Google API key", "google", r"AIza[0-9A-Za-z_-]{35}", 4),
    Provider("Google OAuth client secret", "google", r"GOCSPX-[A-Za-z0-9_-]{28}", 7),
    Provider("Stripe live secret key", "stripe", r"[sr]k_live_[0-9A-Za-z]{24,99}", 8),
    Provider("Stripe test-mode secret key", "stripe-test", r"[sr]k_test_[0-9A-Za-z]{24,99}", 8),
    Provider("Stripe webhook secret", "stripe", r"whsec_[A-Za-z0-9]{32,}", 6),
    Provider("Hugging Face token", "huggingface", r"hf_[A-Za-z0-9]{34,40}", 3),
    Provider("Hugging Face organization token", "huggingface", r"api_org_[A-Za-z0-9]{34}", 8),
    Provider("Groq API key", "groq", r"gsk_[A-Za-z0-9]{52}", 4),
    Provider("Replicate API token", "replicate", r"r8_[A-Za-z0-9]{37}", 3),
    Provider("npm access token", "npm", r"npm_[A-Za-z0-9]{36}", 4),
    Provider("PyPI upload token", "pypi", r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}", 5),
    Provider("SendGrid API key", "sendgrid", r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}", 3),
    Provider("Shopify access token", "shopify", r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", 6),
    Provider("DigitalOcean token", "digitalocean", r"do[opr]_v1_[a-f0-9]{64}", 7),
    Provider("Mailgun API key", "mailgun", r"key-[0-9a-f]{32}", 4),
)

# One alternation of the whole table, each entry a named group `k<index>`; a key is a whole token.
PROVIDER_RE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:"
    + "|".join(f"(?P<k{i}>{p.pattern})" for i, p in enumerate(PROVIDERS))
    + r")(?![A-Za-z0-9_-])"
)

# Where a key can start, found cheaply: at each `-` or `_` of a text (found by memchr), the two characters
# before it name the lengths of the prefixes ending there (`sk-` and `key-` end in `sk`/`ey` ...); the
# provider table then decides. The alternative, one regex for all prefixes, scans every character.
SEPARATOR_PREFIXES: dict[str, dict[str, tuple[int, ...]]] = {
    "-": {"sk": (2,), "xa": (4,), "xb": (4,), "xp": (4,), "xo": (4,), "xs": (4,), "xr": (4,), "xe": (4,),
          "pp": (4,), "at": (5,), "pi": (4,), "PX": (6,), "ey": (3,)},
    "_": {"sk": (2, 3), "rk": (2,), "ec": (5,), "hp": (3,), "ho": (3,), "hu": (3,), "hs": (3,), "hr": (3,),
          "ub": (6,), "hf": (2,), "pi": (3,), "r8": (2,), "pm": (3,), "at": (5,), "ca": (5,), "pa": (5,),
          "ss": (5,), "op": (3,), "or": (3,)},
}
AWS_SECRET = re.compile(
    r"(?i:aws_?secret_?access_?key|secretaccesskey)[\"']?\s*(?::=|=>|[:=])\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
)
# A text's digit shape, position for position (for ASCII text): digits as `9`, spaces and hyphens as `-`,
# `.`, `+` and `:` kept, everything else a space. The number rules search only around what these find.
DIGIT_SHAPE = bytes(57 if 48 <= c <= 57 else 45 if c in b" -" else c if c in b".+:" else 32 for c in range(256))
NOT_NUMERIC = bytes(c for c in range(256) if not (48 <= c <= 57 or c in b" -.+:\t\n"))  # deleted for gating
GROUPED_DIGITS = re.compile(rb"999(?:[-.]9999|9999)")  # cards, IBANs, national phone numbers
INTERNATIONAL_DIGITS = re.compile(rb"\+9[9.-]{8}")
DOTTED_DIGITS = re.compile(rb"9\.9+\.9+\.9")  # IPv4
COMPRESSED_IPV6 = re.compile(rb"::")
DIGITS = "0123456789"

# -- secrets with a structure -------------------------------------------------------------------------
PEM_RE = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
PEM_BODY_LINE = re.compile(r"^(?:Proc-Type|DEK-Info|Comment|Version|Hash)\s*:.*$", re.MULTILINE)
BASE64_CHARS = re.compile(r"[A-Za-z0-9+/=]+")
PEM_PLACEHOLDER = re.compile(r"\.\.\.|…|<|>|(?i:your|example|xxxx|placeholder|redacted|key here|base64)")
JWT_RE = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}"
                    r"(?![A-Za-z0-9_.-])")
URL_CREDENTIALS = re.compile(
    r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,30})://([^\s:/@'\"<>]*):([^\s/'\"<>]+)@"
    r"([A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:]+\])"
)
CONNECTION_GATE = re.compile(  # `=` first: a fast literal scan, the key names checked behind it
    r"=(?:(?<=(?i:password)=)|(?<=(?i:passwd)=)|(?<=(?i:pwd)=)|(?<=(?i:accountkey)=)|(?<=(?i:sharedaccesskey)=))"
)
# `Password=…;` in ADO.NET/ODBC/JDBC connection strings and `&password=…` in URLs: the key preceded by `;`,
# `?` or `&`, or its value followed by `;` (code such as `password = "…"` is SEC005's business).
CONNECTION_PASSWORD = re.compile(
    r"(?i)(?:(?<=[;?&])\s*|(?<![A-Za-z0-9_])(?=[a-z]+=[^;&\s'\"]+;))"
    r"(password|pwd|passwd|accountkey|sharedaccesskey)=([^;&\s'\"]+)"
)
# A secret-named field, variable, header or flag with its value: `api_key = "…"`, `"password": "…"`,
# `Authorization: Bearer …`, `--token …`. The name may be quoted or carry a prefix (`OPENAI_API_KEY`).
SECRET_ASSIGNMENT = re.compile(
    r"(?i)(?<![A-Za-z0-9])([A-Za-z0-9_.-]{0,30}?"
    r"(?:api[_.-]?key|apikey|secret|token|passw(?:or)?d|pwd|access[_.-]?key|private[_.-]?key|credential"
    r"|auth(?:orization)?|bearer)[A-Za-z0-9_]{0,20})"
    r"(?:[\"']?\s*(?::=|=>|[:=])\s*|\s+)(?:bearer\s+|basic\s+|token\s+)?"
    r"(\"[^\"\n]{8,200}\"|'[^'\n]{8,200}'|`[^`\n]{8,200}`|[A-Za-z0-9_+/=.~-]{8,200})"
)


def has_secret_word(text: str) -> bool:
    """Whether a text holds a word every secret name holds (`SECRET_WORD`, lower-cased): substring checks
    on one lower-cased copy, about ten times faster than searching with the pattern."""
    low = text.lower()
    return ("key" in low or "token" in low or "secret" in low or "passw" in low or "auth" in low or "pwd" in low
            or "bearer" in low or "credential" in low)


# The name part of SECRET_ASSIGNMENT alone, found first: the assignment is then matched only around it.
SECRET_WORD = re.compile(r"(?i)key|secret|token|passw|pwd|credential|auth|bearer")
SECRET_NAME = re.compile(
    r"(?i)api[_.-]?key|apikey|secret|token|passw(?:or)?d|pwd|access[_.-]?key|private[_.-]?key|credential|auth"
)
# Names that only refer to a secret: its id, name, file, variable, lifetime (`private_key_id`, `token_ttl`).
NOT_SECRET_NAME = re.compile(r"(?i)(?:_?id|_?name|_?type|_?url|_?uri|_?path|_?file|_?env|_?var|_?ttl|_?length|_?count"
                             r"|_?method|_?endpoint|_?header)$")
# The words and numbers of an identifier: `oauth2_client_credentials`, `getUserProfileById2`.
WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
# A token followed by a dot and more token characters is a part of a dotted whole (a JWT, a host name).
BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_+/=.-])[A-Za-z0-9_+/=-]{24,200}(?!\.?[A-Za-z0-9_+/=-])")

# -- personal data --------------------------------------------------------------------------------------
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63}[A-Za-z0-9_%+-])?)@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24}))(?![A-Za-z0-9-]|\.[A-Za-z0-9])"
)
# File extensions that look like top-level domains in `icon@2x.png`, `logo@3x.webp`.
NOT_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "ts", "tsx",
                      "jsx", "json", "txt", "md", "pdf", "zip", "gz", "tar", "html", "htm", "xml", "yml",
                      "yaml", "csv", "mp3", "mp4", "wav", "lock", "exe", "dll", "so", "map"})
IPV4_RE = re.compile(r"(?<![A-Za-z0-9.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9]|\.[A-Za-z0-9]|[A-Za-z_-])")
IPV6_RE = re.compile(r"(?<![A-Za-z0-9:.])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{3,39}(?![A-Za-z0-9:.])")
# Words before a dotted quad that make it a version or a section number, not an address.
NOT_ADDRESS_BEFORE = re.compile(
    r"(?i)(?:\bv|version|ver\.?|release|build|firmware|python|node|java|chrome|android|ios|section|§|chapter"
    r"|clause|article|step|rule|\boid|identifier|==|>=|<=|~=|@)[\s\"'(=:]*$"
)
DATE_LIKE = re.compile(r"\+?\d{4}-\d\d-\d\d")
# Words that make a run of digits without separators a card number (seeds and ids are not spoken of so).
CARD_WORDS = re.compile(r"(?i)card|visa|master|amex|american express|discover|jcb|unionpay|credit|debit|pay|paid"
                        r"|charg|billing|checkout|cvv|cvc|expir|\bcc\b|\bpan\b")
CARD_RE = re.compile(r"(?<![0-9A-Za-z.,-])\d{4}(?:[ -]?\d{2,7}){2,4}(?![0-9A-Za-z]|[.,-]\d)")
# North American numbers: `(415) 867-5309`, or three groups with one separator throughout (`415.867.5309`).
# A digit group just before or after (`2.002 319 304 3622`, a physical constant) makes it another number.
NANP_RE = re.compile(
    r"(?<![0-9A-Za-z+.-])(?<!\d[ .-])(?:\+1[ .-]?|1[ -])?"
    r"(?:\(([2-9]\d\d)\) ?([2-9]\d\d)[ .-]|([2-9]\d\d)([ .-])([2-9]\d\d)\4)(\d{4})"
    r"(?![0-9A-Za-z]|[ .-]?\d)"
)
INTL_PHONE_RE = re.compile(r"(?<![0-9A-Za-z])\+([1-9]\d{0,2})((?:[ .-]?\(?\d{1,5}\)?){2,7})(?![0-9A-Za-z]|[.-]\d)")
IBAN_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})(\d\d)((?: ?[A-Z0-9]){10,30})(?![A-Za-z0-9])")

# Length of an IBAN per country (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    code: int(length) for code, length in (item.split(":") for item in (  # noqa: SIM905 - a table, one string
        "AD:24 AE:23 AL:28 AT:20 AZ:28 BA:20 BE:16 BG:22 BH:22 BR:29 BY:28 CH:21 CR:22 CY:28 CZ:24 DE:22 "
        "DK:18 DO:28 EE:20 EG:29 ES:24 FI:18 FO:18 FR:27 GB:22 GE:22 GI:23 GL:18 GR:27 GT:28 HR:21 HU:28 "
        "IE:22 IL:23 IQ:23 IS:26 IT:27 JO:30 KW:30 KZ:20 LB:28 LC:32 LI:21 LT:20 LU:20 LV:21 MC:27 MD:24 "
        "ME:22 MK:19 MR:27 MT:31 MU:30 NL:18 NO:15 PK:24 PL:28 PS:29 PT:25 QA:29 RO:24 RS:22 SA:24 SC:31 "
        "SE:24 SI:19 SK:24 SM:27 ST:25 SV:28 TL:23 TN:24 TR:26 UA:29 VA:22 VG:24 XK:20"
    ).split())
}

CIDR_SUFFIX = re.compile(r"/\d{1,2}(?![0-9])")

# -- placeholders -----------------------------------------------------------------------------------------
# A key body containing one of these was written by a person, not generated: `sk-YOUR_KEY_HERE…`,
# AWS's documented `AKIAIOSFODNN7EXAMPLE`, `sk-xxxxxxxx…`, `sk-abc123def456…`.
_FAKE_WORDS = re.compile(
    r"(?i)example|sample|placeholder|your|dummy|fake|redacted|replace|insert|changeme|here|secret|token"
    r"|apikey|api_key|passw|admin|login|xxxx|\*\*\*|\.\.\.|…|<|>|\{|\}|\$|qwerty|abcdef|123456|(.)\1{4}"
)
_ASCENDING = re.compile(r"(?i)abc|bcd|cde|def|efg|fgh|ghi|hij|ijk|jkl|klm|lmn|mno|nop|opq|pqr|qrs|rst|stu"
                        r"|tuv|uvw|vwx|wxy|xyz|012|123|234|345|456|567|678|789")
# Real keys published in providers' documentation for everyone to use (Stripe's test-mode sample keys).
# GitHub's documentation shows one token in every example of its REST API.
DOCUMENTED_KEYS = frozenset({"sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
                             "pk_test_TYooMQauvdEDq54NiTphI7jx", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"})
PLACEHOLDER_PASSWORDS = frozenset({
    "pass", "pw", "pwd", "passwd", "password", "pass123", "pass1234", "secret", "changeme", "user", "admin",
    "root", "test", "guest", "demo", "sample", "x", "xx", "xxx", "p", "1234", "12345", "123456", "12345678",
    "qwerty", "letmein", "foo", "bar", "foobar", "mypass", "token", "apikey", "api_key", "key", "null", "none",
    "hunter2", "s3cr3t", "p@ssw0rd", "p@ssword", "passw0rd",
})
_PLACEHOLDER_PASSWORD = re.compile(
    r"(?i)password|passwd|your|example|changeme|placeholder|redacted|secret|foo|bar|baz|^[*x•.#_-]+$|^[<\[{$%]|[>\]}]$"
    r"|\$\{|\{\{|%s|\.\.\."
)
# Hosts whose credentials are tutorial stand-ins: reserved documentation names and the local machine.
DOCUMENTATION_HOSTS = re.compile(
    r"(?i)(?:^|\.)(?:example(?:\.(?:com|org|net|edu))?|test|invalid|localhost)$|^(?:127\.0\.0\.1|0\.0\.0\.0|\[::1\])$"
)


def unescape_breaks(text: str) -> str:
    """The text with the escapes `\\n`, `\\r` and `\\t` written out as blanks of the same length.

    A JSON document held in a string (tool-call arguments, a pasted `.json` file) writes its line breaks
    as a backslash and a letter, and the letter would glue itself to a key on the next line
    (`\\nghp_…` is no token boundary). Lengths are kept, so positions stay those of the original text."""
    if "\\" not in text:
        return text
    return text.replace("\\n", " \n").replace("\\r", "  ").replace("\\t", "  ")


def looks_fake(body: str) -> bool:
    """Whether a key body (the part after the provider prefix) is a placeholder rather than generated.

    Generated keys are random: they never spell words such as `YOUR` or `EXAMPLE`, never repeat a character
    five times, and rarely hold two ascending runs such as `abc` and `123`.
    """
    if _FAKE_WORDS.search(body):
        return True
    if len(_ASCENDING.findall(body)) >= 2:
        return True
    return len(set(body)) < min(10, len(body) // 2)


def placeholder_password(password: str, user: str = "") -> bool:
    """Whether a password in a URL or connection string is a stand-in (`password`, `${DB_PASS}`, `****`)."""
    lowered = password.strip("\"'`").lower()
    return (
        lowered in PLACEHOLDER_PASSWORDS
        or lowered == user.lower()
        or bool(_PLACEHOLDER_PASSWORD.search(lowered))
        or (lowered.isdigit() and len(_ASCENDING.findall(lowered)) >= 2)
    )


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    size = len(text)
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def mask(value: str, keep: int = 4) -> str:
    """The value as a message may show it: `keep` leading characters, an ellipsis, the last four.

    Short values keep less, so that at least half of any value is hidden.
    """
    keep = min(keep, max(len(value) // 4, 1)) if len(value) < 2 * keep + 8 else keep
    tail = 4 if len(value) >= 16 else 0
    return f"{value[:keep]}…{value[-tail:] if tail else ''}"


def redacted(text: str, spans: list[tuple[int, int]]) -> str:
    """The text to show beside a finding: from a little before the first span on, every span masked.

    The engine shows the start of the field's text beside a finding; a secret rule gives it this instead,
    so no output format (text, JSON, SARIF ...) carries a secret whole."""
    spans = sorted(spans)
    parts: list[str] = []
    at = max(0, spans[0][0] - 40)
    if at:
        parts.append("…")
    for start, end in spans:
        if start < at:
            continue
        parts.append(text[at:start])
        parts.append(mask(text[start:end]))
        at = end
    parts.append(text[at:])
    return "".join(parts)


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The card network a number's prefix and length belong to (None: no network issues such numbers)."""
    size, two, four = len(digits), int(digits[:2]), int(digits[:4])
    if digits[0] == "4" and size in (16, 19):  # 13-digit Visa numbers are no longer issued
        return "Visa"
    if (51 <= two <= 55 or 2221 <= four <= 2720) and size == 16:
        return "Mastercard"
    if two in (34, 37) and size == 15:
        return "American Express"
    if (four == 6011 or two == 65 or 644 <= int(digits[:3]) <= 649) and 16 <= size <= 19:
        return "Discover"
    if 3528 <= four <= 3589 and 16 <= size <= 19:
        return "JCB"
    if (300 <= int(digits[:3]) <= 305 or two in (36, 38)) and 14 <= size <= 19:
        return "Diners Club"
    if two == 62 and 16 <= size <= 19:
        return "UnionPay"
    return None


def iban_valid(compact: str) -> bool:
    """ISO 13616: the country's length, and the number mod 97 is 1 (letters count as 10 to 35)."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1
