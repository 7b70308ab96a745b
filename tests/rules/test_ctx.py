"""The CTX pattern helpers: material detection, references, media stand-ins, history, placeholders.

Rule behaviour on whole records is specified by `rules/CTX00*.yaml`; these tests pin the helpers the rules
share, where a regression would be hard to see from a record.
"""

from __future__ import annotations

import pytest

from dslint.formats import normalise
from dslint.model import Source
from dslint.rules import ctx_history as h
from dslint.rules import ctx_media as m
from dslint.rules import ctx_patterns as p
from dslint.rules.ctx import (
    NonTextInputOptions,
    PlaceholderOptions,
    non_text_input,
    unfilled_placeholder,
)
from dslint.rules.ctx_placeholders import find_slots, request_end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rewrite the sentence: The cat sat.", True),  # after a colon
        ("Rewrite the sentence\n\nThe cat sat.", True),  # on another line
        ('Rewrite "The cat sat."', True),  # quoted
        ("Translate 'where is the station' into German", True),  # single-quoted span
        ("Sort the numbers 5, 3, 9", True),  # a list of numbers
        ("Evaluate 3 * (4 + 2)", True),  # a calculation
        ("Explain the term - Natural Language Processing", True),  # after a dash
        ("Classify this sentence.The products were fine.", True),  # glued on by a careless conversion
        ("Summarize the article in 3 sentences.", False),  # a constraint is not material
        ("Let's look at the bird's nest", False),  # apostrophes do not open a quotation
        ("Summarize the following:", False),  # a colon with nothing after it
    ],
)
def test_has_material(text: str, expected: bool) -> None:
    assert p.has_material(text) is expected


def test_mask_quotes_keeps_positions_and_apostrophes() -> None:
    text = "End with the line 'and that's what I told you before'."
    masked = p.mask_quotes(text)
    assert len(masked) == len(text)
    assert "told" not in masked and masked.startswith("End with the line '")


@pytest.mark.parametrize(
    ("request_text", "backward", "expected"),
    [
        ("Rewrite the following sentence in the passive voice.", False, "the following sentence"),
        ("Disconnect the following internet cable correctly.", False, "the following internet cable"),
        ("Translate this paragraph into Spanish.", True, "this paragraph"),
        ("Translate this paragraph into Spanish.", False, None),  # a later turn may mean an earlier one
        ("Summarize the article in three bullet points.", True, "the article"),
        ("Use the context above to answer.", True, "the context above"),
        ("Answer the following question. What is the capital of Peru?", True, None),  # next sentence
        ("Is the following sentence true or false? Humans can breathe underwater.", True, None),
        ("Write a function to calculate the factorial of a given number.", True, None),
        ("Create a function that takes a string and reverses the given string.", True, None),  # antecedent
        ("Write a poem and give this poem a title.", True, None),
        ("Teach me about the water cycle, then quiz me on this topic.", True, None),
        ("Describe the events of the following morning.", True, None),  # temporal
        ("Write a program to sort the list.", True, None),  # the list is the program's
        ("Generate a funny caption for the following photo.", True, None),  # CTX002's
    ],
)
def test_missing_reference(request_text: str, backward: bool, expected: str | None) -> None:
    assert p.missing_reference(request_text, backward=backward) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Describe this image in detail.", "Describe this image"),
        ("Identify the scientific name for the creature in the photo.", "in the photo"),
        ("I uploaded my resume as a PDF. Can you review it?", "I uploaded my resume as a PDF"),
        ("Summarize this article: https://example.com/a", "https://example.com/a"),
        ("How can a company improve its public image?", None),
        ("Find the slope of the graph of y = 3x + 2.", None),
        ("Draw the graph of the function.", None),  # the request makes the picture
        ("Describe the painting Mona Lisa.", None),  # a named work
        ("Lilah took 400 photos. If they added all these photos to the gallery, how many are there?", None),
        ("Write a Python script that downloads the image at https://example.com/x.png", None),
        ("Explain what each part of this URL means: https://example.com/a?b=c", None),
    ],
)
def test_media_reference(text: str, expected: str | None) -> None:
    assert m.media_reference(text) == expected


@pytest.mark.parametrize(
    ("given", "request_text", "expected"),
    [
        ("Attached photo", "Name the boat in the photo.", "Attached photo"),
        ("Stock market chart.", "Analyze the chart.", "Stock market chart."),
        ("Recording about the history of Waterloo", "Transcribe it.", "Recording about the history of Waterloo"),
        ("https://example.com/news", "Summarize the article.", "https://example.com/news"),
        ("example.com", "What is the Google Analytics ID of this website?", "example.com"),
        ("https://example.com/news", "Shorten this URL.", None),  # the URL's text is the material
        ("Video Games and Board Games", "Compare the two.", None),
        ("Please save the file before closing.", "Rewrite as an imperative.", None),
        ("file.txt", "Show the file's size.", None),
    ],
)
def test_media_input(given: str, request_text: str, expected: str | None) -> None:
    assert m.media_input(given, request_text) == expected


