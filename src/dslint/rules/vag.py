r"""VAG: vague or underspecified instructions. The request of a record gives no task, no object or no result.

Only the conversation's first request is judged (`vag_context` finds it and what surrounds it). A request is
matched as a whole against the phrase tables of `vag_patterns`; a turn holding text beside the request ("Do
something with this text:\n\n<text>") is also judged by its first line or last paragraph. The phrase tables
are English: other languages draw no finding.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field, field_validator

from dslint.model import Example, Severity, Violation
from dslint.rules import vag_patterns as vp
from dslint.rules.base import RuleOptions, record_rule
from dslint.rules.vag_context import PART_KINDS, Analysis, Request, analyse, topic_words

_QUOTE_CHARS = 60


def _compiles(value: tuple[str, ...]) -> tuple[str, ...]:
    for phrase in value:
        try:
            re.compile(phrase)
        except re.error as exc:
            raise ValueError(f"{phrase!r} is not a regular expression: {exc}") from None
    return value


class PhraseOptions(RuleOptions):
    extra_phrases: tuple[str, ...] = Field(
        (), description="More requests this rule reports: regular expressions matched against the whole "
                        "normalised request (lower case, punctuation and politeness removed).")
    allow: tuple[str, ...] = Field(
        (), description="Requests never reported: regular expressions matched like `extra-phrases`.")

    _check = field_validator("extra_phrases", "allow")(_compiles)


class TopicOptions(RuleOptions):
    min_words: int = Field(4, ge=2, le=20, description="Requests of at least this many words are not reported.")
    allow: tuple[str, ...] = Field((), description="Requests never reported (as PhraseOptions.allow).")

    _check = field_validator("allow")(_compiles)


@lru_cache(maxsize=64)
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """The user's phrases as one pattern (None when there are none); cached, options are per run."""
    return re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE) if phrases else None


def _absence(analysis: Analysis) -> str:
    around = analysis.around()
    return around.absence if around else ""


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= _QUOTE_CHARS else f'"{text[:_QUOTE_CHARS - 1]}…"'


def _matches(request: Request, phrases: tuple[str, ...]) -> bool:
    pattern = _phrases(phrases)
    return pattern is not None and pattern.fullmatch(request.normal) is not None


def _found(analysis: Analysis, rule: str, options: PhraseOptions) -> tuple[Request, vp.Match | None] | None:
    """The first request of the record that `rule` reports (match None: a configured extra phrase).

    Called only when a request matched or extra phrases are configured: the rules test that first, without a
    call, since most requests match nothing."""
    around = analysis.around()
    if around is None:
        return None
    for request in analysis.requests:
        if options.allow and _matches(request, options.allow):
            continue
        match = request.match
        given = around.given or not request.alone
        if match is None:  # a configured phrase: VAG001's always, VAG002's with nothing given, VAG003's with some
            if options.extra_phrases and _matches(request, options.extra_phrases) and (
                    rule == "VAG001" or (not around.earlier and given == (rule == "VAG003"))):
                return request, None
        elif not request.whole and match.kind not in PART_KINDS:
            continue
        elif match.kind is vp.GOAL:  # a change to nothing is a missing object; to something, a missing goal
            if not around.earlier and given == (rule == "VAG003") and rule != "VAG001":
                return request, match
        elif match.kind.rule == rule and not around.excused(request, match.kind):
            return request, match
    return None


