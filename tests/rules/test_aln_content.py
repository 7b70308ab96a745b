"""The helpers behind the ALN content rules (ALN005-ALN009): prompt splitting, language identification,
placeholders, refusals and boilerplate, truncation, and the per-example cache the five rules share."""

from __future__ import annotations

from typing import Any

import pytest

from dslint.formats import normalise
from dslint.model import Example, Source
from dslint.rules import aln_content as rules
from dslint.rules import aln_content_patterns as pat
from dslint.rules import aln_content_requests as req


def example(record: dict[str, Any], index: int = 0) -> Example:
    return normalise(record, Source("data.jsonl", index + 1, index))


def no_request() -> str:
    return ""


# ------------------------------------------------------------------------------------------ requests
@pytest.mark.parametrize(("text", "spans"), [
    ("Translate 'I can't find my keys' into French", ["I can't find my keys"]),
    ('He said "hello there" and “bye now” «oui oui»', ["hello there", "bye now", "oui oui"]),
    ("it's Tom's 'big day'", ["big day"]),
    ("no quotes at all", []),
])
def test_quoted(text: str, spans: list[str]) -> None:
    assert req.quoted(text) == spans


def test_split_prompt_finds_the_material() -> None:
    assert req.split_prompt("Translate into German: I have a dog.") == ("Translate into German:", ["I have a dog."])
    assert req.split_prompt("Summarise this.\n\nA long text.") == ("Summarise this.", ["A long text."])
    assert req.split_prompt("Meet at 9:30 today") == ("Meet at 9:30 today", [])  # no space after the colon
    _request, materials = req.split_prompt("Rephrase 'Where is my food?' politely")
    assert materials == ["Where is my food?"]


def test_same_text_keeps_commas_and_line_breaks() -> None:
    assert req.same_text('  "We gotta  fix it." ') == req.same_text("we gotta fix it")
    assert req.same_text("a b\n c") == "a b\nc"
    assert req.same_text("I bought bread and apples") != req.same_text("I bought bread, and apples.")


@pytest.mark.parametrize(("request_text", "targets", "source", "kind"), [
    ("Translate the German text to English.", {"en"}, "de", "translate"),
    ("Translate this sentence from French to English.", {"en"}, "fr", "translate"),
    ("Give the Spanish translation of this sentence:", {"es"}, None, "translate"),
    ("Translate this French proverb.", {"en"}, "fr", "translate"),  # into English by default
    ("translate into french", {"fr"}, None, "translate"),
    ("Translate into French and Spanish", {"fr", "es"}, None, "translate"),
    ("How do you say 'thank you' in Japanese?", {"ja"}, None, "say"),
    ("Rewrite this sentence in Spanish.", {"es"}, None, "rewrite"),
    ("Translate 'I speak English' into French.", {"fr"}, None, "translate"),  # quoted names do not count
    ("Translate the following phrase in English to Spanish.", {"es"}, "en", "translate"),  # "in" X "to" Y
    ("Translate the following statement in Japanese", {"ja"}, None, "translate"),
])
def test_translation_request(request_text: str, targets: set[str], source: str | None, kind: str) -> None:
    found = req.translation_request(request_text)
    assert found is not None
    assert (set(found.targets), found.source, found.kind) == (targets, source, kind)


@pytest.mark.parametrize("request_text", [
    "Translate the word problem into an equation.",
    "Write a story set in Italian countryside.",
    "Write about heroes in Greek mythology.",
    "Summarise the article.",
])
def test_no_translation_request(request_text: str) -> None:
    assert req.translation_request(request_text) is None


@pytest.mark.parametrize(("text", "language"), [
    ("I miss you", "en"),
    ("Je suis heureux de te rencontrer", "fr"),
    ("Ich habe heute keine Zeit, weil ich arbeiten muss.", "de"),
    ("Eu não sei onde fica o banco.", "pt"),
    ("我今天很忙，没有时间吃午饭。", "Han"),
    ("私は毎朝コーヒーを飲みます。", "Kana"),
    ("Мне нравится читать книги.", "Cyrillic"),
    ("मैं हिंदी सीख रहा हूँ।", "Devanagari"),
    ("Arigatou gozaimasu (ありがとうございます).", None),  # mixed, romanised: undecided
    ("2x + 5 = 17", None),
])
def test_detect(text: str, language: str | None) -> None:
    assert req.detect(text).language == language


