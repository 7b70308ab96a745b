r"""CTX: missing context. Requests that point at something the record does not hold.

A request may point at material that is not there (CTX001), at something a text model cannot receive
(CTX002), at earlier turns of a conversation that has none (CTX003), or still hold a template's slot
(CTX004). Trained on such records, a model learns to answer as if it had seen what it never saw: the
classic source of Alpaca's hallucinated answers.

This module declares the rules and decides which text of a record each reads; the patterns live beside
it: `ctx_patterns` (shared pieces and CTX001), `ctx_media` (CTX002), `ctx_history` (CTX003) and
`ctx_placeholders` (CTX004).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from dslint.formats import (
    ALPACA,
    CHAT,
    PREFERENCE,
    PROMPT_COMPLETION,
    SELF_INSTRUCT,
    SHAREGPT,
)
from dslint.model import ASSISTANT, SYSTEM, USER, Example, Severity, Violation
from dslint.rules import ctx_history as history
from dslint.rules import ctx_media as media
from dslint.rules import ctx_patterns as patterns
from dslint.rules.base import RuleOptions, record_rule
from dslint.rules.ctx_placeholders import (
    asks_for_template,
    find_slots,
    names_notation,
    request_end,
)
from dslint.text import instruction

_FORMATS = (ALPACA, SELF_INSTRUCT, CHAT, SHAREGPT, PROMPT_COMPLETION, PREFERENCE)
_ALPACA_LIKE = (ALPACA, SELF_INSTRUCT)
_HISTORY_IN_SYSTEM = re.compile(r"\b(?:conversation|chat)\s+(?:history|so\s+far|summary)|previous\s+"
                                r"(?:conversation|messages|turns)|summary\s+of\s+(?:the|our)\s+conversation",
                                re.IGNORECASE)


class ReferencedInputOptions(RuleOptions):
    no_input: tuple[str, ...] = Field(
        patterns.NO_INPUT,
        description="Alpaca inputs that mean 'no input' (compared trimmed, in lower case, without a final period).",
    )
    later_turns: bool = Field(True, description="Also check user turns after the first (forward references).")


@record_rule(
    code="CTX001",
    name="missing-referenced-input",
    severity=Severity.WARNING,
    summary="Request refers to material ('the following text', 'this code') that the record does not hold",
    options=ReferencedInputOptions,
    formats=_FORMATS,
)
def missing_referenced_input(example: Example, options: ReferencedInputOptions) -> list[Violation]:
    r"""Request refers to material ('the following text', 'this code') that the record does not hold

    ## What it does
    Looks for requests that point at material to work on ("the following sentence", "the passage below",
    "the given text", "this code", "the table above", "these numbers", a bare "Summarize the article.")
    when the record supplies none: in Alpaca, the `input` is empty or a "no input" placeholder (`N/A`,
    `<noinput>`) and the instruction carries no material of its own; in a chat, nothing follows the request
    in the same message (after a colon, on other lines, quoted, or in a code block). References backwards
    ("this", "above", a bare "the") count only in a first user message with no substantial system prompt,
    since later ones may point at earlier turns. Generic and anaphoric uses are left alone ("a given
    number", "the following day", "write a poem and give this poem a title", "write a program to sort the
    list"), and so is a reference followed by the material as a plain next sentence ("Answer the following
    question. What is ...?"). An answer that asks for the material is fine. Reports the request's pointer
    (`/instruction`, `/messages/0/content`) and quotes the reference; "the following photo" is CTX002's.

    ## Why it matters
    The model is trained to answer about text it never saw, so it learns to invent it. This was the most
    common defect the Alpaca cleaning effort fixed by hand ("Translate the following sentence" with an
    empty input).

    ## Example
    ```jsonl
    {"instruction": "Rewrite the following sentence in the passive voice.", "input": "", "output": "The ball was thrown by the boy."}
    {"messages": [{"role": "user", "content": "Can you fix the bug in this code?"}, {"role": "assistant", "content": "Start the loop at 0."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Rewrite the following sentence in the passive voice.", "input": "The boy threw the ball.", "output": "The ball was thrown by the boy."}
    {"messages": [{"role": "user", "content": "Can you fix the bug in this code?\n\n```python\nfor i in range(1, 10): print(i)\n```"}, {"role": "assistant", "content": "Start the loop at 0."}]}
    {"instruction": "Summarize the following article.", "input": "", "output": "Please provide the article you would like me to summarize."}
    ```

    ## Options
    - `no-input` (default `["", "<noinput>", "n/a", "none", "no input", ...]`): Alpaca inputs that mean
      there is no input.
    - `later-turns` (default `true`): also check later user turns, for forward references only ("the
      following text" with nothing after it).
    """
    found: list[Violation] = []
    if example.format in _ALPACA_LIKE:
        request = example.fields.get("instruction")
        given = _no_input(example, options.no_input) if request else None
        if given is None or request is None:
            return found
        phrase = patterns.missing_reference(request[1], backward=not _has_prior(example))
        if phrase and not _asks_for_it(example.fields.get("output")):
            found.append(Violation(f'"{phrase}" refers to material that is not there: {given}', request[0]))
        return found
    first = True
    for index, turn in enumerate(example.turns):
        if turn.role is ASSISTANT:
            first = False
        elif turn.role is USER and (first or options.later_turns):
            phrase = patterns.missing_reference(turn.content, backward=first and not _long_system(example))
            if phrase and not _asks_for_it(_answer(example, index)):
                where = "nothing follows the request" if not first else "the message holds no such material"
                found.append(Violation(f'"{phrase}" refers to material that is not there: {where}', turn.pointer))
            first = False
    return found


class NonTextInputOptions(RuleOptions):
    media_keys: tuple[str, ...] = Field(
        tuple(sorted(media.MEDIA_KEYS)),
        description="Record keys that attach media to a record (a record with one is multimodal and skipped).",
    )


@record_rule(
    code="CTX002",
    name="non-text-input",
    severity=Severity.WARNING,
    summary="Request needs an image, audio, video, attachment or web page that a text record cannot carry",
    options=NonTextInputOptions,
    formats=_FORMATS,
)
def non_text_input(example: Example, options: NonTextInputOptions) -> list[Violation]:
    r"""Request needs an image, audio, video, attachment or web page that a text record cannot carry

    ## What it does
    Looks for requests that depend on something only eyes, ears or a browser could take in: a specific
    image, photo, chart, diagram, screenshot, video, recording, attached file, or a URL whose page is to be
    read ("Describe this image.", "the dog in the photo", "Summarize the article at https://..."), and
    Alpaca inputs that stand in for one ("Attached photo", a lone URL, `<image>`). Figurative and generic
    uses are left alone ("public image", "draw a conclusion", "map out a plan", "the graph of y = 2x",
    "create a bar chart of ..."), as are requests that describe the picture in words or paste the file's
    text, requests to write code, multimodal records that attach media (an `images` key, image content
    parts), and records whose model has tools or is granted a browser or shell (toolformer prompts), which
    can fetch the page. An answer that says it cannot see the thing is fine.

    ## Why it matters
    A text model never receives the picture or the page, so the answer in the record was made up, and the
    model learns to describe images it cannot see. Stanford Alpaca's generator filtered instructions with
    words like image, graph, picture, file, map, video and audio for this reason; some still got through.

    ## Example
    ```jsonl
    {"instruction": "Identify the breed of the dog in the photo.", "input": "", "output": "It is a golden retriever."}
    {"instruction": "Summarize the following article.", "input": "https://www.example.com/news/economy", "output": "The economy grew."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Which dog breed has a golden coat, a friendly temper and webbed feet?", "input": "", "output": "The golden retriever."}
    {"instruction": "How can a company repair its public image?", "input": "", "output": "Apologize and act."}
    {"messages": [{"role": "user", "content": "<image>What breed is this dog?"}, {"role": "assistant", "content": "A golden retriever."}], "images": ["dog.jpg"]}
    ```

    ## Options
    - `media-keys` (default `["audio", "audios", "files", "image", "image_path", "images", "video",
      "videos"]`): record keys that attach media; records with one are multimodal and not checked.
    """
    if example.format in _ALPACA_LIKE:
        violation = media.alpaca_media(example)
        if violation and not media.multimodal(example, options.media_keys) and not _asks_for_it(
                example.fields.get("output")):
            return [violation]
        return []
    found: list[Violation] = []
    first = True
    for index, turn in enumerate(example.turns):
        if turn.role is not USER:
            first = first and turn.role is not ASSISTANT
            continue
        phrase = media.media_reference(turn.content)
        if phrase and not media.multimodal(example, options.media_keys) and not media.has_media_part(turn) and not (
                not first and media.said_before(example, index, phrase)) and not _asks_for_it(_answer(example, index)):
            found.append(Violation(media.media_message(phrase), turn.pointer))
        first = False
    return found


@record_rule(
    code="CTX003",
    name="missing-earlier-turn",
    severity=Severity.WARNING,
    summary="First user message refers to earlier turns of a conversation that has none",
    formats=_FORMATS,
)
def missing_earlier_turn(example: Example, options: object) -> list[Violation]:
    r"""First user message refers to earlier turns of a conversation that has none

    ## What it does
    Looks at the first user message (Alpaca's instruction when there is no `history`) for references to
    a conversation before it: "as I said before", "your previous answer", "the code you gave me", "in my
    last message", "continue from where you left off", a whole message that only continues ("continue",
    "go on", "yes, please"), and, in a short message naming no options, "the second one", "make it
    shorter", "that's not what I asked for", "do the same for ...". Quoted text and code are not searched;
    a role-play setup ("You are Sherlock Holmes ... describe your first steps") is not a reference; and a
    system prompt that carries the conversation so far, or an answer saying there is no earlier
    conversation, makes the record fine. (A bare "continue" is also VAG002's missing object.)

    ## Why it matters
    Such a record is usually a fragment of a longer conversation, cut where a chat export was split into
    chunks (ShareGPT's "continue" chunks) or sampled turn by turn. The model is trained to answer a
    message whose context it never saw, and learns to pretend it remembers.

    ## Example
    ```jsonl
    {"conversations": [{"from": "human", "value": "continue"}, {"from": "gpt", "value": "...and so the knight rode home."}]}
    {"messages": [{"role": "user", "content": "Can you make your previous answer shorter?"}, {"role": "assistant", "content": "Sure: ..."}]}
    ```

    ## Use instead
    ```jsonl
    {"conversations": [{"from": "human", "value": "Tell me a story about a knight."}, {"from": "gpt", "value": "A knight set out..."}, {"from": "human", "value": "continue"}, {"from": "gpt", "value": "...and so the knight rode home."}]}
    {"messages": [{"role": "user", "content": "I have two offers, from a startup and from a bank. Should I take the second one?"}, {"role": "assistant", "content": "Consider stability."}]}
    ```
    """
    index = _first_user(example)
    if index is None:
        return []
    request = example.fields.get("instruction") if example.format in _ALPACA_LIKE else None
    turn = example.turns[index]
    pointer, text = request if request else (turn.pointer, turn.content)
    given = example.fields.get("input") if request else None
    phrase = history.history_reference(text, material=bool(given and given[1].strip()))
    system = example.system
    if phrase and not (system and _HISTORY_IN_SYSTEM.search(system)) and not _asks_for_it(_answer(example, index)):
        return [Violation(f'"{patterns.short(phrase)}" refers to earlier turns, but this is the first message',
                          pointer)]
    return []


class PlaceholderOptions(RuleOptions):
    letter_slots: bool = Field(
        False,
        description="Also flag '[Your Name]'-style slots in answers and inputs, not only in requests.",
    )
    ignore: tuple[str, ...] = Field((), description="Placeholders to accept, exactly as written (e.g. '{{name}}').")


@record_rule(
    code="CTX004",
    name="unfilled-placeholder",
    severity=Severity.WARNING,
    summary="Template placeholder left unfilled ('{{name}}', '{topic}', '[PLACEHOLDER]', '<insert text>')",
    options=PlaceholderOptions,
    formats=_FORMATS,
)
def unfilled_placeholder(example: Example, options: PlaceholderOptions) -> list[Violation]:
    r"""Template placeholder left unfilled ('{{name}}', '{topic}', '[PLACEHOLDER]', '<insert text>')

    ## What it does
    Looks in every message and field (system prompt, instruction, input, answer) for template slots that
    were never filled: `{{name}}` and `{{ user.name }}`, `{product_name}` and `{Company Name}` in prose,
    `[PLACEHOLDER]`, `[INSERT ...]`, `[NAME]`-style capitals, `<insert text>` and `<your name>`. In a
    request (an instruction, a system prompt, the first paragraph of a user message) `[Company Name]`-style
    slots count too; in answers they are what a drafted letter conventionally holds, so they count only
    with `letter-slots`. Code is not searched, nor lines that are code (f-strings, `.format(` calls), nor
    JSON, LaTeX, set notation, `${{ ... }}` expressions, few-shot labels (`[QUESTION] Given ...`), texts
    that explain templating or use braces as task notation ("replace the word in braces"), or the answer
    to a request for a template or form, whose slots were asked for. Reports each field or message once,
    quoting the first slot.

    ## Why it matters
    The slot was meant to be replaced before training. Left in, the model learns to say "I am {{name}}"
    or to ask about "{topic}". LLaMA-Factory's `identity.json` ships with `{{name}}` and `{{author}}` on
    purpose, for you to fill in: training on it unchanged teaches the literal braces.

    ## Example
    ```jsonl
    {"instruction": "Who are you?", "input": "", "output": "I am {{name}}, an AI assistant developed by {{author}}."}
    {"messages": [{"role": "user", "content": "Write a product description for {product_name}."}, {"role": "assistant", "content": "Introducing..."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Who are you?", "input": "", "output": "I am Aria, an AI assistant developed by Example Labs."}
    {"instruction": "Show an f-string.", "input": "", "output": "print(f\"Hello {name}\")"}
    {"instruction": "Write a cover letter.", "input": "", "output": "Dear Hiring Manager, ... Sincerely, [Your Name]"}
    ```

    ## Options
    - `letter-slots` (default `false`): also flag `[Your Name]`-style slots in answers and inputs.
    - `ignore` (default `[]`): placeholders to accept as written, e.g. `["{{name}}", "{{author}}"]` for a
      set filled in at training time.
    """
    for turn in (example.turns + example.alternatives) if example.alternatives else example.turns:
        content = turn.content
        if "{" in content or "[" in content or "<" in content:
            break
    else:
        return []  # no text holds a brace, a bracket or an angle bracket (Alpaca's fields are in its turns)
    found: list[Violation] = []
    ignored = frozenset(options.ignore)
    request = instruction(example)
    notation: bool | None = None  # computed once, and only for a record with a slot
    template: bool | None = None
    for pointer, text, is_request in _texts(example):
        slot = find_slots(text, request_end=request_end(text) if is_request else 0,
                          letter_slots=options.letter_slots, ignored=ignored)
        if not slot:
            continue
        if request is not None:
            if notation is None:
                notation, template = names_notation(request.text), asks_for_template(request.text)
            if notation and pointer != request.pointer:
                continue  # "replace the word in braces": the braces in the input are the task's notation
            if template and not is_request:
                continue  # "generate a template for ...": the answer's slots are what was asked for
        more = f" (and {slot.total - 1} more)" if slot.total > 1 else ""
        found.append(Violation(f'unfilled template placeholder "{patterns.short(slot.text)}"{more}', pointer))
    return found


# ------------------------------------------------------------------------------------------- helpers


def _no_input(example: Example, no_input: tuple[str, ...]) -> str | None:
    """How an Alpaca record says it has no input ("the input is empty"), or None when it has one."""
    given = example.fields.get("input")
    if given is None:
        return "there is no input"
    if not given[1]:
        return "the input is empty"
    if len(given[1]) > 40:
        return None  # real input (the "no input" markers are short)
    text = given[1].strip().lower().rstrip(".").strip()
    if text in _as_set(no_input):
        return "the input is empty" if not text else f'the input is only "{given[1].strip()}"'
    return None


_SETS: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}


def _as_set(texts: tuple[str, ...]) -> frozenset[str]:
    """The `no-input` option as a set, normalised; kept by identity (one options object per run)."""
    found = _SETS.get(id(texts))
    if found is None or found[0] is not texts:
        found = _SETS[id(texts)] = (texts, frozenset(text.strip().lower().rstrip(".").strip() for text in texts))
    return found[1]


def _first_user(example: Example) -> int | None:
    """The index of the first user turn, if no assistant turn comes before it."""
    for index, turn in enumerate(example.turns):
        if turn.role is USER:
            return index
        if turn.role is ASSISTANT:
            return None
    return None


def _answer(example: Example, index: int) -> str | None:
    """The assistant turn answering the user turn at `index` (None when there is none)."""
    for turn in example.turns[index + 1:]:
        if turn.role is ASSISTANT:
            return turn.content
    return None


def _has_prior(example: Example) -> bool:
    """Whether Alpaca `history` turns or a substantial system prompt come before the instruction."""
    turns = example.turns
    return len(turns) > 2 and (any(t.role in (USER, ASSISTANT) for t in turns[:-2]) or
                               _long_system(example))


def _long_system(example: Example) -> bool:
    system = example.system
    return system is not None and len(system) > 200


def _asks_for_it(answer: tuple[str, str] | str | None) -> bool:
    text = answer[1] if isinstance(answer, tuple) else answer
    return bool(text) and patterns.ASKS_FOR_IT.search(text[:400]) is not None  # type: ignore[index]


def _texts(example: Example) -> Iterator[tuple[str, str, bool]]:
    """(pointer, text, is_request) of every field (Alpaca) or message, rejected answers included."""
    covered: set[str] = set()
    if example.format in _ALPACA_LIKE:
        for key, (pointer, text) in example.fields.items():
            covered.add(pointer)
            yield pointer, text, key in ("instruction", "system")
    for turn in (*example.turns, *example.alternatives):
        if turn.pointer not in covered:
            covered.add(turn.pointer)
            yield turn.pointer, turn.content, turn.role in (USER, SYSTEM)
