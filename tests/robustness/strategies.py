"""Hypothesis strategies for hostile data: any JSON value, any Unicode (lone surrogates, U+2028/U+2029,
NUL, bidirectional controls), huge strings, deep nesting, and records shaped like every supported format
with such values inside."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# Characters and snippets that break naive code: line separators JSON allows raw but JavaScript does not,
# lone surrogates (valid as JSON escapes, not encodable as UTF-8), NUL and terminal escapes, bidi controls,
# BOMs, special tokens, the characters each output format escapes, mojibake and secret look-alikes.
SPECIAL = [
    "\u2028", "\u2029", "\x00", "\ud800", "\udfff", "\ud83d", "\r\n", "\r", "\n", "\t", "\x85", "\u202e",
    "\u200b", "\ufeff", "\ufffe", "\uffff", "\x1b[2J", "\U0001f600", "<|im_end|>", "</s>", "[INST]",
    "### Response:", "\\", '"', "%0A", "%", "::error::", ",", ":", "]]>", "<script>", "&amp;", "Ã©", "â€™",
    "~1", "/", "sk-proj-" + "Ab3" * 15, "ghp_" + "x1Y" * 12, "user@example.com", "4111 1111 1111 1111",
    "-----BEGIN RSA PRIVATE KEY-----", "{{ raise_exception('x') }}", "{% for %}", "NaN", "null",
]
CHARS = st.one_of(st.characters(), st.characters(categories=["Cs"]), st.sampled_from(SPECIAL))
SHORT_TEXT = st.lists(CHARS, max_size=16).map("".join)
# Up to a few hundred thousand characters: enough to expose quadratic work, cheap enough to run often.
HUGE_TEXT = st.builds(lambda unit, count: unit * count,
                      st.sampled_from(["a", "word ", "é", "\u2028", "\ud800", "x\n", "日本語", "sk-"]),
                      st.integers(1_000, 20_000))
TEXT = st.one_of(SHORT_TEXT, SHORT_TEXT, SHORT_TEXT, HUGE_TEXT)

KEYS = st.sampled_from([
    "instruction", "input", "output", "system", "history", "messages", "conversations", "prompt",
    "completion", "chosen", "rejected", "role", "content", "from", "value", "type", "text", "tool_calls",
    "function_call", "tool_call_id", "function", "name", "arguments", "id", "tools", "weight", "image_url",
])
ROLES = st.sampled_from(["user", "assistant", "system", "tool", "human", "gpt", "function_call", "observation",
                         "developer", "bot", "", "USER", "\u202euser", "user\x00"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), TEXT, ROLES)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS | SHORT_TEXT, children, max_size=5),
    max_leaves=25,
)


def nest(leaf: Any, depth: int, kind: str) -> Any:
    """`leaf` inside `depth` lists or single-key objects, built without recursion."""
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


DEEP = st.builds(nest, SCALARS, st.integers(50, 900), st.sampled_from(["list", "dict"]))
VALUES = st.one_of(JSON_VALUES, JSON_VALUES, JSON_VALUES, DEEP)
CONTENT = st.one_of(TEXT, TEXT, TEXT, VALUES,
                    st.lists(st.fixed_dictionaries({"type": st.sampled_from(["text", "image_url", "x"]),
                                                    "text": VALUES}), max_size=3))


def _turns(role_key: str, content_key: str) -> st.SearchStrategy[list[Any]]:
    turn = st.fixed_dictionaries({role_key: ROLES, content_key: CONTENT},
                                 optional={"name": SHORT_TEXT, "tool_calls": VALUES, "weight": VALUES})
    return st.lists(turn | VALUES, max_size=7)


RECORDS = st.one_of(
    st.fixed_dictionaries({"messages": _turns("role", "content")}, optional={"tools": VALUES}),
    st.fixed_dictionaries({"conversations": _turns("from", "value")}, optional={"system": CONTENT}),
    st.fixed_dictionaries({"instruction": CONTENT, "output": CONTENT},
                          optional={"input": CONTENT, "system": CONTENT, "history": VALUES}),
    st.fixed_dictionaries({"prompt": CONTENT | _turns("role", "content"),
                           "chosen": CONTENT | _turns("role", "content"),
                           "rejected": CONTENT | _turns("role", "content")}),
    st.fixed_dictionaries({"prompt": CONTENT, "completion": CONTENT}),
    st.dictionaries(KEYS | SHORT_TEXT, VALUES, max_size=6),
    VALUES,
)


def dumps_line(value: Any, ascii_only: bool) -> bytes:
    """One JSON Lines line. `ascii_only` writes lone surrogates as escapes (valid JSON); otherwise they are
    written raw with `surrogatepass`, which is invalid UTF-8 (a hostile file, not a bug of the writer)."""
    return encode(value, ascii_only) + b"\n"


_CLOSE_LIST, _CLOSE_OBJECT, _COMMA = object(), object(), object()
_MARKS = {id(_CLOSE_LIST): "]", id(_CLOSE_OBJECT): "}", id(_COMMA): ","}


class _Key:
    def __init__(self, key: str) -> None:
        self.key = key


def encode(value: Any, ascii_only: bool = True) -> bytes:
    """JSON text of any value, however deep (iterative: `json.dumps` stops at Python's recursion limit)."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        mark = _MARKS.get(id(item))
        if mark is not None:
            out.append(mark)
        elif isinstance(item, list):
            out.append("[")
            stack.append(_CLOSE_LIST)
            for position, child in enumerate(reversed(item)):
                stack.append(child)
                if position < len(item) - 1:
                    stack.append(_COMMA)
        elif isinstance(item, dict):
            out.append("{")
            stack.append(_CLOSE_OBJECT)
            pairs = list(item.items())
            for position, (key, child) in enumerate(reversed(pairs)):
                stack.append(child)
                stack.append(_Key(key))
                if position < len(pairs) - 1:
                    stack.append(_COMMA)
        elif isinstance(item, _Key):
            out.append(json.dumps(item.key, ensure_ascii=ascii_only) + ":")
        else:
            out.append(json.dumps(item, ensure_ascii=ascii_only))
    return "".join(out).encode("utf-8", "surrogatepass")
