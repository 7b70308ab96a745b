"""What a request asks the answer's format to be, for the ALN structure rules: JSON (ALN001) or code (ALN004).

Same approach as `aln_structure_patterns` (which holds the shared request analysis): explicit asks only, a
word-set test first, then patterns matched on the lowercased request where the words are.
"""

from __future__ import annotations

import re

from dslint.rules.aln_structure_answers import DECODER
from dslint.rules.aln_structure_patterns import (
    AMBIGUOUS_LANGUAGES,
    CODE_WORDS,
    Ask,
    Request,
    is_question,
    quote,
    sentence_at,
    word_starts,
)

_X = re.VERBOSE


# ---------------------------------------------------------------- JSON

_JSON_ASK = re.compile(
    r"""(?:\b(?:in|as|into|to|using)\s+(?:(?:a|an|valid|proper|well[- ]formed|strict|structured|pure|plain|only
          |correct|standard|machine[- ]readable|compact|minified|pretty[- ]printed)\s+)*json
     |\b(?:return|output|respond|reply|answer|produce|generate|give|provide|write|create|construct|build|emit|print
          |compose|make|format|structure|express|represent|present|deliver|render|encode|seriali[sz]e|convert
          |transform|turn|rewrite|reformat|export|dump)
        (?:\s+(?:me|us|back|it|this|them|that|the\s+(?:result|answer|output|data|response)s?))?
        (?:\s+(?:with|only|just|using|as|in)){0,2}
        (?:\s+(?:a|an|some|valid|proper|well[- ]formed|strict|minified|compact|single|simple|small|sample|example
          |correct|pretty[- ]printed|nested))*\s+json
     |\b(?:answer|response|output|reply|result|format)s?\s+(?:should|must|shall|needs?\s+to|has\s+to|have\s+to|will)
        \s+be\s+(?:(?:in|a|an|valid|formatted\s+as|returned\s+as|written\s+in|strictly|pure)\s+)*json
     |\bonly\s+(?:valid\s+|raw\s+)?json|\bnothing\s+but\s+json|\bjson\s+only
     |\b(?:must|should|shall)\s+be\s+(?:in\s+)?(?:valid|proper|well[- ]formed|strict|parsable|parseable)\s+json
     |\b(?:in|as|using)\s+(?:the|this|that)\s+(?:\w+\s+){0,2}?json(?=\s+(?:format|schema|structure|template|shape))
    )\b(?![- ]?(?:web\s+token|ld\b|lines?\b|l\b|path\b|pointer\b|rpc\b|parser|seriali|deseriali|library|reader
          |writer|validator|viewer|editor|formatter|api\b|endpoint|schema\s+valid))
    (?!\s+(?:data|files?|input|payloads?|requests?|config|configuration|dataset|database|store|column)\b)""",
    _X,
)
# Words before "in JSON" that make JSON the input or a fact, not the answer's format.
_JSON_NOT_ASKED = re.compile(
    r"\b(?:parse|parsing|load|loading|read|reading|treat|interpret|decode|validate|store|save|saving|send|sending"
    r"|post|posting|submit|pass|import|accept|receive|log|given|provided|supplied|stored|saved|sent|received"
    r"|returns|comes|arrives|is|are|was|were|instead\s+of|rather\s+than|not|without|avoid|display|displays|displaying"
    r"|show|shows|showing|stores|storing)\b[^.?!\n]{0,25}$")
_KEY_NAME = r"(?:[\"'`“‘][^\"'`”’\n]{1,40}[\"'`”’]|[A-Za-z_]\w*)"
_KEY_LIST = rf"(?P<keys>{_KEY_NAME}(?:\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+){_KEY_NAME})*)"
_KEYS_AFTER = re.compile(rf"\b(?:keys?|fields?|properties|property|attributes?)\b\s*(?:named|called|:)?\s*{_KEY_LIST}",
                         re.IGNORECASE)
_KEYS_BEFORE = re.compile(rf"\bwith\s+(?:the\s+|a\s+|an\s+)?{_KEY_LIST}\s+(?:keys?|fields?|properties|attributes?)\b",
                          re.IGNORECASE)
_KEY_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", re.IGNORECASE)
_KEY_STOP = frozenset("a an the for that which with of to in on each every all its their as and or are is be "
                      "should must will describing containing representing matching following given below above "
                      "from such like values value some these those this it".split())
_JSON_NOUN = re.compile(r"\s+(?:object|array|list|format|document|string|response|output|file)s?\b")
_TEMPLATE = re.compile(r"\b(?:format|schema|structure|template|shape|e\.g\.|example)\b[^{\n]{0,20}?(?=\{)")


