r"""ALN content rules: what an answer must not be. Untranslated (ALN005), a placeholder (ALN006), a refusal or
assistant boilerplate (ALN007), cut off (ALN008), a repetition of the request (ALN009).

Every rule checks each assistant answer against the user turn it answers, so multi-turn conversations are
checked turn by turn; answers that carry tool calls are skipped. The tables and matchers live in
`aln_content_patterns` and `aln_content_requests`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from pydantic import Field, field_validator

from dslint.model import Example, Severity, Source, Turn, Violation
from dslint.rules import aln_content_patterns as pat
from dslint.rules import aln_content_requests as req
from dslint.rules.base import RuleOptions, record_rule
from dslint.text import answered

_last: tuple[Example, list[tuple[Turn, Turn]]] = (Example(Source("", None, -1), None), [])


def _pairs(example: Example) -> list[tuple[Turn, Turn]]:
    """(user turn, answer) of each assistant answer with text and no tool calls, turn by turn.

    The five rules run on the same example one after the other, so the last result is kept (with a strong
    reference, so the identity test cannot be fooled by a recycled object).
    """
    global _last
    cached = _last
    if cached[0] is example:
        return cached[1]
    pairs = answered(example.turns, False)  # positional: a keyword argument costs more
    _last = (example, pairs)
    return pairs


def _request_of(example: Example, user: Turn) -> Callable[[], str]:
    """The request a user turn makes, computed only if asked for (most answers never need it)."""
    return lambda: req.prompt_of(example, user).request


# ------------------------------------------------------------------------------------------------ ALN005
@record_rule(code="ALN005", name="untranslated-output", severity=Severity.WARNING,
             summary="Asked for a translation, the output is still in the source language")
def untranslated_output(example: Example, options: object) -> list[Violation]:
    r"""Asked for a translation, the output is still in the source language

    ## What it does
    Finds requests to translate into a language ("Translate into French", "from German to English",
    "Give the Spanish translation", "Rewrite this in Italian", "How do you say ... in Korean?") and
    reports the answer when it repeats the source text word for word (Alpaca's input, the text after a
    colon, or a quoted text), or, for translate and rewrite requests, when it is plainly in another
    language: no character of the target's script (Japanese, Chinese, Korean, Cyrillic, Arabic, Hebrew,
    Greek, Indic scripts, Thai ...) while it reads as another language, or it reads as English, French,
    German, Spanish, Italian, Portuguese or Dutch by its function words with none of the target's.
    Languages are told offline and cheaply: by Unicode script, and by a table of frequent function words of
    those seven languages. Answers that name the target language or quote text ("'I love you' in Spanish
    is 'Te quiero'") are left alone, as are texts already in the target language and programming
    "languages". For other Latin-script targets (Swedish, Turkish ...) only a copied source is reported.
    Requests are read in English: "Traduis en anglais" or "翻译成英文" are not recognised.

    ## Why it matters
    An untranslated answer teaches the model that "translate" means "copy". Such records come from
    generation runs that failed silently or from pipelines that filled a missing answer with its input.

    ## Example
    ```jsonl
    {"instruction": "Translate the sentence into French.", "input": "The museum is closed on Mondays.", "output": "The museum is closed on Mondays."}
    {"messages": [{"role": "user", "content": "Translate into German: I have been learning the piano for two years."}, {"role": "assistant", "content": "I have been learning to play the piano for two years."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Translate the sentence into French.", "input": "The museum is closed on Mondays.", "output": "Le musée est fermé le lundi."}
    {"messages": [{"role": "user", "content": "Translate into German: I have been learning the piano for two years."}, {"role": "assistant", "content": "Ich lerne seit zwei Jahren Klavier."}]}
    ```
    """
    found: list[Violation] = []
    for user, answer in _last[1] if _last[0] is example else _pairs(example):
        text = user.content
        if len(text) > 400:
            text = text[:200] + text[-200:]  # a request says what it wants at the start or at the end
        if "ransl" in text or (
                ("say" in text or "Say" in text or "rite" in text or "onvert" in text) and req.language_hint(text)):
            prompt = req.prompt_of(example, user)
            request = req.translation_request(prompt.request)
            if request is not None:
                message = req.untranslated(request, answer.content, prompt.materials)
                if message:
                    found.append(Violation(message, answer.pointer))
    return found


# ------------------------------------------------------------------------------------------------ ALN006
class PlaceholderOptions(RuleOptions):
    placeholders: tuple[str, ...] = Field(
        pat.PLACEHOLDERS,
        description="Whole answers that mean 'no answer' (compared ignoring case, wrapping brackets or "
                    "quotes, an 'Output:' label and a final period).",
    )

    @field_validator("placeholders")
    @classmethod
    def _normalised(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(" ".join(text.casefold().split()).rstrip(".!") for text in value)

    @cached_property
    def known(self) -> frozenset[str]:
        """The placeholders as a set, built once per options object (not per record)."""
        return frozenset(self.placeholders)


@record_rule(code="ALN006", name="placeholder-output", severity=Severity.WARNING,
             summary="The output is a placeholder such as N/A, <nooutput> or TODO instead of an answer",
             options=PlaceholderOptions)
def placeholder_output(example: Example, options: PlaceholderOptions) -> list[Violation]:
    r"""The output is a placeholder such as N/A, <nooutput> or TODO instead of an answer

    ## What it does
    Reports answers that are only a placeholder: `<nooutput>`, `No output required`, `Not applicable`,
    `TODO`, `TBD`, `xxx`, a template slot (`[Insert answer here]`, `{output}`, `{{response}}`), lorem
    ipsum filler, or a lone `...`, `-` or `???`; and answers that start with a `<nooutput>` or `<noinput>`
    token. `None`, `null`, `nil`, `NaN`, `undefined`, `N/A`, `empty` and `blank` count only when the request
    gives no reason for them: not after "Which of these are prime?", "Find any errors", "How many ...",
    "What does this function return?", nor when the request itself mentions the word; symbols count only
    when the request asks for no symbol or punctuation. An empty or whitespace-only answer is FMT010's.

    ## Why it matters
    A placeholder trains the model to answer a real request with `N/A`. The original Alpaca data has
    `<nooutput>` answers for tasks a text model cannot do (draw a logo, render a 3D model), and dataset
    exports write `None` or `NaN` where an answer was missing.

    ## Example
    ```jsonl
    {"instruction": "Design a logo for a bakery.", "input": "", "output": "<nooutput>"}
    {"conversations": [{"from": "human", "value": "Write a haiku about the ocean."}, {"from": "gpt", "value": "N/A"}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Describe a logo for a bakery.", "input": "", "output": "A golden wheat sheaf inside a circle, with the name in a warm serif font."}
    {"conversations": [{"from": "human", "value": "Which of these numbers are prime: 4, 6, 8?"}, {"from": "gpt", "value": "None"}]}
    ```

    ## Options
    - `placeholders` (default: the list above, from `<nooutput>` to `response here`): the whole answers that
      always count. The ambiguous words (`None`, `N/A` ...) and symbols are judged by the request instead.
    """
    known = options.known
    found: list[Violation] = []
    for user, answer in _last[1] if _last[0] is example else _pairs(example):
        text = answer.content
        if text[0].isalnum():
            if len(text) > pat.SHORT_PLACEHOLDER and ":" not in text[:12] and text[0] not in "Ll":
                continue  # a longer answer starting with a letter is a placeholder only when labelled or lorem
        elif len(text) > 80 and text[0] not in "< \n":
            continue  # a longer answer can only be a <nooutput> token
        placeholder = pat.placeholder(text, user.content, known)
        if placeholder is not None:
            phrase, more = placeholder
            message = (f"output starts with the placeholder {phrase!r}" if more  # what follows may be an answer
                       else f"output is only a placeholder: {phrase!r} instead of an answer")
            found.append(Violation(message, answer.pointer))
    return found


# ------------------------------------------------------------------------------------------------ ALN007
class RefusalOptions(RuleOptions):
    refusals: bool = Field(True, description="Report refusals (\"I'm sorry, but I can't ...\").")
    boilerplate: bool = Field(True, description="Report assistant boilerplate (\"As an AI language model\").")
    extra_phrases: tuple[str, ...] = Field(
        (), description="More phrases to report, matched anywhere in an answer, ignoring case.")
    allow_phrases: tuple[str, ...] = Field(
        (), description="Phrases to accept, ignoring case: a finding is dropped when its quoted phrase "
                        "contains one, or one containing the quoted phrase is in the answer.")

    @field_validator("extra_phrases", "allow_phrases")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(phrase.casefold() for phrase in value if phrase.strip())


@record_rule(code="ALN007", name="refusal-or-boilerplate", severity=Severity.WARNING,
             summary="The output is a refusal or carries assistant boilerplate such as 'As an AI language model'",
             options=RefusalOptions)
def refusal_or_boilerplate(example: Example, options: RefusalOptions) -> list[Violation]:
    r"""The output is a refusal or carries assistant boilerplate such as 'As an AI language model'

    ## What it does
    Reports two kinds of answer, each of which can be switched off:
    - refusals, at the start of the answer: an apology or "Unfortunately" followed, in the same sentence,
      by an inability ("I'm sorry, but I can't ...", "I apologize, but I am unable to ...", "Sorry, I
      don't have access ...", "I'm sorry, I need more information ..."); an answer opening with an
      inability to do a task ("I cannot browse ...", "I am not able to provide ..."); and the Alpaca-style
      "This task cannot be completed by a language model";
    - assistant boilerplate: the answer calling itself an AI or a language model within its first 200
      characters ("As an AI language model", "As an AI, ...", "I'm just an AI", "I am a large language
      model", "I was trained by OpenAI"), or opening with a disclaimer ("As of my knowledge cutoff", "I
      don't have personal opinions", "I don't have real-time ...").

    Requests that call for such words are left alone: refusals when the request asks for a decline, an
    apology, a customer reply, a letter or email, a dialogue, story, poem or role-play, or a translation;
    boilerplate when the request asks who or what the assistant is, or asks it to speak as an AI (a
    persona, a story or dialogue about an AI), or quotes the phrase. Empathy ("I'm sorry to hear that") and
    corrections ("I apologize for the confusion") are not refusals.

    ## Why it matters
    Refusals and disclaimers in ordinary instruction data teach a model to refuse answerable requests and
    to pad answers with "As an AI language model". The original Alpaca and GPT-4 generated sets carry
    both; cleaning projects remove them. Safety datasets that train refusals on purpose can turn the
    refusal half off (`refusals = false`) and keep the boilerplate check. Tool-calling data (glaive) refuses
    out-of-scope requests by design and draws many findings.

    ## Example
    ```jsonl
    {"instruction": "Describe your favourite food.", "input": "", "output": "As an AI language model, I do not have personal preferences."}
    {"messages": [{"role": "user", "content": "Can you book me a flight to Paris?"}, {"role": "assistant", "content": "I'm sorry, but I can't book flights."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Describe a popular Italian dish.", "input": "", "output": "Lasagne: layers of pasta, ragù and béchamel, baked until golden."}
    {"messages": [{"role": "user", "content": "Write a reply declining the meeting."}, {"role": "assistant", "content": "Hi Tom, I'm sorry, but I can't make it on Friday."}]}
    ```

    ## Options
    - `refusals` (default true): report refusals. Set it to false for safety or tool datasets that teach
      the model when to refuse.
    - `boilerplate` (default true): report assistant boilerplate.
    - `extra-phrases` (default `[]`): more phrases to report wherever they appear in an answer, ignoring
      case (e.g. your own assistant's stock disclaimer).
    - `allow-phrases` (default `[]`): phrases to accept, ignoring case. A finding is not reported when the
      phrase it quotes contains one of them, or when one of them that contains the quoted phrase is in the
      answer: `["As an AI assistant"]` accepts "As an AI assistant, I suggest ..." but still reports "As an
      AI language model".
    """
    violations: list[Violation] = []
    for user, answer in _last[1] if _last[0] is example else _pairs(example):
        text = answer.content
        # most answers neither open like a refusal nor mention "AI" or "language model" near the start
        opening = pat.lead(text) if text[:pat.KEY] in pat.LEADS_BY_START or text[0] in pat.LEAD_PUNCT else None
        if opening is None and text.find("AI", 0, pat.BOILER_HEAD) < 0 and (
                text.find("anguage model", 0, pat.MODEL_HEAD) < 0):
            found = None
        else:
            found = pat.refusal(text, opening, _request_of(example, user), options.refusals, options.boilerplate)
        if found is None and options.extra_phrases:
            low = text.casefold()
            phrase = next((p for p in options.extra_phrases if p in low), None)
            found = ("listed phrase", phrase) if phrase else None
        if found is not None and options.allow_phrases:
            matched, low = found[1].casefold(), text.casefold().replace("\u2019", "'")
            if any(allowed in matched or (matched in allowed and allowed in low) for allowed in options.allow_phrases):
                found = None
        if found is not None:
            kind, phrase = found
            what = f"is a {kind}" if kind == "refusal" else f"contains {kind}"
            violations.append(Violation(f"output {what}: {req.short(phrase, 80)!r}", answer.pointer))
    return violations


# ------------------------------------------------------------------------------------------------ ALN008
@record_rule(code="ALN008", name="truncated-output", severity=Severity.WARNING,
             summary="The output is cut off: it ends mid-sentence, or in an open code block, bracket or quote")
def truncated_output(example: Example, options: object) -> list[Violation]:
    r"""The output is cut off: it ends mid-sentence, or in an open code block, bracket or quote

    ## What it does
    Reports answers whose end shows they were cut off: a code block that is never closed; JSON whose
    brackets are left open; an empty last list item (`3.`); a final comma, colon, open bracket or dangling
    operator (`a +`, `x =`); a last word that cannot end a sentence (`the`, `and`, `of`, `because`,
    `their` ..., and in punctuated prose also `to`, `with`, `is`, `that` ...); or an unclosed parenthesis
    or quotation on the last line. It is conservative on purpose: answers ending without a period are fine
    when they are lists, code, poems, headings, numbers, URLs, emoji or short answers. Letter closings
    ("Best regards,") are not cut off, nor is a colon asking the user for input, nor an answer to a request
    to continue, complete or finish something, or about conjunctions, articles and other word classes.
    Words cut in the middle ("condensa") and sentences cut after a noun are not detected.

    ## Why it matters
    Generation runs stopped by a token limit leave answers that end in the middle of a sentence; a model
    trained on them learns to stop mid-thought. The long GPT-4 answers of the cleaned Alpaca set have some.

    ## Example
    ```jsonl
    {"instruction": "Explain how vaccines work.", "input": "", "output": "Vaccines train the immune system to recognise a pathogen, which prompts the body to produce antibodies and"}
    {"messages": [{"role": "user", "content": "Write a Python function that reverses a string."}, {"role": "assistant", "content": "```python\ndef reverse(s):\n    return s[::-1]\n"}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Explain how vaccines work.", "input": "", "output": "Vaccines train the immune system to recognise a pathogen, which prompts the body to produce antibodies."}
    {"messages": [{"role": "user", "content": "List five fruits."}, {"role": "assistant", "content": "- Apple\n- Banana\n- Cherry\n- Mango\n- Orange"}]}
    ```
    """
    found: list[Violation] = []
    for user, answer in _last[1] if _last[0] is example else _pairs(example):
        text = answer.content
        end = text[-1]
        if (end in pat.CLOSED_END and not (end in ".)" and text[-2:-1].isdigit()) and "`" not in text
                and "~" not in text and text[0] not in "{["):
            continue  # the usual answer: it ends with punctuation and holds no code block or JSON
        reason = pat.truncation(text, _request_of(example, user))
        if reason is not None:
            found.append(Violation(f"output looks cut off: it {reason}", answer.pointer))
    return found


# ------------------------------------------------------------------------------------------------ ALN009
class RepeatOptions(RuleOptions):
    min_words: int = Field(4, ge=1, description="Shortest repeated text reported, in words.")


@record_rule(code="ALN009", name="output-repeats-prompt", severity=Severity.WARNING,
             summary="The output only repeats the instruction or the input", options=RepeatOptions)
def output_repeats_prompt(example: Example, options: RepeatOptions) -> list[Violation]:
    r"""The output only repeats the instruction or the input

    ## What it does
    Reports answers that are the request itself, Alpaca's input, the instruction and input together, or
    the text the request works on (after a colon, or quoted), word for word: case, runs of spaces, wrapping
    quotes and a final period are ignored, but not commas or line breaks (adding them is the task of "insert
    a comma"). Requests for which an unchanged text can be the right answer are left alone: repeat,
    echo, copy or quote it; extract, find or select something in it; correct, proofread or check it (it
    may have no errors); "if needed"; sort, format, capitalise or remove duplicates (it may already be
    so, or in order); translate (that is ALN005's). Texts shorter than `min-words` words are not reported.

    ## Why it matters
    An answer that parrots the prompt teaches the model to echo instead of doing the task. It is a common
    failure of generation runs and of conversions that put the wrong field in the output.

    ## Example
    ```jsonl
    {"instruction": "Rewrite the sentence to make it more formal.", "input": "Hey, can you send me the report by tomorrow?", "output": "Hey, can you send me the report by tomorrow?"}
    {"conversations": [{"from": "human", "value": "What are the main causes of inflation?"}, {"from": "gpt", "value": "What are the main causes of inflation?"}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Rewrite the sentence to make it more formal.", "input": "Hey, can you send me the report by tomorrow?", "output": "Could you please send me the report by tomorrow?"}
    {"instruction": "Correct the grammar of the sentence, if needed.", "input": "She has lived here since 2010.", "output": "She has lived here since 2010."}
    ```

    ## Options
    - `min-words` (default 4): the shortest repeated text reported, in words.
    """
    fields = example.fields
    found: list[Violation] = []
    for user, answer in _last[1] if _last[0] is example else _pairs(example):
        if len(answer.content) > len(user.content) + 40:
            continue  # a repetition is no longer than the prompt (the usual case: answers are longer)
        text = answer.content.strip()
        size = len(text)
        # a repetition starts and ends with pieces of the prompt (the first letter's case and the final
        # punctuation may differ)
        if (size > len(user.content) + 8 or size < 2 * options.min_words or text[1:12] not in user.content
                or text[-12:-1] not in user.content):
            continue
        same = req.same_text(text)
        if len(same.split()) < options.min_words:
            continue
        candidates = [("the prompt", user.content)]
        instruction, given = fields.get("instruction"), fields.get("input")
        if instruction is not None and given is not None and user.pointer == instruction[0] and given[1].strip():
            candidates += [("the instruction", instruction[1]), ("the input", given[1]),
                           ("the instruction and input", f"{instruction[1].strip()} {given[1].strip()}")]
        repeated = _repeated(same, size, candidates)
        prompt = None
        if repeated is None:
            prompt = req.prompt_of(example, user)
            repeated = _repeated(same, size, [("the supplied text", m) for m in prompt.materials])
        if repeated is not None:
            request = (prompt or req.prompt_of(example, user)).request
            # requests an unchanged text can answer; translations are ALN005's
            if not req.REPEAT_OK.search(request) and req.translation_request(request) is None:
                found.append(Violation(f"output repeats {repeated} word for word: {req.short(text)!r}",
                                       answer.pointer))
    return found


def _repeated(same: str, size: int, candidates: list[tuple[str, str]]) -> str | None:
    """Which candidate text an answer (as `same_text`, of `size` characters) repeats, if any."""
    for what, other in candidates:
        if abs(len(other.strip()) - size) <= size // 3 + 8 and same == req.same_text(other):
            return what
    return None