@pytest.mark.parametrize(
    ("first", "material", "expected"),
    [
        ("As I said before, I need a table.", False, "As I said before"),
        ("Can you make your previous answer shorter?", False, "your previous answer"),
        ("continue", False, "continue"),
        ("Thanks! Now make it shorter.", False, "Thanks! Now make it"),
        ("What about the second one?", False, "the second one"),
        ("Based on our previous conversation, recommend a book.", False, "our previous conversation"),
        ("Generate a response given the previous chat history.", True, None),  # the input holds it
        ("I have two offers: a startup and a bank. Is the second one better?", False, None),
        ("You are a detective. Describe your first steps.", False, None),  # a role-play setup
        ("Translate 'as I said before' into French.", False, None),
        ("Tell me about your previous job as a teacher.", False, None),
    ],
)
def test_history_reference(first: str, material: bool, expected: str | None) -> None:
    assert h.history_reference(first, material=material) == expected


@pytest.mark.parametrize(
    ("text", "request_part", "letter_slots", "expected"),
    [
        ("I am {{name}}, made by {{author}}.", False, False, ("{{name}}", 2)),
        ("Hi {{ user.first_name }}!", False, False, ("{{ user.first_name }}", 1)),
        ("Bring your dreams to life with {Company Name}", False, False, ("{Company Name}", 1)),
        ("Context: [CONTEXT]", False, False, ("[CONTEXT]", 1)),
        ("[QUESTION] Is the sky blue?", False, False, None),  # a few-shot label with its content
        ("Tell me about <insert topic>.", False, False, ("<insert topic>", 1)),
        ("Sincerely, [Your Name]", False, False, None),  # a drafted letter's conventional slot
        ("Sincerely, [Your Name]", False, True, ("[Your Name]", 1)),
        ("Write a slogan for [Company Name].", True, False, ("[Company Name]", 1)),
        ("print(f'Hello {name}')", False, False, None),  # code
        ("x_{n} and {x_nk} and \\frac{a}{b}", False, False, None),  # maths
        ("In Jinja you write {{ title }}.", False, False, None),  # explains templating
        ("The <br> tag and [1] and [sic].", False, False, None),
    ],
)
def test_find_slots(text: str, request_part: bool, letter_slots: bool, expected: tuple[str, int] | None) -> None:
    slot = find_slots(text, request_end=len(text) if request_part else 0, letter_slots=letter_slots,
                      ignored=frozenset())
    assert (None if slot is None else (slot.text, slot.total)) == expected


def test_find_slots_ignores_configured_placeholders() -> None:
    slot = find_slots("I am {{name}} by {{author}}", request_end=0, letter_slots=False,
                      ignored=frozenset({"{{name}}"}))
    assert slot is not None and slot.text == "{{author}}"


def test_request_end_stops_at_material() -> None:
    assert request_end("Rewrite this email:\nHi [Employer], ...") == len("Rewrite this email")
    assert request_end("Write a slogan for [Company].") == len("Write a slogan for [Company].")


def test_lower_words_is_cached_by_identity() -> None:
    text = "Describe This Image"
    first = p.lower_words(text)
    assert first == ("describe this image", ["describe", "this", "image"])
    assert p.lower_words(text)[1] is first[1]


def test_word_gate_accepts_trailing_punctuation() -> None:
    gate = p.word_gate("photo")
    assert not gate.isdisjoint(["the", "photo."]) and gate.isdisjoint(["photosynthesis"])


def _example(record: dict) -> object:
    return normalise(record, Source("t.jsonl", 1, 0))


def test_multimodal_records_are_skipped() -> None:
    record = {"messages": [{"role": "user", "content": "<image>What is this?"},
                           {"role": "assistant", "content": "A cat."}]}
    assert list(non_text_input(_example(record), NonTextInputOptions()))
    record["images"] = ["cat.jpg"]
    assert not list(non_text_input(_example(record), NonTextInputOptions()))


def test_placeholder_reports_each_field_once() -> None:
    record = {"instruction": "Name the capital of <insert country>.", "input": "<insert country> - Canada",
              "output": "Ottawa."}
    found = list(unfilled_placeholder(_example(record), PlaceholderOptions()))
    assert [v.pointer for v in found] == ["/instruction", "/input"]
