"""Gitignore-style globs."""

from __future__ import annotations

import pytest

from dslint.globs import compile_globs


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        ("*.jsonl", ["a.jsonl", "x/y/a.jsonl"], ["a.json", "a.jsonl.gz", "jsonl"]),
        ("tmp", ["tmp", "a/tmp", "tmp/x.jsonl", "a/tmp/b/c.json"], ["tmpx", "a/xtmp", "tm"]),
        ("build/", ["build/a.jsonl", "x/build/a.jsonl", "build/"], ["build", "x/build", "builder/a"]),
        ("/data/*.json", ["data/a.json"], ["x/data/a.json", "data/sub/a.json", "data/a.jsonl"]),
        ("data/*.json", ["data/a.json"], ["x/data/a.json"]),
        ("a/**/b.jsonl", ["a/b.jsonl", "a/x/b.jsonl", "a/x/y/b.jsonl"], ["b.jsonl", "x/a/b.jsonl", "a/xb.jsonl"]),
        ("**/raw", ["raw", "x/raw", "x/y/raw/z.csv"], ["rawx", "x/raws"]),
        ("raw/**", ["raw/a", "raw/a/b"], ["raw", "x/raw/a"]),
        ("**", ["a", "a/b/c"], []),
        ("d?ta/*.csv", ["data/a.csv", "dota/b.csv"], ["da/ta/a.csv", "dta/a.csv"]),
        ("file[0-9].jsonl", ["file1.jsonl", "x/file9.jsonl"], ["filex.jsonl", "file10.jsonl"]),
        ("file[!0-9].jsonl", ["filex.jsonl"], ["file1.jsonl", "file/.jsonl"]),
        ("a+b (1).jsonl", ["a+b (1).jsonl"], ["aab (1).jsonl"]),
        ("\\*.jsonl", ["*.jsonl"], ["a.jsonl"]),
        ("./data/x.jsonl", ["data/x.jsonl", "./data/x.jsonl"], ["y/data/x.jsonl"]),
    ],
)
def test_pattern(pattern: str, matching: list[str], not_matching: list[str]) -> None:
    matches = compile_globs([pattern])
    assert [path for path in matching if not matches(path)] == []
    assert [path for path in not_matching if matches(path)] == []


def test_star_does_not_cross_directories() -> None:
    matches = compile_globs(["data/*"])
    assert matches("data/a.jsonl")
    assert matches("data/sub/a.jsonl")  # data/sub matches, and everything under a match does too
    assert not compile_globs(["data/*.jsonl"])("data/sub/a.jsonl")


def test_several_patterns_compile_into_one_predicate() -> None:
    matches = compile_globs(["*.csv", "build/", "/top.jsonl"])
    assert [matches(p) for p in ["a.csv", "build/x", "top.jsonl", "x/top.jsonl", "a.jsonl"]] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_no_patterns_match_nothing() -> None:
    assert not compile_globs([])("a.jsonl")
    assert not compile_globs(["", "  ", "/"])("a.jsonl")


def test_negation_is_rejected() -> None:
    with pytest.raises(ValueError, match="negated glob patterns are not supported"):
        compile_globs(["!keep.jsonl"])
