"""The helpers behind ALN001-ALN004: what a request asks (patterns, formats) and what an answer is (answers)."""

from __future__ import annotations

from typing import Any

import pytest

from dslint.formats import normalise
from dslint.model import Source
from dslint.rules import aln_structure
from dslint.rules.aln_structure_answers import (
    body,
    count_items,
    declines,
    find_json,
    has_code,
    json_keys,
    normal_key,
    sentences,
    word_count,
)
from dslint.rules.aln_structure_formats import code_ask, json_ask
from dslint.rules.aln_structure_patterns import (
    CODE,
    COUNT,
    JSON,
    LENGTH,
    analyse,
    count_ask,
    length_ask,
    number,
)


@pytest.mark.parametrize(("text", "value"), [("7", 7), ("twelve", 12), ("a dozen", 12), ("twenty-five", 25),
                                             ("a hundred", 100), ("single", 1)])
def test_number(text: str, value: int) -> None:
    assert number(text) == value


def test_analyse_drops_fenced_material_and_screens_the_asks() -> None:
    request = analyse("Summarize this:\n```\nList five colours in JSON.\n```\nUse one sentence.")
    assert "json" not in request.low and "List five" not in request.text
    assert request.may & LENGTH and not request.may & (JSON | COUNT | CODE)
    assert analyse("List 5 (five) tips.").may & COUNT
    assert analyse("Write it in Python.").may & CODE


@pytest.mark.parametrize(("request_text", "bounds", "noun"), [
    ("List five factors that lead to global warming.", (5, 5), "factors"),
    ("Provide at least 4 examples of metals.", (4, None), "examples"),
    ("List no more than three side effects of caffeine.", (None, 3), "effects"),
    ("Suggest between 3 and 5 books for a beginner.", (3, 5), "books"),
    ("Suggest 2 or 3 team-building activities.", (2, 3), "activities"),
    ("Name fewer than 4 rivers.", (None, 3), "rivers"),
    ("What are the top 10 most spoken languages?", (10, 10), "languages"),
    ("Come up with a dozen blog post titles.", (12, 12), "titles"),
    ("Create a list of 10 different animals.", (10, 10), "animals"),
    ("Summarize the article in 3 bullet points.", (3, 3), "points"),
    ("List 5 of the largest cities in Europe.", (5, 5), "cities"),
])
def test_count_asks(request_text: str, bounds: tuple[int | None, int | None], noun: str) -> None:
    ask = count_ask(analyse(request_text))
    assert ask is not None and (ask.low, ask.high) == bounds and ask.unit == noun


@pytest.mark.parametrize("request_text", [
    "Give about 10 ideas for a party.",  # approximate
    "List 3 pros and 3 cons of nuclear power.",  # two counts
    "Give two examples each of metals and non-metals.",  # for each
    "Describe how to make an omelette and list 3 ways to customize it.",  # one part of two
    "Write a 5-paragraph essay about friendship.",  # not a count of items
    "Generate a password of 8 characters.",
    "Given a list of 10 numbers, find the largest.",
    "Write one sentence about rain.",  # one is not a list
])
def test_not_count_asks(request_text: str) -> None:
    assert count_ask(analyse(request_text)) is None


@pytest.mark.parametrize(("request_text", "unit", "high", "approximate"), [
    ("Describe the weather in one word.", "word", 1, False),
    ("Give a one-word answer: what is the capital of Japan?", "word", 1, False),
    ("What is the capital of Japan? One word.", "word", 1, False),
    ("Is a tomato a fruit? Answer yes or no.", "yes-no", 1, False),
    ("Is the statement true? (yes/no)", "yes-no", 1, False),
    ("Summarize the paragraph in one sentence.", "sentence", 1, False),
    ("Explain recursion in 2 sentences or fewer.", "sentence", 2, False),
    ("Summarize in fewer than 3 sentences.", "sentence", 2, False),
    ("Explain what an API is, in 1-2 sentences.", "sentence", 2, True),
    ("Explain photosynthesis in no more than 20 words.", "word", 20, False),
    ("Summarise the email in 30 words max.", "word", 30, False),
    ("Write a 50-word bio for a photographer.", "word", 50, True),
    ("Respond in under 100 characters: what is Python?", "character", 100, False),
])
def test_length_asks(request_text: str, unit: str, high: int, approximate: bool) -> None:
    ask = length_ask(analyse(request_text))
    assert ask is not None and (ask.unit, ask.high, ask.approximate) == (unit, high, approximate)


