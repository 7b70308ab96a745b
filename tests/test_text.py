"""Text helpers shared by the content rules: fenced blocks and code blanked out."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.text import fenced_spans, strip_code

# What a fenced block is, said as a regex: a fence, then anything up to the same fence or the end.
_FENCED = re.compile(r"(```|~~~).*?(?:\1|\Z)", re.DOTALL)


def test_fenced_spans_run_to_the_same_fence_or_the_end() -> None:
    assert fenced_spans("no code") == []
    assert fenced_spans("a\n```py\nx = 1\n```\nb") == [(2, 17)]
    assert fenced_spans("~~~\n```\n~~~ then ```open") == [(0, 11), (17, 24)]
    assert fenced_spans("````\nx\n````") == [(0, 10)]  # the fourth backtick is inside the block


def test_strip_code_blanks_blocks_and_inline_code_keeping_lines() -> None:
    assert strip_code("Use `{name}` here") == "Use   here"
    assert strip_code("Before\n```\n{{slot}}\nmore\n```\nafter {x}") == "Before\n\n\n\n\nafter {x}"
    assert strip_code("text ~~~\nunclosed {y}") == "text \n"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["`", "~", "\n", "a", " ", "```", "~~~"]), max_size=20).map("".join))
def test_fenced_spans_agree_with_the_regex(text: str) -> None:
    assert fenced_spans(text) == [match.span() for match in _FENCED.finditer(text)]
