"""The SEC secrets and personal-data scan (SEC001-SEC010): validators, the scan's gates, overlaps, pointers.

Every secret here is built at test time from random characters in the provider's shape (`fake`), so no
real credential, nor anything a secret scanner would take for one, is written in the repository.
"""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path
from typing import Any

import pytest

from dslint.engine import Engine, Settings
from dslint.formats import normalise
from dslint.model import RawRecord, Source
from dslint.rules import rule_by_code, sec_patterns, sec_scan
from dslint.rules.sec_patterns import (
    card_brand,
    entropy,
    iban_valid,
    looks_fake,
    luhn,
    mask,
    placeholder_password,
)

ALNUM = string.ascii_letters + string.digits


def fake(size: int, alphabet: str = ALNUM, seed: int = 7) -> str:
    """Random characters of `alphabet`; with at least one digit when the alphabet has digits (generated keys
    nearly always do), so a test never gets a letters-only value by chance."""
    rng = random.Random(seed)
    needs_digit = any(c.isdigit() for c in alphabet)
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(size))
        if not needs_digit or any(c.isdigit() for c in value):
            return value


def found(record: Any, code: str | None = None, **options: Any) -> list[tuple[str, str]]:
    """(pointer, message) of the SEC001-SEC010 findings on one record (one rule's with `code`)."""
    example = normalise(record, Source("t.jsonl", 1, 0))
    result = []
    for rule in rule_by_code().values():
        if rule.family == "SEC" and int(rule.code[3:]) <= 10 and (code is None or rule.code == code):
            opts = rule.options.model_validate(options if code else {})
            result += [(v.pointer, v.message) for v in rule.check(example, opts)]
    return result


# -- validators ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("number", "valid"), [("79927398713", True), ("79927398710", False),
                                               ("4242424242424242", True), ("4242424242424241", False)])
def test_luhn(number: str, valid: bool) -> None:
    assert luhn(number) is valid


@pytest.mark.parametrize(("number", "brand"), [("4242424242424242", "Visa"), ("5555555555554444", "Mastercard"),
                                               ("2223003122003222", "Mastercard"), ("378282246310005", "American Express"),
                                               ("6011111111111117", "Discover"), ("3530111333300000", "JCB"),
                                               ("4222222222222", None), ("9780306406157", None)])
def test_card_brand_needs_prefix_and_length(number: str, brand: str | None) -> None:
    assert card_brand(number) == brand


@pytest.mark.parametrize(("iban", "valid"), [("DE89370400440532013000", True), ("GB82WEST12345698765432", True),
                                             ("DE88370400440532013000", False), ("DE8937040044053201300", False),
                                             ("XX89370400440532013000", False)])