def json_ask(req: Request) -> Ask | None:
    """An explicit ask for a JSON answer; `unit` holds the required keys, joined by NUL."""
    if "json" not in req.low:
        return None
    for match in _JSON_ASK.finditer(req.low):
        if _JSON_NOT_ASKED.search(req.low, max(0, match.start() - 40), match.start()) or is_question(
                req.low, sentence_at(req.low, match.start(), match.end())):
            continue
        noun = _JSON_NOUN.match(req.low, match.end())  # quote "as a JSON object", not "as a JSON"
        end = noun.end() if noun else match.end()
        return Ask(quote(req.text, match.start(), end), unit="\0".join(_required_keys(req, match.end())))
    return None


def _required_keys(req: Request, after: int) -> list[str]:
    for pattern in (_KEYS_AFTER, _KEYS_BEFORE):
        match = pattern.search(req.text)
        if match:
            names = [name for name in _KEY_SEPARATOR.split(match.group("keys")) if name]
            bare = [name for name in names if name[0] not in "\"'`“‘"]
            if not any(name.lower() in _KEY_STOP for name in bare):
                return [name.strip("\"'`“”‘’") for name in names]
    template = _TEMPLATE.search(req.low, after)
    if template:
        try:
            value, _ = DECODER.raw_decode(req.text, template.end())
        except ValueError:
            return []
        if isinstance(value, dict):
            return [str(key) for key in value]
    return []


# ---------------------------------------------------------------- code

_LANG = (r"(?:python|javascript|typescript|java|c\+\+|c\#|golang|rust|ruby|php|swift|kotlin|scala|perl|haskell|lua"
         r"|bash|shell|zsh|powershell|sql|mysql|postgresql|postgres|sqlite|t-sql|pl/sql|html5?|css3?|scss|sass|dart"
         r"|julia|elixir|clojure|erlang|f\#|ocaml|objective-c|vba|vb\.net|matlab|solidity|groovy|fortran|cobol"
         r"|assembly|node\.js|nodejs|react|jquery|django|flask|pandas|numpy|linux|unix|git|docker|terminal"
         r"|command[- ]line|cli|cmd|regex|c(?![+#\w])|r(?!\w)|go(?!\w))")
_CODE_NOUN = (r"(?:code|program|function|script|snippet|class|method|query|statement|command|one-liner|module"
              r"|implementation|routine|app|application|component|interface|struct|enum|macro|loop|regex|page|form"
              r"|template|stylesheet|rule|selector|tests?|decorator|generator|lambda|api|endpoint|solution|file)")
_COMPUTING = (r"(?:prints?|calculates?|computes?|reads?|takes?|accepts?|outputs?|sorts?|converts?|checks?|finds?"
              r"|counts?|displays?|asks?|prompts?|returns?|determines?|generates?|simulates?|implements?|solves?"
              r"|reverses?|detects?|validates?|parses?|adds?|multipl(?:y|ies)|searches|search|stores?|encrypts?"
              r"|decrypts?|downloads?|scrapes?|removes?|deletes?|merges?|compares?|tests?|lists?|greets?|renames?"
              r"|creates?|fetch(?:es)?|sends?|connects?|extracts?|filters?|splits?|joins?|squares?|doubles?)")
_FILLER = (r"(?:a|an|the|some|simple|short|small|basic|sample|quick|working|complete|recursive|new|minimal|brief"
           r"|single|efficient|reusable|generic|custom|robust|helper|utility|data|little|tiny|this|that|these"
           r"|following|my|your|our|given|above|below)")
_CODE_ASK = re.compile(
    rf"""(?:write|create|implement|generate|give|provide|show|develop|build|code(?!\s+snippets?\b)|compose|construct
          |produce|make|design|draft|program|define|complete|rewrite|convert|translate|port|refactor|craft|need|want)\b
     (?:\s+(?:me|us))?(?:\s+(?:how\s+to\s+(?:write|create|implement|build|code)))?(?:\s+{_FILLER}){{0,3}}\s+
     (?:(?P<lang1>{_LANG})(?:\s+\w+)?\s+{_CODE_NOUN}s?\b
      |(?:regular\s+expression|regexp?|one-liner|code\s+snippet|snippet|unit\s+tests?|source\s+code)\b
      |code\b(?=\s+(?:to|that|which|for|in|snippet|example)\b|\s*[.:]|\s*$)
      |(?:computer\s+)?(?:program|function|script|class|method)\b
          (?=\s+(?:that|which|to)\s+{_COMPUTING}\b|\s+(?:called|named)\b|\s+(?:that|which)\s+(?:represents|models|has)\b
          |\s+(?:in|using)\s+(?P<lang2>{_LANG})(?!\w))
      |query\b(?=.*\b(?:table|database|sql|mysql|postgres))
      |(?P<lang3>{_LANG})(?!\w)(?!\s+(?:developer|engineer|programmer|course|tutorial|book|interview|question
          |certification|job|version|library|package|community|conference)))""",
    _X,
)
_IN_LANGUAGE = re.compile(rf"(?:in|using)\s+(?P<lang4>{_LANG})(?!\w)")
_CODE_VERBS = frozenset("write create implement generate give provide show develop build code compose construct "
                        "produce make design draft program define complete rewrite convert translate port refactor "
                        "craft need want".split())