@pytest.mark.parametrize("request_text", [
    "Is a tomato a fruit? Answer yes or no, and explain why.",  # a reason is asked for
    "Write a story in which a character can only answer yes or no.",  # someone else answers
    "Create a yes/no question about the passage.",
    "Rewrite the sentence with one word changed.",
    "Write a one-sentence description for each of the following products.",
    "In one sentence, describe the painting. Then list three colours used in it.",
    "Generated sentences must be short and have fewer than 10 words.",  # a limit per sentence
    "Give an example of an allusion in a sentence.",
    "Fill in the blank with a word or phrase.",
    "Write a sentence using the word 'zephyr'.",  # implicit: only when asked for
])
def test_not_length_asks(request_text: str) -> None:
    assert length_ask(analyse(request_text)) is None


def test_implicit_sentence_is_opt_in() -> None:
    ask = length_ask(analyse("Write a sentence using the word 'zephyr'."), implicit=True)
    assert ask is not None and ask.implicit and ask.high == 1


@pytest.mark.parametrize(("request_text", "keys"), [
    ("Return the contact details as a JSON object.", []),
    ("Answer in JSON with the keys 'sentiment' and 'confidence'.", ["sentiment", "confidence"]),
    ("Create a JSON object describing a book with fields title, author and year.", ["title", "author", "year"]),
    ("Give me a JSON object for a user with username and email keys.", ["username", "email"]),
    ('Respond in the following JSON format: {"label": "...", "score": 0}', ["label", "score"]),
    ("Everything between the ``` must be valid json.", []),
    ("Respond only with valid JSON: what is the boiling point of water?", []),
])
def test_json_asks(request_text: str, keys: list[str]) -> None:
    ask = json_ask(analyse(request_text))
    assert ask is not None and (ask.unit.split("\0") if ask.unit else []) == keys


@pytest.mark.parametrize("request_text", [
    "What is JSON?",
    "Convert the following JSON to YAML.",
    "Parse the JSON below and tell me the user's name.",
    "How do I return JSON from a Flask route?",
    "In JSON, how are arrays written?",
    "Create a poem generator using JSON data to store the words.",
    "Create a JSON Web Token for user 42.",
    "Instead of simply displaying the data in a JSON format, present it as a puzzle.",
])
def test_not_json_asks(request_text: str) -> None:
    assert json_ask(analyse(request_text)) is None


@pytest.mark.parametrize(("request_text", "language"), [
    ("Write a Python function that returns the factorial of a number.", "python"),
    ("Write a SQL query to find all customers from Canada.", "sql"),
    ("Implement quicksort in C.", "c"),
    ("Implement a queue in C++ using two stacks.", "c++"),
    ("Given a list of numbers, write a function to return the largest.", ""),
    ("Can you write a script that renames files?", ""),
    ("Write code to reverse a linked list.", ""),
    ("Give me a regular expression that matches US ZIP codes.", ""),
    ("Write a query to find users older than 30 in the users table.", ""),
    ("Translate this Python code into JavaScript.", "python"),
])
def test_code_asks(request_text: str, language: str) -> None:
    ask = code_ask(analyse(request_text))
    assert ask is not None and ask.unit == language


@pytest.mark.parametrize("request_text", [
    "Design a fitness program for beginners.",
    "Write a script for a 30-second radio ad.",
    "Describe the dress code for the gala.",
    "How does garbage collection work in Java?",
    "Explain what this Python function does.",
    "Identify the programming language used to write the given code.",
    "Write a cover letter for a Python developer position.",
    "Write a short poem about letting go in autumn.",
    "Reverse engineer the following code snippet and explain it.",
    "I am building a facial-recognition program in Python. What do you think?",
])
def test_not_code_asks(request_text: str) -> None:
    assert code_ask(analyse(request_text)) is None


@pytest.mark.parametrize(("answer", "count"), [
    ("1. Apple\n2. Banana\n3. Cherry", 3),
    ("Here are three:\n1. **Apple**: red\n\nSweet.\n\n2. **Pear**\n3. **Fig**\n\nEnjoy!", 3),
    ("1. Fossil fuels\n   - coal\n   - cars\n2. Deforestation", 2),
    ("1. Legislative\n- Congress\n2. Executive\n- President\n3. Judicial", 3),
    ("- Painting\n - Sculpture\n - Photography", 3),  # one space off is still the top level
    ("| Country | Capital |\n|---|---|\n| France | Paris |\n| Japan | Tokyo |", 2),
    ('["red", "green", "blue"]', 3),
    ("1. Polar bear 2. Arctic fox 3. Walrus", 3),
    ("The three primary colours are red, yellow and blue.", 3),
    ("The Starry Night and Sunflowers.", 2),
    ("Mount Everest (8,848 m), K2 (8,611 m), and Lhotse (8,516 m).", 3),
    ("Brazil\nPeru\nChile", 3),
])
def test_count_items(answer: str, count: int) -> None:
    assert count_items(answer, "items") == count


