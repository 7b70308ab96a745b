r"""TPL001: literal control tokens inside content (`<|im_end|>`, `<|eot_id|>`, `<end_of_turn>` ...)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, field_validator

from dslint import tokens_table
from dslint.formats import ALPACA, CHAT, PREFERENCE, SELF_INSTRUCT, SHAREGPT
from dslint.model import Example, Severity, Violation
from dslint.rules.base import RuleOptions, record_rule
from dslint.rules.sec_hygiene import texts
from dslint.rules.tpl_scan import Scanner, TokenHit, scanner, table_tokens

# The formats MIX005 searches for scaffolding; elsewhere (prompt/completion) TPL001 reports its markers too.
MIX005_FORMATS = frozenset({ALPACA, SELF_INSTRUCT, CHAT, SHAREGPT, PREFERENCE})


class ControlTokenOptions(RuleOptions):
    in_code: Literal["report", "skip"] = Field(
        "report", description="Tokens inside code blocks or inline code: report them (saying so) or skip them.")
    target_families: tuple[str, ...] = Field(
        (), description="Only these families of the token table (their ambiguous tokens included).")
    extra_tokens: tuple[str, ...] = Field((), description="More control tokens to look for.")
    tokenizer: str | None = Field(
        None, description="Also look for this tokenizer's own special tokens (as `--tokenizer`).")
    include_scaffolding_markers: bool = Field(
        False, description="Also report ChatML's `<|im_start|>`/`<|im_end|>` and `[INST]` outside code "
                           "(MIX005 reports those by default).")

    @field_validator("target_families")
    @classmethod
    def _known_families(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = tokens_table.by_key()
        unknown = [key for key in value if key not in known]
        if unknown:
            raise ValueError(f"unknown token families {unknown}; known: {sorted(known)}")
        return value


@lru_cache(maxsize=16)
def _scanner_for(options: ControlTokenOptions) -> tuple[Scanner, frozenset[str]]:
    """The scanner for these options, and the tokens MIX005 covers outside code (reported here in code)."""
    tokens = set(table_tokens(options.target_families, include_scaffolding=True))
    tokens.update(options.extra_tokens)
    if options.tokenizer:
        from dslint.token_count import load_counter

        tokens.update(load_counter(options.tokenizer, "--tokenizer").special_tokens)
    deferred = frozenset() if options.include_scaffolding_markers else tokens_table.SCAFFOLDING_MARKERS
    return scanner(frozenset(tokens)), deferred


def _maybe(example: Example, found: Scanner) -> bool:
    """Quick test over the raw texts at once: False means no text of the record can hold a token."""
    joined = "\x00".join([turn.content for turn in example.turns])
    if example.alternatives:
        joined += "\x00".join([turn.content for turn in example.alternatives])
    if example.fields:
        joined += "\x00".join([text for _, text in example.fields.values()])
    return found.maybe(joined)


# [options last seen, their scanner]: pydantic models hash slowly, and every record passes the same options.
_LAST: list[Any] = [None, None]


def _scanner_of(options: ControlTokenOptions) -> tuple[Scanner, frozenset[str]]:
    if _LAST[0] is not options:
        _LAST[1] = _scanner_for(options)
        _LAST[0] = options
    return _LAST[1]  # type: ignore[no-any-return]


def _describe(hit: TokenHit) -> str:
    owners = tokens_table.owners(hit.token)
    if hit.token in tokens_table.LOOK_ALIKES:
        what = "an ASCII look-alike of a DeepSeek control token"
    elif owners:
        what = f"a {' / '.join(dict.fromkeys(owners))} control token"
    else:
        what = "a special token of the target tokenizer"
    return f"literal {hit.token!r} is {what}"


@record_rule(
    code="TPL001",
    name="literal-control-token",
    severity=Severity.WARNING,
    summary="A chat model's control token written literally inside content",
    options=ControlTokenOptions,
)
def literal_control_token(example: Example, options: ControlTokenOptions) -> Iterator[Violation]:
    r"""A chat model's control token written literally inside content

    ## What it does
    Looks in every message and field for the control tokens of the major chat-model families: ChatML
    (`<|im_start|>`, `<|im_end|>`), Llama 2 (`<<SYS>>`, `[INST]`), Llama 3 (`<|begin_of_text|>`,
    `<|start_header_id|>`, `<|eot_id|>`, `<|eom_id|>`, `<|python_tag|>`), Mistral (`[TOOL_CALLS]`,
    `[SYSTEM_PROMPT]` ...), Gemma (`<start_of_turn>`, `<end_of_turn>`), Phi-3 (`<|user|>`,
    `<|assistant|>`, `<|end|>`), Qwen (`<|endoftext|>`), DeepSeek (`<｜User｜>`, `<｜Assistant｜>`,
    `<｜end▁of▁sentence｜>` with full-width bars, and their ASCII look-alikes), gpt-oss (`<|start|>`,
    `<|channel|>`, `<|message|>`, `<|return|>`) and Zephyr (`<|system|>`). The token table is data
    (`dslint.tokens_table`), one entry per family. Reports each message once, quoting the first token and
    counting the others; a token inside a fenced block or inline code is reported as such.

    Tokens whose spelling is also everyday text (`<s>`, `</s>`, `<bos>`, `<eos>`, Qwen's `<tool_call>` and
    `<think>`) are looked for only in the `target-families` you name, and a target `tokenizer`'s own
    special tokens are added to the table.

    MIX005 (foreign-scaffolding) already reports ChatML's `<|im_start|>`/`<|im_end|>` and `[INST]`/
    `[/INST]` outside code, as another format's markup pasted in: this rule reports those four only inside
    code (where MIX005 does not look, yet the tokenizer still parses them) and in the formats MIX005 does
    not search (prompt/completion), unless `include-scaffolding-markers` is set. Every other token is
    reported here only.

    ## Why it matters
    Tokenizers parse special-token text inside content as the real control token by default (transformers'
    `split_special_tokens=False`). A literal `<|im_end|>` ends the turn in the middle of a message: the
    model learns to stop there, and the loss mask (assistant-only training) is computed on a broken
    structure. Explaining ChatML inside a code block does not help: the tokenizer does not see code blocks.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Summarise this."}, {"role": "assistant", "content": "Done.<|eot_id|>"}]}
    {"messages": [{"role": "user", "content": "How does ChatML end a turn?"}, {"role": "assistant", "content": "With the token `<|im_end|>`."}]}
    ```

    ## Use instead
    Remove the tokens, or break their spelling where the text is about them (or set `in-code = "skip"`
    when explaining tokens in code is intended and the training tokenizer splits special tokens):
    ```jsonl
    {"messages": [{"role": "user", "content": "Summarise this."}, {"role": "assistant", "content": "Done."}]}
    {"messages": [{"role": "user", "content": "How does ChatML end a turn?"}, {"role": "assistant", "content": "With the im_end token (written < |im_end| >)."}]}
    ```

    ## Options
    - `in-code` (default `"report"`): `"skip"` ignores tokens inside code blocks and inline code.
    - `target-families` (default: all, unambiguous tokens only): e.g. `["llama2", "qwen"]` looks for those
      families' tokens only, their ambiguous ones included. Keys: chatml, llama2, llama3, mistral, gemma,
      phi3, qwen, deepseek, gpt-oss, zephyr.
    - `extra-tokens` (default none): more literal tokens to look for.
    - `tokenizer` (default none; set by `--tokenizer`): add that tokenizer's special tokens.
    - `include-scaffolding-markers` (default false): also report MIX005's four markers outside code.
    """
    found, deferred = _scanner_of(options)
    if example.format not in MIX005_FORMATS:
        deferred = frozenset()
    if not _maybe(example, found):
        return
    skip_code = options.in_code == "skip"
    for pointer, text in texts(example):
        hits = found.scan(text)
        if not hits:
            continue
        kept = [h for h in hits if not (h.in_code and skip_code) and not (h.token in deferred and not h.in_code)]
        if not kept:
            continue
        first = kept[0]
        message = _describe(first)
        if first.in_code:
            message += " (inside a code block: the tokenizer still parses it as the control token)"
        elif first.token not in tokens_table.LOOK_ALIKES:
            message += ": a tokenizer of that family parses it as the control token, not as text"
        else:
            message += (": a rendered DeepSeek prompt whose full-width bars were folded to ASCII (NFKC or a "
                        "careless copy); the turn structure leaked into content")
        others = sorted({h.token for h in kept[1:]} - {first.token})
        more = len(kept) - 1
        if more:
            listed = ", ".join(repr(t) for t in others[:3]) + (" ..." if len(others) > 3 else "")
            message += f"; {more} more in this text" + (f" ({listed})" if listed else "")
        yield Violation(message, pointer)
