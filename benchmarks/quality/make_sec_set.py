"""Build the labelled set of the SEC secrets and personal-data rules (SEC001-SEC010): SEC-secrets.jsonl.

    python benchmarks/quality/make_sec_set.py      # rewrites benchmarks/quality/SEC-secrets.jsonl

EVERY SECRET AND EVERY PERSONAL DATUM IN THE OUTPUT IS FAKE: random characters in the right shape, drawn
from `random.Random(SEED)`, so the file is the same on every run and holds no real credential. Numbers
that must pass a checksum (cards: Luhn, IBANs: mod-97) are random too, completed with a valid check digit.
To keep secret scanners quiet where the format allows it, OpenAI-style keys carry no `T3BlbkFJ` marker,
GitHub tokens no valid checksum, and Stripe keys are test-mode (`sk_test_`); live-mode keys are built at
test time only (tests/rules/test_sec_secrets.py).

Cases come in two groups written apart: the tuning cases, and a held-out group (`"heldout": true`) with
its own wording and contexts, evaluated only at the end. Each record is in one of the three formats
(Alpaca, chat `messages`, ShareGPT `conversations`), some with tool calls or several turns.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = 20240611
OUT = Path(__file__).resolve().parent / "SEC-secrets.jsonl"
rng = random.Random(SEED)
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"


def rnd(size: int, alphabet: str = ALNUM) -> str:
    while True:  # random keys mix classes; redraw the rare draw without a digit (it would look made up)
        value = "".join(rng.choice(alphabet) for _ in range(size))
        if any(c.isdigit() for c in value) or not any(c.isdigit() for c in alphabet):
            return value


# -- fake secrets in the providers' shapes -----------------------------------------------------------------
KEYS: dict[str, Callable[[], str]] = {
    "OpenAI legacy key": lambda: "sk-" + rnd(48),
    "OpenAI project key": lambda: "sk-proj-" + rnd(rng.choice((56, 74, 132)), URLSAFE),
    "OpenAI service-account key": lambda: "sk-svcacct-" + rnd(64, URLSAFE),
    "Anthropic key": lambda: "sk-ant-api03-" + rnd(93, URLSAFE),
    "OpenRouter key": lambda: "sk-or-v1-" + rnd(64, HEX),
    "DeepSeek-style sk- key": lambda: "sk-" + rnd(32, HEX),
    "AWS access key ID": lambda: "AKIA" + rnd(16, string.ascii_uppercase + "234567"),
    "GitHub PAT": lambda: "ghp_" + rnd(36),
    "GitHub OAuth token": lambda: "gho_" + rnd(36),
    "GitHub fine-grained PAT": lambda: "github_pat_" + rnd(22) + "_" + rnd(59),
    "GitLab PAT": lambda: "glpat-" + rnd(20, URLSAFE),
    "Slack bot token": lambda: f"xoxb-{rnd(12, string.digits)}-{rnd(13, string.digits)}-{rnd(24)}",
    "Slack user token": lambda: f"xoxp-{rnd(12, string.digits)}-{rnd(12, string.digits)}-{rnd(13, string.digits)}-{rnd(32, HEX)}",
    "Slack webhook": lambda: f"https://hooks.slack.com/services/T{rnd(8, string.ascii_uppercase + string.digits)}/B{rnd(10, string.ascii_uppercase + string.digits)}/{rnd(24)}",
    "Google API key": lambda: "AIza" + rnd(35, URLSAFE),
    "Google OAuth client secret": lambda: "GOCSPX-" + rnd(28, URLSAFE),
    "Stripe test secret key": lambda: "sk_test_" + rnd(rng.choice((24, 99))),
    "Stripe restricted test key": lambda: "rk_test_" + rnd(24),
    "Stripe webhook secret": lambda: "whsec_" + rnd(32),
    "Hugging Face token": lambda: "hf_" + rnd(34, string.ascii_letters),
    "Groq key": lambda: "gsk_" + rnd(52),
    "Replicate token": lambda: "r8_" + rnd(37),
    "npm token": lambda: "npm_" + rnd(36),
    "PyPI token": lambda: "pypi-AgEIcHlwaS5vcmc" + rnd(60, URLSAFE),
    "SendGrid key": lambda: f"SG.{rnd(22, URLSAFE)}.{rnd(43, URLSAFE)}",
    "Shopify token": lambda: "shpat_" + rnd(32, HEX),
    "DigitalOcean token": lambda: "dop_v1_" + rnd(64, HEX),
    "Mailgun key": lambda: "key-" + rnd(32, HEX),
}


def aws_secret() -> str:
    return rnd(40, B64)


def b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def jwt(alg: str = "HS256", **claims: Any) -> str:
    claims = claims or {"sub": f"user_{rng.randint(1000, 99999)}", "iat": rng.randint(1600000000, 1760000000)}
    signature = rnd({"HS256": 43, "RS256": 342, "ES256": 86}[alg], URLSAFE)
    return f"{b64url({'alg': alg, 'typ': 'JWT'})}.{b64url(claims)}.{signature}"


def pem(kind: str = "RSA PRIVATE KEY", lines: int = 6, escaped: bool = False) -> str:
    body = [rnd(64, B64) for _ in range(lines)] + [rnd(rng.randint(20, 60), B64) + "=="]
    sep = "\\n" if escaped else "\n"
    return sep.join([f"-----BEGIN {kind}-----", *body, f"-----END {kind}-----"])


def luhn_complete(prefix: str, length: int) -> str:
    digits = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for check in string.digits:
        number = digits + check
        total = 0
        for index, char in enumerate(reversed(number)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError


def card(brand: str) -> str:
    prefix, length = {"visa": ("4" + rng.choice("0123456789"), 16), "mastercard": ("5" + rng.choice("12345"), 16),
                      "amex": (rng.choice(("34", "37")), 15), "discover": ("6011", 16), "jcb": ("3530", 16),
                      "unionpay": ("62", 16), "mastercard2": ("2221", 16)}[brand]
    return luhn_complete(prefix, length)


def group(number: str, sep: str = " ") -> str:
    if len(number) == 15:
        return sep.join((number[:4], number[4:10], number[10:]))
    return sep.join(number[i:i + 4] for i in range(0, len(number), 4))


IBAN_FORMATS = {"DE": "n18", "GB": "a4n14", "FR": "n10a11n2", "NL": "a4n10", "ES": "n20", "IT": "a1n10a12",
                "CH": "n17", "BE": "n12", "PL": "n24", "AT": "n16", "SE": "n20", "IE": "a4n14"}


def iban(country: str) -> str:
    """A random BBAN in the country's layout (`n` digits, `a` capitals), with valid check digits."""
    bban = ""
    for kind, size in re.findall(r"([an])(\d+)", IBAN_FORMATS[country]):
        bban += "".join(rng.choice(string.digits if kind == "n" else string.ascii_uppercase) for _ in range(int(size)))
    numeric = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - numeric % 97:02d}{bban}"


