"""Applying fix edits to records: JSON Patch semantics, no mutation, conflicts left to the next pass."""

from __future__ import annotations

import pytest

from dslint.fixing.model import (
    Applicability,
    add,
    drop_record,
    remove,
    replace,
    safe,
    unsafe,
)
from dslint.fixing.patch import PatchError, apply_edit, apply_fixes


def test_replace_remove_add_follow_json_patch() -> None:
    record = {"messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "s"}], "a/b": 1}
    assert apply_edit({"x": 1}, replace("/x", 2)) == {"x": 2}
    assert apply_edit([1, 2, 3], remove("/1")) == [1, 3]
    assert apply_edit([1, 2], add("/0", 0)) == [0, 1, 2]
    assert apply_edit([1, 2], add("/-", 3)) == [1, 2, 3]
    assert apply_edit({"a/b": 1}, replace("/a~1b", 5)) == {"a/b": 5}
    new, applied, dropped = apply_fixes(record, [safe("move", remove("/messages/1"),
                                                      add("/messages/0", {"role": "system", "content": "s"}))])
    assert new["messages"][0]["role"] == "system" and len(applied) == 1 and not dropped
    assert record["messages"][0]["role"] == "user", "the input record is never mutated"


@pytest.mark.parametrize("edit", [replace("/missing", 1), remove("/list/9"), add("/list/x", 1),
                                  replace("/scalar/deeper", 1), remove(""), replace("no-slash", 1)])
def test_edits_that_do_not_fit_raise_patch_error(edit: object) -> None:
    with pytest.raises(PatchError):
        apply_edit({"list": [1], "scalar": 3}, edit)  # type: ignore[arg-type]


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    record = {"messages": [{"content": " a "}, {"content": "b"}, {"content": "c "}]}
    first = unsafe("merge", replace("/messages/0/content", "a b"), remove("/messages/1"))
    second = safe("strip", replace("/messages/2/content", "c"))  # under the container the merge reshapes
    disjoint = safe("strip other", replace("/other", 1))
    new, applied, _ = apply_fixes({**record, "other": 0}, [first, second, disjoint])
    assert applied == [first, disjoint]
    assert new["messages"] == [{"content": "a b"}, {"content": "c "}] and new["other"] == 1


def test_two_replaces_of_sibling_values_apply_together() -> None:
    fixes = [safe("a", replace("/a", 1)), safe("b", replace("/b", 2))]
    new, applied, _ = apply_fixes({"a": 0, "b": 0}, fixes)
    assert new == {"a": 1, "b": 2} and applied == fixes


def test_a_failing_fix_is_skipped_and_the_rest_applied() -> None:
    good = safe("good", replace("/a", 1))
    new, applied, _ = apply_fixes({"a": 0}, [safe("bad", replace("/nope/x", 1)), good])
    assert new == {"a": 1} and applied == [good]


def test_a_drop_wins() -> None:
    drop = drop_record("duplicate")
    assert drop.applicability is Applicability.UNSAFE and drop.drop
    _, applied, dropped = apply_fixes({"a": 0}, [safe("a", replace("/a", 1)), drop])
    assert dropped and applied == [drop]


def test_fix_serialises_for_json_output() -> None:
    fix = safe("move", remove("/m/1"), add("/m/0", {"x": 1}))
    assert fix.to_dict() == {"message": "move", "applicability": "safe", "drop": False,
                             "edits": [{"op": "remove", "path": "/m/1"},
                                       {"op": "add", "path": "/m/0", "value": {"x": 1}}]}
