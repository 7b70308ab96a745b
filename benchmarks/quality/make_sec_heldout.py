"""Build a second held-out set for the SEC secrets and personal-data rules: SEC-secrets-heldout.jsonl.

    python benchmarks/quality/make_sec_heldout.py   # rewrites benchmarks/quality/SEC-secrets-heldout.jsonl

Written after the rules were tuned, by someone who had not seen `make_sec_set.py`'s cases, and evaluated
once (`evaluate.py SEC --part heldout`); not tuned on. Every secret is random characters in a provider's
shape from `random.Random(SEED)`, so nothing here is a real credential; card numbers and IBANs are random
with a valid check digit. It leans on the places a secret hides in real data: tool-call arguments holding
JSON (line breaks as `\\n` escapes), system prompts, YAML and `.env` files, shell history; and on the
look-alikes real data is full of: hashes, UUIDs, digests, base64 payloads, masked and placeholder keys.
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any

SEED = 8_2026
OUT = Path(__file__).resolve().parent / "SEC-secrets-heldout.jsonl"
rng = random.Random(SEED)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
UPPER32 = string.ascii_uppercase + "234567"


def rnd(size: int, alphabet: str = ALNUM) -> str:
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(size))
        if any(c.isdigit() for c in value) or not any(c.isdigit() for c in alphabet):
            return value


def luhn_complete(prefix: str, size: int) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(size - len(prefix) - 1))
    for check in string.digits:
        digits = body + check
        total = sum((int(c) * 2 - 9 if int(c) > 4 else int(c) * 2) if i % 2 else int(c)
                    for i, c in enumerate(reversed(digits)))
        if total % 10 == 0:
            return digits
    raise AssertionError


def iban(country: str, size: int) -> str:
    bban = "".join(rng.choice(string.digits) for _ in range(size - 4))
    number = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


def chat(*turns: str, system: str | None = None) -> dict[str, Any]:
    messages = [{"role": "system", "content": system}] if system else []
    roles = ("user", "assistant")
    messages += [{"role": roles[i % 2], "content": text} for i, text in enumerate(turns)]
    return {"messages": messages}


def tool_call(arguments: dict[str, Any], reply: str = "Done.") -> dict[str, Any]:
    return {"messages": [
        {"role": "user", "content": "Please do it."},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_" + rnd(24), "type": "function",
                                                              "function": {"name": "run", "arguments": json.dumps(arguments)}}]},
        {"role": "tool", "tool_call_id": "call_x", "content": "ok"},
        {"role": "assistant", "content": reply}]}


def alpaca(instruction: str, output: str, input_text: str = "") -> dict[str, Any]:
    return {"instruction": instruction, "input": input_text, "output": output}


def cases() -> list[tuple[str, bool, dict[str, Any], str]]:
    found: list[tuple[str, bool, dict[str, Any], str]] = []

    def add(rule: str, label: bool, record: dict[str, Any], why: str) -> None:
        found.append((rule, label, record, why))

    # -- positives: secrets where real data hides them ---------------------------------------------------
    add("SEC001", True, tool_call({"path": ".env", "content": f"DEBUG=0\nOPENAI_API_KEY=sk-proj-{rnd(64, ALNUM + '_-')}\n"}),
        "project key on the second line of a file written by a tool call (escaped newline)")
    add("SEC001", True, tool_call({"cmd": f"aws configure set aws_access_key_id AKIA{rnd(16, UPPER32)}"}),
        "AWS key id in a shell command in tool arguments")
    add("SEC001", True, chat("Which repos can I see?", "Let me check.", system=f"You are RepoBot. GitHub token: ghp_{rnd(36)}"),
        "GitHub token in a system prompt")
    add("SEC001", True, alpaca("Explain this config.", "It sets the Slack bot.", f"slack:\n  bot_token: xoxb-{rnd(11, string.digits)}-{rnd(13, string.digits)}-{rnd(24)}\n  channel: '#ops'"),
        "Slack bot token in YAML")
    add("SEC001", True, chat("My maps stopped loading", f"Your snippet has key=AIza{rnd(35, ALNUM + '_-')}; restrict it to your domain."),
        "Google API key in an answer")
    add("SEC001", True, alpaca("Why does pip upload fail?", "The token is scoped to another project.", f"[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc{rnd(70, ALNUM + '_-')}"),
        "PyPI token in .pypirc")
    add("SEC001", True, {"conversations": [{"from": "human", "value": f"login fails: huggingface-cli login --token hf_{rnd(34, string.ascii_letters)}"},
                                           {"from": "gpt", "value": "Create a new token with write access."}]},
        "Hugging Face token (letters only) in ShareGPT")
    add("SEC001", True, alpaca("Fix the webhook handler.", "Verify the signature first.", f"stripe.api_key = 'rk_test_{rnd(24)}'\nendpoint_secret = 'whsec_{rnd(32)}'"),
        "Stripe restricted test key and webhook secret")
    add("SEC001", True, chat("Deploy failed", f"Set ANTHROPIC_API_KEY=sk-ant-api03-{rnd(93, ALNUM + '_-')}AA in the dashboard."),
        "Anthropic key")
    add("SEC001", True, tool_call({"headers": {"Authorization": f"token github_pat_{rnd(22)}_{rnd(59)}"}}),
        "fine-grained GitHub PAT in a header in tool arguments")
    add("SEC001", True, alpaca("Translate the comment to French.", "# Clé de l'API", f"# API key\nGROQ_API_KEY=gsk_{rnd(52)}"),
        "Groq key in a translation input")
    add("SEC001", True, chat("What's wrong with my npmrc?", f"//registry.npmjs.org/:_authToken=npm_{rnd(36)}\nThat line is fine; the scope is wrong."),
        "npm token in .npmrc line")
    add("SEC002", True, tool_call({"path": "id_ed25519", "content": "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(rnd(70, ALNUM + "+/") for _ in range(5)) + "\n-----END OPENSSH PRIVATE KEY-----\n"}),
        "OpenSSH private key written by a tool call")
    add("SEC002", True, chat("Is my key encrypted?", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + "\n".join(rnd(64, ALNUM + "+/") for _ in range(4)) + "\n-----END ENCRYPTED PRIVATE KEY-----\nYes, it is PKCS#8 encrypted."),
        "encrypted PKCS#8 key")
    header = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ"  # {"alg":"RS256","kid":"1"}
    add("SEC003", True, tool_call({"url": "https://api.internal/me", "headers": {"Authorization": f"Bearer {header}.{rnd(120, ALNUM + '_-')}.{rnd(86, ALNUM + '_-')}"}}),
        "RS256 JWT in tool-call headers")
    add("SEC003", True, alpaca("Decode the claims.", "It belongs to user 42.", f"Cookie: session={header}.eyJ1aWQiOjQyLCJleHAiOjE4OTM0NTYwMDB9.{rnd(43, ALNUM + '_-')}"),
        "JWT in a cookie")
    add("SEC004", True, chat("Why can't the app reach Redis?", f"Your URL redis://default:{rnd(20)}@cache-7.prod.acme.io:6379 uses the wrong port."),
        "Redis URL with a password")
    add("SEC004", True, alpaca("Explain the connection string.", "It connects with SQL authentication.", f"Server=tcp:sql-prod.database.windows.net,1433;Database=orders;User ID=svc_orders;Password={rnd(18)};Encrypt=true;"),
        "ADO.NET connection string")
    add("SEC004", True, tool_call({"cmd": f"git remote set-url origin https://deploy:{rnd(16)}@git.acme-corp.net/team/app.git"}),
        "git remote with password in tool arguments")
    add("SEC005", True, alpaca("Review this settings file.", "Move the secret to a vault.", f"INTERNAL_SERVICE_TOKEN = \"{rnd(32)}\""),
        "unknown-provider token assigned to a secret name")
    add("SEC005", True, tool_call({"client_id": "web-app", "client_secret": rnd(40)}),
        "OAuth client secret as a tool argument")

    # -- negatives: look-alikes -------------------------------------------------------------------------
    add("SEC001", False, chat("How do I set my key?", "export OPENAI_API_KEY=\"sk-...\"\nNever commit it."), "documentation placeholder sk-...")
    add("SEC001", False, alpaca("Show an AWS credentials file.", "[default]\naws_access_key_id = AKIAXXXXXXXXXXXXXXXX\naws_secret_access_key = XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"), "AWS placeholder X run")
    add("SEC001", False, chat("Mask my token in the log", "Shown as ghp_************************************ in the log."), "masked GitHub token")
    add("SEC001", False, alpaca("Set the key", "api_key = \"sk-<your-key-here>\""), "angle-bracket placeholder")
    add("SEC001", False, tool_call({"model": "gpt-4o", "run_id": f"run_{rnd(24)}", "file": f"file-{rnd(24)}"}), "OpenAI object ids, not keys")
    add("SEC001", False, chat("What is scikit?", "sk-learn is a common misspelling of scikit-learn; the package is sklearn-crfsuite-0.3.6."), "sk- in prose")
    add("SEC001", False, alpaca("Explain the lockfile entry.", f"\"integrity\": \"sha512-{rnd(86, ALNUM + '+/')}==\""), "npm integrity hash")
    add("SEC001", False, chat("Which image runs?", f"image: registry.acme.io/app@sha256:{rnd(64, HEX)}"), "docker digest")
    add("SEC001", False, alpaca("Shorten the commit id.", f"{rnd(40, HEX)} -> {rnd(7, HEX)}"), "git SHA")
    add("SEC001", False, chat("Give me a request id", f"Request id: {rnd(8, HEX)}-{rnd(4, HEX)}-4{rnd(3, HEX)}-a{rnd(3, HEX)}-{rnd(12, HEX)}"), "UUID")
    add("SEC001", False, alpaca("What is this key?", "AKIAIOSFODNN7EXAMPLE is the example key from the AWS docs."), "AWS documented example key")
    add("SEC002", False, chat("What does a PEM key look like?", "-----BEGIN PRIVATE KEY-----\n<base64-encoded key material>\n-----END PRIVATE KEY-----"), "PEM placeholder body")
    add("SEC002", False, alpaca("Is this a private key?", "No, it is a public key.", "-----BEGIN PUBLIC KEY-----\n" + "\n".join(rnd(64, ALNUM + "+/") for _ in range(4)) + "\n-----END PUBLIC KEY-----"), "public key block")
    add("SEC002", False, chat("Show a cert", "-----BEGIN CERTIFICATE-----\n" + "\n".join(rnd(64, ALNUM + "+/") for _ in range(6)) + "\n-----END CERTIFICATE-----"), "certificate")
    add("SEC003", False, alpaca("Split the token into parts.", "header.payload.signature: each part is base64url."), "JWT shape described in words")
    add("SEC003", False, chat("Is eyJ a magic prefix?", "Yes: base64 of '{\"' is eyJ, so eyJhbGciOi... starts most JWT headers."), "truncated JWT prefix")
    add("SEC004", False, alpaca("Write a connection URL.", "postgresql://user:${PGPASSWORD}@db:5432/app"), "environment-variable password")
    add("SEC004", False, chat("Connect to Mongo locally", "mongodb://root:example@localhost:27017/?authSource=admin"), "localhost example password")
    add("SEC004", False, alpaca("Format the DSN.", "Server=myServerAddress;Database=myDataBase;User Id=myUsername;Password=myPassword;"), "connectionstrings.com template")
    add("SEC004", False, chat("Explain this", "ftp://anonymous:guest@ftp.example.org/pub"), "anonymous FTP on example.org")
    add("SEC005", False, alpaca("What is the checksum?", f"checksum = \"{rnd(64, HEX)}\""), "sha256 checksum assigned to a non-secret name")
    add("SEC005", False, tool_call({"image": rnd(3000, ALNUM + "+/") + "=="}), "raw base64 image in tool arguments")
    add("SEC005", False, chat("Where is the token stored?", "token_path = \"/var/run/secrets/kubernetes.io/serviceaccount/token\""), "secret path, not value")
    add("SEC005", False, alpaca("Name the variable.", "Use secret_access_key_length = 40 and api_key_env_var = 'OPENAI_API_KEY'."), "secret-named identifiers")
    add("SEC005", False, chat("Style this", f"color: #{rnd(6, HEX)}; background: url(/img/{rnd(32, HEX)}.png)"), "hex colour and hashed file name")

    # -- personal data ---------------------------------------------------------------------------------
    add("SEC006", True, chat("Reply to this e-mail", "From: t.okonkwo1987@yahoo.co.uk\nHi, my parcel is late."), "personal e-mail")
    add("SEC006", True, tool_call({"to": "priya.raman@outlook.com", "subject": "Invoice"}), "e-mail in tool arguments")
    add("SEC006", False, alpaca("Give a sample address.", "Use jane@example.org in the form."), "example.org")
    add("SEC006", False, chat("Where do I send bugs?", "Write to support@python.org or security@python.org."), "role mailboxes")
    add("SEC006", False, alpaca("Fix the image tag.", "<img srcset=\"logo@2x.png 2x, logo@3x.webp 3x\">"), "retina file names")
    add("SEC006", False, alpaca("Pin the package.", "npm install react@18.2.0 lodash@4.17.21"), "npm package@version")
    add("SEC007", True, chat("Who called?", "Missed call from +49 151 2345 6078 at 09:14."), "international mobile")
    add("SEC007", True, alpaca("Extract the phone.", "(312) 478-2290", "Reach Tom at (312) 478-2290 weekdays."), "NANP number")
    add("SEC007", False, chat("Format the number", "Use a fictional one: (555) 010-4477."), "555 fictional number")
    add("SEC007", False, alpaca("Convert the date.", "2023-11-07 is a Tuesday."), "ISO date")
    add("SEC007", False, chat("What is 6.022e23?", "Avogadro's number is 6.022 140 76 × 10^23."), "physical constant")
    add("SEC007", False, alpaca("Which ISBN?", "ISBN 978-0-306-40615-7."), "ISBN")
    visa = luhn_complete("4", 16)
    add("SEC008", True, chat("Charge my card", f"Use Visa {' '.join(visa[i:i + 4] for i in range(0, 16, 4))}, exp 04/28."), "Visa with Luhn")
    add("SEC008", True, tool_call({"card_number": luhn_complete("52", 16), "cvc": "913"}), "Mastercard in tool arguments")
    add("SEC008", False, alpaca("Test a payment.", "Use 4242 4242 4242 4242 with any future date."), "Stripe test card")
    add("SEC008", False, chat("Order status?", f"Tracking number {rnd(18, string.digits)}."), "tracking number")
    add("SEC009", True, alpaca("Pay the invoice.", "Transfer done.", f"IBAN: {iban('FR', 27)}"), "French IBAN")
    add("SEC009", True, chat("Where do I send the deposit?", f"To NL account {iban('NL', 18)[:4]}ABNA{iban('NL', 18)[8:]}"), "IBAN with bad check (negative in disguise)")
    add("SEC009", False, alpaca("Check this IBAN.", "DE00 1234 5678 9012 3456 78 has a wrong check digit."), "invalid IBAN")
    add("SEC010", True, chat("Why is my server blocked?", "fail2ban banned 91.198.174.192 after 5 attempts."), "public IPv4 in a log")
    add("SEC010", True, tool_call({"host": "2a03:2880:f12f:83:face:b00c::25de", "port": 443}), "public IPv6 in tool arguments")
    add("SEC010", False, alpaca("Which subnet?", "10.20.0.0/16 and 192.168.1.1 are private."), "private addresses")
    add("SEC010", False, chat("What version?", "Upgrade to version 4.2.1.3 of the firmware."), "version number")
    add("SEC010", False, alpaca("Use a doc address.", "ping 203.0.113.25"), "documentation range")
    return found


def main() -> None:
    rows = []
    for rule, label, record, why in cases():
        if why.startswith("IBAN with bad check"):
            label = False  # the NL number above is assembled from two IBANs: its check digits are wrong
        rows.append({"rule": rule, "label": label, "record": record, "why": "FAKE data: " + why, "heldout": True})
    OUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"{OUT.name}: {len(rows)} cases ({sum(r['label'] for r in rows)} positive)")


if __name__ == "__main__":
    main()
