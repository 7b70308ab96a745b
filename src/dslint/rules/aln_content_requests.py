"""What a request asks for: the material it works on (prompt splitting, quoted text), and for ALN005
(untranslated-output) the language it wants, and which language a text is plainly in.

No third-party detector, so nothing to download and nothing slow: Unicode scripts tell Japanese, Russian or
Arabic from English outright, and a table of frequent function words per language tells English from
French, German, Spanish, Italian, Portuguese and Dutch, which is all ALN005 needs to say "this is still
the source language". A text counts as in a language only on clear evidence; otherwise it is undecided.
Every regex is compiled at import.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from typing import NamedTuple

from dslint.model import Example, Turn

# --------------------------------------------------------------------------------------------- prompts
_PAIRS = (("“", "”"), ("«", "»"), ("「", "」"), ("‘", "’"))
# A single-quoted span: apostrophes inside it are followed by a letter ("can't"); its closing quote is not.
_SINGLE = re.compile(r"(?<![\w'])'((?:[^'\n]|'(?=\w)){2,400}?)'(?!\w)")
# "Translate into German: I have ..." - a colon followed by whitespace (not 9:30) and some text.
_COLON = re.compile(r":\s+(?=\S)")


def quoted(text: str) -> list[str]:
    """The spans of a text inside quotation marks (straight, curly, guillemets, corner brackets), found
    with plain `find` calls: a regex alternation over every position costs far more."""
    spans: list[str] = []
    if '"' in text:
        spans += [part for part in text.split('"')[1:-1:2] if 2 <= len(part) <= 400 and "\n" not in part]
    for opening, closing in () if text.isascii() else _PAIRS:
        at = text.find(opening)
        while at >= 0:
            end = text.find(closing, at + 1)
            if end < 0:
                break
            part = text[at + 1: end].strip()
            if part and end - at <= 400 and "\n" not in part:
                spans.append(part)
            at = text.find(opening, end + 1)
    if "'" in text:
        spans += _SINGLE.findall(text)
    return spans


def split_prompt(text: str) -> tuple[str, list[str]]:
    """A user turn as (request, material): the material is what the request works on.

    The material follows a blank line, a colon or a line break ("Translate into German: I have ..."), or is
    quoted inside the request. The request keeps the first part with its quotes.
    """
    request, rest = text, ""
    if "\n\n" in text:
        request, rest = text.split("\n\n", 1)
    else:
        colon = _COLON.search(text)
        if colon is not None:
            request, rest = text[: colon.start() + 1], text[colon.end():]
        elif "\n" in text:
            request, rest = text.split("\n", 1)
    material = [rest.strip()] if rest.strip() else []
    return request, material + quoted(request)


class Prompt(NamedTuple):
    """What an answer answers: the request (Alpaca's instruction, or a turn's first part) and the material it
    works on (Alpaca's input, text after a colon, quoted text)."""

    request: str
    materials: list[str]


def prompt_of(example: Example, user: Turn) -> Prompt:
    """The request a user turn makes and the material it supplies (Alpaca's input when the turn is the
    instruction with an input, else what `split_prompt` finds)."""
    instruction = example.fields.get("instruction")
    if instruction is not None and user.pointer == instruction[0]:
        given = example.fields.get("input")
        if given is not None and given[1].strip():
            return Prompt(instruction[1], [given[1].strip(), *quoted(instruction[1])])
    request, materials = split_prompt(user.content)
    return Prompt(request, materials)


# Requests an unchanged text can answer (ALN009 leaves them alone).
REPEAT_OK = re.compile(
    r"repeat|echo|copy|verbatim|exactly|unchanged|as (?:it )?is\b|quote|cite|reproduce|back to me|"
    r"\bsay\b[^.?!\n]{0,40}\bback|"
    r"extract|identify|select|pick|choose|find|which|locate|highlight|underline|correct|fix|proofread|check|"
    r"verify|validate|grammar|grammatical|spell|punctuat|typo|error|mistake|\bif (?:needed|necessary|any|"
    r"required|applicable|appropriate|possible)|where (?:needed|necessary)|\bany\b|sort|order|arrange|alphabeti|"
    r"format|normali|capitali|(?:title|upper|lower|sentence)[- ]?case|remove|delete|duplicate|translat|"
    r"palindrome|return|print|transcribe|tokeni|detect|label|tag\b|match|organi[sz]e|chronolog|rank|fill in|blank",
    re.IGNORECASE)


_RUNS = re.compile(r"[ \t]+")
_LINE_EDGES = re.compile(r" ?\n ?")
_ENDS = " \t\n\"'“”‘’`.!?。"


def same_text(text: str) -> str:
    """A text with only case, runs of spaces, wrapping quotes and a final period made uniform: line breaks,
    commas and brackets still count, since tasks such as 'insert a comma' change nothing else."""
    text = text.strip(_ENDS).casefold()
    if "  " in text or "\t" in text:
        text = _RUNS.sub(" ", text)
    return _LINE_EDGES.sub("\n", text) if "\n" in text else text


_NORM = re.compile(r"[\W_]+")
_DENSE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def word_count(text: str) -> int:
    """Words of a text, counting two characters of Chinese, Japanese, Korean or Thai as one word."""
    count = len(text.split())
    return count + len(_DENSE.findall(text)) // 2 if not text.isascii() else count


def normalised(text: str) -> str:
    """Case, punctuation and spacing removed: the form in which two texts are 'the same words'."""
    return _NORM.sub(" ", text.casefold()).strip()


# English names of languages -> code; the script each non-Latin language is written in.
_NAMES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "castilian": "es", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "flemish": "nl", "chinese": "zh", "mandarin": "zh", "cantonese": "zh",
    "japanese": "ja", "korean": "ko", "russian": "ru", "ukrainian": "uk", "bulgarian": "bg", "arabic": "ar",
    "persian": "fa", "farsi": "fa", "urdu": "ur", "hebrew": "he", "yiddish": "yi", "greek": "el",
    "hindi": "hi", "marathi": "mr", "nepali": "ne", "sanskrit": "sa", "bengali": "bn", "punjabi": "pa",
    "gujarati": "gu", "tamil": "ta", "telugu": "te", "kannada": "kn", "malayalam": "ml", "thai": "th",
    "georgian": "ka", "armenian": "hy", "amharic": "am", "swedish": "sv", "norwegian": "no",
    "danish": "da", "finnish": "fi", "polish": "pl", "czech": "cs", "slovak": "sk", "hungarian": "hu",
    "romanian": "ro", "turkish": "tr", "vietnamese": "vi", "indonesian": "id", "malay": "ms",
    "tagalog": "tl", "filipino": "tl", "swahili": "sw", "latin": "la", "esperanto": "eo", "croatian": "hr",
    "slovenian": "sl", "lithuanian": "lt", "latvian": "lv", "estonian": "et", "icelandic": "is",
    "irish": "ga", "welsh": "cy", "catalan": "ca", "basque": "eu", "galician": "gl", "albanian": "sq",
    "afrikaans": "af", "zulu": "zu", "yoruba": "yo", "hausa": "ha", "somali": "so", "maori": "mi",
}
DISPLAY = {code: name.capitalize() for name, code in reversed(list(_NAMES.items()))}
_SCRIPT_RANGES = {
    "Han": "\u3400-\u4dbf\u4e00-\u9fff", "Kana": "\u3040-\u30ff", "Hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "Cyrillic": "\u0400-\u04ff", "Arabic": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
    "Hebrew": "\u0590-\u05ff", "Greek": "\u0370-\u03ff", "Devanagari": "\u0900-\u097f", "Bengali": "\u0980-\u09ff",
    "Gurmukhi": "\u0a00-\u0a7f", "Gujarati": "\u0a80-\u0aff", "Tamil": "\u0b80-\u0bff", "Telugu": "\u0c00-\u0c7f",
    "Kannada": "\u0c80-\u0cff", "Malayalam": "\u0d00-\u0d7f", "Thai": "\u0e00-\u0e7f", "Georgian": "\u10a0-\u10ff",
    "Armenian": "\u0530-\u058f", "Ethiopic": "\u1200-\u137f",
}
SCRIPTS = {name: re.compile(f"[{chars}]") for name, chars in _SCRIPT_RANGES.items()}
# (first code point, last code point, script), sorted: a character's script by bisection, not by regex.
_RANGES = sorted((ord(chars[i]), ord(chars[i + 2]), name) for name, chars in _SCRIPT_RANGES.items()
                 for i in range(0, len(chars), 3))
