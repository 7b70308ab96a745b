from __future__ import annotations

import pytest

from dslint.rules import all_rules
from dslint.selection import SelectorError, match, resolve, specificity


def test_prefix_code_name_all() -> None:
    rules = all_rules()
    assert {r.code for r in match("FMT00", rules)} >= {"FMT001", "FMT009"}
    assert [r.code for r in match("FMT001", rules)] == ["FMT001"]
    with pytest.raises(SelectorError):
        match("fmt001", rules)  # lower case means a name, and no rule is named so
    assert [r.name for r in match("invalid-json", rules)] == ["invalid-json"]
    assert len(match("ALL", rules)) == len(rules)


def test_unknown_selector_raises() -> None:
    with pytest.raises(SelectorError):
        match("ZZZ", all_rules())


def test_specificity_order() -> None:
    assert specificity("ALL") < specificity("FMT") < specificity("FMT0") < specificity("FMT001")
    assert specificity("invalid-json") == specificity("FMT001")


def test_default_excludes_opt_in() -> None:
    rules = all_rules()
    default = resolve(rules, None)
    assert all(r.default_enabled for r in default)
    assert resolve(rules, None, ignore=["ALL"]) == []