@record_rule(
    code="VAG001",
    name="no-task",
    severity=Severity.WARNING,
    summary="The first request names no task: filler, a plea for help or a generic verb",
    options=PhraseOptions,
)
def no_task(example: Example, options: PhraseOptions) -> list[Violation]:
    r"""The first request names no task: filler, a plea for help or a generic verb

    ## What it does
    Reports an instruction (Alpaca's `instruction`, or the first user turn of a chat) that states no task
    at all: a generic verb with nothing concrete ("Do something with this text", "Handle this", "Do your
    thing", "Take care of it"), a plea for help that does not say with what ("Help me with this", "I need
    help", "I have a question"), an interjection ("Hmm", "lol", "???"), a hand-over or go-ahead ("Here you
    go", "See below", "Surprise me", "Your turn"), or a request for a reaction with nothing to react to
    ("Thoughts?", "Any ideas?", "What do you think?", "Why?" with no input). Generic verbs, pleas for help
    and hand-overs are reported even with an input: the input is the object, but the task is still unknown.

    Not reported: greetings, thanks and identity questions ("Hi", "Who are you?": chit-chat is a task);
    requests that say more ("What do you think about remote work?", "Help me plan a trip"); a reaction
    under pasted text ("<essay> Thoughts?"); interjections and go-aheads after a system prompt that sets
    the scene (a role-play, a quiz) or after an earlier assistant turn; an opener whose reply asks what is
    meant, when the user answers in a later turn (good conversational data); a message that only answers
    an earlier turn ("Yes", "ok", "Go ahead"): that refers to a conversation that is not there, which is
    CTX003's finding. The message quotes the request.

    ## Why it matters
    A model trained on a request that names no task learns to guess: the answer in the record is one of
    many equally right ones, so the pair teaches noise. It also teaches the model to act on "Do your thing"
    instead of asking what is wanted.

    ## Example
    ```jsonl
    {"instruction": "Do something with this text.", "input": "Revenue rose 4% in Q3.", "output": "Q3 revenue grew 4%."}
    {"messages": [{"role": "user", "content": "Thoughts?"}, {"role": "assistant", "content": "About what?"}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Rewrite this sentence as a headline.", "input": "Revenue rose 4% in Q3.", "output": "Q3 Revenue Up 4%"}
    {"messages": [{"role": "user", "content": "My opening line: 'It was a dark and stormy night.' Thoughts?"}, {"role": "assistant", "content": "Classic, but a cliche."}]}
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello! How can I help?"}]}
    ```

    ## Options
    - `extra-phrases` (default `[]`): more requests that name no task, reported with or without input:
      regular expressions matched, ignoring case, against the whole request after normalisation (lower
      case, punctuation dropped, politeness such as "please" or "can you" removed), e.g. `"sort it"`.
    - `allow` (default `[]`): requests never reported, matched the same way, e.g. `"start( the game)?"`.
    """
    analysis = analyse(example)
    if analysis is None or not (analysis.matched or options.extra_phrases):
        return []
    found = _found(analysis, "VAG001", options)
    if found is None:
        return []
    request, match = found
    said = f"{analysis.label} {_quote(request.text)}"
    if match is None:
        message = f"{said} names no task (a configured vague phrase)"
    elif match.kind is vp.GENERIC:
        message = (f'{said} names no task: "{match.verb or "do"}" is a generic verb that does not say what to do '
                   "or what result is wanted")
    elif match.kind is vp.HANDOVER:
        message = f"{said} hands over material but names no task: nothing says what to do with it"
    elif match.kind is vp.ANNOUNCE:
        message = f"{said} announces a request but does not make it: no task is stated"
    elif match.kind is vp.HELP:
        message = f"{said} asks for help but names no task: it does not say with what or what result is wanted"
    elif match.kind is vp.REACTION:
        message = f"{said} asks for a reaction, but there is nothing to react to: {_absence(analysis)}"
    elif match.kind is vp.GO:
        message = f"{said} is a go-ahead with nothing to go ahead with: no task is stated"
    else:
        message = f"{said} is not a request: it states no task, object or expected result"
    return [Violation(message, analysis.pointer)]