_CODE_VERB = re.compile(r"\b(?:write|create|implement|generate|develop|build|code|construct|produce|make|rewrite"
                        r"|convert|translate|port|refactor|give|provide|show)\b")
# What may come before an imperative in its sentence: nothing, a clause ending in a comma or colon ("Given a
# list, write ..."), or polite and linking words ("Can you write ...", "I need you to write ...").
_IMPERATIVE_LEAD = re.compile(r"(?:^|[,:;]|\b(?:please|kindly|you|can|could|would|will|and|then|now|also|first|next"
                              r"|finally|just|i|we|let's|lets|(?:you|me|us)\s+to))\s*$")
# "Translate the SQL query into plain English": a transformation whose target is prose asks for no code.
_TRANSFORM_VERB = re.compile(r"(?:translate|convert|rewrite|turn|port)\b")
_INTO_PROSE = re.compile(r"\b(?:into|to|in|as)\s+(?:(?:plain|simple|everyday|natural|normal|human|layman'?s|clear)\s+)?"
                         r"(?:english|language|words|prose|pseudo-?code|terms|(?:a|an)\s+(?:sentence|description"
                         r"|explanation|paragraph|summary|story))\b")
_PROSE_WORK = re.compile(r"\b(?:blog|post|article|essay|tutorial|guide|letter|resume|cv|email|tweet|report|summary"
                         r"|poem|story|plan|outline|presentation|course|lesson|question|questions|quiz|interview"
                         r"|explanation|description|review|comparison|list|paragraph|song|joke|advert|ad|speech)\b")


def code_ask(req: Request) -> Ask | None:
    """An explicit ask for code: a function, script, query, class ... in a language, or code in general."""
    words, text = req.words, req.text
    if words.isdisjoint(CODE_WORDS) and (words.isdisjoint(AMBIGUOUS_LANGUAGES)
                                          or not (" C" in text or " R" in text or " Go" in text)):
        return None
    low = req.low
    starts = [at for verb in _CODE_VERBS.intersection(words) for at in word_starts(low, verb)]
    found = [(m, False) for at in starts if (m := _CODE_ASK.match(low, at))]
    found += [(m, True) for word in ("in", "using") if word in words for at in word_starts(low, word)
              if (m := _IN_LANGUAGE.match(low, at))]
    for match, in_language in sorted(found, key=lambda item: item[0].start()):
        group = next((g for g in ("lang1", "lang2", "lang3", "lang4") if g in match.re.groupindex and match.group(g)),
                     None)
        language = match.group(group) if group else ""
        if group and language in AMBIGUOUS_LANGUAGES and (
                text[match.start(group):match.end(group)] != AMBIGUOUS_LANGUAGES[language]):
            continue
        span = sentence_at(low, match.start(), match.end())
        if is_question(low, span):
            continue
        if _TRANSFORM_VERB.match(low, match.start()) and _INTO_PROSE.search(low, match.end(), span[1]):
            continue  # the code is the material, prose the answer
        if in_language:
            # "in Python" alone: only with a verb of making before it, and no prose work being made.
            verb = _CODE_VERB.search(low, span[0], match.start())
            if verb is None or _PROSE_WORK.search(low, verb.end(), match.start()) or not _IMPERATIVE_LEAD.search(
                    low[span[0]:verb.start()]):
                continue
            phrase = f"{quote(text, *verb.span())} ... {quote(text, *match.span())}"
            return Ask(phrase if len(phrase) <= 70 else phrase[:69] + "…", unit=language)
        if _IMPERATIVE_LEAD.search(low[span[0]:match.start()]):
            return Ask(quote(text, *match.span()), unit=language)
    return None