def test_language_hint_and_word_count() -> None:
    assert req.language_hint("Rewrite this in Spanish")
    assert not req.language_hint("Write a poem in the style of Keats")
    assert req.word_count("我今天很忙") == 3  # one "word" for five dense characters, plus two for pairs
    assert req.word_count("three plain words") == 3


def test_untranslated() -> None:
    french = req.Translation(frozenset({"fr"}), None, "translate")
    assert req.untranslated(french, "The museum is closed.", ["The museum is closed."]) is not None
    assert req.untranslated(french, "Le musée est fermé.", ["The museum is closed."]) is None
    assert req.untranslated(french, "In French you say 'Le musée est fermé'.", []) is None  # names French
    say = req.Translation(frozenset({"ko"}), None, "say")
    assert req.untranslated(say, "Annyeonghaseyo is the usual greeting.", []) is None


# --------------------------------------------------------------------------------------- placeholders
@pytest.mark.parametrize(("output", "request_text", "found"), [
    ("<nooutput>", "Design a logo.", ("<nooutput>", False)),
    ("<noinput>\n\"A Leap of Faith\"", "Give a title.", ("<noinput>", True)),
    ("(no output)", "Write a recipe.", ("no output", False)),
    ("Output: N/A", "Describe the character.", ("N/A", False)),
    ("[Insert answer here]", "Explain photosynthesis.", ("[Insert answer here]", False)),
    ("None", "Which of these numbers are prime: 4, 6?", None),
    ("N/A", "If it does not apply, write N/A.", None),
    ("-", "What symbol is used for subtraction?", None),
    ("TODO", "What do programmers write as a placeholder?", None),
    ("[1, 2, 3]", "Give a list of three numbers.", None),
])
def test_placeholder(output: str, request_text: str, found: tuple[str, bool] | None) -> None:
    known = frozenset(pat.PLACEHOLDERS)
    assert pat.placeholder(output, request_text, known) == found


def test_placeholder_options_normalise_and_cache() -> None:
    options = rules.PlaceholderOptions.model_validate({"placeholders": ["  No Answer. "]})
    assert options.placeholders == ("no answer",)
    assert options.known is options.known  # built once, not per record


# ------------------------------------------------------------------------------------ refusals, AI talk
@pytest.mark.parametrize(("text", "opening"), [
    ("I'm sorry, but I can't", "i'm sorry"),
    ("I’m sorry, but", "i'm sorry"),
    ("UNFORTUNATELY I cannot", "unfortunately"),
    ('  "I cannot do that', "i cannot"),
    ("The task cannot be done", "the task"),
    ("The cat sat down", None),
    ("Hello there", None),
])
def test_lead(text: str, opening: str | None) -> None:
    assert pat.lead(text) == opening


@pytest.mark.parametrize(("text", "phrase"), [
    ("As an AI language model, I do not", "As an AI"),
    ("Imagine two coins. As an AI, I find this", "As an AI"),
    ("As a large language model, I do not", "As a large language model"),
    ("Hello! However, I'm a large language model, I cannot", "I'm a large language model"),
    ("Sure. I was trained by OpenAI to help.", "I was trained by OpenAI"),
    ("As of my knowledge cutoff in 2021, no", "As of my knowledge cutoff"),
    ("I am an AI researcher at MIT.", None),
    ("GPT-3 is a large language model developed by OpenAI.", None),
    ("AI is transforming healthcare.", None),
])
def test_boilerplate(text: str, phrase: str | None) -> None:
    assert pat._boilerplate(text, pat.lead(text)) == phrase