def spaced(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def public_ip() -> str:
    while True:
        first = rng.choice((23, 31, 37, 45, 51, 62, 77, 81, 89, 93, 104, 109, 141, 151, 176, 185, 195, 212, 217))
        address = f"{first}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"
        if address not in ("1.2.3.4",):
            return address


def phone_nanp(style: int) -> str:
    area, exchange, line = rng.choice(("415", "212", "617", "312", "646", "702", "917", "503")), \
        str(rng.randint(201, 989)).replace("555", "556"), f"{rng.randint(0, 9999):04d}"
    return [f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
            f"+1 {area} {exchange} {line}", f"1-{area}-{exchange}-{line}"][style % 5]


def phone_intl() -> str:
    return rng.choice((
        f"+44 20 {rng.randint(3000, 8999)} {rng.randint(1000, 9999)}",
        f"+49 30 {rng.randint(1000000, 9999999)}",
        f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        f"+91 {rng.randint(70000, 99999)} {rng.randint(10000, 99999)}",
        f"+81 3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"+61 4{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        f"+55 11 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"+34 6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
    ))


FIRST = ["maria", "jamal", "wei", "olga", "priya", "tom", "lucia", "kenji", "amara", "sven", "fatima", "diego"]
LAST = ["gonzalez", "okafor", "zhang", "petrova", "sharma", "becker", "rossi", "tanaka", "diallo", "lind"]
MAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "protonmail.com", "acmecorp.io", "unimelb.edu.au",
                "web.de", "hotmail.fr", "icloud.com", "stanfordalumni.org"]


def email() -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice((f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first[0]}{last}", f"{last}.{first}"))
    return f"{local}@{rng.choice(MAIL_DOMAINS)}"


# -- records in the three formats ----------------------------------------------------------------------------
def alpaca(instruction: str, output: str, inp: str = "") -> dict[str, Any]:
    return {"instruction": instruction, "input": inp, "output": output}


def chat(*turns: str, system: str | None = None) -> dict[str, Any]:
    messages = [{"role": "system", "content": system}] if system else []
    roles = ("user", "assistant")
    messages += [{"role": roles[i % 2], "content": text} for i, text in enumerate(turns)]
    return {"messages": messages}


def sharegpt(*turns: str) -> dict[str, Any]:
    roles = ("human", "gpt")
    return {"conversations": [{"from": roles[i % 2], "value": text} for i, text in enumerate(turns)]}


def tool_call(user: str, name: str, arguments: dict[str, Any], result: str, answer: str) -> dict[str, Any]:
    return {"messages": [
        {"role": "user", "content": user},
        {"role": "assistant", "content": None, "tool_calls": [{"id": f"call_{rnd(8)}", "type": "function",
                                                                "function": {"name": name, "arguments": json.dumps(arguments)}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": result},
        {"role": "assistant", "content": answer},
    ]}


def any_format(user: str, answer: str, inp: str = "") -> dict[str, Any]:
    """The same exchange in a randomly chosen format (input folded into the user turn outside Alpaca)."""
    choice = rng.randrange(3)
    if choice == 0:
        return alpaca(user, answer, inp)
    text = f"{user}\n\n{inp}" if inp else user
    return chat(text, answer) if choice == 1 else sharegpt(text, answer)


CASES: list[dict[str, Any]] = []


def add(rule: str, label: bool, record: dict[str, Any], why: str, heldout: bool = False) -> None:
    case: dict[str, Any] = {"rule": rule, "label": label, "record": record, "why": why}
    if heldout:
        case["heldout"] = True
    CASES.append(case)


# == tuning cases =============================================================================================
def provider_keys() -> None:
    """SEC001 positives: every provider, in code, configs, prose, tool calls and several formats."""
    contexts: list[Callable[[str], dict[str, Any]]] = [
        lambda k: alpaca("Why does my script fail with a 401?", "The key is probably revoked; create a new one.",
                         f'import openai\nclient = openai.OpenAI(api_key="{k}")\nprint(client.models.list())'),
        lambda k: alpaca("Show how to set the API key on Linux.", f"Run this in your shell:\n\nexport API_KEY={k}\n\nThen restart the app."),
        lambda k: chat(f"my token {k} stopped working this morning, any idea?", "Tokens expire or get revoked; check the dashboard."),
        lambda k: chat("Write a .env file for the service.", f"```\nDEBUG=false\nSERVICE_TOKEN={k}\nLOG_LEVEL=info\n```"),
        lambda k: sharegpt(f"Here is my config.yaml:\n\nprovider:\n  name: default\n  key: {k}\n  timeout: 30\n\nwhat's wrong with it?", "The indentation is fine; the key looks revoked."),
        lambda k: sharegpt("How do I call the API with curl?", f'curl https://api.service.io/v1/items \\\n  -H "Authorization: Bearer {k}"'),
        lambda k: tool_call("Deploy the model to the cloud.", "deploy", {"model": "llama-3-8b", "token": k}, '{"status": "ok"}', "Deployed."),
        lambda k: alpaca("Convert the settings to JSON.", json.dumps({"region": "eu-west-1", "credentials": {"key": k}}, indent=2),
                         f"region = eu-west-1\nkey = {k}"),
        lambda k: chat("Fix the bug.", "Sure, what's the code?", f"Here:\n{k}\nis read from the config but the client ignores it", "Pass it to the constructor explicitly."),
        lambda k: alpaca("Summarise the incident report.", "A credential was exposed in a public repository.",
                         f"At 09:14 an engineer pushed a commit containing the credential ({k}) to a public fork."),
    ]
    for index, (name, make) in enumerate(KEYS.items()):
        for offset in (0, 5):
            context = contexts[(index + offset) % len(contexts)]
            add("SEC001", True, context(make()), f"FAKE {name} (random characters, seed {SEED})")
    key_id, secret = KEYS["AWS access key ID"](), aws_secret()
    add("SEC001", True, alpaca("What is wrong with my AWS credentials file?", "The profile name is misspelled.",
                               f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"),
        "FAKE AWS key pair in a credentials file (both reported)")
    add("SEC001", True, chat("Parse this STS response.", json.dumps({"Credentials": {"AccessKeyId": "ASIA" + rnd(16, string.ascii_uppercase + "234567"),
                                                                                  "SecretAccessKey": aws_secret(), "Expiration": "2024-06-11T12:00:00Z"}})),
        "FAKE temporary AWS credentials (ASIA id, camel-case SecretAccessKey) in an assistant turn")


def provider_key_lookalikes() -> None:
    """Hard negatives for SEC001/SEC005: placeholders, documented examples, words and ids shaped like keys."""
    texts = [
        ("client = OpenAI(api_key=\"sk-...\")", "the ellipsis placeholder of OpenAI's docs"),
        ("export OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "x-filled placeholder"),
        ("export OPENAI_API_KEY=sk-YOUR_API_KEY_HERE_1234567890abcdefghij", "YOUR_API_KEY_HERE placeholder"),
        ("api_key = \"sk-proj-****************************************************\"", "starred placeholder"),
        ("Set `ANTHROPIC_API_KEY=sk-ant-api03-...` in your environment.", "truncated Anthropic prefix"),
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
         "AWS's documented example key pair"),
        ("token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "GitHub x placeholder"),
        ("Generate a token (it starts with `ghp_`) and paste it below.", "prefix mentioned in prose"),
        ("HF_TOKEN=hf_YourTokenGoesHereReplaceThisValue1", "HF placeholder spelling words"),
        ("stripe.api_key = \"sk_test_...\"", "Stripe truncated placeholder"),
        ("Use xoxb-your-bot-token for the bot and xapp-your-app-token for socket mode.", "Slack placeholders"),
        ("key = \"AIzaSy...\" # your Google Maps key", "truncated Google key"),
        ("OPENAI_API_KEY=sk-abc123def456ghi789jkl012mno345pqr678stu901vwx", "hand-typed sequential fake key"),
        ("api_key=os.environ[\"OPENAI_API_KEY\"]", "read from the environment"),
        ("The scikit-learn package (sk-learn) has a great user guide.", "`sk-` inside a word"),
        ("We keep a task-list, a risk-register and a desk-booking sheet.", "hyphenated words"),
        ("Love you, see you tomorrow! xoxo-xoxo", "xoxo in a message"),
        ("from huggingface_hub import hf_hub_download\nhf_hub_download(repo_id=\"bert-base-uncased\", filename=\"config.json\")",
         "hf_ in an identifier"),
        ("commit 3f786850e387550fdab836ed7e6dc881de23001b\nAuthor: dev", "git SHA"),
        ("Request id: 123e4567-e89b-12d3-a456-426614174000", "UUID"),
        ("sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "sha256 hash"),
        ("The md5 of the file is d41d8cd98f00b204e9800998ecf8427e.", "md5 hash"),
        ("Encoded: SGVsbG8sIFdvcmxkISBUaGlzIGlzIGEgdGVzdCBzdHJpbmcu", "base64 text, no secret"),
        ("<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\">",
         "inline image"),
        ("Your confirmation code is K7P2-QX9M-4TRW.", "a confirmation code, too short for any key"),
        ("The Amazon key prefix AKIA marks long-term credentials; ASIA marks temporary ones.", "AWS prefixes in prose"),
        ("Tokens look like `xoxb-123456789012-123456789012-XXXXXXXXXXXXXXXXXXXXXXXX`.", "Slack documented placeholder"),
        ("Pin the image: python@sha256:4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0", "docker digest"),
        ("MAC 00:1A:2B:3C:4D:5E and serial SN-4820-XK-2291-PLM", "serial numbers"),
        ("Paste your key: sk-proj-<your-key-here>", "angle-bracket placeholder"),
    ]
    for number, (text, why) in enumerate(texts):
        rule = "SEC005" if number % 4 == 3 else "SEC001"
        record = [alpaca("Explain this line.", "It configures the client.", text), chat(text, "Noted."),
                  sharegpt(f"What does this mean?\n{text}", "It is an example.")][number % 3]
        add(rule, False, record, why)


def private_keys() -> None:
    kinds = ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
             "DSA PRIVATE KEY", "PGP PRIVATE KEY BLOCK"]
    for number, kind in enumerate(kinds):
        block = pem(kind, rng.randint(3, 12))
        record = [alpaca("Why does ssh say 'bad permissions'?", "Run chmod 600 on the key file.", f"$ cat ~/.ssh/id\n{block}"),
                  chat("Store this key in the vault for me:\n" + block, "Stored."),
                  sharegpt("Convert my key to PKCS#8.", f"Here it is:\n\n{block}\n\nKeep it private.")][number % 3]
        add("SEC002", True, record, f"FAKE {kind} block (random base64)")
    service_account = json.dumps({"type": "service_account", "project_id": "demo-481516", "private_key_id": rnd(40, HEX),
                                  "private_key": pem("PRIVATE KEY", 8) + "\n", "client_email": "svc@demo-481516.iam.gserviceaccount.com"})
    add("SEC002", True, alpaca("Load the service account.", "Use google.oauth2.service_account.", service_account),
        "FAKE key inside a service-account JSON (real line breaks)")
    add("SEC002", True, chat("Read the key from code.", 'KEY = "' + pem("RSA PRIVATE KEY", 5, escaped=True) + '"'),
        "FAKE key with literal \\n escapes inside a code string")
    negatives = [
        ("-----BEGIN PUBLIC KEY-----\n" + "\n".join(rnd(64, B64) for _ in range(4)) + "\n-----END PUBLIC KEY-----", "a public key"),
        ("-----BEGIN CERTIFICATE-----\n" + "\n".join(rnd(64, B64) for _ in range(6)) + "\n-----END CERTIFICATE-----", "a certificate"),
        ("-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----", "documentation ellipsis"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\n<paste your private key here>\n-----END OPENSSH PRIVATE KEY-----", "paste placeholder"),
        ("A PEM file starts with -----BEGIN PRIVATE KEY----- and ends with -----END PRIVATE KEY-----.", "markers in prose"),
        ("ssh-rsa " + rnd(372, B64) + " deploy@ci", "an SSH public key line"),
        ("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE...\n-----END EC PRIVATE KEY-----", "truncated example"),
        ("-----BEGIN CERTIFICATE REQUEST-----\n" + "\n".join(rnd(64, B64) for _ in range(5)) + "\n-----END CERTIFICATE REQUEST-----", "a CSR"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC002", False, any_format("What is this file?", "It is a PEM-encoded object.", text) if number % 2
            else chat(f"Explain:\n{text}", "It is PEM."), why)


def tokens() -> None:
    for number in range(9):
        alg = ("HS256", "RS256", "ES256")[number % 3]
        token = jwt(alg) if number % 2 else jwt(alg, sub=f"{rng.randint(10**5, 10**6)}", email=email(), role="admin",
                                                  exp=rng.randint(1700000000, 1900000000))
        contexts = [
            lambda t: alpaca("Why is the request rejected?", "The token is expired.", f"curl -H 'Authorization: Bearer {t}' https://api.internal/v1/me"),
            lambda t: chat("Decode this token for me.", f"Sure: {t} has three parts: header, payload and signature."),
            lambda t: sharegpt(f"document.cookie = \"session={t}; path=/\"", "That sets the session cookie."),
            lambda t: tool_call("Fetch my profile.", "http_get", {"url": "https://api.internal/me", "headers": {"Authorization": f"Bearer {t}"}},
                                '{"name": "x"}', "Done."),
        ]
        add("SEC003", True, contexts[number % 4](token), f"FAKE {alg} JWT (random signature)")
    sample = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
              ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
    negatives = [
        (f"The jwt.io example token is {sample}.", "jwt.io's documentation token"),
        ("A JWT looks like eyJhbGciOi... .eyJzdWIiOi... .SflKxw...", "truncated parts"),
        ("Send `Authorization: Bearer <token>` with every request.", "placeholder"),
        ("The payload segment eyJuYW1lIjoiSm9obiJ9 decodes to {\"name\":\"John\"}.", "one base64 segment, not a token"),
        (f"Unsigned: {b64url({'alg': 'none'})}.{b64url({'sub': 'x'})}.", "alg none, no signature"),
        ("header.payload.signature is the structure of a JWS compact token.", "structure in prose"),
        (f"version {rnd(12, HEX)}.{rnd(20, HEX)}.{rnd(20, HEX)}", "dotted hex, not base64 JSON"),
    ]
    for text, why in negatives:
        add("SEC003", False, any_format("Explain JWTs.", text) if len(text) % 2 else chat("What is this?", text), why)


def credentials_in_urls() -> None:
    positives = [
        lambda: f"postgresql://analyst:{rnd(14)}@db.prod.internal:5432/warehouse",
        lambda: f"mysql://app_user:{rnd(12)}!@10.20.0.15:3306/shop",
        lambda: f"mongodb+srv://admin:{rnd(16)}@cluster0.ab1cd.mongodb.net/test?retryWrites=true",
        lambda: f"redis://default:{rnd(20)}@redis-12345.c1.us-east-1.ec2.cloud.redislabs.com:12345",
        lambda: f"amqp://worker:{rnd(18)}@rabbit.internal:5672/vhost",
        lambda: f"https://deploy-bot:{rnd(20)}@git.acme-corp.net/acme/infra.git",
        lambda: f"ftp://backup:{rnd(10)}@files.acme-corp.net/nightly/",
        lambda: f"smtps://alerts%40acme.io:{rnd(16)}@smtp.mailprovider.net:465",
        lambda: f"Server=tcp:acme.database.windows.net,1433;Database=crm;User ID=crm_admin;Password={rnd(16)};Encrypt=True;",
        lambda: f"jdbc:postgresql://db.internal:5432/app?user=svc&password={rnd(14)}&ssl=true",
        lambda: f"DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey={rnd(86, B64)}==;EndpointSuffix=core.windows.net",
        lambda: f"Data Source=sql01;Initial Catalog=hr;User Id=hr_app;Pwd={rnd(12)};",
    ]
    for number, make in enumerate(positives):
        url = make()
        record = [alpaca("Why can't the service connect?", "The host is unreachable from the pod network.", f"DATABASE_URL={url}"),
                  chat("Update the connection string in settings.py.", f"DATABASES = {{'default': dj_database_url.parse('{url}')}}"),
                  sharegpt(f"connection: {url}\n\nerror: timeout", "Check the firewall rules.")][number % 3]
        add("SEC004", True, record, "FAKE password in a URL or connection string")
    negatives = [
        ("postgres://user:password@localhost:5432/mydb", "documented placeholder password on localhost"),
        ("mysql://root:${MYSQL_ROOT_PASSWORD}@db:3306/app", "environment variable"),
        ("mongodb+srv://<username>:<password>@cluster0.mongodb.net/", "angle-bracket placeholders"),
        ("amqp://guest:guest@rabbitmq:5672/", "user equals password (RabbitMQ default)"),
        ("postgresql://postgres:postgres@db:5432/postgres", "user equals password"),
        ("https://github.com/acme/infra.git", "no credentials"),
        ("ssh://git@github.com/acme/infra.git", "user without password"),
        ("See https://medium.com/@janedoe/how-i-learned-rust-3f2a1b", "@ in a URL path"),
        ("redis://:changeme@cache.internal:6379", "changeme placeholder"),
        ("Server=myServerAddress;Database=myDataBase;User Id=myUsername;Password=myPassword;", "connectionstrings.com placeholders"),
        ("jdbc:mysql://localhost:3306/test?user=root&password=secret", "secret on localhost"),
        ("ftp://anonymous:anonymous@ftp.example.com/pub/", "anonymous FTP on example.com"),
        ("http://admin:admin@192.168.1.1/", "router default admin:admin"),
        ("Use the form scheme://user:pass@host:port/path.", "URL grammar"),
        ("mailto:support@acme-corp.net?subject=Help", "mailto link"),
        ("DATABASE_URL=postgres://app:%s@%s/app", "printf placeholders"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC004", False, [alpaca("Explain the setting.", "It sets the connection.", text), chat(text, "OK."),
                              sharegpt(f"Is this right? {text}", "Yes.")][number % 3], why)


def secret_assignments() -> None:
    """SEC005 (opt-in): random values assigned to secret-named fields, no provider format."""
    contexts = [
        lambda v: alpaca("Configure the weather client.", f'WEATHER_API_KEY = "{v}"\nclient = Weather(WEATHER_API_KEY)'),
        lambda v: chat("Add the secret to settings.py.", f"SECRET_KEY = '{v}'\nDEBUG = False"),
        lambda v: sharegpt("What goes in the OAuth config?", json.dumps({"client_id": "web-app", "client_secret": v}, indent=2)),
        lambda v: alpaca("Call the internal API.", "Use the header shown.", f"curl -H 'X-Auth-Token: {v}' https://metrics.internal/api"),
        lambda v: tool_call("Sync the CRM.", "crm_sync", {"api_key": v, "since": "2024-01-01"}, '{"synced": 42}', "Synced 42 contacts."),
        lambda v: chat("Run the CLI.", f"./deploy --token {v} --env prod"),
    ]
    for number in range(12):
        value = rnd(rng.choice((20, 24, 32, 40))) if number % 3 else rnd(32, HEX)
        add("SEC005", True, contexts[number % len(contexts)](value), "FAKE random value assigned to a secret name")
    negatives = [
        ('API_KEY = os.getenv("API_KEY")', "read from the environment"),
        ('password = "correct horse battery staple"', "passphrase with spaces, example from xkcd"),
        ('"token": "YOUR_TOKEN_HERE"', "placeholder"),
        ("SECRET_KEY = 'django-insecure-change-me-please'", "words, no digits"),
        ("auth_method: oauth2_client_credentials", "an identifier"),
        ("session_token_ttl = 3600", "a number"),
        ("The password must contain 12 characters, e.g. Tr0ub4dor&3.", "policy text"),
        ("token_count = len(tokenizer.encode(text))", "tokens of a tokenizer"),
        ('"access_key_id_env": "AWS_ACCESS_KEY_ID"', "name of a variable"),
        ("primary_key = 'user_id'", "database primary key"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC005", False, any_format("Review this line.", "Looks fine.", text), why)


def emails() -> None:
    contexts = [
        lambda e: alpaca("Write a reply to this customer.", "Dear customer, we are sorry.", f"From: {e}\nMy order never arrived."),
        lambda e: chat(f"Add {e} to the mailing list.", "Added."),
        lambda e: sharegpt("Parse this CSV row.", f"name,email,city\nM. Rossi,{e},Milan"),
        lambda e: alpaca("Extract the contact.", json.dumps({"contact": e}), f"Reach out to our new lead at {e} before Friday."),
        lambda e: chat("Draft my signature.", f"Best regards,\nDr. Amara Diallo\n{e} | Cardiology"),
        lambda e: tool_call("Email the report to my manager.", "send_email", {"to": e, "subject": "Q3 report"}, '{"sent": true}', "Sent."),
    ]
    for number in range(14):
        add("SEC006", True, contexts[number % len(contexts)](email()), "FAKE personal e-mail address")
    negatives = [
        ("Send it to john.doe@example.com.", "documentation domain"),
        ("Contact support@acme-corp.net for help.", "shared mailbox"),
        ("Emails come from noreply@github.com.", "noreply address"),
        ("Use user@localhost for testing.", "localhost"),
        ("Save the retina asset as icon@2x.png.", "file name"),
        ("Clone git@github.com:acme/infra.git", "git remote"),
        ("npm install @angular/core@17.0.1", "npm scope and version"),
        ("@app.route('/login')\ndef login(): ...", "decorator"),
        ("Follow @acme_dev on social media.", "handle"),
        ("Write to info@acmehotel.com to book.", "info@ mailbox"),
        ("The address format is name@domain.com.", "placeholder domain"),
        ("mail me at someone@yourcompany.com", "placeholder company"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC006", False, any_format("Explain.", "OK.", text) if number % 2 else chat(text, "Sure."), why)


def phones() -> None:
    contexts = [
        lambda p: alpaca("Summarise the voicemail.", "Dana asks for a call back.", f"Hi, it's Dana, call me back on {p} after six."),
        lambda p: chat(f"Save my number {p} for the delivery.", "Saved."),
        lambda p: sharegpt("Format this contact card.", f"Name: K. Tanaka\nMobile: {p}\nCity: Osaka"),
        lambda p: alpaca("Extract the phone number.", p, f"Customer called from {p} about invoice 4471."),
    ]
    for number in range(10):
        add("SEC007", True, contexts[number % 4](phone_nanp(number)), "FAKE North American phone number")
    for number in range(8):
        add("SEC007", True, contexts[(number + 1) % 4](phone_intl()), "FAKE international phone number")
    negatives = [
        ("Call (555) 123-4567 for a demo.", "555 fictional number"),
        ("Dial 555-0199.", "555-01xx fictional, too short anyway"),
        ("Phone: 123-456-7890", "placeholder sequence, invalid area code"),
        ("ISBN 978-3-16-148410-0", "ISBN"),
        ("The meeting is on 2023-11-15 at 10:30.", "date"),
        ("Compute 3 + 4 = 7 and 12 - 5 = 7.", "arithmetic"),
        ("SSN format: 123-45-6789", "SSN format, not a phone"),
        ("Order #100-200-3000 shipped.", "order number, invalid area code"),
        ("Population grew from 1,234,567 to 2,345,678.", "large numbers"),
        ("Coordinates 40.7128, -74.0060", "coordinates"),
        ("Zip code 90210-1234", "ZIP+4"),
        ("The sequence 234-567-8901 is used in examples.", "ascending example number"),
        ("Version 2.14.1024 was released.", "version"),
        ("Open 9:00-17:00, Monday to Friday.", "opening hours"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC007", False, any_format("Explain.", "OK.", text) if number % 2 else sharegpt(text, "Sure."), why)


def cards() -> None:
    brands = ["visa", "mastercard", "amex", "discover", "jcb", "unionpay", "mastercard2"]
    for number in range(12):
        value = card(brands[number % len(brands)])
        shown = [group(value), value, group(value, "-")][number % 3]
        record = [alpaca("Extract the payment details.", "Card ending " + value[-4:], f"Paid with card {shown}, exp 09/27."),
                  chat(f"charge {shown} for the renewal please", "Done."),
                  sharegpt("Mask the card in this log line.", f"2024-05-01 payment ok card={shown} amount=42.00")][number % 3]
        add("SEC008", True, record, f"FAKE {brands[number % len(brands)]} number (random, Luhn-valid)")
    negatives = [
        ("Test with 4242 4242 4242 4242 and any future date.", "Stripe test card"),
        ("Use 4111 1111 1111 1111 in the sandbox.", "Visa test card (repeated digits)"),
        (f"Order number {rnd(16, string.digits)[:15]}7 was shipped.", "16 digits, probably not Luhn-valid"),
        ("Tracking: 1Z999AA10123456784", "UPS tracking"),
        ("Pi is 3.14159265358979323846264338327950288.", "digits of pi"),
        ("Timestamp 1699999999999 in milliseconds.", "timestamp, no card prefix"),
        ("ISBN-13 9780306406157", "ISBN"),
        ("Account 1234 5678 9012 3456 is a placeholder.", "sequential placeholder (not Luhn)"),
        ("The IMEI is 490154203237518.", "IMEI (Luhn-valid, no card prefix)"),
        ("Invoice 2024-0001-0045-7781", "invoice id"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC008", False, any_format("Explain.", "OK.", text) if number % 2 else chat(text, "Sure."), why)


def ibans() -> None:
    for number, country in enumerate(["DE", "GB", "FR", "NL", "ES", "IT", "CH", "BE", "PL", "AT", "SE", "IE"]):
        value = iban(country)
        shown = spaced(value) if number % 2 else value
        record = [alpaca("Draft a payment reminder.", "Dear tenant, the rent is due.", f"Please transfer the rent to {shown} by Friday."),
                  chat(f"my IBAN is {shown}, can you set up the refund?", "Refund scheduled."),
                  sharegpt("Fill the invoice footer.", f"Bank: Example Bank\nIBAN: {shown}\nBIC: EXAMBEBB")][number % 3]
        add("SEC009", True, record, f"FAKE {country} IBAN (random, mod-97 valid)")
    negatives = [
        ("IBAN: DE89 3704 0044 0532 0130 00 (example from the standard)", "documentation IBAN"),
        ("IBAN GB82 WEST 1234 5698 7654 32", "documentation IBAN"),
        (f"IBAN DE{rng.randint(10, 99)} {spaced(rnd(18, string.digits))}", "random digits, check digits almost surely wrong"),
        ("BIC DEUTDEFF500", "BIC code"),
        ("Postcode SW1A 1AA, London", "postcode"),
        ("Part number DE12 3456 7890", "too short"),
        ("Flight LH2471 departs at 10:45.", "flight number"),
        ("Model XK20 2019 edition", "model code"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC009", False, any_format("Explain.", "OK.", text) if number % 2 else chat(text, "Sure."), why)


def addresses() -> None:
    contexts = [
        lambda a: alpaca("What does this log line mean?", "A failed SSH login.", f"Failed password for root from {a} port 52144 ssh2"),
        lambda a: chat(f"Block {a} in the firewall.", f"sudo ufw deny from {a}"),
        lambda a: sharegpt("Why is this request slow?", f"127.0.0.1 - - proxy {a}:443 upstream timed out"),
        lambda a: alpaca("Where does this user connect from?", f"From {a}.", f"login user=mtanaka ip={a} ok"),
    ]
    for number in range(10):
        add("SEC010", True, contexts[number % 4](public_ip()), "FAKE public IPv4 address")
    for address in ("2a03:2880:f12f:83::face:b00c", "2607:f8b0:4004:c1b::65"):
        add("SEC010", True, chat(f"Whitelist {address} please.", "Done."), "public IPv6 address")
    negatives = [
        ("Connect to 192.168.1.1 on your router.", "private"),
        ("The API listens on 127.0.0.1:8080.", "loopback"),
        ("Bind to 0.0.0.0 to accept all.", "unspecified"),
        ("Use 8.8.8.8 as DNS.", "public resolver"),
        ("Example host 203.0.113.42 (documentation range).", "TEST-NET-3"),
        ("Subnet mask 255.255.255.0", "netmask"),
        ("Upgrade to version 2.4.1.12 today.", "version"),
        ("See section 4.2.1.3 of the RFC.", "section number"),
        ("OID 1.3.6.1.4.1.311", "OID"),
        ("The container got 172.17.0.2.", "docker private"),
        ("AWS metadata lives at 169.254.169.254.", "link-local"),
        ("IPv6 loopback ::1 and doc prefix 2001:db8::1", "IPv6 special"),
        ("Meet at 10:30:45, std::vector<int> v;", "time and C++"),
        ("Carrier-grade NAT uses 100.64.0.1.", "shared address space"),
    ]
    for number, (text, why) in enumerate(negatives):
        add("SEC010", False, any_format("Explain.", "OK.", text) if number % 2 else chat(text, "Sure."), why)


def more_hard_cases() -> None:
    """Positives in unusual positions, and the look-alikes most likely in real instruction data."""
    positions = [
        lambda k: chat("Where do I put the key?", f"In the URL:\nhttps://maps.googleapis.com/maps/api/geocode/json?address=Paris&key={k}"),
        lambda k: alpaca("Finish the sentence.", f"The deploy failed because the token was {k}.", "The deploy failed because"),
        lambda k: sharegpt("Make it a Python dict.", f"config = {{'name': 'bot', 'token': '{k}', 'retries': 3}}"),
        lambda k: chat("List the secrets in the vault export.", f"- db: hidden\n- {k}\n- smtp: hidden"),
        lambda k: alpaca("Explain the error.", "The key was rejected.", f"Error: invalid credentials ({k})"),
        lambda k: chat("Show the Markdown.", f"```bash\ncurl -u :{k} https://api.service.io/v2/charges\n```"),
    ]
    for number, name in enumerate(["Google API key", "OpenAI legacy key", "Slack bot token", "GitHub PAT",
                                   "Stripe restricted test key", "Stripe test secret key", "Mailgun key",
                                   "DigitalOcean token", "Replicate token", "Anthropic key", "PyPI token", "npm token"]):
        add("SEC001", True, positions[number % len(positions)](KEYS[name]()), f"FAKE {name} in an unusual position")
    for text, why in [
        ("Our task-1234567890abcdefghij board tracks it.", "`sk-` inside `task-`"),
        ("Publishable key: pk_live_" + rnd(24) + " (safe to expose in the browser)", "Stripe publishable key is public"),
        ("stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'", "Stripe's documented test key"),
        ("The variable ghp_token_value holds the token.", "identifier starting with ghp_"),
        ("sk-learn is a common misspelling of scikit-learn.", "sk- word"),
        ("Set HUGGINGFACE_HUB_TOKEN=hf_*** before running.", "starred HF token"),
        ("Keys rotate every 90 days; the current one ends in ...8f3a.", "key tail only"),
        ("Your OpenAI key starts with `sk-` and is about 51 characters long.", "format description"),
        ("I pasted `sk-proj-abc` but it was too short.", "a too-short fragment"),
        ("xoxb-1234-5678-abcd", "Slack docs short placeholder"),
        ("AKIA0000000000000000", "zeros-only AWS id"),
        ("Run `aws configure` and enter your Access Key ID (AKIA...) and secret.", "AWS prefix with ellipsis"),
    ]:
        add("SEC001", False, any_format("What does this mean?", "It is not a real credential.", text), why)
    for text, why in [
        ("git clone https://oauth2:${GITLAB_TOKEN}@gitlab.com/acme/app.git", "token from an environment variable"),
        ("sftp://deploy:$DEPLOY_PASS@files.acme.net/upload", "shell variable"),
        ("https://api.acme.io/search?email=jane@example.com&page=2", "@ inside a query string"),
        ("Open http://localhost:8080/@vite/client in the browser.", "@ in a path"),
        ("docker run -e POSTGRES_PASSWORD=postgres -p 5432:5432 postgres", "no URL, default password flag"),
        ("https://user:token@github.com/org/repo.git", "word placeholders"),
    ]:
        add("SEC004", False, any_format("Explain the command.", "It is an example.", text), why)
    add("SEC004", True, chat("Why does the clone fail?", f"You used https://ci-bot:{rnd(18)}@bitbucket.org/acme/app.git, but the app password was revoked."),
        "FAKE app password in a git remote")
    add("SEC004", True, alpaca("Explain the environment variable.", "It holds the cache URL.", f"REDIS_URL=rediss://:p%40{rnd(14)}@cache.acme.net:6380/0"),
        "FAKE percent-encoded password, empty user")
    for text in (f"maria+newsletter@{rng.choice(MAIL_DOMAINS)}", f"Jamal.Okafor@Outlook.com", f"k.tanaka@mail.kyoto-u.ac.jp"):
        add("SEC006", True, chat(f"Please update my address to {text}", "Updated."), "FAKE e-mail: plus address, capitals or subdomain")
    for text, why in [("Write to test@test.com while testing.", "test placeholder"), ("alice@mail.example.com", "example subdomain"),
                      ("Template: {{user.email}}@{{domain}}", "template"), ("Email format: first.last@company.com", "placeholder company")]:
        add("SEC006", False, sharegpt(text, "OK."), why)
    for text in (f"({rng.randint(201, 989)}) {rng.randint(201, 989)}-{rng.randint(1000, 9999)} ext. 12",
                 f"{rng.randint(201, 989)} {rng.randint(201, 989)} {rng.randint(1000, 9999)}"):
        add("SEC007", True, alpaca("Extract the phone number.", "Done.", f"Office line: {text}"), "FAKE phone with extension or spaces")
    for text, why in [("Call 1-800-FLOWERS today.", "vanity number"), ("tel: +1-202-555-0164", "fictional 555"),
                      ("SKU 123-456-7890-B", "product code, invalid area code"), ("5 +86 = 91", "sum with a plus sign"),
                      ("The answer is 4556737586899855 + 12 = 4556737586899867.", "sum of long numbers")]:
        add("SEC007", False, chat("Explain:", text), why)
    for text, why in [("1234567890123456 + 1 = 1234567890123457", "sum"), ("Your ticket number is 3530 0000 0000 0000.", "zeros"),
                      ("Container ID 4242424242424242 restarted.", "test-card digits as an id")]:
        add("SEC008", False, alpaca("Explain.", "OK.", text), why)
    add("SEC008", True, chat(f"Card: {group(card('discover'), '-')} expires 03/29, CVV 123", "Thanks."), "FAKE Discover number with CVV")
    for text, why in [("Placeholder IP 123.45.67.89 in the docs.", "documentation favourite"),
                      ("Windows 10.0.19045.2965 is installed.", "Windows build number"),
                      ("User agent: Chrome/120.0.6099.109 Safari/537.36", "browser version"),
                      ("Allow 0.0.0.0/0 on port 443.", "CIDR"), ("Route 10.8.0.0/24 via the VPN.", "private CIDR")]:
        add("SEC010", False, chat("Explain:", text), why)
    for text in (f"http://{public_ip()}/admin", f"{public_ip()}:8443"):
        add("SEC010", True, alpaca("Where does the link point?", "To a server.", f"Open {text} to log in."), "FAKE public IPv4 in a URL or with a port")
    add("SEC002", False, alpaca("What is this?", "A truncated key.", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7...\n-----END PRIVATE KEY-----"),
        "truncated with ...")
    add("SEC003", True, chat("Why can't I reset?", f"The link https://app.acme.io/reset?token={jwt('HS256', sub='u_77', purpose='reset')} has expired."),
        "FAKE JWT in a URL query")


# == held-out cases: other wording and contexts, evaluated only at the end =======================================
def heldout() -> None:
    key_contexts: list[Callable[[str], dict[str, Any]]] = [
        lambda k: sharegpt("I'm getting rate limited, here's my setup:", "OK", f"const client = new Client({{ apiKey: '{k}' }});", "Add retries with backoff."),
        lambda k: chat("Translate this README paragraph to French.", f"Pour commencer, définissez la variable TOKEN={k} puis lancez le script."),
        lambda k: alpaca("Rewrite the docker-compose service.", f"services:\n  app:\n    environment:\n      - API_TOKEN={k}"),
        lambda k: chat("Is this safe to commit?", "No.", "Why not?", f"Because line 3 contains a live credential: {k}"),
        lambda k: tool_call("Create the webhook.", "create_webhook", {"url": "https://hooks.acme.io/x", "auth": {"bearer": k}}, "{}", "Created."),
    ]
    for number, name in enumerate(["OpenAI project key", "Anthropic key", "AWS access key ID", "GitHub fine-grained PAT",
                                   "Slack bot token", "Google API key", "Hugging Face token", "Stripe test secret key",
                                   "GitLab PAT", "SendGrid key", "npm token", "Groq key"]):
        add("SEC001", True, key_contexts[number % 5](KEYS[name]()), f"FAKE {name}", heldout=True)
    for text, why in [
        ("OPENAI_API_KEY=<your-openai-key>", "angle placeholder"), ("key: sk-........................................", "dots"),
        ("GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}", "Actions secret reference"), ("sk-proj-REPLACE_ME_WITH_A_REAL_KEY_0000000000", "replace-me"),
        ("Your AWS key id looks like AKIAXXXXXXXXXXXXXXXX.", "X-filled AWS id"), ("hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "x-filled HF token"),
        ("the desk-lamp and a kiosk-style stand", "hyphenated words"), ("run_id = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890'", "uuid run id"),
        ("Checksum: 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "sha256"),
        ("xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX", "Slack X placeholder"),
    ]:
        add("SEC001", False, chat(f"Check this: {text}", "It's a placeholder."), why, heldout=True)
    for kind in ("RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY"):
        add("SEC002", True, sharegpt("Debug my deploy key", "paste it", pem(kind, 7)), f"FAKE {kind} in a later turn", heldout=True)
    add("SEC002", False, alpaca("What's in id_rsa.pub?", "-----BEGIN RSA PUBLIC KEY-----\n" + rnd(64, B64) + "\n" + rnd(64, B64) + "\n-----END RSA PUBLIC KEY-----"),
        "public key", heldout=True)
    add("SEC002", False, chat("Template?", "-----BEGIN PRIVATE KEY-----\n{{ private_key }}\n-----END PRIVATE KEY-----"), "template", heldout=True)
    for number in range(4):
        token = jwt(("RS256", "HS256")[number % 2], uid=rng.randint(1, 10**6), scope="read write")
        add("SEC003", True, [chat(f"localStorage.setItem('jwt', '{token}')", "Stored in local storage."),
                             alpaca("Debug the 403.", "The scope is missing admin.", f"token={token}")][number % 2], "FAKE JWT", heldout=True)
    add("SEC003", False, chat("Show the JWT format.", "Authorization: Bearer eyJ<header>.eyJ<payload>.<signature>"), "placeholder parts", heldout=True)
    for url in (f"postgres://billing:{rnd(15)}@pg-billing.prod.acme.net/billing", f"https://ci:{rnd(24)}@gitlab.acme.net/group/repo.git",
                f"Server=db2;Database=erp;Uid=erp;Password={rnd(13)};"):
        add("SEC004", True, sharegpt(f"Config dump:\n{url}", "Noted."), "FAKE password in URL", heldout=True)
    for url, why in (("postgres://user:pass@host:5432/db", "generic placeholders"), ("redis://:${REDIS_PASSWORD}@redis:6379", "env var"),
                     ("https://x-access-token:<TOKEN>@github.com/o/r.git", "placeholder token")):
        add("SEC004", False, alpaca("Explain.", url), why, heldout=True)
    for number in range(4):
        value = rnd(28)
        add("SEC005", True, [chat("Set the header.", f"headers = {{'x-api-key': '{value}'}}"),
                             alpaca("Write the env file.", f"PAYMENT_SECRET={value}")][number % 2], "FAKE secret-named value", heldout=True)
    add("SEC005", False, chat("Set the header.", "headers = {'x-api-key': os.environ['X_API_KEY']}"), "env read", heldout=True)
    add("SEC005", False, alpaca("Name the env var.", "PAYMENT_SECRET_NAME=payment-service-secret"), "identifier value", heldout=True)
    for number in range(5):
        add("SEC006", True, [sharegpt(f"Forward this to {email()} asap", "Forwarded."),
                             alpaca("Anonymise the text.", "[EMAIL] asked for a refund.", f"{email()} asked for a refund.")][number % 2],
            "FAKE personal e-mail address", heldout=True)
    for text in ("Write to privacy@acme.io to exercise your rights.", "Reply to jane@example.org"):
        add("SEC006", False, chat(text, "OK."), "role or documentation address", heldout=True)
    for number in range(5):
        number_text = phone_nanp(number + 2) if number % 2 else phone_intl()
        add("SEC007", True, alpaca("Clean up the contact list.", f"Ravi: {number_text}", f"ravi -- {number_text} -- sales"), "FAKE phone", heldout=True)
    for text in ("Call 1-800-555-0100 for the demo line.", "Extension 4471, room 2-105"):
        add("SEC007", False, chat(text, "OK."), "fictional or internal number", heldout=True)
    for brand in ("visa", "amex", "mastercard"):
        add("SEC008", True, chat(f"my card {group(card(brand))} was declined twice", "Let me check."), f"FAKE {brand} number", heldout=True)
    add("SEC008", False, chat("Test card for Stripe?", "Use 5555 5555 5555 4444."), "Mastercard test number", heldout=True)
    for country in ("DE", "FR", "NL"):
        add("SEC009", True, sharegpt(f"Pay to {spaced(iban(country))} please", "Scheduled."), f"FAKE {country} IBAN", heldout=True)
    add("SEC009", False, chat("Example IBAN?", "NL91 ABNA 0417 1643 00 is the usual example."), "documentation IBAN", heldout=True)
    for number in range(3):
        add("SEC010", True, alpaca("Read the access log.", "One request.", f"{public_ip()} - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200"),
            "FAKE client IP in a log line", heldout=True)
    add("SEC010", False, chat("Default gateway?", "Usually 10.0.0.1 or 192.168.0.1."), "private", heldout=True)
    add("SEC010", False, alpaca("Which release?", "Release 1.18.2.4 fixed it."), "version", heldout=True)


def main() -> None:
    for build in (provider_keys, provider_key_lookalikes, private_keys, tokens, credentials_in_urls, secret_assignments,
                  emails, phones, cards, ibans, addresses, more_hard_cases, heldout):
        build()
    OUT.write_text("".join(json.dumps(case, ensure_ascii=False) + "\n" for case in CASES), encoding="utf-8")
    positives = sum(case["label"] for case in CASES)
    held = sum(bool(case.get("heldout")) for case in CASES)
    print(f"{OUT.name}: {len(CASES)} cases, {positives} positive, {len(CASES) - positives} negative, {held} held out")


if __name__ == "__main__":
    main()
