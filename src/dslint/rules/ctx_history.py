"""Patterns and matchers for CTX003 (missing earlier turn). Every regex is compiled at import.

A first message is searched for explicit references to earlier turns ("as I said before", "your previous
answer") anywhere, and, when it is short, for follow-up openings ("Thanks! Now make it shorter", "the
second one", a bare "continue"). Quoted text and code are blanked first.
"""

from __future__ import annotations

import re

from dslint.rules.ctx_patterns import has_material, lower_words, mask_quotes, word_gate
from dslint.text import strip_code

_ARTEFACT = (
    r"code|list|story|answer|example|recipe|e-?mail|poem|plan|summary|solution|steps|script|function|essay|"
    r"letter|text|translation|outline|table|response|query|program|article|draft|version|explanation|"
    r"suggestions?|names|ideas|options|schedule|itinerary|command|fix|advice|recommendations?|reply|output"
)
_TOLD = (r"said|mentioned|told\s+you|explained|noted|stated|discussed|asked|wrote|agreed|talked\s+about|"
         r"gave\s+you|sent\s+you|showed\s+you")
_YOU_SAID = (r"said|told\s+me|mentioned|suggested|recommended|gave\s+me|wrote|listed|showed\s+me|provided|"
             r"explained|described|sent|shared|generated")
_YOU_DID = rf"{_YOU_SAID}|gave|showed|made|created|came\s+up\s+with|proposed|produced|offered"
_WHEN = r"before|earlier|previously|above|already|last\s+time|in\s+(?:my|your|the)\s+(?:last|previous)\s+\w+"
# Phrases that only make sense after earlier turns, wherever they are in a first message.
_HISTORY = re.compile(
    rf"\b(?:as|like)\s+(?:i|we)\s+(?:{_TOLD})(?:\s+(?:{_WHEN})|\s*,)"
    rf"|\bi\s+(?:already|just)\s+(?:{_TOLD}|told|asked|gave|sent|showed)\b"
    rf"|\bi\s+told\s+you\s+(?:{_WHEN}|that)\b"
    rf"|\byou\s+(?:just|already|previously|earlier)\s+(?:{_YOU_SAID})\b"
    rf"|\byou\s+(?:{_YOU_SAID})\s+(?:[\w'-]+\s+){{0,6}}?(?:{_WHEN})\b"
    r"|\bwhat\s+you\s+just\s+(?:said|wrote|suggested|meant)\b"
    rf"|\bwhat\s+you\s+(?:said|wrote|suggested|meant)\s+(?:{_WHEN})\b"
    rf"|\b(?:the|that|those|these)\s+(?:{_ARTEFACT})\s+(?:that\s+)?you\s+(?:just\s+)?(?:{_YOU_DID})\b"
    rf"|\byour\s+(?:previous|last|earlier|prior|above|most\s+recent)\s+(?:{_ARTEFACT}|message|comment|"
    r"attempt|question)\b|\byour\s+original\s+(?:answer|response|reply|message|question|code|suggestion)\b"
    r"|\bthe\s+(?:previous|earlier|prior|last)\s+(?:answer|response|reply|message|explanation|suggestion|"
    r"output)\s+(?:you|was|is|didn't|did\s+not|doesn't)\b"
    r"|\b(?:in|from)\s+(?:my|our|your)\s+(?:last|previous|earlier|prior)\s+(?:message|reply|response|answer|"
    r"question|chat|conversation|session|exchange)\b"
    r"|\b(?:earlier|before|previously)\s+in\s+(?:this|our)\s+(?:conversation|chat|discussion|thread)\b"
    r"|\b(?:continue|carry\s+on|pick\s+up|resume|start)\s+(?:from\s+)?where\s+(?:you|we)\s+(?:left\s+off|"
    r"stopped|were)\b|\bwhere\s+we\s+left\s+off\b",
)  # run on lower-case text, after _HINTS
_ROLEPLAY = re.compile(
    r"\s*(?:you\s+are|you're|imagine|pretend|act\s+as|take\s+on\s+the\s+role|role-?play|play\s+the\s+role|"
    r"assume\s+the\s+role|as\s+an?\s+[\w -]{1,40},|let's\s+(?:role-?play|pretend))\b",
    re.IGNORECASE,
)
_EARLIER_CONVERSATION = re.compile(
    r"\b(?:our|the)\s+(?:previous|earlier|last|prior)\s+(?:conversation|discussion|chat|exchange|session)\b",
)
# Every _HISTORY or _EARLIER_CONVERSATION match holds one of these words, or "i"/"we" with "as", "like",
# "just" or "where": a quick test on the words of the message before the regexes run.
_HINTS = word_gate("you your yours you're you've previous previously earlier prior last conversation chat "
                   "discussion thread already told")
_PRONOUN_HINTS = word_gate("i we")
_PRONOUN_PARTNERS = word_gate("as like just where")
# A whole first message that only continues something ("continue", "go on", "yes, please").
_CONTINUE_ONLY = re.compile(
    r"(?:please\s+)?(?:continue|go\s+on|keep\s+going|carry\s+on|go\s+ahead|proceed|more|next|and\s+then|"
    r"what\s+else|what\s+next|keep\s+writing|continue\s+writing|finish\s+it|complete\s+it|(?:continue|finish|"
    rf"complete)\s+(?:the|your)\s+(?:{_ARTEFACT}|chapter|song|list|sentence|thought))(?:\s+please)?"
    r"|(?:yes|yeah|yep|sure|ok(?:ay)?|no|nope|exactly|correct)(?:[,.!]*\s*(?:please|go\s+ahead|do\s+(?:it|that)|"
    r"that\s+one|continue|let's\s+do\s+it|i\s+do|please\s+do(?:\s+that|\s+it)?))?",
    re.IGNORECASE,
)
_CONTINUE_GATE = word_gate("please continue go keep carry proceed more next and what finish complete yes yeah "
                           "yep sure ok okay no nope exactly correct")
