r"""ALN structure rules: the answer's shape is not the one the request asks for (JSON, N items, a length, code).

Each rule reads the request an answer replies to (Alpaca's `instruction` without its `input`, else the user
turn) and the answer itself; multi-turn conversations are checked exchange by exchange. Only explicit asks
count, and only clear mismatches are reported: an unclear scope ("for each", several parts) or an answer that
cannot be measured (not clearly a list) stays silent. Refusals are left to the content rules. The patterns
are in `aln_structure_patterns` (the request, and its item counts and length limits), `aln_structure_formats`
(JSON and code asks) and `aln_structure_answers` (the answer).
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from dslint.model import Example, Severity, Turn, Violation
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
    SENTENCE,
    Ask,
    Request,
    analyse,
    count_ask,
    length_ask,
)
from dslint.rules.base import RuleOptions, record_rule
from dslint.text import answered

_LAST: list[Any] = [None, []]
Pair = tuple[int, Request, Turn]


def _exchanges(example: Example) -> list[Pair]:
    """(what the request may ask, request, answer) per exchange, paired by `dslint.text.answered`,
    with Alpaca's instruction apart from its input (the input is material, not the request).

    Memoised for the last example (by identity, the reference kept): the engine runs the four rules on one
    example in turn and they share this work; each rule looks the memo up itself first (a call is dear).
    """
    field = example.fields.get("instruction")
    pairs: list[Pair] = []
    for user, answer in answered(example.turns):
        text = field[1] if field is not None and field[0] == user.pointer else user.content
        if text:
            request = analyse(text)
            pairs.append((request.may, request, answer))
    _LAST[0], _LAST[1] = example, pairs
    return pairs


def _names(keys: list[str]) -> str:
    return ", ".join(f'"{key}"' for key in keys)


class InvalidJsonOptions(RuleOptions):
    check_keys: bool = Field(True, description="Also report JSON lacking the keys the request names.")


@record_rule(
    code="ALN001",
    name="invalid-json-output",
    severity=Severity.WARNING,
    summary="Asked for JSON, and the answer does not parse as JSON or lacks the keys asked for",
    options=InvalidJsonOptions,
)
def invalid_json_output(example: Example, options: InvalidJsonOptions) -> list[Violation]:
    r"""Asked for JSON, and the answer does not parse as JSON or lacks the keys asked for

    ## What it does
    Finds requests that ask for the answer in JSON ("Return it as a JSON object", "Respond only with valid
    JSON", "Convert the table into JSON", "Your answer must be in JSON") and checks the answer: the JSON in a
    ```` ```json ```` block, or the first JSON object or array in the text (a lead-in sentence or a closing
    remark is fine), must parse. When the request names keys ("with keys `name` and `age`", "with title,
    author and year fields", or a template after "in this format:"), the JSON must have them at some depth
    (case and `_`/`-` ignored). Not asks: JSON as the input ("Parse the JSON below", "Convert this JSON to
    YAML"), questions about JSON ("How do I return JSON from Flask?"), and code requests whose program
    produces JSON ("Write a Python function that returns JSON"). Reports the answer's pointer, quoting the ask
    and the parser's complaint.

    ## Why it matters
    Structured-output skills are learnt from examples like these. An answer in prose, a Python dict with
    single quotes, a trailing comma, a truncated object or a missing key teaches the model that "JSON" means
    "something JSON-like", and downstream parsers fail on exactly those outputs.

    ## Example
    ```jsonl
    {"instruction": "Return the contact details as a JSON object.", "input": "Ana Lima, phone 555-0101", "output": "{'name': 'Ana Lima', 'phone': '555-0101'}"}
    {"messages": [{"role": "user", "content": "Describe a book as JSON with keys title, author and year."}, {"role": "assistant", "content": "{\"title\": \"Dune\", \"author\": \"Frank Herbert\"}"}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Return the contact details as a JSON object.", "input": "Ana Lima, phone 555-0101", "output": "{\"name\": \"Ana Lima\", \"phone\": \"555-0101\"}"}
    {"messages": [{"role": "user", "content": "Describe a book as JSON with keys title, author and year."}, {"role": "assistant", "content": "```json\n{\"title\": \"Dune\", \"author\": \"Frank Herbert\", \"year\": 1965}\n```"}]}
    {"instruction": "Convert the following JSON to YAML.", "input": "{\"name\": \"Ali\"}", "output": "name: Ali"}
    ```

    ## Options
    - `check-keys` (default true): also report valid JSON lacking a key the request names.
    """
    found: list[Violation] = []
    for may, request, answer in _LAST[1] if example is _LAST[0] else _exchanges(example):
        if not may & JSON:
            continue
        ask = json_ask(request)
        if ask is None or (may & CODE and code_ask(request) is not None) or declines(answer.content):
            continue
        value, problem = find_json(answer.content)
        if problem is not None:
            found.append(Violation(f'asked for JSON ("{ask.phrase}"), but {problem}', answer.pointer))
        elif options.check_keys and ask.unit:
            keys = ask.unit.split("\0")
            present = json_keys(value)
            missing = [key for key in keys if normal_key(key) not in present]
            if missing:
                found.append(Violation(f'asked for JSON with keys {_names(keys)} ("{ask.phrase}"), but its JSON '
                                       f"lacks {_names(missing)}", answer.pointer))
    return found


class ItemCountOptions(RuleOptions):
    tolerance: int = Field(0, ge=0, description="Items the answer may list beyond the bounds asked for.")


@record_rule(
    code="ALN002",
    name="item-count-mismatch",
    severity=Severity.WARNING,
    summary="Asked for N items, and the answer lists a different number",
    options=ItemCountOptions,
)
def item_count_mismatch(example: Example, options: ItemCountOptions) -> list[Violation]:
    r"""Asked for N items, and the answer lists a different number

    ## What it does
    Finds requests for a number of items, in digits or words ("List five ...", "Give me 3 examples",
    "Suggest between 3 and 5 books", "at least 4", "no more than 3", "top 10", "a dozen", "in 5 bullet
    points"), and counts the items of the answer when it is clearly a list: numbered lines (top level only,
    numbered 1, 2, 3 ... with no restart), bulleted lines (top level, one run), table rows, a JSON array, an
    inline numbered list, or a short one-line list ("Red, yellow and blue.", also after "The colours are").
    Reports the answer's pointer when the count falls outside the bounds, quoting the ask. Silent when the
    answer is prose, when the count is for each of several things ("two examples each"), when the request
    has several counts ("3 pros and 3 cons"), when the count is one part of the request ("Describe X and
    list 3 ways"), when the count is approximate ("about 10"), when the request asks for code (the count is
    what the code returns: "a SQL query for the top 10 orders"), for "Add two more ..." (the answer repeats
    the list), and for units that are not items (paragraphs, lines, characters, minutes ...).

    ## Why it matters
    Following a requested number is one of the easiest instructions to check and one of the first users
    notice. Examples answering "List five" with four or seven items teach the model that numbers in
    requests are suggestions. The mismatch is often a sign of truncated or carelessly edited answers.

    ## Example
    ```jsonl
    {"instruction": "List five factors that lead to global warming.", "input": "", "output": "1. Fossil fuels\n2. Deforestation\n3. Agriculture\n4. Industry"}
    {"conversations": [{"from": "human", "value": "Name three primary colours."}, {"from": "gpt", "value": "Red and blue."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "List five factors that lead to global warming.", "input": "", "output": "1. Fossil fuels\n2. Deforestation\n3. Agriculture\n4. Industry\n5. Landfills"}
    {"conversations": [{"from": "human", "value": "Name three primary colours."}, {"from": "gpt", "value": "The three primary colours are red, yellow and blue."}]}
    {"instruction": "List 3 pros and 3 cons of nuclear power.", "input": "", "output": "Pros:\n1. Low emissions\n2. Reliable\n3. Compact\nCons:\n1. Waste\n2. Cost\n3. Risk"}
    ```

    ## Options
    - `tolerance` (default 0): how many items the answer may be off by before it is reported.
    """
    found: list[Violation] = []
    for may, request, answer in _LAST[1] if example is _LAST[0] else _exchanges(example):
        if not may & COUNT:
            continue
        ask = count_ask(request)
        if ask is None or (may & CODE and code_ask(request) is not None) or declines(answer.content):
            continue  # in a request for code, a count is what the code returns ("the top 10 orders")
        count = count_items(answer.content, ask.unit)
        if count is None:
            continue
        if (ask.low is not None and count < ask.low - options.tolerance) or (
                ask.high is not None and count > ask.high + options.tolerance):
            found.append(Violation(f'asked for {_bounds(ask)} ("{ask.phrase}"), but the answer lists {count}',
                                   answer.pointer))
    return found


def _bounds(ask: Ask) -> str:
    if ask.low == ask.high:
        return f"{ask.low} {ask.unit}"
    if ask.high is None:
        return f"at least {ask.low} {ask.unit}"
    if ask.low is None:
        return f"at most {ask.high} {ask.unit}"
    return f"{ask.low} to {ask.high} {ask.unit}"


class LengthLimitOptions(RuleOptions):
    one_word_max: int = Field(3, ge=1, description="Words a one-word answer may have (names: 'New York City').")
    yes_no_max_words: int = Field(12, ge=1, description="Words a yes-or-no answer may have (a short reason).")
    word_slack: float = Field(0.1, ge=0, description="Share over a strict word or character limit tolerated.")
    approximate_slack: float = Field(
        0.5, ge=0, description="Share over an approximate length ('in 50 words', 'a 100-word story') tolerated.")
    implicit_sentence: bool = Field(
        False, description="Treat 'Write a sentence ...' as asking for one sentence (opt-in: answers often add "
                           "a remark).")


@record_rule(
    code="ALN003",
    name="length-limit-exceeded",
    severity=Severity.WARNING,
    summary="Asked for one word, yes or no, one sentence or at most N words, and the answer is clearly longer",
    options=LengthLimitOptions,
)
def length_limit_exceeded(example: Example, options: LengthLimitOptions) -> list[Violation]:
    r"""Asked for one word, yes or no, one sentence or at most N words, and the answer is clearly longer

    ## What it does
    Finds explicit limits on the answer's length and measures the answer against them:
    - one word ("in one word", "a one-word answer", "One word only"): more than `one-word-max` words;
    - yes or no ("Answer yes or no", "(yes/no)", "Respond with only 'yes' or 'no'"): more than
      `yes-no-max-words` words. A request that also asks for a reason ("yes or no, and explain why") sets no
      limit;
    - N sentences ("in one sentence", "a one-sentence summary", "in 2 sentences or fewer", "Combine ... into
      a single sentence"): more sentences than N, counting sentences of three words or more and not splitting
      at abbreviations ("Dr.", "U.S.") or initials. "Write a sentence ..." counts only with
      `implicit-sentence`: on real data such answers often add a remark after the sentence (all four
      findings it adds on the Alpaca and LLaMA-Factory samples were one sentence and an explanation), which
      is verbose rather than clearly over a limit;
    - N words ("in under 50 words", "no more than 20 words", "30 words max"): more than N plus `word-slack`
      (at least 2 words); approximate lengths ("in 50 words", "a 100-word story") get `approximate-slack`;
    - N characters ("in under 100 characters"): more than N plus `word-slack`.
    A lead-in such as "Here is a one-sentence summary:" is not counted. Requests with a limit per item ("for
    each", "every") or in several parts ("... in one sentence, then list three colours") set no limit on
    the whole answer and are skipped. Reports the answer's pointer, quoting the ask and the measure.

    ## Why it matters
    Length instructions are how users control verbosity. Examples that answer "in one word" with a
    paragraph, or "yes or no" with an essay, train the model to ignore those instructions, and they are the
    kind of mismatch that makes a model feel like it does not listen.

    ## Example
    ```jsonl
    {"instruction": "Describe the weather in Paris today in one word.", "input": "", "output": "It is mostly sunny with light winds and a high of 22 degrees."}
    {"messages": [{"role": "user", "content": "Is a tomato a fruit? Answer yes or no."}, {"role": "assistant", "content": "Yes, botanically a tomato is a fruit because it develops from the ovary of a flower and contains seeds, although cooks treat it as a vegetable."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Describe the weather in Paris today in one word.", "input": "", "output": "Sunny."}
    {"messages": [{"role": "user", "content": "Is a tomato a fruit? Answer yes or no, and explain why."}, {"role": "assistant", "content": "Yes, botanically a tomato is a fruit because it develops from the ovary of a flower and contains seeds, although cooks treat it as a vegetable."}]}
    {"instruction": "Write a one-sentence description for each of the following products.", "input": "laptop, blender", "output": "Laptop: a portable computer.\nBlender: smoothies in seconds."}
    ```

    ## Options
    - `one-word-max` (default 3): words a one-word answer may have, so that "New York City" passes.
    - `yes-no-max-words` (default 12): words a yes-or-no answer may have, so that a short reason passes.
    - `word-slack` (default 0.1): share over a strict word or character limit that is tolerated.
    - `approximate-slack` (default 0.5): share over an approximate length that is tolerated.
    - `implicit-sentence` (default false): also treat "Write a sentence ..." as asking for one sentence.
    """
    found: list[Violation] = []
    for may, request, answer in _LAST[1] if example is _LAST[0] else _exchanges(example):
        if not may & LENGTH and not (options.implicit_sentence and may & SENTENCE):
            continue
        ask = length_ask(request, options.implicit_sentence)
        if ask is None or (may & CODE and code_ask(request) is not None) or declines(answer.content):
            continue  # a limit in a request for code is about the code
        measured, limit, what = _measure(ask, answer.content, options)
        if measured > limit:
            found.append(Violation(f'asked for {what} ("{ask.phrase}"), but the answer has {measured} '
                                   f"{ask.unit.replace('yes-no', 'word')}s", answer.pointer))
    return found


def _measure(ask: Ask, output: str, options: LengthLimitOptions) -> tuple[int, float, str]:
    """(the answer's length, the most tolerated, what was asked) in the ask's unit."""
    high = ask.high or 1
    if ask.unit == "yes-no":
        return word_count(output), options.yes_no_max_words, "a yes-or-no answer"
    text = body(output)
    if ask.unit == "sentence":
        return sentences(text), high, "one sentence" if high == 1 else f"at most {high} sentences"
    if ask.unit == "character":
        return len(text), high + max(2, math.ceil(high * options.word_slack)), f"at most {high} characters"
    if high == 1:
        return word_count(text), options.one_word_max, "one word"
    if ask.approximate:
        return word_count(text), high * (1 + options.approximate_slack) + 2, f"about {high} words"
    return word_count(text), high + max(2, math.ceil(high * options.word_slack)), f"at most {high} words"


class MissingCodeOptions(RuleOptions):
    require_language: bool = Field(
        False, description="Only report requests that name a programming language.")


@record_rule(
    code="ALN004",
    name="missing-code",
    severity=Severity.WARNING,
    summary="Asked for code, and the answer has none",
    options=MissingCodeOptions,
)
def missing_code(example: Example, options: MissingCodeOptions) -> list[Violation]:
    r"""Asked for code, and the answer has none

    ## What it does
    Finds requests for code: a function, script, program, class, query, regular expression, snippet or
    command in a language ("Write a Python function ...", "Write a SQL query ...", "Implement binary search
    in Java", "Create a bash script ...", "Write code to ..."), and reports the answer's pointer when it has
    no code at all: no fenced block, no inline code, no indented block, and no line that looks like code in
    any language (`def`/`import`, `SELECT ... FROM`, a shebang or a shell command, HTML tags, braces and
    semicolons, a call like `f(x)`, an assignment, regex syntax). Words that only sometimes mean code need
    context: a "program" or "script" must compute something ("a program that prints ...") or name a language
    (a "fitness program" and a "radio script" are not code), a "query" needs a table or database. Questions
    about code ("How does garbage collection work in Java?"), explanations, fixes and pseudocode are not
    asks.

    ## Why it matters
    An answer that describes code in prose when code was asked for teaches the model to talk about solutions
    instead of writing them. Such answers are common in generated data where the generator ran out of
    tokens, refused half-way, or summarised its own code.

    ## Example
    ```jsonl
    {"instruction": "Write a Python function that returns the factorial of a number.", "input": "", "output": "The factorial of n is the product of all positive integers up to n, so multiply the numbers from 1 to n."}
    {"messages": [{"role": "user", "content": "Write a SQL query to find all customers from Canada."}, {"role": "assistant", "content": "Look in the customers table and keep the rows whose country is Canada."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Write a Python function that returns the factorial of a number.", "input": "", "output": "def factorial(n):\n    return 1 if n <= 1 else n * factorial(n - 1)"}
    {"messages": [{"role": "user", "content": "Write a SQL query to find all customers from Canada."}, {"role": "assistant", "content": "```sql\nSELECT * FROM customers WHERE country = 'Canada';\n```"}]}
    {"instruction": "Design a fitness program for beginners.", "input": "", "output": "Week 1: walk 20 minutes a day. Week 2: add squats."}
    ```

    ## Options
    - `require-language` (default false): only report requests that name a programming language.
    """
    found: list[Violation] = []
    for may, request, answer in _LAST[1] if example is _LAST[0] else _exchanges(example):
        if not may & CODE:
            continue
        ask = code_ask(request)
        if ask is None or (options.require_language and not ask.unit) or declines(answer.content):
            continue
        if not has_code(answer.content):
            found.append(Violation(f'asked for code ("{ask.phrase}"), but the answer has none: no code block and '
                                   "no line that looks like code", answer.pointer))
    return found