@record_rule(
    code="VAG002",
    name="missing-object",
    severity=Severity.WARNING,
    summary="The first request has a task but nothing to do it on: its object is a bare pronoun or absent",
    options=PhraseOptions,
)
def missing_object(example: Example, options: PhraseOptions) -> list[Violation]:
    r"""The first request has a task but nothing to do it on: its object is a bare pronoun or absent

    ## What it does
    Reports a first request whose task verb has no object, when nothing is supplied for it: a bare pronoun
    ("Rewrite this", "Make it better", "Fix it", "Translate that to German", "Write a poem about it"), no
    object at all ("Summarize.", "Translate to Spanish", "Explain."), or an open "something" ("Write
    something", "Recommend something"). Something is supplied when Alpaca's `input` is not empty (a
    placeholder such as `<noinput>` or `N/A` counts as empty), the message holds more text or an image, an
    assistant turn comes before, or a long system prompt may hold the material.

    Not reported: the same request with an input ("Summarize." with an article is fine); later turns
    ("make it shorter" in turn 3 refers to the answer before); a reply asking for the missing text that the
    user then supplies; objects named by a noun ("Summarize the following article" with no input is missing
    context, the CTX family's finding); a message that only continues ("Continue", "Tell me more", "Try
    again": it refers to an earlier turn, CTX003's finding); a formula or code in the request ("Solve for x:
    2x = 6"). A short pronoun request ("Make it shorter") can draw CTX003 too: it may be a vague request or
    a fragment cut from a longer conversation.

    ## Why it matters
    The record's answer is about material the model never sees: it learns to invent an object, or to answer
    "rewrite this" with a rewrite of nothing. Such records are usually a lost `input` or a conversation cut
    from its beginning.

    ## Example
    ```jsonl
    {"instruction": "Rewrite this in a formal tone.", "input": "", "output": "Dear Sir or Madam, ..."}
    {"conversations": [{"from": "human", "value": "Summarize."}, {"from": "gpt", "value": "The report finds..."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Rewrite this in a formal tone.", "input": "hey, the report's late again", "output": "The report has been delayed once more."}
    {"conversations": [{"from": "human", "value": "Summarize.\n\nThe report finds sales rose 4%."}, {"from": "gpt", "value": "Sales rose 4%."}]}
    ```

    ## Options
    - `extra-phrases` (default `[]`): more requests needing an object, reported when nothing is supplied:
      regular expressions matched like VAG001's, e.g. `"tidy (it|this)"`.
    - `allow` (default `[]`): requests never reported, matched the same way.
    """
    analysis = analyse(example)
    if analysis is None or not (analysis.matched or options.extra_phrases):
        return []
    found = _found(analysis, "VAG002", options)
    if found is None:
        return []
    request, match = found
    said = f"{analysis.label} {_quote(request.text)}"
    if match is None:
        message = f"{said} needs an object (a configured phrase), but {_absence(analysis)}"
    elif match.kind is vp.SOMETHING:
        message = f'{said} asks to {match.verb} "{match.obj}": the object is left open, so no answer is right'
    else:
        task = f"to {match.verb}" if match.verb else "for a change to"
        if match.obj:
            message = f'{said} asks {task} "{match.obj}", but "{match.obj}" stands for nothing: {_absence(analysis)}'
        else:
            message = (f"{said} asks {task.removesuffix(' to')} but not to what: no object is named and "
                       f"{_absence(analysis)}")
    return [Violation(message, analysis.pointer)]


