"""Writing fixed records back: untouched lines byte for byte, changed ones in their own style."""

from __future__ import annotations

import json

import pytest

from dslint.fixing.writer import (
    UnsupportedFile,
    line_style,
    rewrite_json,
    rewrite_jsonl,
    split_lines,
)


def test_untouched_lines_are_byte_identical_and_endings_kept() -> None:
    lines = [b'{"a": 1,   "b": "x"}\r\n', b'{"a":2,"b":"y"}\n', b"\n", b'{"a": 3, "b": "\\u00e9"}']
    data = b"\xef\xbb\xbf" + b"".join(lines)
    out = rewrite_jsonl(data, {2: {"a": 2, "b": "z"}, 4: {"a": 3, "b": "\u00e9!"}})
    prefix, got = split_lines(out)
    assert prefix == b"\xef\xbb\xbf"
    assert got[0] == lines[0] and got[2] == b"\n"
    assert got[1] == b'{"a":2,"b":"z"}\n', "compact separators kept"
    assert got[3] == b'{"a": 3, "b": "\\u00e9!"}', "ensure_ascii kept, no newline added at EOF"


def test_changed_line_keeps_key_order_unknown_fields_and_raw_unicode() -> None:
    line = '{"z": 1, "instruction": "caf\u00e9 ", "extra": {"k": [1, 2.5, null]}}\r\n'.encode()
    value = json.loads(line)
    value["instruction"] = "caf\u00e9"
    out = rewrite_jsonl(line, {1: value})
    assert out == '{"z": 1, "instruction": "caf\u00e9", "extra": {"k": [1, 2.5, null]}}\r\n'.encode()


def test_dropped_lines_disappear_with_their_ending() -> None:
    assert rewrite_jsonl(b'{"a": 1}\n{"a": 2}\n{"a": 3}\n', {2: None}) == b'{"a": 1}\n{"a": 3}\n'


def test_lone_surrogates_stay_escapes() -> None:
    line = b'{"a": "x\\ud800", "b": "\xc3\xa9"}\n'
    value = json.loads(line)
    value["b"] = "\u00e9\u00e9"
    out = rewrite_jsonl(line, {1: value})
    assert out == '{"a": "x\\ud800", "b": "\u00e9\u00e9"}\n'.encode()


def test_style_guess_when_no_setting_reproduces_the_line() -> None:
    style = line_style('{"a":1, "b":2}', {"a": 1, "b": 2})
    assert style.separators == (",", ":")


@pytest.mark.parametrize("indent", [2, 4, None])
@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_json_array_in_a_standard_style_is_rewritten_in_that_style(indent: int | None, ensure_ascii: bool) -> None:
    records = [{"instruction": "caf\u00e9 ", "output": "x"}, {"instruction": "b", "output": "y"}]
    data = (json.dumps(records, indent=indent, ensure_ascii=ensure_ascii) + "\n").encode()
    fixed = [{"instruction": "caf\u00e9", "output": "x"}]
    out = rewrite_json(data, {0: fixed[0], 1: None})
    assert out == (json.dumps(fixed, indent=indent, ensure_ascii=ensure_ascii) + "\n").encode()


@pytest.mark.parametrize(("data", "expected"), [
    (b'[ {"a": 1}, {"a": 5}]', b'[ {"a": 2}, {"a": 5}]'),
    (b'{"data": [\n  {"a": 1},\n  {"a": 5}\n], "n": 2}', b'{"data": [\n  {"a": 2},\n  {"a": 5}\n], "n": 2}'),
    (b'\xef\xbb\xbf[\n    {\n      "a": 1\n    },\n    {"a":5}\n]', b'\xef\xbb\xbf[\n    {\n      "a": 2\n    },\n    {"a":5}\n]'),
])
def test_json_files_are_spliced_keeping_every_other_byte(data: bytes, expected: bytes) -> None:
    assert rewrite_json(data, {0: {"a": 2}}) == expected


def test_json_drops_take_their_separator() -> None:
    data = b'[\n  {"a": 1},\n  {"a": 2},\n  {"a": 3}\n]\n'
    assert rewrite_json(data, {0: None}) == b'[\n  {"a": 2},\n  {"a": 3}\n]\n'
    assert rewrite_json(data, {2: None}) == b'[\n  {"a": 1},\n  {"a": 2}\n]\n'
    assert rewrite_json(data, {1: None, 2: None}) == b'[\n  {"a": 1}\n]\n'
    assert rewrite_json(data, {0: None, 1: None, 2: None}) == b'[]\n'


@pytest.mark.parametrize("data", [b"[1,", b'[{"a": 1}]\n// c', b'{"instruction": "x", "output": "y"}',
                                  b'[1, 2]', b'[{"a" : 1}]', b"[]"])
def test_json_files_that_cannot_be_reproduced_are_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedFile):
        rewrite_json(data, {0: {"a": 2}})


def test_escaped_slashes_are_kept_in_jsonl_and_json() -> None:
    line = b'{"url": "http:\\/\\/x.org\\/a", "t": "b "}\n'
    assert rewrite_jsonl(line, {1: {"url": "http://x.org/a", "t": "b"}}) == b'{"url": "http:\\/\\/x.org\\/a", "t": "b"}\n'
    data = b'[\n    {\n        "url": "a\\/b",\n        "t": "x "\n    }\n]'
    assert rewrite_json(data, {0: {"url": "a/b", "t": "x"}}) == b'[\n    {\n        "url": "a\\/b",\n        "t": "x"\n    }\n]'
