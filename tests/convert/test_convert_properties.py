"""Property test: no record, however malformed, makes conversion raise anything but Unconvertible."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.convert.conversation import Unconvertible, from_example, parse_role_map
from dslint.convert.run import TARGETS, ConvertOptions, build
from dslint.formats import normalise
from dslint.model import Source

_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_json = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                     max_leaves=12)
_roles = st.sampled_from(["user", "assistant", "system", "tool", "human", "gpt", "function_call", "observation",
                          "bot", "developer", "function"])
_message = st.fixed_dictionaries({"role": _roles, "content": st.one_of(st.text(max_size=10), _json)},
                                 optional={"tool_calls": _json, "tool_call_id": _json, "from": _roles,
                                           "value": st.one_of(st.text(max_size=10), _json)})
_record = st.one_of(
    st.fixed_dictionaries({"messages": st.lists(_message, max_size=5)}, optional={"id": _json, "tools": _json}),
    st.fixed_dictionaries({"conversations": st.lists(_message, max_size=5)}, optional={"system": _json}),
    st.fixed_dictionaries({"instruction": _json, "output": _json}, optional={"input": _json, "history": _json,
                                                                            "system": _json}),
    st.fixed_dictionaries({"prompt": _json, "completion": _json}),
    _json,
)


@settings(max_examples=300, deadline=None)
@given(_record, st.sampled_from(TARGETS), st.sampled_from(["history", "fold", "skip"]))
def test_conversion_never_crashes(record: object, target: str, multi_turn: str) -> None:
    example = normalise(record, Source("x", 1, 0))
    try:
        conversation = from_example(example, parse_role_map("bot=assistant"))
        out = build(conversation, ConvertOptions(target, multi_turn=multi_turn, system="S"))
    except Unconvertible:
        return
    json.dumps(out)  # serialisable
    converted = normalise(out, Source("y", 1, 0))
    assert converted.format is not None and not converted.issues, converted.issues