def test_iban_checks_length_and_mod_97(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


def test_mask_never_shows_most_of_a_value() -> None:
    key = "sk-proj-" + fake(56)
    assert mask(key, 8) == f"sk-proj-…{key[-4:]}"
    for value in ("hunter2", "Q7gSvzfHR46lG2", fake(40)):
        shown = mask(value).replace("…", "")
        assert len(shown) * 2 <= len(value)


@pytest.mark.parametrize("body", ["xxxxxxxxxxxxxxxxxxxxxxxx", "YOUR_API_KEY_HERE_0000000", "abc123def456ghi789jkl012",
                                  "IOSFODNN7EXAMPLE", "...", "<your-key>", "REPLACE_ME_1234567890"])
def test_placeholder_bodies(body: str) -> None:
    assert looks_fake(body)


def test_random_bodies_are_not_placeholders() -> None:
    assert not any(looks_fake(fake(40, seed=seed)) for seed in range(200))


@pytest.mark.parametrize(("password", "user", "stand_in"), [("password", "", True), ("${DB_PASSWORD}", "", True),
                                                           ("<password>", "", True), ("postgres", "postgres", True),
                                                           ("****", "", True), ("changeme", "", True),
                                                           ("Q7gSvzfHR46lG2", "app", False)])
def test_placeholder_passwords(password: str, user: str, stand_in: bool) -> None:
    assert placeholder_password(password, user) is stand_in


def test_entropy() -> None:
    assert entropy("aaaa") == 0
    assert entropy("abcd") == 2
    assert entropy(fake(64)) > 4.5


# -- the provider table ---------------------------------------------------------------------------------------
def test_every_provider_key_is_found_named_and_masked() -> None:
    """One fake key per table entry, built from the entry's own regex shape."""
    samples = {
        "anthropic": "sk-ant-api03-" + fake(93), "openai": "sk-proj-" + fake(74), "openrouter": "sk-or-v1-" + fake(64, "0123456789abcdef"),
        "aws": "AKIA" + fake(16, string.ascii_uppercase + "234567"), "github": "github_pat_" + fake(22) + "_" + fake(59),
        "gitlab": "glpat-" + fake(20), "slack": "xoxb-" + fake(12, string.digits) + "-" + fake(13, string.digits) + "-" + fake(24),
        "google": "AIza" + fake(35), "stripe": "sk_" + "live_" + fake(24),  # built here: no live-mode key in the repo
        "stripe-test": "rk_test_" + fake(24), "huggingface": "hf_" + fake(34, string.ascii_letters),
        "groq": "gsk_" + fake(52), "replicate": "r8_" + fake(37), "npm": "npm_" + fake(36),
        "pypi": "pypi-AgEIcHlwaS5vcmc" + fake(60), "sendgrid": f"SG.{fake(22)}.{fake(43)}",
        "shopify": "shpat_" + fake(32, "0123456789abcdef"), "digitalocean": "dop_v1_" + fake(64, "0123456789abcdef"),
        "mailgun": "key-" + fake(32, "0123456789abcdef"),
    }
    ids = {provider.id for provider in sec_patterns.PROVIDERS}
    assert set(samples) == ids
    for provider_id, key in samples.items():
        record = {"instruction": "Set the key.", "input": f"export TOKEN={key}\n", "output": "Done."}
        messages = [message for pointer, message in found(record, "SEC001") if pointer == "/input"]
        assert len(messages) == 1, (provider_id, found(record))
        assert key not in messages[0] and key[-4:] in messages[0]
        assert found(record, "SEC001", **{"ignore-providers": [provider_id]}) == []


def test_keys_at_a_line_start_after_escaped_newlines() -> None:
    key = "ghp_" + fake(36)
    assert found({"instruction": "x", "input": f"first line\n{key}\nlast", "output": "y"}, "SEC001")


def test_a_key_inside_a_longer_token_is_not_one() -> None:
    key = "ghp_" + fake(36)
    assert found({"instruction": "x", "output": f"prefix{key}"}, "SEC001") == []
    assert found({"instruction": "x", "output": f"{key}suffix"}, "SEC001") == []


# -- one scan, overlaps settled, pointers ------------------------------------------------------------------
def test_a_key_in_a_url_is_reported_once_as_the_key() -> None:
    token = "ghp_" + fake(36)
    record = {"instruction": "Clone.", "output": f"git clone https://bot:{token}@github.com/acme/app.git"}
    assert [code for code, _ in _codes(record)] == ["SEC001"]


def test_a_placeholder_still_claims_its_span() -> None:
    record = {"instruction": "Connect.", "output": "postgres://user:password@db.example.com/app"}
    assert found(record) == []  # no e-mail address `password@db.example.com` either


def test_repeated_values_count_once_per_text() -> None:
    ip = "51.80.101.132"
    record = {"messages": [{"role": "user", "content": f"{ip} then {ip}"}, {"role": "assistant", "content": ip}]}
    assert found(record, "SEC010") == [("/messages/0/content", "IPv4 address `51.80.101.…` (2 times in this text)"),
                                       ("/messages/1/content", "IPv4 address `51.80.101.…`")]


def test_pointers_reach_nested_strings() -> None:
    email = "maria.gonzalez84@gmail.com"
    record = {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}, {"type": "text", "text": email}]},
                           {"role": "assistant", "content": "ok"}], "meta": {"owner": {"email": email}}}
    assert sorted(pointer for pointer, _ in found(record, "SEC006")) == [
        "/messages/0/content/1/text", "/meta/owner/email"]


