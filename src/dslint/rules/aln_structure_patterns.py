"""What a request asks the answer's shape to be, for the ALN structure rules: N items (ALN002), a length limit
(ALN003); and the request analysis all four rules share (the JSON and code asks are in `aln_structure_formats`).

Only explicit asks count, in imperative or polite form ("List five ...", "Can you return it as JSON?"), never a
question about the subject ("How do I return JSON?"). Each `*_ask` function returns None when the request
holds no such ask, or one whose scope is unclear ("for each", several counts, several parts): the rules stay
silent rather than guess.

Speed: most requests ask for none of this, so each ask first checks the request's word set for the words it
needs (a set lookup), then matches its pattern only where those words are (`match` at a position, or `search`
in a small window). Patterns are compiled at import, without IGNORECASE (four times slower here): they run on
the lowercased request, and phrases are quoted from the original at the same span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from dslint.rules.aln_structure_answers import FENCE_BLOCK

_X, _M = re.VERBOSE, re.MULTILINE

_SMALL = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90, "hundred": 100}
_VALUES = {**{word: n for n, word in enumerate(_SMALL, 1)}, **_TENS, "dozen": 12, "single": 1}
NUM = (r"(?:\d{1,4}|(?:a\s+)?dozen|a\s+hundred|a\s+single|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
       r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine)\b)?|" + "|".join(reversed(_SMALL)) + r"|hundred)")
# Words of a request that can be a count of two or more (the request's word set is split at punctuation).
NUMBER_WORDS = frozenset([*_SMALL[1:], *_TENS, "dozen", *(str(n) for n in range(2, 1000))])


def number(text: str) -> int:
    """The value of a number matched by NUM ("12", "twelve", "a dozen", "twenty-five")."""
    if text.isdigit():
        return int(text)
    return sum(_VALUES.get(part, 0) for part in text.lower().replace("-", " ").split() if part != "a")


class Ask(NamedTuple):
    """What the request asks for: the phrase that says so (quoted in messages) and its bounds."""

    phrase: str
    low: int | None = None
    high: int | None = None
    unit: str = ""  # lengths: "word", "sentence", "character", "yes-no"; counts: the noun; code: the language
    approximate: bool = False
    implicit: bool = False  # "Write a sentence ...": one sentence, though not said in so many words


# What a request may ask for, from its words alone (a bit mask, so that a rule skips a request in one test).
JSON, COUNT, LENGTH, CODE, SENTENCE = 1, 2, 4, 8, 16


class Request(NamedTuple):
    text: str  # the request, fenced blocks dropped (material pasted in code is not what is asked)
    low: str  # the same, lowercased (same length: spans index both)
    tokens: list[str]  # its words in order, split at spaces and punctuation
    words: frozenset[str]  # its words as a set; empty when `may` is 0 (no ask looks at them then)
    may: int  # JSON | COUNT | LENGTH | CODE: the asks its words allow


_ASKS_NOTHING: frozenset[str] = frozenset()
_new = tuple.__new__  # skips the NamedTuple's Python-level __new__ (one request per exchange, on every record)


def analyse(request: str) -> Request:
    """The request, lowercased and split into words once (the rules memoise it per example)."""
    text = FENCE_BLOCK.sub(" ", request) if ("```" in request or "~~~" in request) else request
    low = text.lower()
    if len(low) != len(text):  # a few characters lowercase to two: keep spans aligned
        text = low
    # Punctuation that glues to words ("5,", "(python)", "one-word", "yes/no"); chained replaces are the
    # cheapest way to split it off here (str.translate is twice as slow).
    spaced = low.replace(",", " ").replace(".", " ").replace("?", " ").replace(":", " ").replace("-", " ")
    spaced = spaced.replace("(", " ").replace(")", " ").replace("/", " ").replace('"', " ").replace("'", " ")
    tokens = spaced.split()
    if _MAY_WORDS.isdisjoint(tokens):  # most requests hold none of the words an ask needs: one set test
        return _new(Request, (text, low, tokens, _ASKS_NOTHING, 0))
    words = frozenset(tokens)
    may = (JSON if "json" in words else 0) | (
        COUNT if _may_count(tokens, words) else 0) | (
        LENGTH if ("yes" in words and "no" in words) or (not words.isdisjoint(_UNITS) and _sized(tokens, words))
        else 0) | (
        CODE if not words.isdisjoint(CODE_WORDS) or not words.isdisjoint(AMBIGUOUS_LANGUAGES) else 0) | (
        SENTENCE if "sentence" in words else 0)
    return _new(Request, (text, low, tokens, words, may))


def word_starts(low: str, word: str) -> Iterator[int]:
    """Where `word` starts a word of `low`."""
    at = low.find(word)
    while at != -1:
        if at == 0 or not low[at - 1].isalnum():
            yield at
        at = low.find(word, at + 1)


def quote(text: str, start: int, end: int) -> str:
    phrase = " ".join(text[start:end].split())
    return phrase if len(phrase) <= 70 else phrase[:69] + "…"


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or line) of `text` holding the span [start, end)."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("? ", 0, start),
               text.rfind("! ", 0, start)) + 1
    right = len(text)
    for stop in (". ", "\n", "? ", "! "):
        found = text.find(stop, end)
        if found != -1:
            right = min(right, found + 1)
    while left < right and text[left].isspace():
        left += 1
    return left, right


_WH_QUESTION = re.compile(r"(?:[^,?]{0,40},\s*)?(?:how|what|why|when|where|which|who|whose|is|are|was|were|does|do"
                          r"|did|should)\b")


def is_question(low: str, span: tuple[int, int]) -> bool:
    """A wh- or yes/no question about the subject ("How do I return JSON?"), not a polite request."""
    return low[:span[1]].rstrip().endswith("?") and _WH_QUESTION.match(low, span[0]) is not None


# ---------------------------------------------------------------- item counts

_BOUND = (r"(?P<mod>at\s+least|at\s+most|up\s+to|no\s+more\s+than|not\s+more\s+than|no\s+fewer\s+than"
          r"|no\s+less\s+than|fewer\s+than|less\s+than|more\s+than|exactly|(?:a\s+)?maximum\s+of|(?:a\s+)?minimum\s+of"
          r"|between|about|around|approximately|roughly|some|a\s+total\s+of)?\s*")
_QUANT = (rf"{_BOUND}(?P<n1>{NUM})(?:\s*(?:-|–|to|or|and)\s*(?P<n2>{NUM}))?\b(?:\s+or\s+(?P<more>more|fewer|less)\b)?"
          r"(?P<noun>(?:\s+[\w'’-]+){1,4})")
_COUNT_ASK = re.compile(
    r"(?:(?:list|name|give|provide|generate|suggest|write(?:\s+down)?|create|come\s+up\s+with|brainstorm|identify"
    r"|mention|enumerate|outline|offer|recommend|tell|share|propose|compile|produce|make|describe|explain|state"
    r"|cite|select|pick|choose|develop|compose|construct|draft|present|highlight|point\s+out|think\s+of|jot\s+down"
    r"|find|return|output)\b"
    r"(?:\s+(?:me|us))?(?:\s+(?:a|an)\s+(?:(?:bulleted|numbered|short|brief|quick)\s+)?(?:list|set|series)\s+of)?"
    r"(?:\s+(?:the|your|my|our))?(?:\s+(?:top|first|last|next|best|main|key))?"
    r"|top(?=[- ]\d|\s+[a-z])|(?:what|which)\s+(?:are|were)\s+(?:the\s+|some\s+)?(?:top\s+|main\s+|key\s+)?"
    r"|in\s+(?=\S+\s+(?:short\s+|key\s+|main\s+)?(?:bullet\s+points|bullets|points|items)\b))[\s-]*" + _QUANT
)
_COUNT_LEADS = frozenset("list name give provide generate suggest write create come brainstorm identify mention "
                         "enumerate outline offer recommend tell share propose compile produce make describe explain "
                         "state cite select pick choose develop compose construct draft present highlight point "
                         "think jot find return output top what which".split())
_NOT_ITEMS = frozenset(
    "paragraphs lines stanzas verses pages characters letters digits syllables minutes hours seconds days weeks "
    "months years times decimals percent dollars cents euros degrees meters metres miles kilometers kilometres "
    "feet inches calories grams kilograms pounds ounces cups tablespoons teaspoons servings bytes bits columns "
    "rows chapters acts scenes sections".split())
_NOUN_STOP = frozenset("that which who to for about on with from by and or you i we in".split())
_IRREGULAR = frozenset("people children men women feet teeth mice criteria phenomena data media".split())
_SCOPE = frozenset(("each", "every", "per", "respectively"))
_APPROXIMATE = frozenset(("about", "around", "approximately", "roughly", "some"))


def _noun(words: list[str]) -> str | None:
    """The plural noun a number counts ("5 famous paintings" -> paintings), or None."""
    if words and words[0] == "of":  # "5 of the best films"
        words = [w for w in words[1:] if w not in ("the", "your", "these", "those", "my", "our")]
    for word in words:
        word = word.strip("'’")
        if word in _NOUN_STOP:
            return None
        if word in _IRREGULAR or (word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))):
            return word
    return None


def count_ask(req: Request) -> Ask | None:
    """An explicit ask for N items ("List five ...", "top 5", "at least 3 examples", "3-5 books")."""
    if not req.may & COUNT:
        return None
    low = req.low
    starts = []
    for lead in _count_leads(req.tokens, req.words):
        at = low.find(lead)
        while at != -1:
            if not at or not low[at - 1].isalnum():
                starts.append(at)
            at = low.find(lead, at + 1)
    starts.sort()
    found: Ask | None = None
    for at in starts:
        match = _COUNT_ASK.match(low, at)
        if match is None:
            continue
        mod, n1, n2, more, noun_text = match.group("mod", "n1", "n2", "more", "noun")
        noun = _noun(noun_text.split())
        if noun is None or noun in _NOT_ITEMS or mod in _APPROXIMATE:
            continue
        least, most = _bounds(mod or "", number(n1), number(n2) if n2 else None, more or "")
        if (most if most is not None else least or 0) < 2:
            continue
        start, end = sentence_at(low, at, match.end())
        noun_end = match.start("noun") + noun_text.find(noun) + len(noun)
        head = low[start:at].split()
        if (not _SCOPE.isdisjoint(low[start:end].split())
                or not NUMBER_WORDS.isdisjoint(low[noun_end:end].replace("-", " ").split())
                or (len(head) > 1 and head[-1] == "and")):
            return None  # "for each", "3 pros and 3 cons", "Describe X and list 3 ways" (the list is one part)
        if found is None:
            found = Ask(quote(req.text, at, noun_end), least, most, noun)
        elif (found.low, found.high) != (least, most):
            return None  # two different counts
    return found


def _may_count(tokens: list[str], words: frozenset[str]) -> bool:
    """Whether a word that can ask for a count comes at most eight words before a number (a cheap first test)."""
    if words.isdisjoint(_COUNT_LEADS) and "in" not in words:
        return False
    for number_word in NUMBER_WORDS.intersection(words):
        at = tokens.index(number_word)
        window = tokens[at - 8 if at > 8 else 0:at]
        if not _COUNT_LEADS.isdisjoint(window) or "in" in window[-2:]:
            return True
    return False


def _count_leads(tokens: list[str], words: frozenset[str]) -> set[str]:
    """The words that can ask for a count and come at most eight words before a number (first occurrences)."""
    leads: set[str] = set()
    for number_word in NUMBER_WORDS.intersection(words):
        at = tokens.index(number_word)
        leads.update(_COUNT_LEADS.intersection(tokens[max(0, at - 8):at]))
        if "in" in tokens[max(0, at - 2):at]:
            leads.add("in")  # "in 5 bullet points"
    return leads


def _bounds(mod: str, n1: int, n2: int | None, more: str) -> tuple[int | None, int | None]:
    if n2 is not None and n2 > n1:
        return n1, n2
    if more == "more" or mod.startswith(("at least", "no fewer", "no less", "a minimum", "minimum")):
        return n1, None
    if more or mod.startswith(("at most", "up to", "no more", "not more", "a maximum", "maximum")):
        return None, n1
    if mod.startswith(("fewer", "less")):
        return None, n1 - 1
    if mod.startswith("more"):
        return n1 + 1, None
    return n1, n1


# ---------------------------------------------------------------- length limits

_LIMIT = (r"(?:no\s+more\s+than|not\s+more\s+than|not\s+exceeding|not\s+to\s+exceed|no\s+longer\s+than|less\s+than"
          r"|fewer\s+than|under|below|at\s+most|(?:a\s+)?max(?:imum)?(?:\s+of)?|up\s+to|within|shorter\s+than"
          r"|limit(?:ed)?\s+(?:\w+\s+){0,2}?to)")
_OR_LESS = r"(?:or\s+(?:less|fewer|under)|max(?:imum)?|at\s+most|tops)\b"
_PROSE_NOUN = (r"(?:summary|sentence|description|answer|response|reply|tagline|slogan|headline|title|bio|biography"
               r"|story|essay|paragraph|poem|tweet|caption|overview|pitch|statement|explanation|definition|review"
               r"|abstract|message|post|introduction|blurb|note|article|speech|letter|email|synopsis|recap)")
_LENGTH_ASK = re.compile(
    rf"""(?P<strict>\b(?P<lim>{_LIMIT})\s+(?P<n>{NUM})\s+(?P<unit>words?|sentences?)\b
       |\b(?P<n2>{NUM})\s+(?P<unit2>words?|sentences?)\s+{_OR_LESS}
       |\b(?P<n3>{NUM})[- ]word\s+(?:limit|maximum|max)\b)
     |(?P<approx>\b(?:in|using|into|with)\s+(?:just\s+|only\s+|exactly\s+)?
          (?P<n4>{NUM})(?:\s*(?:-|–|to|or)\s*(?P<n5>{NUM}))?\s+(?P<unit4>words?|sentences?)\b
          (?!\s+(?:changed|replaced|removed|added|missing|different|less|more|that|which|of|from|per|for|each|in|on
                |to|long|or\s+(?:more|less|fewer|under)|max))
       |\b(?:a|an)\s+(?:\w+\s+)?(?P<n6>{NUM}|single)[- ](?P<unit6>word|sentence)s?\s+{_PROSE_NOUN}\b)
     |(?P<chars>(?:\b(?:in|within|using)|\bkeep\s+(?:it|\w+\s+\w+)|\blimit\s+(?:it|\w+\s+\w+)\s+to)\s+(?:{_LIMIT}\s+)?
          (?P<n7>{NUM})\s+char(?:acter)?s\b)
     |(?P<one_word>\b(?:one|single)[- ]word\s+(?:answer|response|reply|label|output|verdict|synonym|antonym|title
          |description|summary|classification)\b
       |\b(?:answer|respond|reply)\s+(?:with\s+|using\s+|in\s+)?(?:only\s+|just\s+)?(?:one|a\s+single|1)\s+word\b
       |\b(?:one|single)\s+word\s+only\b|\b(?:only|just)\s+(?:one|a\s+single)\s+word\b
       |(?:(?<=[.?:]\s)|^)one\s+word\.?\s*$
       |\b(?:in|with|using)\s+(?:just\s+|only\s+|exactly\s+)?(?:one|a\s+single|1)\s+word\b
          (?!\s*(?:changed|replaced|removed|added|missing|different|less|more|that|which|of|from|per|for|each|in\b
                |on\b|to\b|or\b)))""",
    _X | _M,
)
_IMPLICIT_SENTENCE = re.compile(
    r"""^\s*(?:please\s+)?(?:write|generate|compose|create|construct|form|make|produce|craft)\s+(?:me\s+)?
         a\s+(?:(?:new|short|simple|single|complete|grammatically\s+correct|descriptive|creative|catchy|compound
         |complex)\s+)*sentence\b""", _X | _M)
_YES, _NO = r"[\"'“‘]?yes[\"'”’]?", r"[\"'“‘]?no[\"'”’]?(?!\w)"
_YES_NO_ASK = re.compile(
    rf"""\b(?:answer|respond|reply|say|output|return|state|indicate|print|type)\s+(?:(?:only|just|simply|with|using
          |either|in|a|the\s+word|a\s+simple|one\s+of)\s+)*{_YES}\s*(?:or|/|,)\s*{_NO}
     |\b(?:only|just|simply)\s+{_YES}\s*(?:or|/)\s*{_NO}|\(\s*{_YES}\s*(?:/|or)\s*{_NO}\s*\)
     |(?:^|[.?!:]\s+){_YES}\s*(?:or|/)\s*{_NO}\s*(?:[:?.!]|only\b|$)
     |\b{_YES}[/ -]or[/ -]{_NO}\s+(?:answer|response|reply)|\byes/no\s+(?:answer|response|reply)
     |\b(?:answer|response|reply|output)\s+(?:should|must|has\s+to|needs\s+to)\s+be\s+(?:either\s+)?{_YES}\s*
          (?:or|/)\s*{_NO}""",
    _X | _M,
)
_UNITS = frozenset(("word", "words", "sentence", "sentences", "character", "characters", "chars"))
_SIZES = NUMBER_WORDS | {"one", "single", "1"}
# A request in several parts limits only part of the answer; one asking for a reason allows more than yes or no.
_MORE_PARTS = re.compile(
    r"\b(?:then|followed\s+by|also|as\s+well\s+as|in\s+addition|after\s+that|plus|quote)\b|(?:^|[\s(])b\)"
    r"|\band\s+(?:give|list|provide|write|add|include|cite|name|suggest|state|explain|describe|justify|a|an)\s")
_REASONS = re.compile(r"\b(?:explain|explanation|justify|justification|reasons?|reasoning|why|elaborate|because"
                      r"|support|describe|discuss|comment|show\s+your|if\s+so|if\s+not|details?)\b")
# Someone else answering yes or no ("a character who can only answer yes or no"), not the answer's form.
_THIRD_PERSON = re.compile(r"\b(?:who|character|person|people|he|she|they|someone|players?|students?|children)\b"
                           r"[^.?!\n]{0,25}$")
# A limit in a sentence about several things applies to each ("titles of at most 8 words", "sentences must
# have fewer than 10 words"), not to the whole answer.
_PER_ITEM = re.compile(r"\b(?:sentences|titles|names|items|questions|bullets|points|lines|answers|responses"
                       r"|descriptions|slogans|taglines|headlines|phrases|options|examples|ideas|tweets|captions"
                       r"|words|summaries|definitions|labels|keywords)\b")
_INPUT_REFERENCE = re.compile(r"\b(?:the|these|those|following|given|both|two|above|below|provided|all)\s+$")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


def length_ask(req: Request, implicit: bool = False) -> Ask | None:
    """An explicit limit on the answer's length: one word, yes-or-no, N words or sentences or characters.

    `implicit`: also take "Write a sentence ..." as a limit of one sentence.
    """
    words = req.words
    if not (req.may & LENGTH or (implicit and req.may & SENTENCE)) or not _SCOPE.isdisjoint(words):
        return None
    yes_no = "yes" in words and "no" in words
    sized = not words.isdisjoint(_UNITS) and _sized(req.tokens, words)
    ask = _yes_no(req) if yes_no else None
    plain = _QUOTED.sub(" ", req.low) if ask is not None or sized or implicit else ""
    if ask is not None and _REASONS.search(plain):
        return None
    ask = ask or (_length(req) if sized else None) or (_implicit(req) if implicit else None)
    if ask is None or _MORE_PARTS.search(plain) or count_ask(req) is not None:
        return None
    return ask


def _sized(tokens: list[str], words: frozenset[str]) -> bool:
    """Whether a size word comes right before a unit ("50 words", "one-word", "a single sentence")."""
    for unit in _UNITS.intersection(words):
        at = tokens.index(unit)
        while True:
            if at and tokens[at - 1] in _SIZES:
                return True
            try:
                at = tokens.index(unit, at + 1)
            except ValueError:
                break
    return False


def _yes_no(req: Request) -> Ask | None:
    for at in word_starts(req.low, "yes"):
        match = _YES_NO_ASK.search(req.low, max(0, at - 60), at + 30)
        if match and not _THIRD_PERSON.search(req.low, 0, match.start()):
            return Ask(quote(req.text, *match.span()), None, 1, "yes-no")
    return None


def _implicit(req: Request) -> Ask | None:
    match = _IMPLICIT_SENTENCE.search(req.low)
    return Ask(quote(req.text, *match.span()), None, 1, "sentence", implicit=True) if match else None


_WORD_START = re.compile(r"\b\w")


def _length(req: Request) -> Ask | None:
    low = req.low
    match = None
    for at in sorted(at for unit in ("word", "sentence", "char") for at in word_starts(low, unit)):
        before = low[max(0, at - 30):at].replace("-", " ").split()
        if not before or before[-1] not in _SIZES:
            continue  # no size right before this unit word
        # The limit phrase ends at (or just after) the unit word and starts at most seven words before it:
        # matching at those word starts is far cheaper than searching the window.
        starts = [m.start() for m in _WORD_START.finditer(low, max(0, at - 60), at + 1)][-8:]
        match = next((m for start in starts if (m := _LENGTH_ASK.match(low, start))), None)
        if match is not None:
            break
    if match is None:
        return None
    start, _ = sentence_at(low, match.start(), match.end())
    if any(not _INPUT_REFERENCE.search(low, start, item.start())
           for item in _PER_ITEM.finditer(low, start, match.start())):
        return None
    phrase = quote(req.text, *match.span())
    if match.group("one_word"):
        return Ask(phrase, None, 1, "word")
    if match.group("chars"):
        return Ask(phrase, None, number(match.group("n7")), "character")
    n = match.group("n") or match.group("n2") or match.group("n3") or match.group("n5") or match.group("n4") \
        or match.group("n6")
    unit = (match.group("unit") or match.group("unit2") or match.group("unit4") or match.group("unit6")
            or "word").rstrip("s")
    limit = 1 if n == "single" else number(n)
    if unit == "sentence" and (match.group("lim") or "").startswith(("less", "fewer", "under", "below")):
        limit -= 1  # "fewer than 3 sentences": two at most (a word count gets its slack anyway)
    if limit < 1:
        return None
    return Ask(phrase, None, limit, unit, approximate=bool(match.group("approx")) and limit > 1)


# Words that make a request worth a closer look for code (the code asks are in `aln_structure_formats`).
CODE_WORDS = frozenset(
    "code program programs function functions script scripts snippet snippets class method query queries regex "
    "regexp regular liner sql html css python javascript java typescript rust ruby php swift kotlin scala perl "
    "haskell lua bash shell zsh powershell mysql postgresql postgres sqlite dart julia elixir clojure matlab vba "
    "solidity linux unix git docker terminal cli cmd command unit react jquery django flask pandas numpy node "
    "nodejs golang c++ c# f#".split())
AMBIGUOUS_LANGUAGES = {"c": "C", "r": "R", "go": "Go"}  # languages that are also letters or words: only capitalised
# Every word without which `analyse` finds no ask at all (a superset: the asks test more than a word).
_MAY_WORDS = frozenset({"json", "yes", *NUMBER_WORDS, *_UNITS, *CODE_WORDS, *AMBIGUOUS_LANGUAGES})