# In a short first message: a follow-up opening ("Thanks! Now make it shorter.", "Make it shorter").
_DANGLING_START = re.compile(
    r"(?:(?:ok(?:ay)?|thanks|thank\s+you|great|perfect|awesome|cool|nice|got\s+it|alright|good)\b[^.!?]{0,30}"
    r"[.!?,]\s*)?(?:(?:now|next|also|but|then|please|can\s+you|could\s+you|would\s+you)[,\s]+)*"
    r"(?:make|rewrite|change|shorten|translate|explain|expand|redo|revise|fix|simplify|summari[sz]e|improve|"
    r"edit|reformat|convert|elaborate(?:\s+on)?|do|try|update)\s+(?:it|that|them|those)\b"
    r"|(?:ok(?:ay)?|thanks|thank\s+you|great|perfect|awesome|cool|got\s+it|alright)\b[^.!?]{0,30}[.!?,]\s*"
    r"(?:now|next|also|but|and)\b"
    r"|same\s+(?:question|thing|for|but|again)\b",
    re.IGNORECASE,
)
_DANGLING_START_GATE = word_gate(
    "ok okay thanks thank great perfect awesome cool nice got alright good now next also but then please can "
    "could would make rewrite change shorten translate explain expand redo revise fix simplify summarize "
    "summarise improve edit reformat convert elaborate do try update same"
)
_DANGLING_OBJECT_GATE = word_gate("it that them those now next also but and question thing again for")
# ... and anywhere in it: ordinals and pronouns pointing back at an answer that is not there.
_DANGLING = re.compile(
    r"\bthe\s+(?:first|second|third|fourth|fifth|last|other|former|latter|next|previous)\s+(?:one|ones|option)\b"
    r"|\b(?:do|try)\s+the\s+same\b"
    r"|\b(?:that|it|this)(?:'s|\s+is|\s+was)\s+(?:not\s+what\s+i\s+(?:asked|wanted|meant|said)|wrong|"
    r"incorrect)\b"
    r"|\b(?:that|it|your)\s+(?:solution|code|fix|answer|suggestion|command|approach|method\s+)?\s*"
    r"(?:didn't|doesn't|did\s+not|does\s+not|still\s+doesn't|won't)\s+work\b"
    r"|\b(?:explain|say|do|show|tell\s+me)\s+(?:it|that|the\s+[\w-]+(?:\s+[\w-]+)?)\s+again\b",
    re.IGNORECASE,
)
_DANGLING_GATE = word_gate("one ones option same wrong incorrect asked wanted meant said work again")
_LISTS_OPTIONS = re.compile(r"\bor\b|\beither\b|\bbetween\b|\bboth\b|\btwo\b|\bthree\b|[,:;\n\"“]",
                            re.IGNORECASE)


def history_reference(first: str, *, material: bool = False) -> str | None:
    """CTX003: a first user message that refers to earlier turns of a conversation that has none.

    `material`: the request comes with material (an Alpaca input), which "it" and "that" may point at.
    """
    if len(first) > 700:
        first = first[:400] + " … " + first[-300:]  # such references open or close a message
    tokens = lower_words(first)[1]
    phrase = None
    if not _HINTS.isdisjoint(tokens) or (not _PRONOUN_HINTS.isdisjoint(tokens) and
                                         not _PRONOUN_PARTNERS.isdisjoint(tokens)):
        text = mask_quotes(strip_code(first))
        masked = text.lower()
        if len(masked) == len(text):
            found = _HISTORY.search(masked)
            if found is None and not material:
                found = _EARLIER_CONVERSATION.search(masked)  # with material, "the previous chat" may be the input's
            phrase = text[found.start():found.end()].strip(" ,") if found else None
    short = len(first) <= 160 and not material and bool(tokens)
    if phrase is None and short and len(first.strip()) <= 140 and _short_reply(first.strip(), tokens):
        text = mask_quotes(strip_code(first)).strip()
        phrase = None if has_material(first) else _short_reply(text, tokens)
    if phrase and _ROLEPLAY.match(first):
        return None  # "You are Sherlock Holmes ... describe your first steps": the setup is the first turn
    return phrase


def _short_reply(text: str, tokens: list[str]) -> str | None:
    """A short first message that only continues, or points back with "it", "the second one" ..."""
    bare = text.rstrip(" .!?…")
    if len(bare) <= 40 and tokens[0] in _CONTINUE_GATE and _CONTINUE_ONLY.fullmatch(bare):
        return text
    if len(tokens) > 15:
        return None
    opening = tokens[0] in _DANGLING_START_GATE and not _DANGLING_OBJECT_GATE.isdisjoint(tokens[:10])
    found = _DANGLING_START.match(text) if opening else None
    if found is None and not _DANGLING_GATE.isdisjoint(tokens):
        found = _DANGLING.search(text)
    if found is None:
        return None
    if "one" in found.group(0).lower() and _LISTS_OPTIONS.search(text[: found.start()] + text[found.end():]):
        return None  # "X or Y: is the second one better?" names what it points at
    return found.group(0).strip(" ,")