def test_keys_with_slashes_and_tildes_are_escaped() -> None:
    record = {"instruction": "x", "output": "y", "a/b~c": "call 415-867-5309"}
    assert found(record, "SEC007") == [("/a~1b~0c", "phone number `(415) … 5309`")]


def test_non_ascii_text_maps_windows_back_to_characters() -> None:
    card = "4790 5732 2872 9432"
    record = {"instruction": "提取付款信息。", "input": f"用信用卡 {card} 付款，有效期 09/27。电话 +44 20 7946 0958", "output": "好的"}
    codes = {code for code, _ in _codes(record)}
    assert codes == {"SEC007", "SEC008"}


def test_fast_and_slow_paths_agree() -> None:
    """A record over the size of the joined search is searched text by text, with the same findings."""
    record = {"instruction": "x", "input": "padding " * 3000 + "mail maria.gonzalez84@gmail.com", "output": "y"}
    assert found(record, "SEC006") == [("/input", "e-mail address `m…@gmail.com`")]


def test_inline_images_are_not_searched() -> None:
    blob = "data:image/png;base64," + fake(5000, ALNUM + "+/")
    assert found({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": blob}}]}]}) == []


def test_deeply_nested_records_cost_no_recursion() -> None:
    record: Any = "call 415-867-5309"
    for _ in range(100_000):
        record = [record]
    assert sec_scan.scan_record({"instruction": "x", "output": "y", "deep": record})  # found, no RecursionError


def test_the_scan_of_the_last_example_is_reused() -> None:
    example = normalise({"instruction": "x", "output": "415-867-5309"}, Source("t", 1, 0))
    first = sec_scan.results(example)
    assert sec_scan.results(example) is first
    other = normalise({"instruction": "x", "output": "415-867-5309"}, Source("t", 2, 1))
    assert sec_scan.results(other) is not first


# -- SEC005 options ---------------------------------------------------------------------------------------------
def test_entropy_rule_threshold_and_bare_tokens() -> None:
    value = fake(28)
    record = {"instruction": "x", "output": f"PAYMENT_SECRET={value}\nlog id {fake(30, seed=3)}"}
    assert len(found(record, "SEC005")) == 1
    assert found(record, "SEC005", **{"min-entropy": 6.0}) == []
    assert len(found(record, "SEC005", **{"bare-tokens": True})) == 2


def _codes(record: Any) -> list[tuple[str, str]]:
    example = normalise(record, Source("t.jsonl", 1, 0))
    return [(rule.code, v.message) for rule in rule_by_code().values()
            if rule.family == "SEC" and int(rule.code[3:]) <= 10 for v in rule.check(example, rule.options())]


# -- every turn and field, tool calls and system prompts included; pointers and fingerprints ----------------
def _tool_call_record(arguments: Any) -> dict[str, Any]:
    return {"messages": [
        {"role": "system", "content": "You manage the repository."},
        {"role": "user", "content": "Save the deploy settings."},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "write_file", "arguments": arguments}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "saved"}]}


def test_a_key_in_tool_call_arguments_is_found_at_their_pointer() -> None:
    key, aws = "ghp_" + fake(36), "AKIA" + fake(16, string.ascii_uppercase + "234567")
    # OpenAI's format: the arguments are a JSON string, so the file's line breaks are `\n` escapes in it.
    arguments = json.dumps({"path": ".env", "content": f"A=1\n{key}\nAWS_KEY={aws}\n"})
    assert "\\n" + key in arguments
    pointer = "/messages/2/tool_calls/0/function/arguments"
    assert sorted(found(_tool_call_record(arguments), "SEC001")) == [
        (pointer, f"AWS access key ID `AKIA…{aws[-4:]}`"), (pointer, f"GitHub personal access token `ghp_…{key[-4:]}`")]
    # Arguments as an object: the pointer names the very field.
    assert found(_tool_call_record({"token": key}), "SEC001") == [
        (pointer + "/token", f"GitHub personal access token `ghp_…{key[-4:]}`")]