def test_refusal_respects_the_request_and_the_switches() -> None:
    text = "I'm sorry, but I can't book flights."
    assert pat.refusal(text, pat.lead(text), no_request, True, True) == ("refusal", "I'm sorry, but I can't")
    assert pat.refusal(text, pat.lead(text), lambda: "Write a reply declining the trip.", True, True) is None
    assert pat.refusal(text, pat.lead(text), no_request, False, True) is None
    asks = "I'm sorry, but I need the order number. Could you please provide it?"
    assert pat.refusal(asks, pat.lead(asks), no_request, True, True) is None  # a clarifying question
    persona = "As an AI assistant, I can help you plan."
    assert pat.refusal(persona, None, lambda: "Pretend you are an AI assistant.", True, True) is None
    assert pat.refusal(persona, None, no_request, True, True) == ("assistant boilerplate", "As an AI")


# ------------------------------------------------------------------------------------------ truncation
@pytest.mark.parametrize(("output", "reason"), [
    ("It prompts the body to produce antibodies and", "ends mid-sentence on 'and'"),
    ("Here:\n```python\nprint(1)\n", "ends inside a code block that is never closed"),
    ('{"a": [1, 2,', "ends with 2 unclosed JSON bracket(s)"),
    ("Benefits:\n1. Health.\n2. Mood.\n3.", "ends with an empty list item '3.'"),
    ("Snow falls on the pines,\nthe river sleeps under ice,", "ends with a comma"),
    ("SELECT name FROM users WHERE age >", "ends with a dangling operator or hyphen"),
    ("It can take it back (this is called", "ends inside an unclosed parenthesis"),
])
def test_truncation(output: str, reason: str) -> None:
    found = pat.truncation(output, no_request)
    assert found is not None and found.startswith(reason)


@pytest.mark.parametrize("output", [
    "- Apple\n- Banana",
    "Thank you!\n\nWarm regards,",
    "So he has 36/12 = 3 feet tall, since 12\" is a foot",
    "Missed the bus :(",
    "    return total\n```\nThat completes the function.",  # a continuation closing an earlier block
    "x = 2\n```\n",  # a stray closing fence at the very end
    "Roses are red",
    "and, but",
])
def test_not_truncated(output: str) -> None:
    assert pat.truncation(output, no_request) is None


def test_truncation_request_exemptions() -> None:
    unfinished = "If I could travel anywhere, I would go to the"
    assert pat.truncation(unfinished, no_request) is not None
    assert pat.truncation(unfinished, lambda: "Write a sentence for the student to finish.") is None
    assert pat.truncation("a, an, the and", lambda: "Name the English articles.") is None


def test_json_depth_skips_strings() -> None:
    assert pat._json_depth('{"a": "{[", "b": [1]}') == 0
    assert pat._json_depth('["x\\"]", [') == 2


# ------------------------------------------------------------------------------------ shared plumbing
def test_pairs_are_cached_per_example_and_skip_tool_calls() -> None:
    first = example({"instruction": "Say hi.", "input": "", "output": "Hi!"})
    second = example({"messages": [
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": "Checking:", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
        {"role": "assistant", "content": "Sunny."}]}, 1)
    assert [answer.content for _, answer in rules._pairs(first)] == ["Hi!"]
    assert rules._pairs(first) is rules._pairs(first)
    assert [answer.pointer for _, answer in rules._pairs(second)] == ["/messages/3/content"]
    assert [answer.content for _, answer in rules._pairs(first)] == ["Hi!"]  # not the other example's


def test_prompt_keeps_alpaca_input_apart() -> None:
    record = example({"instruction": "Translate 'good' into French.", "input": "Good morning", "output": "x"})
    user = record.turns[0]
    assert req.prompt_of(record, user) == req.Prompt("Translate 'good' into French.", ["Good morning", "good"])


def test_refusal_allow_phrases_accept_only_the_listed_wording() -> None:
    options = rules.RefusalOptions(allow_phrases=("As an AI assistant",))
    assistant = example({"instruction": "Give a study tip.", "input": "",
                         "output": "As an AI assistant, I suggest short sessions with breaks."})
    model = example({"instruction": "Give a study tip.", "input": "",
                     "output": "As an AI language model, I suggest short sessions."}, 1)
    assert list(rules.refusal_or_boilerplate(assistant, options)) == []
    assert len(list(rules.refusal_or_boilerplate(model, options))) == 1
    assert len(list(rules.refusal_or_boilerplate(assistant, rules.RefusalOptions()))) == 1
