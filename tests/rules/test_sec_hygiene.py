"""SEC text hygiene: the finders of `sec_hygiene_patterns` directly, the screen against them, the one-record memo,
the unregistered SEC014 check, and SEC017's dataset state (merge, caps, majorities)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dslint.formats import normalise
from dslint.model import Example, Source, Violation
from dslint.rules import sec_hygiene as rules
from dslint.rules import sec_hygiene_patterns as patterns
from dslint.rules.minority import MinorityOptions
from dslint.rules.sec_line_endings import MixedLineEndings, line_endings

FINDERS = (patterns.find_invisible, patterns.find_bidi, patterns.find_controls, patterns.find_surrogates,
           patterns.find_mojibake, patterns.find_lookalikes)
RECORD_RULES = (rules.invisible_character, rules.bidi_control, rules.control_character, rules.mojibake,
                rules.lookalike_punctuation)


def example(record: dict[str, Any], index: int = 0, path: str = "data.jsonl") -> Example:
    return normalise(record, Source(path, index + 1, index))


def alpaca(output: str, instruction: str = "Answer.", inp: str = "") -> dict[str, Any]:
    return {"instruction": instruction, "input": inp, "output": output}


def whats(hits: Iterable[patterns.Hit]) -> list[str]:
    return [hit.what for hit in hits]


# -- SEC011 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "می\u200cخواهم",  # Persian ZWNJ
    "ശ്രീ ന്\u200d",  # Malayalam chillu
    "ශ්\u200dරී",  # Sinhala conjunct
    "👨\u200d👩\u200d👧",  # family
    "❤\ufe0f\u200d🔥",  # heart on fire: VS16 then ZWJ
    "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",  # Scotland
    "สวัสดี\u200bครับ",  # Thai word break
    "שלום \u200e42\u200e",  # direction marks in a Hebrew line
    "葛\U000E0100城",  # ideographic variation sequence
    "1\ufe0f\u20e3 ❤\ufe0f\ufe0f",  # keycap; a doubled VS16 is harmless
])
def test_invisible_characters_a_script_or_an_emoji_needs_are_not_reported(text: str) -> None:
    assert patterns.find_invisible(text) == []


def test_invisible_characters_are_named_with_their_index() -> None:
    hits = patterns.find_invisible("pass\u200bword \ufeffand inter\u00adnational")
    assert [(hit.start, hit.what) for hit in hits] == [
        (4, "U+200B ZERO WIDTH SPACE"), (10, "U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark)"),
        (20, "U+00AD SOFT HYPHEN")]


def test_tag_characters_are_decoded_and_selector_runs_reported() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "run rm")
    assert whats(patterns.find_invisible("Hi" + hidden)) == [
        "6 invisible TAG characters (U+E0000 block) spelling 'run rm'"]
    assert whats(patterns.find_invisible("a\U000E0100\U000E0101")) == [
        "2 variation selectors (U+E0100 VARIATION SELECTOR-17 ...)"]


def test_direction_marks_are_invisible_only_outside_right_to_left_lines() -> None:
    assert whats(patterns.find_invisible("مرحبا\nTotal:\u200e 42")) == ["U+200E LEFT-TO-RIGHT MARK"]


# -- SEC012 ------------------------------------------------------------------------------------------------


def test_overrides_are_always_reported_embeddings_only_outside_rtl_or_in_code() -> None:
    assert whats(patterns.find_bidi("שלום \u202edlrow")) == ["U+202E RIGHT-TO-LEFT OVERRIDE"]
    assert patterns.find_bidi("אני משתמש ב-\u2066Linux\u2069") == []
    assert len(patterns.find_bidi("It is \u202bsunny\u202c.")) == 2
    assert len(patterns.find_bidi("```\nx = 1  # \u2067مرحبا\u2069\n```")) == 2
    assert patterns.in_code("a `b` c ```\nd", 11) and not patterns.in_code("a `b` c", 6)


# -- SEC013 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "command"), [
    ("\\(\x0crac{1}{2}\\)", "\\frac"), ("$\x08eta$", "\\beta"), ("$3 \times 4$", "\\times"),
    ("\\left( x \right)", "\\right"), ("$\x0bec{v}$", "\\vec"), ("$\x07lpha$", "\\alpha"),
])
def test_latex_commands_eaten_by_an_escape_are_named(text: str, command: str) -> None:
    hits = patterns.find_controls(text)
    assert len(hits) == 1 and f"a LaTeX `{command}`" in hits[0].note


def test_tabs_crs_and_mojibake_bytes_are_not_control_findings() -> None:
    assert patterns.find_controls("item\ttimes\tcount\r\nname\text\tau") == []
    assert patterns.find_controls("The heart â\x80\x94 a diamond") == []  # SEC015's


def test_ansi_codes_and_cp1252_bytes_get_a_hint() -> None:
    assert "ANSI terminal code '\\x1b[31m'" in patterns.find_controls("\x1b[31mRED")[0].note
    assert patterns.find_controls("don\x92t")[0].note == ": cp1252's '’' read as Latin-1"


# -- SEC014 (not registered) ---------------------------------------------------------------------------------


def test_surrogates_lone_or_left_as_a_pair() -> None:
    assert whats(patterns.find_surrogates("a\ud800b\udc00")) == [
        "lone high surrogate U+D800", "lone low surrogate U+DC00"]
    pair = patterns.find_surrogates("x\ud83d\ude00")
    assert len(pair) == 1 and pair[0].note == " (it should be one character, U+1F600)"


def test_the_unregistered_lone_surrogate_check_points_at_the_field() -> None:
    found = rules.lone_surrogate(example(alpaca("ok", inp="bad \ud800 text")), None)
    assert found == [Violation("lone high surrogate U+D800 at index 4, between 'bad ' and ' text': it cannot be "
                               "encoded as UTF-8", "/input")]


# -- SEC015 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("span", "meant"), [
    ("Ã©", "é"), ("Â°", "°"), ("â€™", "’"), ("ÃƒÂ©", "é"), ("Ð¿Ñ€Ð¸", "при"), ("ðŸ˜€", "😀"), ("Î±", "α"),
    ("È™", "ș"), ("â\x80\x94", "—"),
])
def test_mojibake_is_repaired(span: str, meant: str) -> None:
    assert patterns.repair(span) == meant


@pytest.mark.parametrize("text", ["São Tomé e Príncipe", "ÃNGELA", "à\u00a0«\u00a0Paris\u00a0»", "»Die Straße«",
                                  "«Perché…»", "“ESPAÑA”", "JOSÉ’S CAFÉ…", "1½ cups, ±2 µm, £10"])
def test_real_text_is_not_mojibake(text: str) -> None:
    assert patterns.find_mojibake(text) == []


def test_mojibake_quotes_the_word_and_its_repair() -> None:
    hits = patterns.find_mojibake("Set in Belle Ã\x89poque Paris, ChÃ©ri \ufffd")
    assert [(hit.start, hit.what, hit.note) for hit in hits][:2] == [
        (13, "mojibake 'Ã\\x89poque'", ": UTF-8 read as cp1252/Latin-1, it should read 'Époque'"),
        (30, "mojibake 'ChÃ©ri'", ": UTF-8 read as cp1252/Latin-1, it should read 'Chéri'")]
    assert hits[2].what == "U+FFFD REPLACEMENT CHARACTER"


# -- SEC016 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>", "<｜tool▁calls▁begin｜>", "<|im_start|>user",
    "北京是中国的首都，历史悠久：有三千多年。", "{\"text\": \"你好，世界：测试\"}", "He said, “Hello”: hi.",
    "{\"a\": 1}. He said, “Hello”: hi.", "⟨s⟩ ⟨ψ|φ⟩ 《红楼梦》 【注意】", "<|你好|>", "### 指令：写诗", "x ## Instruction：",
])
def test_not_lookalikes(text: str) -> None:
    assert patterns.find_lookalikes(text) == []


@pytest.mark.parametrize(("text", "token"), [
    ("＜|im_start|＞", "<|im_start|>"), ("<｜im_end｜>", "<|im_end|>"), ("［INST］", "[INST]"),
    ("[ＩＮＳＴ]", "[INST]"), ("＜＜SYS＞＞", "<<SYS>>"), ("«SYS»", "<<SYS>>"), ("＜/s＞", "</s>"),
    ("＜think＞", "<think>"), ("<∣eot_id∣>", "<|eot_id|>"), ("<|іm_start|>", "<|im_start|>"),
    ("＃＃＃ Response:", "### Response:"), ("### Instruction：", "### Instruction:"),
])
def test_lookalike_tokens_name_the_token(text: str, token: str) -> None:
    hits = patterns.find_lookalikes(text)
    assert len(hits) == 1 and f"looks like the token '{token}'" in hits[0].what


def test_json_lookalikes() -> None:
    assert len(patterns.find_lookalikes("{“name”: “Ada”, “age”: 36}")) == 2
    assert len(patterns.find_lookalikes("{\"city\"：\"Paris\"}")) == 1
    assert len(patterns.find_lookalikes("{\"name\": “Ada”}")) == 1


# -- the screen and the memo -------------------------------------------------------------------------------

INTERESTING = ("\u200b\u200c\u200d\ufeff\u00ad\u2060\u202a\u202e\u2066\u2069\u200e\x00\x07\x0c\x1b\x7f\x85\x92"
               "\r\t\nÃ©Â°â€™\ufffd＜｜［＃：“”{}<|>[]#ΙІаé→😀\U000E0041\U000E0100\ufe0f之 abcimesight")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=INTERESTING, max_size=30))
def test_the_screen_lets_through_every_text_a_finder_reports(text: str) -> None:
    if any(finder(text) for finder in FINDERS):
        assert patterns.suspicious(text)


def test_plain_texts_do_not_pass_the_screen() -> None:
    for text in ("Plain ASCII\nover lines\twith tabs", "Curly “quotes” and ’ — …", "北京是中国的首都，历史悠久。",
                 "Привет, мир", "São Tomé, Zürich"):
        assert not patterns.suspicious(text), text


def test_rules_agree_whatever_the_order_and_the_example() -> None:
    first = example(alpaca("50Â°F\u200b"))
    second = example({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "ok\x00"}]})
    forward = [list(rule(e, None)) for e in (first, second, first) for rule in RECORD_RULES]
    backward = [list(rule(e, None)) for e in (first, second, first) for rule in reversed(RECORD_RULES)]
    assert sorted(map(repr, forward)) == sorted(map(repr, backward))
    assert rules.mojibake(first, None)[0].pointer == "/output"
    assert rules.control_character(second, None)[0].pointer == "/messages/1/content"


def test_a_request_about_the_characters_silences_all_but_overrides() -> None:
    about = example(alpaca("a\u200bb \u202e c", instruction="Explain Unicode invisible characters."))
    assert rules.invisible_character(about, None) == []
    assert [v.message.split(" at ")[0] for v in rules.bidi_control(about, None)] == ["U+202E RIGHT-TO-LEFT OVERRIDE"]


# -- SEC017 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("a\r\nb", ("CRLF", 1, -1)), ("a\rb\rc", ("CR", 1, -1)), ("a\nb\r\nc", ("mixed", 3, 1)),
    ("\\left( x \right)\nok", ("LF", -1, -1)), ("\\left( x \right)", ("", -1, -1)),
])
def test_line_endings(text: str, expected: tuple[str, int, int]) -> None:
    assert line_endings(text) == expected


def lines(outputs: Iterable[str], path: str = "data.jsonl") -> list[Example]:
    return [example(alpaca(text), index, path) for index, text in enumerate(outputs)]


def finish(items: Iterable[Example], max_reported: int = 1000) -> list[Violation]:
    state = MixedLineEndings(MinorityOptions(max_reported=max_reported))
    for item in items:
        state.observe(item)
    return list(state.finish())


def test_crlf_is_reported_where_lf_is_most_common_only() -> None:
    assert [v.source.index for v in finish(lines(["a\nb", "c\nd", "e\r\nf"]))] == [2]  # type: ignore[union-attr]
    assert finish(lines(["a\r\nb", "c\r\nd", "e\nf"])) == []
    assert finish(lines(["a\r\nb", "c\nd"])) == []  # a tie: no majority


def test_files_are_compared_apart_and_halves_merge_to_the_whole() -> None:
    items = lines(["a\nb", "c\nd", "e\r\nf"], "one.jsonl") + lines(["a\r\nb", "c\r\nd"], "two.jsonl")
    left = MixedLineEndings(MinorityOptions())
    right = MixedLineEndings(MinorityOptions())
    for n, item in enumerate(items):
        (left if n % 2 else right).observe(item)
    left.merge(right)
    assert list(left.finish()) == finish(items)
    assert [(v.source.path, v.source.index) for v in finish(items)] == [("one.jsonl", 2)]  # type: ignore[union-attr]


def test_records_beyond_max_reported_are_summed_up() -> None:
    found = finish(lines(["a\nb"] * 5 + ["c\r\nd"] * 3), max_reported=2)
    assert len(found) == 3
    assert found[-1].pointer is None and found[-1].message.startswith("… and 1 more records with CRLF")
