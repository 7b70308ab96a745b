"""Property tests: no input crashes a reader, sources are always consistent, and duplicate-key detection
is exact whatever the formatting and string escaping of the line."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.model import RawRecord, ReadProblem
from dslint.readers.dupkeys import MAX_NOTES

from .helpers import read_target

FRAGMENTS = ['{"a": ', '"x"', "1", "}", "]", "[", ", ", ":", "\n", "\r\n", " ", "NaN", '"\\u003a"', '"k": ', "\ufeff"]
near_json = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(lambda parts: "".join(parts).encode("utf-8"))
any_bytes = st.one_of(st.binary(max_size=3000), near_json)


def _read(data: bytes, name: str) -> list[RawRecord]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(data)
        return read_target(path)


def _check_sources(records: list[RawRecord], name: str, lines_increase: bool) -> None:
    assert records, "a reader always yields something: records or a problem"
    expected_index = 0
    last_line = 0
    for record in records:
        assert isinstance(record, RawRecord)
        assert record.source.path == name
        line = record.source.line
        assert line is None or (isinstance(line, int) and line >= 1)
        if record.problem is None:
            assert isinstance(record.value, dict)
        else:
            assert record.message and "\n" not in record.message
        if record.problem is ReadProblem.INVALID_JSON:
            assert record.value is None
        if record.is_file_level:
            assert record.source.index == -1
            continue
        assert record.source.index == expected_index
        expected_index += 1
        if lines_increase:
            assert line is not None and line > last_line
            last_line = line


@settings(max_examples=300, deadline=None)
@given(any_bytes)
def test_arbitrary_bytes_as_jsonl(data: bytes) -> None:
    _check_sources(_read(data, "fuzz.jsonl"), "fuzz.jsonl", lines_increase=True)


@settings(max_examples=300, deadline=None)
@given(any_bytes)
def test_arbitrary_bytes_as_json(data: bytes) -> None:
    _check_sources(_read(data, "fuzz.json"), "fuzz.json", lines_increase=False)


@settings(max_examples=100, deadline=None)
@given(any_bytes)
def test_arbitrary_bytes_as_csv(data: bytes) -> None:
    records = _read(data, "fuzz.csv")
    assert records and all(r.source.path == "fuzz.csv" for r in records)


# Duplicate keys. A tree is ("obj", [(key, child), ...]) with duplicates allowed, ("list", [...]) or a scalar.
KEYS = st.sampled_from(["a", "b", "k:", 'q"', "é", "a/b", "~", ""])
TEXT = st.text(alphabet=st.sampled_from(list('ab:"\\{}[], é\n/3u')), max_size=8)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), TEXT)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4).map(lambda items: ("list", items)),
        st.lists(st.tuples(KEYS, children), max_size=4).map(lambda pairs: ("obj", pairs)),
    )


TREES = st.recursive(SCALARS, _containers, max_leaves=25)
RECORDS = st.lists(st.tuples(KEYS, TREES), max_size=6).map(lambda pairs: ("obj", pairs))


def _encode_string(text: str, rng: random.Random) -> str:
    out = []
    for char in text:
        escaped = {'"': '\\"', "\\": "\\\\", "\n": "\\n"}.get(char)
        if rng.random() < 0.3 or (escaped is None and ord(char) < 0x20):
            out.append(f"\\u{ord(char):04{rng.choice('xX')}}")
        else:
            out.append(escaped or char)
    return '"' + "".join(out) + '"'


def _serialise(tree: Any, rng: random.Random) -> str:
    def space() -> str:
        return rng.choice(["", " ", "  ", "\t"])

    if isinstance(tree, tuple) and tree[0] == "obj":
        pairs = [f"{_encode_string(k, rng)}{space()}:{space()}{_serialise(v, rng)}" for k, v in tree[1]]
        return "{" + space() + f"{space()},{space()}".join(pairs) + space() + "}"
    if isinstance(tree, tuple) and tree[0] == "list":
        return "[" + f"{space()},{space()}".join(_serialise(item, rng) for item in tree[1]) + "]"
    if isinstance(tree, str):
        return _encode_string(tree, rng)
    return json.dumps(tree)


def _expected_pointers(tree: Any, pointer: str = "") -> list[str]:
    """Pointers of repeated keys (each key once per object), over every value including dropped ones."""
    found: list[str] = []
    if isinstance(tree, tuple) and tree[0] == "obj":
        seen: set[str] = set()
        reported: set[str] = set()
        for key, _ in tree[1]:
            child_pointer = pointer + "/" + key.replace("~", "~0").replace("/", "~1")
            if key in seen and key not in reported:
                reported.add(key)
                found.append(child_pointer)
            seen.add(key)
        for key, child in tree[1]:
            found += _expected_pointers(child, pointer + "/" + key.replace("~", "~0").replace("/", "~1"))
    elif isinstance(tree, tuple) and tree[0] == "list":
        for index, item in enumerate(tree[1]):
            found += _expected_pointers(item, f"{pointer}/{index}")
    return found


@settings(max_examples=400, deadline=None)
@given(RECORDS, st.randoms(use_true_random=False))
def test_duplicate_keys_are_detected_exactly(tree: Any, rng: random.Random) -> None:
    line = _serialise(tree, rng).encode("utf-8")
    [record] = _read(line + b"\n", "dup.jsonl")
    assert record.problem is None, record.message
    assert record.value == json.loads(line)
    expected = _expected_pointers(tree)
    assert len(record.notes) == min(len(expected), MAX_NOTES)
    if len(expected) <= MAX_NOTES:
        assert sorted(note[2] or "" for note in record.notes) == sorted(expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(RECORDS, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_duplicate_keys_are_detected_exactly_in_json_arrays(trees: list[Any], rng: random.Random) -> None:
    document = "[\n" + ",\n".join(_serialise(tree, rng) for tree in trees) + "\n]"
    records = _read(document.encode("utf-8"), "dup.json")
    assert [r.source.line for r in records] == list(range(2, 2 + len(trees)))
    for record, tree in zip(records, trees, strict=True):
        expected = _expected_pointers(tree)
        assert len(record.notes) == min(len(expected), MAX_NOTES)
