"""TPL: tokenizers, templates and the CLI options that name them (`--tokenizer`, `--max-tokens`, `--template`).

Hugging Face tokenizers are built here with the `tokenizers` library (a word-level vocabulary) and saved
with a `chat_template` written in the tests; nothing is downloaded. tiktoken tests use the offline cache
(`TIKTOKEN_CACHE_DIR`, see `tests/conftest.py`) and skip with the reason when it is unavailable.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dslint.cli import main
from dslint.formats import normalise
from dslint.model import Source
from dslint.rules import tpl_length
from dslint.rules.tpl_length import ExceedsContext, TokenLengthOptions
from dslint.rules.tpl_scan import scanner, table_tokens
from dslint.token_count import unavailable
from tests.harness import check_file

RAISE_ON_SYSTEM = ("{% for m in messages %}{% if m['role'] == 'system' %}"
                   "{{ raise_exception('System role not supported') }}{% endif %}"
                   "<start_of_turn>{{ m['role'] }}\n{{ m['content'] | trim }}<end_of_turn>\n{% endfor %}")
DROP_UNKNOWN = ("{% for m in messages %}{% if m['role'] in ['user', 'assistant'] %}<|{{ m['role'] }}|>\n"
                "{{ m['content'] }}<|end|>\n{% endif %}{% endfor %}")
TRIMMING = ("{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
            "{{ m['content'] | trim }}<|eot_id|>{% endfor %}")
WORDS = ["hi", "hello", "name", "a", "colour", "red", "be", "brief", "what", "is", "two", "plus", "four"]


def _tokenizer_dir(directory: Path, template: str, extra_special: tuple[str, ...] = ()) -> Path:
    tokenizers = pytest.importorskip("tokenizers")
    pytest.importorskip("transformers")
    pytest.importorskip("jinja2")
    from tokenizers import Tokenizer, models, pre_tokenizers

    specials = ["<unk>", "<s>", "</s>", *extra_special]
    vocab = {token: i for i, token in enumerate([*specials, *WORDS, ".", ",", "?", "!"])}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.add_special_tokens([tokenizers.AddedToken(t, special=True) for t in specials])
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(directory / "tokenizer.json"))
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>",
              "unk_token": "<unk>", "chat_template": template}
    (directory / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    return directory


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _chat(*pairs: tuple[str, str]) -> dict:
    return {"messages": [{"role": role, "content": content} for role, content in pairs]}


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


# -- the scanner -----------------------------------------------------------------------------------------


def test_trie_pattern_finds_what_a_plain_alternation_finds() -> None:
    tokens = table_tokens((), include_scaffolding=True)
    plain = re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))
    found = scanner(tokens)
    rng = random.Random(7)
    pieces = [*sorted(tokens), "<", "[", "|", ">", "]", " text ", "<b>", "[1]", "`", "```\n"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert [h.token for h in found.scan(text)] == plain.findall(text), text


def test_tokenizer_special_tokens_join_the_scan(tmp_path: Path) -> None:
    directory = _tokenizer_dir(tmp_path / "tok", DROP_UNKNOWN, extra_special=("<|my_turn|>",))
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "hi <|my_turn|>"), ("assistant", "hello"))])
    found = check_file(data, "TPL001", {"tokenizer": str(directory)})
    assert [d.message.split(":")[0] for d in found] == ["literal '<|my_turn|>' is a special token of the target tokenizer"]


# -- token length ----------------------------------------------------------------------------------------


def test_tiktoken_counts_match_tiktoken(tmp_path: Path) -> None:
    reason = unavailable("o200k_base")
    if reason:
        pytest.skip(f"o200k_base unavailable offline: {reason}")
    import tiktoken

    answer = "Paris is the capital of France, and its largest city. " * 20
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "Capital of France?"), ("assistant", answer))])
    encoding = tiktoken.get_encoding("o200k_base")
    total = 3 + 3 + len(encoding.encode_ordinary("Capital of France?")) + 3 + len(encoding.encode_ordinary(answer))
    found = check_file(data, "TPL002", {"max-tokens": 100})
    assert len(found) == 1
    assert found[0].message.startswith(f"{total:,} tokens (o200k_base) > limit 100: truncation would cut part")
    assert check_file(data, "TPL002", {"max-tokens": total}) == []


def test_hf_tokenizer_directory_counts(tmp_path: Path) -> None:
    directory = _tokenizer_dir(tmp_path / "tok", DROP_UNKNOWN)
    # 5 words + 3 words, each message +3, +3 priming: 3 + 8 + 6 = 17
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "what is two plus four"), ("assistant", "a red colour"))])
    found = check_file(data, "TPL002", {"tokenizer": str(directory), "max-tokens": 16})
    expected = (f"17 tokens ({directory}) > limit 16: truncation would cut part of the final answer: 1 of its "
                "3 tokens lost (the model learns to stop mid-answer)")
    assert [d.message for d in found] == [expected]
    assert check_file(data, "TPL002", {"tokenizer": str(directory), "max-tokens": 17}) == []


def test_batches_and_merge_give_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    records = [_chat(("user", "x" * (i % 7) * 10), ("assistant", "y" * (i % 5) * 10)) for i in range(40)]
    examples = [normalise(r, Source("f.jsonl", i + 1, i)) for i, r in enumerate(records)]
    options = TokenLengthOptions(tokenizer="bytes", max_tokens=60)

    def findings(batch: int, shards: int) -> list[tuple[int, str]]:
        monkeypatch.setattr(tpl_length, "BATCH_TEXTS", batch)
        states = [ExceedsContext(options) for _ in range(shards)]
        for i, example in enumerate(examples):
            states[i * shards // len(examples)].observe(example)
        for other in states[1:]:
            states[0].merge(other)
        return sorted((v.source.index, v.message) for v in states[0].finish() if v.source)

    reference = findings(4096, 1)
    assert reference, "the data must exceed the limit somewhere"
    assert findings(3, 1) == reference
    assert findings(5, 3) == reference


# -- the command line ------------------------------------------------------------------------------------


def test_missing_encoding_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dslint.token_count import load_counter

    load_counter.cache_clear()
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("DSLINT_OFFLINE", "1")
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "hi"), ("assistant", "hello"))])
    try:
        code, out, err = _run(["check", str(data), "--isolated", "--tokenizer", "cl100k_base"])
    finally:
        load_counter.cache_clear()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--tokenizer cl100k_base: the tiktoken encoding is not available offline" in err


def test_unknown_tokenizer_and_template_exit_2(tmp_path: Path) -> None:
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "hi"), ("assistant", "hello"))])
    code, _, err = _run(["check", str(data), "--isolated", "--tokenizer", "nobody/no-such-tokenizer"])
    assert code == 2 and err.count("\n") == 1 and "--tokenizer nobody/no-such-tokenizer" in err
    code, _, err = _run(["check", str(data), "--isolated", "--template", str(tmp_path / "missing.jinja")])
    assert code == 2 and err.strip().endswith("no such file or tokenizer directory")
    broken = tmp_path / "broken.jinja"
    broken.write_text("{% for m in messages %}", encoding="utf-8")
    code, _, err = _run(["check", str(data), "--isolated", "--template", str(broken)])
    assert code == 2 and "does not compile" in err


def test_template_directory_findings_through_the_cli(tmp_path: Path) -> None:
    directory = _tokenizer_dir(tmp_path / "gemma-like", RAISE_ON_SYSTEM)
    data = _write(tmp_path / "d.jsonl", [
        _chat(("system", "be brief"), ("user", "hi"), ("assistant", "hello")),
        _chat(("user", "hi"), ("assistant", "  hello\n")),
        _chat(("user", "hi"), ("assistant", "hello")),
    ])
    code, out, _ = _run(["check", str(data), "--isolated", "--template", str(directory), "--select", "TPL003,TPL006",
                         "--format", "json", "--no-progress"])
    found = sorted((d["record"], d["code"]) for d in json.loads(out)["diagnostics"])
    assert code == 1
    assert found == [(0, "TPL003"), (1, "TPL006")]


def test_template_file_drops_unknown_roles(tmp_path: Path) -> None:
    template = tmp_path / "phi-like.jinja"
    template.write_text(DROP_UNKNOWN, encoding="utf-8")
    data = _write(tmp_path / "d.jsonl", [_chat(("human", "name a colour"), ("assistant", "red")),
                                        _chat(("user", "hi"), ("gpt", "hello"))])
    _, out, _ = _run(["check", str(data), "--isolated", "--template", str(template), "--select", "TPL004,TPL007",
                         "--format", "json", "--no-progress"])
    found = sorted((d["record"], d["code"], d["pointer"]) for d in json.loads(out)["diagnostics"])
    assert found == [(0, "TPL004", "/messages/0/role"), (1, "TPL007", None)]


def test_trimming_template(tmp_path: Path) -> None:
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "Indent:"), ("assistant", "    return x\n"))])
    found = check_file(data, "TPL006", {"template": TRIMMING})
    assert [d.pointer for d in found] == ["/messages/1/content"]


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('echo pwned') }}",
    "{{ self.__init__.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}{{ os }}",
    "{{ messages.append({'role': 'user'}) }}",
    "{{ namespace.__init__.__globals__['__builtins__'] }}",
])
def test_template_cannot_reach_python_or_files(tmp_path: Path, attack: str) -> None:
    pytest.importorskip("jinja2")
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "hi"), ("assistant", "hello"))])
    found = check_file(data, "TPL003", {"template": attack})
    assert len(found) == 1 and found[0].message.startswith("template (inline template) raised:")
    assert "root:" not in found[0].message and "pwned" not in found[0].message


# -- dataset rules split across workers ------------------------------------------------------------------


def test_system_cost_and_mixed_reasoning_merge_like_one_pass() -> None:
    from dslint.rules.tpl_hygiene import (
        CostlySystemPrompt,
        MixedReasoning,
        MixedReasoningOptions,
        SystemCostOptions,
    )

    prompt = "You are a careful assistant who answers in English and cites sources."
    records = [
        {"messages": [{"role": "system", "content": prompt}, {"role": "user", "content": f"q{i}"},
                      {"role": "assistant", "content": f"<think>t</think>a{i}" if i % 3 else f"a{i}"}]}
        for i in range(12)
    ]
    examples = [normalise(r, Source("f.jsonl", i + 1, i)) for i, r in enumerate(records)]

    def run(factory, options, shards: int) -> list[str]:  # type: ignore[no-untyped-def]
        states = [factory(options) for _ in range(shards)]
        for i, example in enumerate(examples):
            states[i * shards // len(examples)].observe(example)
        for other in states[1:]:
            states[0].merge(other)
        return [v.message for v in states[0].finish()]

    cost = SystemCostOptions(min_records=5)
    assert run(CostlySystemPrompt, cost, 1) == run(CostlySystemPrompt, cost, 4)
    assert run(CostlySystemPrompt, cost, 1)[0].startswith("the same system prompt (69 characters")
    mixed = MixedReasoningOptions()
    assert run(MixedReasoning, mixed, 1) == run(MixedReasoning, mixed, 3) == [
        "8 records carry reasoning and 4 do not; records without reasoning include record indexes 0, 3, 6, 9"]


def test_unusable_tokenizer_through_the_api_is_one_file_finding(tmp_path: Path) -> None:
    data = _write(tmp_path / "d.jsonl", [_chat(("user", "x" * 50), ("assistant", "y" * 50))] * 3)
    found = check_file(data, "TPL002", {"tokenizer": str(tmp_path / "no-such-dir" / "sub"), "max-tokens": 10})
    assert len(found) == 1 and found[0].record is None
    assert found[0].message.startswith("tokens not counted: --tokenizer ")
