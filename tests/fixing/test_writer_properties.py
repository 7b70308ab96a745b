"""Property tests: rewriting never touches lines it was not asked to change, whatever the bytes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.fixing.writer import decode_line, rewrite_jsonl, split_lines

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_record = st.dictionaries(st.sampled_from(["instruction", "input", "output", "id", "é"]),
                          st.one_of(_text, st.integers(), st.none(), st.lists(_text, max_size=3)), max_size=5)
_line = st.one_of(
    st.builds(lambda r, a, c, e: json.dumps(r, ensure_ascii=a, separators=(",", ":") if c else None).encode() + e,
              _record, st.booleans(), st.booleans(), st.sampled_from([b"\n", b"\r\n"])),
    st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"") + b"\n"),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_line, max_size=8), st.booleans(), st.data())
def test_only_changed_lines_change(lines: list[bytes], bom: bool, data: st.DataObject) -> None:
    raw = (b"\xef\xbb\xbf" if bom else b"") + b"".join(lines)
    assert rewrite_jsonl(raw, {}) == raw
    _, split = split_lines(raw)
    decodable = [n for n, line in enumerate(split, 1) if _decodes(line)]
    if not decodable:
        return
    chosen = data.draw(st.sampled_from(decodable))
    new = {"changed": data.draw(_text)}
    out = rewrite_jsonl(raw, {chosen: new})
    _, after = split_lines(out)
    assert len(after) == len(split)
    for number, (old, line) in enumerate(zip(split, after), 1):
        if number == chosen:
            assert decode_line(line.rstrip(b"\r\n")) == new
            assert line[len(line.rstrip(b"\r\n")):] == old[len(old.rstrip(b"\r\n")):], "line ending kept"
        else:
            assert line == old
    dropped = rewrite_jsonl(raw, {chosen: None})
    assert split_lines(dropped)[1] == split[: chosen - 1] + split[chosen:]


def _decodes(line: bytes) -> bool:
    try:
        return isinstance(decode_line(line), dict)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