@pytest.mark.parametrize(("record", "pointer"), [
    ({"messages": [{"role": "system", "content": "Use the token {key} for every call."},
                   {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}, "/messages/0/content"),
    ({"system": "Token: {key}", "conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "yo"}]},
     "/system"),
    ({"conversations": [{"from": "system", "value": "Token: {key}"}, {"from": "human", "value": "hi"},
                        {"from": "gpt", "value": "yo"}]}, "/conversations/0/value"),
    ({"instruction": "x", "input": "", "output": "y", "history": [["q", "use {key}"]]}, "/history/0/1"),
    ({"prompt": "q", "chosen": "fine", "rejected": "use {key}"}, "/rejected"),
    ({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                   {"role": "user", "content": "c"}, {"role": "assistant", "content": "here: {key}"}]}, "/messages/3/content"),
])
def test_a_key_in_any_turn_is_found(record: dict[str, Any], pointer: str) -> None:
    key = "hf_" + fake(34, string.ascii_letters)  # letters only, as Hugging Face issues them
    filled = json.loads(json.dumps(record).replace("{key}", key))
    assert found(filled, "SEC001") == [(pointer, f"Hugging Face token `hf_…{key[-4:]}`")]


def test_findings_through_the_engine_point_at_their_field() -> None:
    """The same key in the system prompt and in tool-call arguments: two findings, two pointers, two
    fingerprints; neither the message nor the context holds the key."""
    key = "sk-proj-" + fake(56, ALNUM + "_-")
    record = _tool_call_record(json.dumps({"token": key}))
    record["messages"][0]["content"] = f"Authenticate with {key}."
    engine = Engine(Settings(rules=[rule_by_code()["SEC001"]]))
    engine.check_records("t.jsonl", [RawRecord(Source("t.jsonl", 1, 0), record)])
    diagnostics = engine.finish().diagnostics
    assert sorted(d.pointer for d in diagnostics) == ["/messages/0/content",
                                                     "/messages/2/tool_calls/0/function/arguments"]
    assert len({d.fingerprint for d in diagnostics}) == 2
    # Neither the message nor the excerpt shown beside it (text, JSON, SARIF ...) holds the key.
    assert all(key not in d.message and key[8:] not in (d.context or "") for d in diagnostics)
    assert sorted(d.context for d in diagnostics) == [f"Authenticate with sk-p…{key[-4:]}.",
                                                      f'{{"token": "sk-p…{key[-4:]}"}}']


def test_entropy_rule_leaves_sample_tokens_to_their_rule() -> None:
    """jwt.io's sample token after `Bearer` is documentation (SEC003 knows it), not a random secret."""
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(b'{"sub":"1234567890","name":"John Doe"}').rstrip(b"=").decode()
    record = {"instruction": "x", "output": f"Authorization: Bearer {header}.{payload}.{fake(43, ALNUM + '_-')}"}
    assert found(record) == []
    assert found(record, "SEC005", **{"bare-tokens": True}) == []


def test_no_rule_shows_a_secret_whole_in_its_excerpt(tmp_path: Path) -> None:
    """A finding of any rule (here SEC011) on a field holding a key shows the field with the key masked."""
    from click.testing import CliRunner

    from dslint.cli import main

    key = "ghp_" + fake(36)
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"instruction": f"Use\u200b this token: {key}",
                                "input": "", "output": "Sure."}) + "\n", encoding="utf-8")
    for output in ("text", "json", "sarif"):
        result = CliRunner().invoke(main, ["check", str(data), "--isolated", "--select", "SEC011",
                                           "--fail-on", "info", "--format", output, "--no-progress"])
        assert result.exit_code == 1, result.output
        assert "SEC011" in result.output
        assert key not in result.output
        assert key[-4:] in result.output or output == "sarif"
