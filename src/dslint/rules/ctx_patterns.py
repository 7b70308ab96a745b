"""Pieces shared by the CTX rules (material, quotes, word gates, media nouns) and CTX001's matcher. Every
regex is compiled at import.

The matchers are pure functions of a text. Each returns the phrase that triggered (as written, for the
message) or None. They search the text with quoted spans and code blanked: "translate 'the following
sentence'" quotes a phrase, it does not refer to anything. Most texts are turned away by a word gate (a set
lookup on the text's words) before any regex runs.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------------------------------ shared pieces

# Quoted spans: double and typographic quotes always; single quotes only as a pair standing apart from
# letters, so the apostrophes of "let's" and "bird's" never open one. Every branch starts with its quote mark
# (the single quote's lookbehind comes after it), so that `re` tries the pattern only at quote marks: four
# times faster than trying each branch at every character.
_QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|'(?<![\w']')(?:[^'\n]|(?<=\w)'(?=\w)){1,300}'(?![\w'])|‘[^’\n]{1,300}’")
# Words that cannot be an adjective inside a noun phrase ("this is a sentence" is not "this ... sentence").
_NOT_ADJ = (r"(?!(?:is|are|was|were|be|been|a|an|the|to|of|in|for|and|or|that|with|by|as|on|at|it|its|i|"
            r"you|we|they|he|she|can|will|would|should|could|may|might|must|does|do|did|has|have|had|not|"
            r"no|from|into|about|so|if|but|than|then|what|which|who|how|when|where|why|me|my|your|our|"
            r"their|this|these|those|one)\b)")
ADJ = _NOT_ADJ + r"[a-z][\w'-]*"
# Material supplied in the same text: a colon with content after it, another line, a quotation, code,
# brackets, a calculation or a list of numbers. Constraints ("in 3 sentences") are not material. Most
# patterns start with a rare character and run only when that character is there (`has_material`).
_AFTER_COLON = re.compile(r":[ \t]*[^\s/]\S*[ \t]*\S")
_NEXT_LINE = re.compile(r"\n[ \t]*\S")
_SINGLE_QUOTED = re.compile(r"(?<![\w'])'[^'\n]{2,}'(?![\w'])")
_BRACKETED = re.compile(r"\[[^\]\n]+\]|\{[^}\n]+\}")
_CALCULATION = re.compile(r"\d\s*(?:[+*/^=×÷<>]\s*[\d(]|,\s*-?\d)")
_ASSIGNMENT = re.compile(r"[A-Za-z]\s*=\s*\w")
_DASHED = re.compile(r"\s[-–—]\s+\w")
# Material glued to the request by a careless conversion: "...sentiment.The products", "...viewHe is".
_GLUED = re.compile(r"[.?!:;][A-Za-z]|[a-z0-9][A-Z][a-z\s]")
_QUOTE_MARKS = ('"', "“", "”", "«", "»", "`", "‘")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def mask_quotes(text: str) -> str:
    """The text with the inside of quoted spans blanked (positions kept)."""
    if '"' not in text and "'" not in text and "“" not in text and "«" not in text and "‘" not in text:
        return text
    return _QUOTED.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def has_material(text: str) -> bool:
    """Whether a request carries material of its own (quoted, after a colon, on other lines, code ...)."""
    text = text.strip()
    if any(mark in text for mark in _QUOTE_MARKS):
        return True
    if ":" in text and _AFTER_COLON.search(text) or "\n" in text and _NEXT_LINE.search(text):
        return True
    if "'" in text and _SINGLE_QUOTED.search(text):
        return True
    if ("[" in text or "{" in text) and _BRACKETED.search(text):
        return True
    if "=" in text and _ASSIGNMENT.search(text) or (" -" in text or "–" in text or "—" in text) and _DASHED.search(text):
        return True
    return _CALCULATION.search(text) is not None or _GLUED.search(text) is not None


_TRAILING = ("", ".", ",", "?", "!", ":", ";", ")", "'s", "’s", '"', "'")


def word_gate(words: str) -> frozenset[str]:
    """The words, as `str.split` yields them from lower-case text (with trailing punctuation): a quick,
    allocation-light test that a text may match, before any regex runs (`gate.isdisjoint(low.split())`)."""
    return frozenset(word + tail for word in words.split() for tail in _TRAILING)


_WORDS: dict[int, tuple[str, str, list[str]]] = {}


def lower_words(text: str) -> tuple[str, list[str]]:
    """The text in lower case and split into words. The last few answers are kept (by identity): the CTX
    rules read the same requests of an example one after the other. The words must not be changed."""
    found = _WORDS.get(id(text))
    if found is not None and found[0] is text:
        return found[1], found[2]
    if len(_WORDS) >= 16:
        _WORDS.clear()
    low = text.lower()
    words = low.split()
    _WORDS[id(text)] = (text, low, words)
    return low, words


def first_sentence_end(text: str) -> int:
    found = _SENTENCE_END.search(text)
    return found.start() if found else len(text)


# Media nouns (CTX002's; CTX001 leaves "the following photo" to it) and requests to write code (whose
# "the list" or "the image" is the program's input). WRITES_CODE runs on lower-case text.
MEDIA = (
    r"images?|photos?|photographs?|pictures?|pics?|screenshots?|screen\s?shots?|screengrabs?|diagrams?|"
    r"charts?|graphs?|figures?|illustrations?|drawings?|sketch(?:es)?|infographics?|paintings?|artworks?|"
    r"scans?|x-?rays?|videos?|clips?|footage|recordings?|audio|voice\s+(?:memo|message|note|recording)s?|"
    r"songs?|podcasts?|maps?|attachments?|pdfs?|spreadsheets?|slides?|slideshow|files?|websites?|"
    r"web\s?pages?|sites?|links?|urls?|selfies?|gifs?|memes?|posters?|logos?|(?:self-)?portraits?|sculptures?"
)
MEDIA_GATE = word_gate(
    "image images photo photos photograph photographs picture pictures pic pics screenshot screenshots screen "
    "screengrab diagram diagrams chart charts graph graphs figure figures illustration illustrations drawing "
    "drawings sketch sketches infographic infographics painting paintings artwork artworks scan scans x-ray "
    "x-rays video videos clip clips footage recording recordings audio memo song songs podcast podcasts map "
    "maps attachment attachments attached uploaded upload enclosed pdf pdfs spreadsheet spreadsheets slide "
    "slides slideshow file files website websites webpage webpages web site sites page pages link links url "
    "urls selfie selfies gif gifs meme memes poster posters logo logos portrait portraits self-portrait "
    "sculpture sculptures"
)
WRITES_CODE = re.compile(
    r"\b(?:write|create|build|implement|develop|code)\b[^.?!\n]{0,40}?\b(?:program|script|function|code|"
    r"class|app|application|bot|tool|regex|regular\s+expression|query|html|css|api|crawler|scraper)\b",
)


# ------------------------------------------------------------------------ CTX001: referenced material

# Nouns naming material a request works on. A "this"/bare-"the" reference needs one of them.
_TEXT_NOUNS = (
    r"texts?|sentences?|paragraphs?|passages?|articles?|essays?|poems?|story|stories|code|snippets?|"
    r"programs?|scripts?|functions?|quer(?:y|ies)|e-?mails?|letters?|messages?|lists?|tables?|data|datasets?|"
    r"documents?|reviews?|tweets?|posts?|quotes?|quotations?|statements?|equations?|expressions?|excerpts?|"
    r"dialog(?:ue)?s?|conversations?|transcripts?|speech(?:es)?|lyrics|headlines?|titles?|words?|phrases?|"
    r"input|abstract|reports?|descriptions?|recipes?|questions?|problems?|arguments?|claims?|sequences?|"
    r"arrays?|strings?|numbers?|json|xml|html|csv|sql|yaml|regex|memo|notes|resume|cv|bio|chapter|verses?|"
    r"idioms?|proverbs?|analogy|riddle|joke|definitions?|outline|summary|notes|context|information|facts|"
    r"details|options|choices|items?|terms|names|news|contract|clause|proposal|pairs?|values|variables"
)
_ENTITY_NOUNS = (
    r"products?|company|companies|person|people|movies?|films?|books?|events?|places?|objects?|characters?|"
    r"situations?|scenarios?|topics?|subjects?|concepts?|issues?|ideas?|business|brand|job|animals?|"
    r"countr(?:y|ies)|cit(?:y|ies)|customers?|candidates?|games?|experiments?|polic(?:y|ies)|laws?|plans?|"
    r"projects?|apps?|technolog(?:y|ies)|devices?|inventions?|dish|foods?|ingredients|organi[sz]ations?|"
    r"models?|units|elements|categories|labels|criteria|format|keywords|rules|guidelines|requirements|"
    r"constraints|features|symptoms|approach|method|strategy|phenomenon|theory|equation|case"
)
_NOUN = rf"(?:{_TEXT_NOUNS}|{_ENTITY_NOUNS})"
# After "the following": words that make it temporal or sequential, not a reference.
_NOT_AFTER_FOLLOWING = re.compile(
    r"(?:days?|weeks?|months?|years?|mornings?|afternoons?|evenings?|nights?|weekends?|seasons?|decades?|"
    r"centur(?:y|ies)|summer|winter|spring|autumn|fall|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|times?|hours?|minutes?|generations?|periods?|era|rounds?|matches|races?|steps?|stages?|"
    r"chapters?|episodes?|sections?|morning|instructions|average|name|names)$"
)
# Words that end a noun phrase rather than extend it ("the following sentence true or false?").
_PREDICATE = r"(?:true|false|correct|incorrect|\w+ly)\b"
_FUNCTION_WORD = r"(?:to|in|into|for|and|or|as|using|with|so|from|by|on|at|of|that|is|are|was|were|be|a|an|the)"
# "the following X", "the given X", "the X below", "these X provided" ...
_FORWARD = re.compile(
    rf"\b(?:the|these)\s+following\b(?:\s+(?P<f>\w[\w'-]*)(?:\s+(?!{_FUNCTION_WORD}\b|{_PREDICATE})[a-z][\w'-]*){{0,2}})?"
    r"|\bthe\s+(?:given|provided|supplied|above|below|preceding|aforementioned|above-mentioned)\s+(?P<g>\w[\w'-]*)"
    rf"|\b(?:the|these|those)\s+(?:{ADJ}\s+){{0,2}}?(?:{_NOUN})\s+(?:(?:listed|mentioned|shown|given|"
    r"provided|supplied|presented|included)\s+)?(?:below|above|provided|given|supplied)"
    r"(?=\s*(?:$|[.,;:?!)]|\s(?:and|to|for|into|as|using|with|so|then|in\s+(?:\w+\s+)?(?:words|sentences|"
    r"points|bullet|paragraphs)|more|less)\b))",
)  # run on lower-case text, as _THIS and _BARE_HEAD are
# What may follow the noun of a "this ..." reference: the end of a clause, a verb or a preposition, not
# another noun ("this data structure", "this text editor" are not material).
_AFTER_NOUN = (
    r"(?=\s*(?:$|[.?!,;:)])|\s+(?:and|or|to|for|is|are|was|were|be|does|do|did|means?|says?|has|have|had|can|"
    r"could|would|should|will|might|may|must|contains?|shows?|tells?|describes?|represents?|returns?|prints?|"
    r"outputs?|looks?|sounds?|works?|in|into|with|as|from|using|so|more|less|better|again|without|by|below|"
    r"above|here|that|which|according|based|on|at|about|like|correctly|properly|grammatically|well|"
    r"sound|used|written|given|provided)\b)"
)
_THIS = re.compile(rf"\b(?:this|these)\s+((?:{ADJ}\s+){{0,2}}?)({_NOUN}){_AFTER_NOUN}")
# Verbs that work on supplied material, for a bare "the sentence" with nothing to work on.
_PROCESS = (
    r"summari[sz]e|paraphrase|rewrite|rephrase|reword|edit|proofread|translate|correct|fix|debug|refactor|"
    r"analy[sz]e|classify|categori[sz]e|evaluate|critique|shorten|simplify|revise|improve|annotate|parse|"
    r"punctuate|condense|explain|interpret|extract|identify|find|count|highlight|underline|list|"
    r"check|score|rate|grade|label|tag|format|convert|sort|reorder|arrange|complete"
)
_BARE_NOUN = (
    r"sentences?|paragraphs?|passage|article|text|poem|story|essay|code|snippet|document|email|letter|review|"
    r"tweet|excerpt|transcript|speech|dialogue|list|table|data|statement|quote|equation|expression|"
    r"headline|lyrics|argument|function"
)
_BARE_END = (
    r"(?=\s*(?:$|[.?!,;])|\s+(?:into|to|and|so|using|with|as|on|about|in\s+(?:\w+\s+)?(?:words|sentences|"
    r"points|bullet|paragraphs|simple|plain|english|your|a|an|one|two|three|four|five)|more|less|for\s+(?:its|any|"
    r"grammar|spelling|errors|clarity|tone|style|readability))\b)"
)
# "Summarize the article.", "What is the tone of the passage?": a bare "the <material>", found by its
# head and then checked for a processing verb or a preposition just before it (cheaper than one regex).
_BARE_HEAD = re.compile(rf"the (?:{_BARE_NOUN}){_BARE_END}")
_BARE_IS = re.compile(rf"\s*(?:is|was|does|are) the (?:{_BARE_NOUN})\b(?! (?:of|for|about|in|by|on)\b)")
_PROCESS_WORDS = frozenset(_PROCESS.replace("[sz]", "z").split("|")) | frozenset(
    word.replace("z", "s") for word in _PROCESS.replace("[sz]", "z").split("|"))
_LEAD_PREPOSITIONS = frozenset({"in", "of", "from", "within", "on"})
# "In this task, ..." and the like frame the request; they refer to nothing.
_META_BEFORE_THIS = re.compile(r"\bin\s+$", re.IGNORECASE)
_META_THIS_NOUNS = frozenset({"case", "context", "format", "approach", "method", "strategy"})
_TEXT_NOUN = re.compile(rf"(?:{_TEXT_NOUNS})$", re.IGNORECASE)
# Before an entity noun ("this product"), a definite noun phrase or a clause could be its antecedent.
_ANTECEDENT = re.compile(r",|\bthe\s+\w|\b(?:a|an)\s+\w+\s+(?:and|that|which)\b", re.IGNORECASE)
_BACKWARD_WORDS = ("above", "preceding", "aforementioned", "above-mentioned")
_FORWARD_GATE = word_gate("following given provided supplied above below preceding aforementioned "
                          "above-mentioned")
_THIS_GATE = word_gate("this these")
_BARE_GATE = word_gate(_BARE_NOUN.replace("?", "").replace("|", " ") + " sentence paragraph")


def missing_reference(request: str, *, backward: bool) -> str | None:
    """CTX001: a phrase referring to material that the request does not carry.

    Material after a forward reference ("the following", "below"), before a backward one ("above"), or
    anywhere for "this"/"the given" satisfies it. `backward`: also look for references that could point at
    an earlier turn ("this sentence", "the given text", "the text above", a bare "the passage"), which only
    a first request with nothing before it can miss.
    """
    low, tokens = lower_words(request)
    forward = not _FORWARD_GATE.isdisjoint(tokens)
    this = backward and not _THIS_GATE.isdisjoint(tokens)
    bare = backward and not _BARE_GATE.isdisjoint(tokens)
    if not (forward or this or bare) or "`" in request or "~~~" in request or len(low) != len(request):
        return None  # nothing to refer with; or code, which is material (positions below are unstripped)
    text = mask_quotes(low)
    candidates = [m for m in _FORWARD.finditer(text)] if forward else []
    if not candidates and (not this or not _THIS.search(text)) and (not bare or not _bare_candidate(text)):
        return None  # the cheap regexes found nothing; no need to look for material
    material = has_material(request)
    if material and not any(word in low for word in _BACKWARD_WORDS):
        return None  # material anywhere satisfies every reference but "above"
    for match in candidates:
        word = match.group("f") or match.group("g")
        lowered = match.group(0).lower()
        if lowered.rsplit(None, 1)[-1] in MEDIA_GATE:
            continue  # "the following photo" is CTX002's
        if "following" in lowered:
            if word and _NOT_AFTER_FOLLOWING.match(word.lower()):
                continue
            if material or _follows(request, match.end()):
                return None
        elif not backward and "below" not in lowered:
            continue  # "the given data" / "the text above" may be in an earlier turn
        elif word is not None and (word.lower() in ("name", "names", "average", "that") or
                                   _introduced(word, text[: match.start()])):
            continue  # "takes a string ... reverses the given string"
        elif any(w in lowered for w in _BACKWARD_WORDS):
            if has_material(request[: match.start()]):
                return None
        elif "below" in lowered:
            if material or _follows(request, match.end()):
                return None
        elif material or _follows(request, match.end()):
            return None  # "Based on the description provided, identify the creature. It has wings ..."
        return request[match.start():match.end()].strip()
    if not backward:
        return None
    first_end = first_sentence_end(text)
    for match in _THIS.finditer(text, 0, first_end + 1) if this else ():
        noun = match.group(2).lower()
        before = text[: match.start()]
        if noun in _META_THIS_NOUNS and _META_BEFORE_THIS.search(before):
            continue
        if _introduced(noun, before):
            continue  # "write a function and explain how this function works": the noun was introduced
        if not _TEXT_NOUN.match(noun) and _ANTECEDENT.search(before):
            continue  # "teach me about the water cycle, then quiz me on this topic"
        if material or _follows(request, match.end()):
            return None  # "Name this product. It is a smart bottle that ..."
        return request[match.start():match.end()].strip()
    if not bare:
        return None
    found = _bare_candidate(text, first_end + 1)
    if found is None or material or _follows(request, found.end()) or WRITES_CODE.search(text):
        return None  # "write a program to sort the list": the list is the program's input
    return request[found.start():found.end()].strip()


def _bare_candidate(text: str, end: int | None = None) -> re.Match[str] | None:
    """A bare "the <material>" after a processing verb or a preposition ("Summarize the article."), or a
    request opening with "Is the sentence ..."; in lower-case text, up to `end`."""
    found = _BARE_IS.match(text)
    if found is not None:
        return found
    for head in _BARE_HEAD.finditer(text, 0, len(text) if end is None else end):
        lead = text[max(0, head.start() - 60): head.start()].split()[-6:]
        if lead and (lead[-1] in _LEAD_PREPOSITIONS or not _PROCESS_WORDS.isdisjoint(lead)):
            return head
    return None


# A sentence after the request that is a constraint on it, not the material it announced.
_CONSTRAINT = re.compile(r"\s*(?:be|use|keep|make|write|do|don't|include|limit|answer|respond|please|try|focus|"
                         r"avoid|ensure|output|return|give|provide|explain|it|the\s+(?:answer|response|summary|"
                         r"output)|your|you|in|no|only|each|then|also|and)\b", re.IGNORECASE)
# A following sentence about the asker or the answer ("I need it for school") is not the material.
_PERSONAL = re.compile(r"\b(?:i|i'm|i've|my|me|you|your|we|our|us)\b", re.IGNORECASE)


def _follows(request: str, end: int) -> bool:
    """Whether material follows a forward reference ending at `end`: marked material, or the next sentence
    ("Answer the following question. What is ...?"), unless that sentence is a constraint ("Be brief.")."""
    rest = request[end:]
    if has_material(request[max(0, end - 1):]):
        return True
    stop = _SENTENCE_END.search(rest)
    after = rest[stop.end():] if stop else ""
    return len(after.split()) >= 3 and not _CONSTRAINT.match(after) and not _PERSONAL.search(after)


def _introduced(noun: str, before: str) -> bool:
    """Whether the noun (or its singular) was already named before the reference (an antecedent)."""
    stem, low = noun.lower().rstrip("s"), before.lower()
    at = low.find(stem)
    while at >= 0:
        if at == 0 or not low[at - 1].isalnum():
            return True
        at = low.find(stem, at + 1)
    return False


# An answer that asks for the missing thing instead of making it up: the record teaches the right thing.
ASKS_FOR_IT = re.compile(
    r"\b(?:please|kindly|could\s+you|can\s+you|would\s+you)\s+(?:\w+\s+)?(?:provide|share|paste|send|give|"
    r"upload|attach|include|specify|clarify|describe)\b|\bi\s+(?:don't|do\s+not|cannot|can't|am\s+unable\s+to)"
    r"\s+(?:see|view|access|open|watch|listen|browse|recall|remember|find)\b|\b(?:you\s+(?:haven't|have\s+not|"
    r"didn't|did\s+not)|no\s+\w+\s+(?:was|were|has\s+been|have\s+been))\s+(?:\w+\s+)?(?:provided|given|included|"
    r"shared|attached|specified)\b|\bunable\s+to\s+(?:view|see|access|watch|listen|open|browse|perceive)\b|"
    r"\b(?:there\s+is|there's|i\s+see)\s+no\s+(?:\w+\s+){0,2}(?:provided|given|attached|included)\b|"
    r"\bstart\s+of\s+our\s+conversation\b|\bno\s+(?:previous|earlier|prior)\s+(?:conversation|message|context)|"
    r"\b(?:i\s+am|i'm|as)\s+an?\s+(?:ai|artificial\s+intelligence|(?:ai\s+)?language\s+model|text-based)\b|"
    r"\bwhich\s+\w+(?:\s+\w+)?\s+are\s+you\s+referring\s+to\b|\bplease\s+be\s+(?:more\s+)?specific\b",
    re.IGNORECASE,
)
# Alpaca inputs meaning "no input" (compared trimmed, lower-case, without a final period).
NO_INPUT = ("", "<noinput>", "<no input>", "noinput", "no input", "n/a", "na", "none", "null", "nil", "-",
            "no input required", "no input needed", "not applicable", "empty", "nothing", "<input>",
            "no input provided", "(none)", "[none]", "no input necessary")
NO_INPUT_SET = frozenset(NO_INPUT)


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