@pytest.mark.parametrize("answer", [
    "Oatmeal:\n1. Boil milk.\n2. Add oats.\n\nEggs:\n1. Whisk.\n2. Cook.",  # numbering restarts
    "Day 1:\n- Colosseum\n- Forum\n\nDay 2:\n- Vatican\n- St Peter's",  # bullets in groups
    "Two topics are stratification and interaction. Others include crime, culture and gender.",  # two sentences
    "The first primes are python('list(sympy.primerange(0, 30))')",  # code, not a list
    "Exercise improves your mood because it releases endorphins.",
])
def test_answers_that_are_not_clearly_one_list(answer: str) -> None:
    assert count_items(answer, "items") is None


def test_poems_are_not_counted_by_lines() -> None:
    assert count_items("Silent flakes falling\nthe garden forgets\nwhite on white", "haikus") is None


@pytest.mark.parametrize(("text", "count"), [
    ("One sentence only.", 1),
    ("Dr. Patel's U.S. study of 3.5 million patients ended at 5 p.m. on Friday.", 1),
    ("J. K. Rowling wrote it. She lives in Edinburgh. Yes.", 2),  # "Yes." is under three words
    ("First line of text here\nSecond line of text here", 2),
])
def test_sentences(text: str, count: int) -> None:
    assert sentences(text) == count


def test_word_count_ignores_list_markers_and_body_drops_lead_ins() -> None:
    assert word_count("1. Machine\n2. Learning\n3. Robotics") == 3
    assert body('Here is a one-sentence summary: "The cat sat."') == "The cat sat."
    assert declines("  I'm sorry, but I can't help with that.") and not declines("Sorry is a hard word.")


@pytest.mark.parametrize(("answer", "problem"), [
    ('{"a": 1}', None),
    ('Here is the JSON:\n```json\n{"a": 1}\n```', None),
    ('Sure! {"a": [1, 2]} is what you need.', None),
    ("Use the {name} placeholder.\n\n[1, 2, 3]", None),
    ("{'a': 1}", "does not parse as JSON"),
    ('```json\n{"a": 1,}\n```', "```json block does not parse"),
    ('[{"a": 1}, {"b" 2}]', "does not parse as JSON"),  # a fragment inside broken JSON does not rescue it
    ('{"delay": NaN}', "NaN is not valid JSON"),
    ("name: Ali", "contains no JSON"),
])
def test_find_json(answer: str, problem: str | None) -> None:
    value, found = find_json(answer)
    assert (found is None) if problem is None else (problem in (found or "") and value is None)


def test_json_keys_are_found_at_any_depth_and_normalised() -> None:
    keys = json_keys({"person": {"firstName": "Iris", "Age": 7}, "tags": [{"the_id": 1}]})
    assert {normal_key("first_name"), normal_key("age"), normal_key("The ID")} <= keys


@pytest.mark.parametrize("answer", [
    "```python\nprint(1)\n```", "def f(x):\n    return x", "SELECT name FROM users;", "git reset --soft HEAD~1",
    "df -h", "^\\d{5}(-\\d{4})?$", "<form><input name='q'></form>", "a {\n  color: red;\n}",
    "Use `sorted(words, key=len)`.", "    x = 1", "const square = (n) => n * n;", "\\(",
])
def test_has_code(answer: str) -> None:
    assert has_code(answer)


@pytest.mark.parametrize("answer", [
    "The factorial of n is the product of all positive integers up to n.",
    "Select the rows whose country is Canada from the customers table.",
    "Use the word count tool with the line option on each log file.",
    "Rename every .txt file in the folder to end in .md instead.",
])
def test_prose_is_not_code(answer: str) -> None:
    assert not has_code(answer)


def _example(record: dict[str, Any]):  # noqa: ANN202 - test helper
    return normalise(record, Source("case.jsonl", 1, 0))


def test_exchanges_use_the_instruction_apart_from_the_input_and_are_shared_by_the_rules() -> None:
    example = _example({"instruction": "Name three colours.", "input": "List 9 things: ...", "output": "Red.",
                        "history": [["Hi", "Hello"]]})
    pairs = aln_structure._exchanges(example)
    assert [request.text for _, request, _ in pairs] == ["Hi", "Name three colours."]
    assert [answer.pointer for _, _, answer in pairs] == ["/history/0/1", "/output"]
    assert aln_structure._LAST[0] is example and aln_structure._LAST[1] is pairs  # the rules look it up


def test_rejected_answers_of_preference_records_are_not_checked() -> None:
    example = _example({"prompt": "Name three colours.", "chosen": "Red, green and blue.", "rejected": "Red."})
    options = aln_structure.ItemCountOptions.model_validate({})
    assert list(aln_structure.item_count_mismatch(example, options)) == []