_STARTS = [start for start, _, _ in _RANGES]
_ANY_SCRIPT = re.compile(f"[{''.join(_SCRIPT_RANGES.values())}]")
SCRIPT_OF = {
    "zh": ("Han",), "ja": ("Kana", "Han"), "ko": ("Hangul",), "ru": ("Cyrillic",), "uk": ("Cyrillic",),
    "bg": ("Cyrillic",), "ar": ("Arabic",), "fa": ("Arabic",), "ur": ("Arabic",), "he": ("Hebrew",),
    "yi": ("Hebrew",), "el": ("Greek",), "hi": ("Devanagari",), "mr": ("Devanagari",), "ne": ("Devanagari",),
    "sa": ("Devanagari",), "bn": ("Bengali",), "pa": ("Gurmukhi",), "gu": ("Gujarati",), "ta": ("Tamil",),
    "te": ("Telugu",), "kn": ("Kannada",), "ml": ("Malayalam",), "th": ("Thai",), "ka": ("Georgian",),
    "hy": ("Armenian",), "am": ("Ethiopic",),
}
# Frequent function words, chosen to be rare in the other six languages (English words that look like
# them are left out of the others: a stray English "no" must not count as Spanish).
PROFILES: dict[str, frozenset[str]] = {code: frozenset(words.split()) for code, words in {
    "en": "the and are were of to that it you with for this have has be not my your they she can does what "
          "how am at from by or our their there would should please thank hello good very where who all if "
          "been know like his him which these those i is was we will",
    "fr": "le la les de des en est et une un du je j qu vous nous il elle pas que qui dans avec sur ce cette mon "
          "ma mes suis sont au aux tu te moi toi très bien bonjour merci leur ne ces sa ses",
    "de": "der die das und ist ich nicht ein eine einen zu mit sie es wir auf für den dem von sind auch "
          "bin du mein meine wie ihr sehr hallo danke bitte guten nach aus bei oder aber wenn kann haben wird",
    "es": "el la los las de que y es en un una por con para se del al lo mi yo está estoy muy pero como "
          "su estar tengo tiene hola gracias soy eres usted nosotros ellos qué cómo también",
    "it": "il lo la gli le di che e è un una per con non sono del della dei mi io sei ho ci questo questa "
          "molto nel nella ciao grazie siamo anche perché",
    "pt": "o os de que e é um uma para não da em na eu você muito está sou se por mas são olá obrigado "
          "obrigada isso isto ele ela nós também",
    "nl": "de het een en van ik je niet dat op zijn met voor er maar ook wat hij ze wij bent mijn jij heb "
          "heeft hallo dank bedankt alsjeblieft veel naar",
}.items()}
# Capitalised names first: a case-insensitive alternation of eighty names costs far more per character.
_ANY_CASE = re.compile(r"\b(" + "|".join(sorted(_NAMES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_LANG = re.compile(r"\b(" + "|".join(sorted((name.capitalize() for name in _NAMES), key=len, reverse=True)) + r")\b")
_TO_BEFORE = re.compile(r"\b(into|to|in)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z]+\s+)?$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_LIST_BEFORE = re.compile(r"(?:\band|\bor|,|/)\s*$", re.IGNORECASE)
_TARGET_AFTER = re.compile(r"\s*(?:translation|version|equivalent)\b", re.IGNORECASE)
# "in Greek mythology", "in Italian cuisine": the name qualifies a noun, it is no target language.
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:language|and|or|please|for|with|so|then|as|too|also|using|without|while|but|if|keeping|"
    r"making|in|to|from|by|version|translation|the|this|that|these|a|an|it|them|each|all|both)\b)[a-z]")
_WORD = re.compile(r"[^\W\d_]+")
_TRANSLATE = re.compile(r"\btranslat", re.IGNORECASE)
_SAY = re.compile(r"\bsay\b", re.IGNORECASE)
_REWRITE = re.compile(r"\b(?:rewrite|re-write|write|convert|render|put|express)\b", re.IGNORECASE)


_HINT = re.compile(r" (?:in|into|to) [A-Z]")


def language_hint(text: str) -> bool:
    """Quick test: whether " in ", " into " or " to " is followed by a capitalised word ("in French"); far
    cheaper than searching the text for every language name."""
    return _HINT.search(text) is not None


class Translation(NamedTuple):
    targets: frozenset[str]  # language codes the output must be in
    source: str | None  # the language the request says the text is in, if it says
    kind: str  # "translate", "rewrite" (write/convert ... in X) or "say" (how do you say ... in X)


def translation_request(request: str) -> Translation | None:
    """The target language(s) a request asks for, or None when it asks for no translation. Only the
    request's first 300 characters are read: that is where a request says what it wants."""
    request = request[:300]
    if _TRANSLATE.search(request):
        kind = "translate"
    elif _SAY.search(request):
        kind = "say"
    elif _REWRITE.search(request):
        kind = "rewrite"
    else:
        return None
    for span in quoted(request):  # a language named inside a quoted text is no target ("'I speak English'")
        request = request.replace(span, " " * len(span))
    text = request
    targets: list[str] = []
    written_in: list[str] = []  # "in English": a target, unless a "to"/"into" target follows
    source = None
    matches = list(_LANG.finditer(text)) or list(_ANY_CASE.finditer(text))  # "into french"
    for match in matches:
        if match.group(0) == "polish":  # the verb
            continue
        code = _NAMES[match.group(0).lower()]
        before = text[max(0, match.start() - 30): match.start()]
        to_before = _TO_BEFORE.search(before)
        if _FROM_BEFORE.search(before):
            source = code
        elif to_before or _TARGET_AFTER.match(text, match.end()) or (targets and _LIST_BEFORE.search(before)):
            if kind == "translate" or not _NOUN_AFTER.match(text, match.end()):
                if to_before is not None and to_before.group(1).lower() == "in" and not targets:
                    written_in.append(code)
                targets.append(code)
        elif source is None:
            source = code  # "this French sentence", "the German text"
    if written_in and len(targets) > len(written_in):
        # "Translate the phrase in English to Spanish": the language after "in" is the source
        targets = [code for code in targets if code not in written_in]
        source = source or written_in[0]
    if not targets and kind == "translate" and source not in (None, "en"):
        targets = ["en"]  # "Translate this French sentence." means into English
    return Translation(frozenset(targets), source, kind) if targets else None


class Detected(NamedTuple):
    language: str | None  # a profile code, a script name ("Han", "Cyrillic" ...), or None (undecided)
    score: int  # function words (or letters of the script) found
    evidence: tuple[str, ...]  # the function words that decided it


_UNDECIDED = Detected(None, 0, ())


def detect(text: str, limit: int = 600) -> Detected:
    """The language of a text when its script or its function words make it clear, else undecided."""
    sample = text[:limit]
    tokens = _WORD.findall(sample.lower())
    if not sample.isascii():
        found = "".join(_ANY_SCRIPT.findall(sample))  # the letters of non-Latin scripts
        if len(found) >= 2 and len(found) * 2 >= sum(map(len, tokens)):
            counts = Counter(_script(ch) for ch in found[:: max(1, len(found) // 40)])  # a sample is enough
            script = max(counts, key=counts.__getitem__)
            if script == "Han" and counts["Kana"]:
                script = "Kana"  # Japanese mixes kana into Han text
            return Detected(script, len(found), ())
    if len(tokens) < 3:
        return _UNDECIDED
    scores = {code: [t for t in tokens if t in words] for code, words in PROFILES.items()}
    ranked = sorted(scores, key=lambda code: len(scores[code]), reverse=True)
    best, second = len(scores[ranked[0]]), len(scores[ranked[1]])
    if best >= 2 and best > second and (best >= 2 * second or best - second >= 2):
        return Detected(ranked[0], best, tuple(dict.fromkeys(scores[ranked[0]]))[:3])
    return _UNDECIDED


def _script(char: str) -> str:
    _, end, name = _RANGES[bisect_right(_STARTS, ord(char)) - 1]
    return name if ord(char) <= end else "Other"


def target_words(text: str, code: str) -> int:
    """How many of a profiled language's function words a text has."""
    words = PROFILES[code]
    return sum(1 for token in _WORD.findall(text[:600].lower()) if token in words)


def in_language(text: str, code: str) -> bool:
    """Whether a text shows any sign of being (partly) in a language: its script, or its function words."""
    scripts = SCRIPT_OF.get(code)
    if scripts is not None:
        return any(SCRIPTS[script].search(text) for script in scripts)
    if code in PROFILES:
        return target_words(text, code) > 0 or detect(text).language == code
    return False


def mentions_language(text: str, codes: frozenset[str]) -> bool:
    """Whether a text names one of these languages (in its first 400 characters)."""
    return any(_NAMES.get(match.group(0).lower()) in codes for match in _LANG.finditer(text, 0, 400))


_FRAMING = re.compile(
    r"^(?:(?:the )?translation|translated(?: text)?|answer|output|result|here(?: is|'s) (?:the|your|my) "
    r"(?:\w+ )?translation)\s*(?:is)?\s*:\s*", re.IGNORECASE)


def untranslated(request: Translation, answer: str, materials: list[str]) -> str | None:
    """Why an answer to a translation request is still in the wrong language, or None."""
    wanted = " or ".join(DISPLAY[code] for code in sorted(request.targets))
    body = answer.strip()
    if body[:1] in "TtAaOoRrHh":  # "Translation:", "Answer:", "Here is the translation:" ...
        body = _FRAMING.sub("", body, count=1)
    size, same = len(body), None
    for material in materials:
        if abs(len(material) - size) <= size // 3 + 8 and word_count(material) >= 3:
            same = same if same is not None else normalised(body)
            if normalised(material) == same and not any(in_language(material, c) for c in request.targets):
                return f"asked for {wanted}, but the output repeats the source text: {short(body)!r}"
    if (request.kind == "say" or word_count(body) < 3 or mentions_language(answer, request.targets)
            or quoted(answer)):
        return None
    found = detect(body)
    if found.language is None or found.language in request.targets:
        return None
    if found.language in SCRIPTS:  # written in a non-Latin script
        if any(in_language(body, code) for code in request.targets):
            return None
        return f"asked for {wanted}, but the output is in {found.language} script: {short(body)!r}"
    for code in request.targets:
        if code in SCRIPT_OF:
            if in_language(body, code):
                return None
        elif code in PROFILES:
            theirs = target_words(body, code)
            if theirs * 5 > found.score or (theirs and found.score < 5):
                return None
        else:
            return None  # a Latin-script language without a profile: no telling it from the source
    words = ", ".join(repr(word) for word in found.evidence)
    return (f"asked for {wanted}, but the output reads as {DISPLAY[found.language]} ({words} ...): "
            f"{short(body)!r}")


def short(text: str, size: int = 60) -> str:
    """A text on one line, cut to `size` characters, for a message."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"