@record_rule(
    code="VAG003",
    name="unspecified-goal",
    severity=Severity.INFO,
    summary="The first request asks to change the given text without saying how: 'Make it better'",
    options=PhraseOptions,
)
def unspecified_goal(example: Example, options: PhraseOptions) -> list[Violation]:
    r"""The first request asks to change the given text without saying how: 'Make it better'

    ## What it does
    Reports a first request that supplies its material (Alpaca's `input`, or text beside the request in
    the message) but asks only for a change with no criterion: "Make it better", "Make this nicer",
    "Improve this", "Change it", "Tweak it", "Rework this", "Update this". The expected result is not
    knowable: better how: shorter, more formal, with fewer errors, for another audience?

    Not reported: a request with a criterion ("Make it more formal", "Improve the readability",
    "Change it to past tense"); "Fix it" (fixing means removing errors, a knowable result); a request naming
    what to improve with a noun ("Improve this sentence", a common and accepted task); the same request with
    nothing supplied (that is VAG002's missing object); a request answering an earlier assistant turn.

    ## Why it matters
    Each answer to "make it better" picks an unstated goal, so records with the same request pull the model
    in different directions, and it learns to rewrite at random instead of asking or following a goal.

    ## Example
    ```jsonl
    {"instruction": "Make it better.", "input": "We sell shoes. Good shoes.", "output": "Step into comfort."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Make it more persuasive for a product page.", "input": "We sell shoes. Good shoes.", "output": "Step into comfort."}
    ```

    ## Options
    - `extra-phrases` (default `[]`): more requests with no criterion, reported when material is supplied:
      regular expressions matched like VAG001's, e.g. `"make (it|this) shine"`.
    - `allow` (default `[]`): requests never reported, matched the same way.
    """
    analysis = analyse(example)
    if analysis is None or not (analysis.matched or options.extra_phrases):
        return []
    found = _found(analysis, "VAG003", options)
    if found is None:
        return []
    request, _ = found
    return [Violation(f'{analysis.label} {_quote(request.text)} asks for a change with no criterion: "{request.normal}"'
                      " does not say in what way (shorter, more formal, fewer errors, another audience ...)",
                      analysis.pointer)]


@record_rule(
    code="VAG004",
    name="topic-only",
    severity=Severity.INFO,
    summary="The first request is a bare topic of a few words with no task: 'Photosynthesis'",
    options=TopicOptions,
    default_enabled=False,
)
def topic_only(example: Example, options: TopicOptions) -> list[Violation]:
    r"""The first request is a bare topic of a few words with no task: 'Photosynthesis'

    ## What it does
    Reports a first request of fewer than `min-words` words (4 by default) that names a topic but asks for
    nothing, when nothing is supplied with it: "Photosynthesis", "Python decorators", "The French
    Revolution". It is a topic when none of its words asks for something: no task verb ("explain",
    "list"), no question word or question mark, no kind of output ("haiku", "recipe", "tips", "synonyms"),
    no relation ("cats vs dogs", "pros and cons"), no digits, colon or operators, no greeting. Text in
    scripts without spaces between words (Chinese, Japanese) is not judged.

    Opt-in, at info: brevity alone is not vagueness, and a bare topic usually means "explain it", so many
    datasets use such prompts on purpose (search-style queries). Enable it for instruction data where each
    request should state its task. It knows verbs from a word list: a short imperative of a verb outside it
    with no determiner after it ("Mute notifications") is taken for a topic. On the curated corpora it drew
    one finding in about 46,000 records (a true one); on another family's short test records it first took
    6 imperatives for topics, which a determiner check now excludes.

    ## Why it matters
    A topic says what to talk about but not what to produce: a definition, a history, a list, an essay.
    The record's answer picks one, and the model learns that a keyword calls for that one kind of answer.

    ## Example
    ```jsonl
    {"instruction": "Photosynthesis", "input": "", "output": "Photosynthesis is how plants make food from light."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Explain photosynthesis in two sentences.", "input": "", "output": "Plants turn light, water and CO2 into sugar. Oxygen is released."}
    ```

    ## Options
    - `min-words` (default `4`): requests of at least this many words are not reported.
    - `allow` (default `[]`): requests never reported: regular expressions matched like VAG001's `allow`.
    """
    analysis = analyse(example)
    if analysis is None:
        return []
    request = analysis.requests[0]
    if not request.whole or request.match is not None or topic_words(request.text, options.min_words) is None:
        return []
    if options.allow and _matches(request, options.allow):
        return []
    around = analysis.around()
    if around is not None and not (around.given or around.setting or around.earlier):
        return [Violation(f"{analysis.label} {_quote(request.text)} names a topic but no task: it does not say what "
                          "to do with it (explain, list, compare ...)", analysis.pointer)]
    return []
