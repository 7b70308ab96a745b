"""VAG helpers: normalisation, the phrase tables, the cheap gate before them, and how a request is split."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from dslint.formats import normalise as normalise_record
from dslint.model import Source
from dslint.rules import vag
from dslint.rules import vag_context as ctx
from dslint.rules import vag_patterns as vp

LABELLED = Path(__file__).resolve().parents[2] / "benchmarks" / "quality" / "VAG.jsonl"


def kind_of(text: str) -> str | None:
    found = vp.classify(vp.normalise(text))
    return found.kind.name if found else None


def example(record: dict[str, Any]) -> Any:
    return normalise_record(record, Source("case.jsonl", 1, 0))


@pytest.mark.parametrize(("text", "expected"), [
    ("Can you please summarize this?", "summarize this"),
    ("ok so can you fix it for me please", "fix it"),
    ("I'd like you to rewrite this, thank you very much!", "rewrite this"),
    ("Um, can you do this?", "do this"),
    ("“Make it better!!!”", "make it better"),
    ("Let’s go", "go"),
    ("please", "please"),  # politeness is only stripped while a word remains
    ("thank you", "thank you"),
    ("Hmm", "hmm"),
    ("???", ""),
])
def test_normalise(text: str, expected: str) -> None:
    assert vp.normalise(text) == expected


@pytest.mark.parametrize(("text", "kind"), [
    ("Do something with this text.", "generic"),
    ("Take care of it, please.", "generic"),
    ("Figure it out.", "generic"),
    ("Help me with my essay.", "help"),
    ("Can you help?", "help"),
    ("I have a question.", "announce"),
    ("Here you go.", "handover"),
    ("Hmm", "interjection"),
    ("???", "interjection"),
    ("Your turn.", "go"),
    ("Go ahead.", "answer"),  # answers an earlier turn: CTX003's, never reported by VAG
    ("Yes please", "answer"),
    ("Thoughts?", "reaction"),
    ("What do you think?", "reaction"),
    ("Why?", "reaction"),
    ("Continue", "continuation"),
    ("Tell me more.", "continuation"),
    ("Make it better.", "goal"),
    ("Improve this.", "goal"),
    ("Rewrite this in a friendlier tone.", "object"),
    ("Summarize.", "object"),
    ("Translate to Spanish.", "object"),
    ("Respond to it politely.", "object"),
    ("Write a poem about it.", "object"),
    ("Write something.", "something"),
])
def test_vague_requests(text: str, kind: str) -> None:
    assert kind_of(text) == kind


@pytest.mark.parametrize("text", [
    "Write a haiku about autumn.",
    "Hi", "Thanks!", "Who are you?", "What is up?",
    "What do you think about remote work?",
    "Help me plan a trip to Rome.",
    "Help me with Python list comprehensions.",
    "Summarize the following article.",  # a noun names the object: missing context is CTX's finding
    "Rewrite this sentence in passive voice.",
    "Make this sentence more polite.",
    "Describe in one sentence the mood in the room.",  # a bare verb's tail may not swallow its object
    "Explain in detail how vaccines work.",
    "Respond to this email.",
    "Solve for W and find L",
    "Count to ten.",
    "Do you know any good books on stoicism?",
    "Tell me something interesting about octopuses.",
    "Improve the readability of this text.",
])
def test_ordinary_requests(text: str) -> None:
    assert kind_of(text) is None


def test_match_names_verb_and_object() -> None:
    found = vp.classify(vp.normalise("Could you translate that to German?"))
    assert found is not None and (found.verb, found.obj) == ("translate", "that")


def test_trie_matches_exactly_its_phrases() -> None:
    import re

    pattern = re.compile(vp.trie("sum up|summarise|summarize|sort|expand|expand on"))
    for phrase in ("sum up", "summarise", "summarize", "sort", "expand", "expand on"):
        assert pattern.fullmatch(phrase)
    for phrase in ("sum", "summari", "sorts", "expand o", ""):
        assert not pattern.fullmatch(phrase)


def _undispatched(request: str) -> vp.Match | None:
    """classify() without the first-word dispatch: every pattern in order."""
    if not request:
        return vp.Match(vp.INTERJECTION, None, None)
    for kind, _, pattern in vp.PATTERNS:
        found = pattern.fullmatch(request)
        if found:
            return vp.match_of(kind, found)
    return None


def _texts() -> list[str]:
    """Requests of the labelled set (whole, first lines, last paragraphs) and combinations of the tables."""
    texts: set[str] = set()
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)["record"]
        turns = [record.get("instruction", "")]
        turns += [m.get("content", "") for m in record.get("messages", []) if isinstance(m.get("content"), str)]
        turns += [m.get("value", "") for m in record.get("conversations", [])]
        for turn in turns:
            texts.update(part.strip() for part in [turn, *turn.split("\n")] if part.strip())
    verbs = ["rewrite", "Summarize", "translate", "make", "improve", "come up with", "give", "tell", "write",
             "explain", "check", "sum up", "clean up", "Describe", "what", "how", "is", "help", "do", "please"]
    middles = ["it", "this", "this sentence", "the following", "the same", "me more", "a bit", "a poem about it",
               "something", "what I wrote", "up", "to French", "more formal", "briefly", "do you think", "with it"]
    ends = ["", " please", " for me", " in French for a child", " again", "?", " now, thanks!"]
    texts.update(f"{v} {m}{e}" for v, m, e in itertools.product(verbs, middles, ends))
    texts.update(("More examples please, thank you", "Some more ideas, please!", "Jazz it up a bit for me",
                  "Sum it up in French for my boss", "Have at it, please", "Do what you will with this"))
    return sorted(texts)


def test_dispatch_and_gate_lose_nothing() -> None:
    """The first-word dispatch and the raw-text gate only skip work: they never change a result."""
    for text in _texts():
        normal = vp.normalise(text)
        expected = _undispatched(normal)
        assert vp.classify(normal) == expected, text
        if expected is not None:
            assert ctx.may_match(text), f"the gate drops {text!r}"


def test_gate_skips_ordinary_instructions() -> None:
    for text in ("Describe the process of osmosis.", "Generate a list of five fruits.",
                 "What is the capital of France?", "Rewrite this sentence in the passive voice.",
                 "Classify the following animals into mammals and birds."):
        assert not ctx.may_match(text), text


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("Photosynthesis", 4, ["Photosynthesis"]),
    ("The French Revolution.", 4, ["The", "French", "Revolution"]),
    ("Renewable energy sources", 3, None),  # three words, limit three: not fewer
    ("Haiku about autumn", 4, None),  # a kind of output
    ("Capital of France?", 4, None),
    ("2+2", 4, None),
    ("Translate: bonjour", 4, None),
    ("光合作用", 4, None),
])
def test_topic_words(text: str, limit: int, expected: list[str] | None) -> None:
    assert ctx.topic_words(text, limit) == expected


def test_requests_split_around_material() -> None:
    alone = ctx._requests("Thoughts?")
    assert [(r.text, r.whole) for r in alone] == [("Thoughts?", True)]
    head = ctx._requests("Do something with this text:\n\nThe meeting moved to Thursday.")
    assert [(r.text, r.whole) for r in head] == [("Do something with this text", False)]
    tail = ctx._requests("Our team met the deadline.\n\nImprove it.")
    assert [r.text for r in tail] == ["Our team met the deadline.", "Improve it."]
    # a matched first line followed by a separate last paragraph that is not vague: that may be the request
    assert ctx._requests("Here it is:\n\nThe text.\n\nPlease summarize it in French for my boss.") == []
    assert ctx._requests("x" * 200) == []


@pytest.mark.parametrize(("system", "expected"), [
    ("You are a helpful assistant.", (False, False)),
    ("You are an AI assistant that helps people find information.", (False, False)),
    ("You are a trivia quiz host. Ask one question at a time.", (True, False)),
    ("You are an analyst. " + "The report says revenue grew. " * 10, (True, True)),
])
def test_system_setting(system: str, expected: tuple[bool, bool]) -> None:
    assert ctx._system_setting(system) == expected


def test_clarifying_question_answered_excuses_the_opener() -> None:
    asked = example({"conversations": [
        {"from": "human", "value": "Help"}, {"from": "gpt", "value": "With what?"},
        {"from": "human", "value": "My taxes."}, {"from": "gpt", "value": "Sure."}]})
    guessed = example({"conversations": [
        {"from": "human", "value": "Help"}, {"from": "gpt", "value": "Here is some help."},
        {"from": "human", "value": "Thanks"}, {"from": "gpt", "value": "Welcome."}]})
    unanswered = example({"conversations": [
        {"from": "human", "value": "Help"}, {"from": "gpt", "value": "With what?"}]})
    options = vag.PhraseOptions.model_validate({})
    assert list(vag.no_task(asked, options)) == []
    assert len(list(vag.no_task(guessed, options))) == 1
    assert len(list(vag.no_task(unanswered, options))) == 1


def test_invalid_phrase_is_an_options_error() -> None:
    with pytest.raises(ValueError, match="not a regular expression"):
        vag.PhraseOptions.model_validate({"extra-phrases": ["(unclosed"]})
    with pytest.raises(ValueError, match="not a regular expression"):
        vag.TopicOptions.model_validate({"allow": ["[a-"]})
