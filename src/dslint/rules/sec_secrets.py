r"""SEC, part 1: secrets and personal data in any string of a record.

All ten rules share one scan per record (`sec_scan`): the strings of every field and turn, tool-call
arguments and metadata included, each reported at its own pointer. Messages never show a secret whole: a
key keeps its public prefix and last four characters (`sk-proj-…a1B2`), personal data a few characters.
Documentation placeholders (`sk-...`, `YOUR_API_KEY`, AWS's `AKIAIOSFODNN7EXAMPLE`, `user:password@`,
`john@example.com`, `(555) 123-4567`, card test numbers, 192.0.2.0/24) are not reported.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from dslint.model import Example, Severity, Violation
from dslint.rules import sec_entropy, sec_personal  # noqa: F401 - sec_personal registers SEC006-SEC010
from dslint.rules import sec_scan as scan
from dslint.rules.base import NoOptions, record_rule
from dslint.rules.sec_scan import AllowOptions, report, times


class ProviderOptions(AllowOptions):
    ignore_providers: tuple[str, ...] = Field((), description="Provider ids never reported.")


@record_rule(code="SEC001", name="provider-api-key", severity=Severity.ERROR,
             summary="An API key or token of a known provider (OpenAI, Anthropic, AWS, GitHub ...)",
             options=ProviderOptions)
def provider_api_key(example: Example, options: ProviderOptions) -> Iterable[Violation]:
    r"""An API key or token of a known provider (OpenAI, Anthropic, AWS, GitHub ...)

    ## What it does
    Finds keys in the documented formats of OpenAI (`sk-`, `sk-proj-`), Anthropic (`sk-ant-`), AWS (access
    key IDs `AKIA…`, and secret keys assigned to `aws_secret_access_key`), GitHub (`ghp_`, `github_pat_`
    ...), GitLab, Slack (`xoxb-` ..., webhook URLs), Google (`AIza…`, `GOCSPX-`), Stripe, Hugging Face
    (`hf_`), Groq, Replicate, npm, PyPI, SendGrid, Shopify, DigitalOcean, Mailgun and OpenRouter, in any
    string of the record, and names the provider. A match whose body is a placeholder is not reported:
    `sk-...`, `sk-xxxxxxxx…`, `sk-YOUR_KEY_HERE…`, bodies spelling `example`, `your`, runs such as
    `abc123def456`, and AWS's documented example key `AKIAIOSFODNN7EXAMPLE`.

    ## Why it matters
    A key in training data is a leaked key, and a model trained on it can repeat it to anyone: a secret
    trained into weights cannot be removed. Keys also teach the model to write real-looking keys into its
    answers. Revoke the key, and replace it with a placeholder such as `YOUR_API_KEY`.

    ## Example
    ```jsonl
    {"instruction": "Fix my client setup.", "input": "client = OpenAI(api_key=\"sk-proj-M0XvqZjxTW3xvboSRt5Mh3dAwVtRMflhbmuaptt0Azn0DNRUQxA71p2T\")", "output": "Read the key from the environment instead."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Fix my client setup.", "input": "client = OpenAI(api_key=\"sk-...\")", "output": "Read the key from the environment: OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])."}
    ```

    ## Options
    - `allow` (default `[]`): keys never reported, exactly as written (a published demo key).
    - `ignore-providers` (default `[]`): provider ids not reported: `openai`, `anthropic`, `openrouter`,
      `aws`, `github`, `gitlab`, `slack`, `google`, `stripe`, `stripe-test` (test-mode keys), `huggingface`,
      `groq`, `replicate`, `npm`, `pypi`, `sendgrid`, `shopify`, `digitalocean`, `mailgun`.
    """
    cached = scan.last  # inlined `scan.results(example)`: ten rules per record, one call fewer each
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC001")
    if not items:
        return ()
    return [Violation(item.hit.what + times(item), item.pointer, context=item.context) for item in items
            if item.hit.value not in options.allow and item.hit.detail not in options.ignore_providers]


@record_rule(code="SEC002", name="private-key-block", severity=Severity.ERROR,
             summary="A PEM private key block (RSA, EC, OpenSSH, PGP ...) with key material")
def private_key_block(example: Example, options: NoOptions) -> Iterable[Violation]:
    r"""A PEM private key block (RSA, EC, OpenSSH, PGP ...) with key material

    ## What it does
    Finds `-----BEGIN … PRIVATE KEY-----` blocks (RSA, EC, DSA, OpenSSH, PKCS #8, encrypted, PGP private key
    blocks) holding at least 64 characters of base64 key material. A block whose body is `...`, `<your
    key>` or a few characters is documentation and not reported; public keys and certificates never are.

    ## Why it matters
    A private key in training data is a leaked key, and a model can reproduce it verbatim. An encrypted
    key is reported too: its passphrase is often weak, and the model still learns to emit key material.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Why does ssh reject my key?"}, {"role": "assistant", "content": "Your key file:\n-----BEGIN RSA PRIVATE KEY-----\ndp5gjTrD8Osj/LnZ5R+j/8U/m7aSz7NRSOtv75y4SXvE9rwLbAtf6e9cpCGybY9l\nMR4pAwBp3GVy1PixOqoRGrB5Vpg5C6QsyHZytfqY6K1Qjah4dXd3eOa1Zcc/a4Cg\n-----END RSA PRIVATE KEY-----\nhas mode 644; run chmod 600 on it."}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Why does ssh reject my key?"}, {"role": "assistant", "content": "A key file looks like\n-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\nand must have mode 600; run chmod 600 on it."}]}
    ```
    """
    cached = scan.last
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC002")
    return report(items) if items else ()


@record_rule(code="SEC003", name="jwt", severity=Severity.ERROR,
             summary="A signed JSON Web Token", options=AllowOptions)
def jwt(example: Example, options: AllowOptions) -> Iterable[Violation]:
    r"""A signed JSON Web Token

    ## What it does
    Finds JSON Web Tokens: three base64url parts `eyJ….….…`, whose first part decodes to a JSON header with
    `alg` or `typ`, and a signature of at least 16 characters. The message names the algorithm and the
    claims (their names, not their values). jwt.io's sample token (`sub` 1234567890, John Doe), printed in
    every tutorial, is not reported.

    ## Why it matters
    A JWT is a bearer credential: whoever holds it is the user until it expires, and many never do. Its
    payload is only encoded, not encrypted, so it also leaks the user's id, e-mail or roles.

    ## Example
    ```jsonl
    {"instruction": "Why is this request rejected?", "input": "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1XzQ4MjEzIiwicm9sZSI6ImFkbWluIiwiZXhwIjoxNzY3MjI1NjAwfQ.VSGVBrYSuIb9OZiFZ3HLKv797TPNbpjava1bMZwIMlv' https://api.internal/v1/users", "output": "The token has expired."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Why is this request rejected?", "input": "curl -H 'Authorization: Bearer $TOKEN' https://api.internal/v1/users", "output": "The token has expired."}
    ```

    ## Options
    - `allow` (default `[]`): tokens never reported, exactly as written.
    """
    cached = scan.last
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC003")
    return report(items, options.allow) if items else ()


@record_rule(code="SEC004", name="credential-in-url", severity=Severity.ERROR,
             summary="A password in a URL (`user:password@host`) or a connection string",
             options=AllowOptions)
def credential_in_url(example: Example, options: AllowOptions) -> Iterable[Violation]:
    r"""A password in a URL (`user:password@host`) or a connection string

    ## What it does
    Finds passwords in URLs (`postgres://app:…@db.internal:5432`, `https://user:…@github.com/…`) and in
    connection strings (`Server=…;Password=…;`, `&password=…`, Azure `AccountKey=…`). The message shows the
    URL with the password as `****`. Stand-ins are not reported: `password`, `pass`, `secret`, `changeme`,
    `****`, `<password>`, `${DB_PASSWORD}`, `%s`, a password equal to the user name (`postgres:postgres`),
    and any password for a documentation or local host (`example.com`, `*.test`, `localhost`, `127.0.0.1`).

    ## Why it matters
    A database or repository password in training data is a leaked credential the model can repeat. Tools
    and agents trained on such examples also learn to put passwords into URLs, where logs keep them.

    ## Example
    ```jsonl
    {"instruction": "Connect to the analytics database.", "output": "engine = create_engine(\"postgresql://analyst:d0YG5KE7X5ozhO@db.prod.internal:5432/warehouse\")"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Connect to the analytics database.", "output": "engine = create_engine(f\"postgresql://analyst:{os.environ['DB_PASSWORD']}@db.prod.internal:5432/warehouse\")"}
    ```

    ## Options
    - `allow` (default `[]`): passwords never reported, exactly as written.
    """
    cached = scan.last
    items = (cached[1] if cached[0] is example else scan.results(example)).get("SEC004")
    return report(items, options.allow) if items else ()


class EntropyOptions(AllowOptions):
    bare_tokens: bool = Field(False, description="Also report random tokens outside a secret-named field.")
    min_entropy: float = Field(3.0, description="Bits per character a value needs (bare tokens: 1 more).")


@record_rule(code="SEC005", name="high-entropy-string", severity=Severity.WARNING,
             summary="A random-looking value assigned to a secret-named field (`api_key`, `token`, `password`)",
             options=EntropyOptions, default_enabled=False)
def high_entropy_string(example: Example, options: EntropyOptions) -> Iterable[Violation]:
    r"""A random-looking value assigned to a secret-named field (`api_key`, `token`, `password`)

    ## What it does
    Finds values of at least 16 characters, mixing letters and digits, with at least `min-entropy` bits of
    Shannon entropy per character, assigned to a name containing `key`, `secret`, `token`, `password`,
    `auth`, `credential` or `bearer` (`API_KEY = "…"`, `"client_secret": "…"`, `Authorization: Bearer …`,
    `--token …`). Identifiers (`openai_api_key`), placeholders, URLs and anything another SEC rule reports
    are left out. With `bare-tokens`, random tokens of 24+ characters mixing upper case, lower case and
    digits are reported anywhere (except URL paths and inline images). Hex-only values (hashes) are
    only reported when assigned to a secret name. Opt-in (`--select SEC005`): it catches secrets of any
    provider, but random ids and hashes are common in code, so review its findings.

    ## Why it matters
    Providers without a documented key format (internal services, smaller APIs) still issue secrets, and
    a secret trained into a model's weights cannot be removed. A warning, not an error: the string may be
    a random identifier.

    ## Example
    ```jsonl
    {"instruction": "Configure the weather client.", "output": "WEATHER_API_KEY = \"q7Rk2VxN9mTz4LpB8sWc3Yh6\"\nclient = Weather(WEATHER_API_KEY)"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Configure the weather client.", "output": "WEATHER_API_KEY = os.environ[\"WEATHER_API_KEY\"]\nclient = Weather(WEATHER_API_KEY)"}
    ```

    ## Options
    - `allow` (default `[]`): values never reported, exactly as written.
    - `bare-tokens` (default `false`): also report random tokens not assigned to a secret name. It costs
      about four times the rule's default search, and finds other random notations too (a chess position in
      FEN, `r5k1/1b1p1ppp/p7/…`, looks like a base64 token).
    - `min-entropy` (default `3.0`): bits per character a value needs; bare tokens need one bit more.
    """
    return [Violation(item.hit.what + times(item), item.pointer, context=item.context)
            for item in sec_entropy.found(example, options.bare_tokens)
            if item.hit.value not in options.allow
            and item.hit.detail[0] >= options.min_entropy + (1.0 if item.hit.detail[1] else 0.0)]
