"""Matchers behind the ALN content rules ALN006-ALN008: placeholders, refusals and boilerplate, truncation
(what a request asks for, and ALN005's languages, are in `aln_content_requests`).

These run on every record, so the common path uses plain `str` methods (`find`, `startswith`, membership
in sets keyed by a few characters) and runs a regex only where a cheap test found something: a regex
alternation tried at every position of a long answer costs far more. Every regex is compiled at import.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# ---------------------------------------------------------------------------------------- placeholders
# Whole answers that stand for "no answer" (compared casefolded, wrapping brackets/quotes, a label such as
# "Output:" and a final period removed). AMBIGUOUS ones are real answers to some requests ("Which of these
# numbers are prime?" "None"), so they count only when the request gives no reason for them.
PLACEHOLDERS = (
    "<nooutput>", "<no output>", "<noinput>", "<no input>", "<empty>", "<blank>", "<none>", "<null>",
    "<placeholder>", "<output>", "<answer>", "<response>", "nooutput", "no output", "no output required",
    "no output needed", "no output necessary", "no output provided", "no output available", "there is no output",
    "no response", "no answer", "no answer provided", "not applicable", "tbd", "tbc", "todo", "fixme", "xxx",
    "xxxx", "placeholder", "answer here", "your answer here", "output here", "response here",
)
AMBIGUOUS = frozenset({"none", "null", "nil", "nan", "undefined", "n/a", "na", "empty", "blank"})
SYMBOLS = frozenset({"-", "--", "---", "?", "??", "???", ".", "..", "...", "…", "_", "*"})
# Word placeholders are short; longer answers starting with a letter need a label ("Output: N/A") or lorem.
SHORT_PLACEHOLDER = 30
_WRAP = {"(": ")", '"': '"', "'": "'", "`": "`", "“": "”"}
_LABEL = re.compile(r"^(?:output|answer|response|result|completion)\s*:\s*", re.IGNORECASE)
_LEADING_TOKEN = re.compile(r"^\s*<\s*(no\s*output|no\s*input|nooutput|noinput|empty|blank)\s*>", re.IGNORECASE)
_SLOT = re.compile(
    r"^(?:\[[^\]\n]{1,60}\]|\{\{?[^{}\n]{1,40}\}?\}|<[^<>\n]{1,60}>|(?:insert|enter|put|add|place)\b.{0,40}\bhere)$",
    re.IGNORECASE | re.DOTALL)
_SLOT_WORD = re.compile(
    r"\b(?:insert|your|answer|output|response|reply|placeholder|todo|tbd|fill|here|blank|empty|completion|"
    r"generation|result|text)\b", re.IGNORECASE)
_AMBIGUOUS_CUE = re.compile(
    r"\b(?:which|any|none|null|nil|identify|find|detect|extract|select|choose|pick|how (?:many|much)|is there|"
    r"are there|does|do|did|contains?|missing|errors?|mistakes?|wrong|returns?|prints?|output of|values?|"
    r"results?|evaluates?|code|function|python|sql|javascript|query|json|field|applicable|abbreviation|"
    r"stands? for|means?|meaning|placeholder|if|divided|empty|blank|undefined|nan|n/a)\b",
    re.IGNORECASE)
_SYMBOL_CUE = re.compile(
    r"\b(?:symbol|sign|mark|punctuation|character|operator|ellipsis|dash|hyphen|minus|subtract\w*|emoji)\b",
    re.IGNORECASE)
_LOREM = re.compile(r"^\W*lorem ipsum", re.IGNORECASE)
_FILLER_CUE = re.compile(r"lorem|placeholder|dummy|filler|sample text|mock", re.IGNORECASE)


def placeholder(output: str, request: str, placeholders: frozenset[str]) -> tuple[str, bool] | None:
    """(placeholder, whether more text follows it) when an answer is a placeholder or starts with a
    `<nooutput>`-style token; None otherwise."""
    text = output.strip()
    token = _LEADING_TOKEN.match(text)
    if token:
        return token.group(0).strip(), token.end() < len(text)
    if _LOREM.match(text):
        return None if _FILLER_CUE.search(request) else (text[:11], False)
    if len(text) > 60:
        return None
    core = _LABEL.sub("", text)
    while len(core) > 2 and _WRAP.get(core[0]) == core[-1]:
        core = core[1:-1].strip()
    key = " ".join(core.casefold().split()).rstrip(".!") or core
    if key in SYMBOLS:
        return None if key in request or _SYMBOL_CUE.search(request) else (core, False)
    if key in AMBIGUOUS:
        return None if key in request.casefold() or _AMBIGUOUS_CUE.search(request) else (core, False)
    if key in placeholders or (_SLOT.match(core) and _SLOT_WORD.search(core)):
        return None if "placeholder" in request or key in request.casefold() else (core, False)
    return None


# -------------------------------------------------------------------------------- refusals, boilerplate
_CANNOT = (r"(?:\s+(?:really|simply|currently|still|just))?\s*(?:can't|cannot|can not|am unable to|'m unable to|"
           r"are unable to|am not able to|'m not able to|won't be able to|will not be able to|"
           r"am not (?:capable|programmed|allowed|permitted|designed)|'m not (?:capable|programmed|allowed|"
           r"permitted|designed)|must (?:decline|refuse)|(?:don't|do not) have the (?:ability|capability|capacity))")
# What an assistant declines to do (not "determine" or "tell": "we cannot determine X from this" is an answer).
_TASK = (r"(?:provide|answer|help(?! but)|assist|complete|fulfil|fulfill|comply|generate|create|produce|perform|"
         r"draw|design|render|display|show|browse|access|process|view|see|watch|listen|hear|play|sing|open|read|"
         r"predict|give|offer|do (?:that|this|so)|respond|engage|write (?:that|this|your|jokes)|make|take|send|book|"
         r"order|execute|run|retrieve|look up|search|compose|share|support|physically|express|"
         r"have (?:personal|opinions|feelings|emotions|preferences)|decline|refuse|of|to|with|that|this|it)\b")
_REFUSAL = re.compile(  # anchored: used with .match() on the answer's head
    # an apology opening the answer, then an inability within the same sentence
    r"\W*(?:(?:I'm|I am|we're|we are)\s+(?:so\s+|very\s+|really\s+|truly\s+)?sorry|sorry|I apologi[sz]e|"
    r"my apologies|apologies)\b(?!\s+(?:to hear|for your|for the (?:loss|confusion|oversight|mistake|error|"
    r"inconvenience|delay)|about|that you))[^.!?\n]{0,160}?"
    r"(?:\b(?:I|we)" + _CANNOT + r"|\bnot (?:possible|able) for me\b|\b(?:I|we)\s+(?:don't|do not|currently "
    r"don't)\s+have\b|\b(?:I|we)\s+need\s+(?:more|additional|further|the|to know|some)\b|\bthere (?:is|are) "
    r"(?:no|not enough) (?:information|context|data|details|text|input)|\bno (?:information|context|input|text|"
    r"article|document|report|image) (?:was |is |has been )?(?:provided|given|attached|included))"
    # "unfortunately" followed by the assistant's own inability to do a task
    r"|\W*(?:unfortunately|regrettably)\b[^.!?\n]{0,80}?\bI" + _CANNOT + r"\s+" + _TASK +
    # an inability as the answer's first words
    r"|(?P<plain>\W*I" + _CANNOT + r"\s+" + _TASK + r")"
    # the Alpaca-style "this task cannot be done" non-answer
    r"|\W*(?:This|The) (?:type of )?(?:task|request|instruction|question) (?:cannot|can't|can not|could not|"
    r"is (?:not possible|beyond|outside|impossible)|requires (?:a |an )?(?:visual|physical|human|access|internet|"
    r"real-time|image|images|audio|video|drawing|3D|software|program))",
    re.IGNORECASE)
# Disclaimers that open an answer (searched only after `lead` found one of their first words).
_DISCLAIMER = re.compile(
    r"(?:my|the) (?:knowledge|training) (?:cutoff|cut-off|data (?:only goes|cutoff|cut-off))"
    r"|As of my (?:last |latest )?(?:knowledge |training )?(?:update|cutoff|cut-off)"
    r"|I (?:don't|do not) have (?:personal )?(?:opinions|feelings|emotions|preferences|beliefs|tastes)\b"
    r"|I (?:don't|do not) have personal (?:experiences|opinions)"
    r"|I (?:don't|do not|cannot|can't) (?:browse|access|search) the (?:internet|web)"
    r"|I (?:don't|do not) have (?:access to )?(?:real-time|the internet|current events|up-to-date)"
    r"|(?:As|I'm|I am) an artificial intelligence\b",
    re.IGNORECASE)
# Request cues: the answer may legitimately refuse (a requested decline, a dialogue, a customer reply) or
# speak as an AI (a persona, an identity question).
_REFUSAL_OK = re.compile(
    r"declin|refus|reject|apolog|sorry|turn(?:ing)? down|say(?:ing)? no\b|customer|client|complain|"
    r"respon(?:se|d) to|\brepl(?:y|ies)\b|(?:write|draft|compose) (?:an? |the )?(?:\w+ )?(?:e-?mail|letter|message|"
    r"note|memo)|dialog|conversation|role-?play|pretend|\bcharacter|\bpersona\b|in the voice|perspective|"
    r"you are (?:a|an)\b|imagine|chatbot|translat|excuse|out of office",
    re.IGNORECASE)
# First-person creative writing opens with "I can't ..." as a matter of course.
_CREATIVE = re.compile(r"\b(?:story|stories|scene|diary|journal|poem|song|lyrics|verse|haiku|monologue|rap)\b",
                       re.IGNORECASE)
_AI_TOPIC = re.compile(r"\bAI\b|artificial intelligence|language model|chat ?bot|GPT|LLM|virtual assistant|robot",
                       re.IGNORECASE)
_PERSONA = re.compile(
    r"\b(?:pretend|imagine|act as|role-?play|you are|you're|as an? |perspective|in the voice|character|story|"
    r"dialog|conversation|script|poem|introduce yourself|describe yourself)|who (?:are|made|created|built|"
    r"trained|developed) you|what are you|your name|are you (?:a|an)\b|yourself",
    re.IGNORECASE)
_IDENTITY = re.compile(
    r"\bwho\b[^.?!\n]{0,25}\byou\b|\b(?:what|which \w+) (?:\w+ )?(?:are|made|created|built|trained|programmed|"
    r"developed|designed|owns|wrote) you\b|\bare you (?!(?:feeling|doing|okay|ok|sure|ready|free|busy|going|there|"
    r"still|able|familiar|interested|happy|sad|tired|bored|hungry|awake|serious|kidding|alright|well|good|up)\b)\w|\bdo you (?:call|use|run|work|come|have a name)|\byour (?:name|model|creator|"
    r"developer|maker|origin|identity|company)|introduce yourself|about yourself|what can you do|"
    r"tell me about you\b",
    re.IGNORECASE)
_ASKS_BACK = re.compile(
    r"\b(?:could|can|would) you (?:please |kindly )?(?:provide|share|specify|give|tell|clarify|send|paste|let me know)"
    r"|\bplease (?:provide|share|specify|send|give|tell|clarify|let me know)|\bif you (?:can |could )?(?:provide|share)",
    re.IGNORECASE)
_HEAD = 320  # refusals open the answer; only this much of it is searched for them
# How a refusal can start (the lowered first characters, with str.startswith: far cheaper than the regex).
_LEADS = tuple(f"{subject} {rest}" for subject in ("i", "i'm", "i am", "we", "we're", "we are") for rest in (
    "sorry", "so sorry", "really sorry", "very sorry", "truly sorry", "apolog", "can't", "cannot", "can not",
    "unable", "am unable", "not able", "am not able", "won't be able", "will not be able", "not capable",
    "am not capable", "not programmed", "am not programmed", "not allowed", "am not allowed", "must decline",
    "must refuse", "don't have the", "do not have the", "really can", "simply can", "currently"))
_LEADS += ("sorry", "my apolog", "apolog", "unfortunately", "regrettably", "i'm unable", "i'm not able",
           "i'm not capable", "i'm not programmed", "i'm not allowed", "this task", "this request",
           "this instruction", "this question", "this type", "the task", "the request", "the instruction",
           "the question", "the type", "i don't have personal", "i do not have personal", "as of my",
           "my knowledge cut", "my training data", "i don't have opinions", "i do not have opinions",
           "i don't have feelings", "i do not have feelings", "i don't have access to real",
           "i do not have access to real", "as an artificial", "i'm an artificial", "i am an artificial")
KEY = 5  # leads are looked up by their first five characters ("sorry" has no more)
LEADS_BY_START: dict[str, tuple[str, ...]] = {}
for _lead in _LEADS:
    # keyed as written (lower, Capitalised, UPPER, curly apostrophe), so no lowering per record
    _start = _lead[:KEY]
    for _cased in {_start, _start.capitalize(), _start.upper(), _start.replace("i", "I", 1)}:
        for _key in {_cased, _cased.replace("'", "’")}:
            LEADS_BY_START[_key] = (*LEADS_BY_START.get(_key, ()), _lead)


def lead(text: str) -> str | None:
    """The refusal or disclaimer opening an answer ("i'm sorry", "unfortunately" ...), lowered, or None.
    Called per record: a dictionary lookup on the first characters rejects almost every answer."""
    leads = LEADS_BY_START.get(text[:KEY])
    if leads is None:
        if text[0] not in LEAD_PUNCT:
            return None
        start = text[:40].lstrip(" \n\t\"'*#>-").lower().replace("’", "'")
        leads = LEADS_BY_START.get(start[:KEY])
        if leads is None:
            return None
    else:
        start = text[:40].lower().replace("’", "'")
    for candidate in leads:
        if start.startswith(candidate):
            return candidate
    return None


LEAD_PUNCT = frozenset(" \n\t\"'*#>-")
BOILER_HEAD = 200  # "AI" is looked for this far into an answer
MODEL_HEAD = 120  # "language model" this far ("As an AI language model" is found by its "AI")


# What precedes "AI" or "language model" when an answer speaks of itself as one (lowered, spaces normalised).
_SELF = ("as an ", "i'm an ", "i am an ", "being an ", "i'm just an ", "i am just an ", "i'm only an ",
         "i am only an ", "i'm merely an ", "i am merely an ", "i'm simply an ")
_SELF_KIND = ("as a text-based ", "as a conversational ", "as a large ", "as a text-based ai ", "as a large ai ")
_SELF_MODEL = ("as a ", "as an ai ", "as a large ", "as a text-based ", "i'm a ", "i am a ", "i'm just a ",
               "i am just a ", "i'm only a ", "i am only a ", "i'm a large ", "i am a large ", "i'm an ai ",
               "i am an ai ")
_BY_OPENAI = tuple(f"{who} {verb} by open " for who in ("i was", "i am", "i'm", "i have been")
                   for verb in ("trained", "developed", "created", "built", "made"))
# After "As an AI": a comma, "I", or what kind of AI; "an AI researcher" is a person.
_AFTER_SELF = (",", " i ", " i'", " language model", " model", " assistant", " chatbot", " system", " program",
               " bot", " developed", " created", " trained", " and ", " text-based", "-powered", ";")
_PERSON = (" researcher", " engineer", " developer", " expert", " enthusiast", " ethicist", " scientist",
           " student", " company", " startup", " team")


def _self_reference(text: str, at: int, needle: str) -> str | None:
    """The phrase when the `needle` ("AI" or "anguage model") found at `at` is the answer calling itself one."""
    before = " ".join(text[max(0, at - 30): at].replace("’", "'").lower().split()) + " "
    if needle == "AI":
        by = next((s for s in _BY_OPENAI if before.endswith(s)), None)
        if by is not None:
            return text[max(0, at - len(by) + 1): at + 2].strip()
        after = text[at + 2: at + 20].replace("’", "'").lower()
        kind = next((s for s in _SELF_KIND if before.endswith(s)), None)
        if kind is None and after.startswith(_AFTER_SELF) and not after.startswith(_PERSON):
            kind = next((s for s in _SELF if before.endswith(s)), None)
        return None if kind is None else text[max(0, at - len(kind)): at + 2].strip()
    before = before.removesuffix("l ")  # "anguage model" follows its "l"
    kind = next((s for s in _SELF_MODEL if before.endswith(s)), None)
    return None if kind is None else text[max(0, at - 1 - len(kind)): at + 13].strip()


def _boilerplate(text: str, opening: str | None) -> str | None:
    """The first boilerplate phrase of an answer: the answer calling itself an AI or a language model near its
    start ("As an AI", "I'm a language model"), or a disclaimer opening it ("I don't have personal opinions",
    "As of my knowledge cutoff"). Plain `find` calls and suffix tests: a regex over the text costs far more."""
    if opening:
        match = _DISCLAIMER.search(text[:160].replace("’", "'"))
        if match:
            return match.group(0)
    for needle, within in (("AI", BOILER_HEAD), ("anguage model", MODEL_HEAD)):
        at, seen = text.find(needle, 0, within), 0
        while at >= 0 and seen < 4:
            phrase = _self_reference(text, at, needle)
            if phrase:
                return phrase
            at, seen = text.find(needle, at + 2, within), seen + 1
    return None


def refusal(output: str, opening: str | None, request: Callable[[], str], refusals: bool,
            boilerplate: bool) -> tuple[str, str] | None:
    """(kind, phrase) when an answer is a refusal or carries assistant boilerplate, else None. `opening` is
    `lead(output)`; `request` gives the request the answer answers (called only when something was found)."""
    if refusals and opening:
        head = output[:_HEAD]
        if "’" in head:
            head = head.replace("’", "'")
        match = _REFUSAL.match(head)
        # "I can't ..." opens first-person creative writing; asking the user for what is missing is a
        # clarifying question, which tool and chat data teach on purpose
        if match and not _ASKS_BACK.search(output):
            asked = request()
            if not _REFUSAL_OK.search(asked) and not (match.group("plain") and _CREATIVE.search(asked)):
                return "refusal", match.group(0).strip(" \n\t,")
    found = _boilerplate(output, opening) if boilerplate else None
    if found:
        asked = request()
        if not (_IDENTITY.search(asked) or (_AI_TOPIC.search(asked) and _PERSONA.search(asked))
                or found.lower() in asked.lower()):
            return "assistant boilerplate", found.strip(" ,")
    return None


# ------------------------------------------------------------------------------------------ truncation
_FENCE_LINE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
CLOSED_END = frozenset(".!?。！？…\"'”’)]}*`|»")  # not ">": "age >" is cut off, "<br>" is not
# Words a finished sentence almost never ends on; WEAK ones only count at the end of punctuated prose.
_DANGLING = frozenset({"the", "a", "an", "and", "or", "but", "nor", "of", "than", "because", "although", "whereas",
                       "whether", "including", "my", "your", "their", "our", "its", "whose", "which", "whom",
                       "such", "very"})
_DANGLING_WEAK = frozenset({"to", "with", "for", "from", "by", "at", "into", "who", "that", "is", "are", "was",
                            "were", "will", "would", "can", "could", "should", "must", "if", "while", "as"})
_OPERATOR_END = re.compile(r"[A-Za-z_)\]]\s+(?:=|\+|-|\*|/|<|>|&&|\|\||==|!=|<=|>=)$|[A-Za-z]-$")
_QUOTE_MARK = re.compile(r'(?<!\d)"\w?')
_GREETING = re.compile(r"^\W*(?:dear|hi|hello|hey|greetings|good (?:morning|afternoon|evening))\b", re.IGNORECASE)
_BARE_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])$")
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+\S")
_CLOSING = re.compile(
    r"^(?:(?:best|kind|warm|warmest|many|with|yours|all the)\s+)?(?:regards|wishes|thanks|sincerely|yours|truly|"
    r"faithfully|cheers|love|respectfully|best|cordially|take care|thank you|see you soon|xoxo|hugs|"
    r"gratitude|appreciation)[,!]?$", re.IGNORECASE)
_ASKS_INPUT = re.compile(r"\b(?:please|paste|provide|share|send|enter|type|tell me|let me know|following)\b",
                         re.IGNORECASE)
_UNFINISHED_OK = re.compile(
    r"\b(?:continue|complete|completion|finish|unfinished|incomplete|fill in|blank|prefix|truncat|cut off|"
    r"cliffhanger|ends? with|autocomplete)",
    re.IGNORECASE)
_WORD_CLASS = re.compile(
    r"conjunction|article|preposition|determiner|pronoun|stop ?words?|function words?|parts? of speech|"
    r"(?:the|a|one|each|which|what) word\b", re.IGNORECASE)
_EMOTICON = re.compile(r"[:;=8xX]-?[(\[{]$")
_OPEN_PAREN = re.compile(r"(?<![:;=8xX])\((?=[\w\"'])")


def _json_depth(text: str) -> int:
    """Brackets left open at the end of JSON-like text (strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return depth


def _open_fence(text: str) -> bool:
    """Whether a code block is left open at the end: an odd number of fences, the last one an opener (it
    names a language, or what follows it does not end like prose; a stray closing fence or a turn that
    continues a previous turn's block ends with the block closed)."""
    if (text.count("\n```") + text.count("\n~~~") + (text[:3] in ("```", "~~~"))) % 2 == 0 and (
            "\n " not in text and "\n\t" not in text):
        return False  # an even number of fences at line starts, and no indented ones: quick and exact
    fences = list(_FENCE_LINE.finditer(text))
    if len(fences) % 2 == 0:
        return False
    line_end = text.find("\n", fences[-1].end())
    after = text[line_end:].strip() if line_end >= 0 else ""
    named = text[fences[-1].end(): line_end if line_end >= 0 else len(text)].strip() != ""
    return bool(after) and (named or after[-1] not in ".!?")


def truncation(output: str, request: Callable[[], str]) -> str | None:
    """Why an answer looks cut off (ends mid-sentence, in an open code block, bracket or quote), or None.
    `request` gives the request the answer answers (called only when the end looks cut off)."""
    text = output.rstrip() if output[-1:].isspace() else output
    if len(text) < 3:
        return None
    if (("`" in text and "```" in text) or ("~" in text and "~~~" in text)) and _open_fence(text):
        return "ends inside a code block that is never closed"
    if text[0] in "{[" and len(text) < 100_000:
        # closed and balanced is the usual JSON answer: skip the character walk (brackets inside strings
        # would have to be unbalanced exactly against a cut to fool the counts)
        closed = text[-1] in "}]" and text.count("{") + text.count("[") == text.count("}") + text.count("]")
        depth = 0 if closed else _json_depth(text)
        if depth > 0:
            return f"ends with {depth} unclosed JSON bracket(s)"
    end = text[-1]
    if end in CLOSED_END and not (end in ".)" and text[-2:-1].isdigit()):
        return None  # the usual case; only "3." or "3)" may still be an empty list item
    last = text[text.rfind("\n", max(0, len(text) - 400)) + 1:].strip()
    if end in ".)-*•" and len(last) < 5 and _BARE_MARKER.match(last):
        previous = text[: len(text) - len(last)].rstrip()
        if _LIST_ITEM.match(previous[previous.rfind("\n") + 1:]):
            return f"ends with an empty list item {last!r}"
    if end in CLOSED_END:
        return None
    reason = _open_end(text, end, last)
    if reason is None:
        return None
    asked = request()
    if _UNFINISHED_OK.search(asked) or (reason.startswith("ends mid") and _WORD_CLASS.search(asked)):
        return None
    return f"{reason}: {_tail(text)!r}"


def _open_end(text: str, end: str, last: str) -> str | None:
    """Why the end of an answer (its last character `end`, its last line `last`) is left open, or None."""
    short = len(text) < 60 and len(text.split()) < 4  # ", in fact," or "and, but" are answers, not fragments
    if end == ",":
        # a letter's closing line ("Best regards,"), or a worked sum with a stray comma, is not cut off
        if short or _CLOSING.match(last) or "=" in last or (_GREETING.match(text) and last.count(" ") < 6):
            return None
        return "ends with a comma"
    if end == ":":
        return None if _ASKS_INPUT.search(last) else "ends with a colon, with nothing after it"
    if end in "([{":
        return None if _EMOTICON.search(text[-4:]) else "ends with an open bracket"
    if end in "=+-*/<>&|" and _OPERATOR_END.search(text[-40:]):
        return "ends with a dangling operator or hyphen"
    if end.isalpha() and not short:
        word = text[-24:].rsplit(None, 1)[-1]
        if word.isalpha() and word.islower() and (word in _DANGLING or (word in _DANGLING_WEAK and (
                last.count(" ") >= 5 and (". " in last or ". " in text[-400:]) and not _LIST_ITEM.match(last)))):
            return f"ends mid-sentence on {word!r}"
    if "(" in last and _OPEN_PAREN.search(last[last.rfind(")") + 1:]):
        return "ends inside an unclosed parenthesis"
    if '"' in last:
        quotes = _QUOTE_MARK.findall(last)  # straight quotes, not inch marks (12")
        if len(quotes) % 2 and quotes[-1][-1:].isalpha():
            return "ends inside an unclosed quotation"
    if "“" in last and last.count("“") > last.count("”"):
        return "ends inside an unclosed quotation"
    return None


def _tail(text: str, size: int = 40) -> str:
    tail = " ".join(text[-size:].split())
    return tail if len(text) <= size else "…" + tail
