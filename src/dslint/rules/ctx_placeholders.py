"""Template placeholders left unfilled, for CTX004. Every regex is compiled at import.

Code is never searched (fenced blocks and inline spans are blanked), and neither is a line that is code
itself (an f-string, a `.format(` call, Rust's `println!`): a placeholder there is the program's own. A text
that explains templating (Jinja, Handlebars, "placeholder", "curly braces") is left alone too.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dslint.text import strip_code

# `{{name}}`, `{{ user.first_name }}`, `{{author | upper}}`: Jinja / Mustache / LLaMA-Factory's identity set.
# Both start with the brace (so the regex engine can skip to it); what may precede it is checked apart.
_DOUBLE = re.compile(r"\{\{\s*[A-Za-z_][\w.-]*\s*(?:\|[^{}\n]{0,30})?\}\}(?!\})")
# `{product_name}`, `{Company Name}`: Python format fields left in prose. Not `${x}`, `\frac{a}`, `x^{2}`.
_SINGLE = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*(?:[ '’][A-Za-z][\w'’]*){0,3})\}(?!\})")
_NOT_BEFORE_DOUBLE = frozenset("$\\{}")  # `${{ secrets.X }}`, LaTeX `\frac{{a}}`
_NOT_BEFORE_SINGLE = frozenset("$\\^_{}%@*]")  # `${x}`, `\section{x}`, `x^{2}`, `x_{n}`, `\section*{x}`
# Words that make a capitalised bracket a slot: `[NAME]`, `[COMPANY NAME]`, `[TOPIC]`, `[LINK]`.
_SLOT_WORDS = (
    r"NAME|FIRST|LAST|FULL|COMPANY|PRODUCT|BRAND|CITY|COUNTRY|STATE|ADDRESS|DATE|TIME|LINK|URL|EMAIL|PHONE|"
    r"NUMBER|TOPIC|TITLE|QUESTION|ANSWER|CONTEXT|INPUT|TEXT|USER|USERNAME|RECIPIENT|SENDER|AMOUNT|PRICE|"
    r"LOCATION|EVENT|POSITION|ROLE|ORGANI[SZ]ATION|WEBSITE|KEYWORDS?|QUERY|PROMPT|INSTRUCTION|DOCUMENT|"
    r"PASSAGE|SENTENCE|VALUE|VARIABLE|CONTENT|DESCRIPTION|DETAILS|INFO|SUBJECT|BODY|MESSAGE|PERSONA|CHAR"
)
# `[PLACEHOLDER]`, `[INSERT COMPANY NAME]`, `[insert paragraph here]`, `[NAME]`, `[QR_CODE_IMAGE_DATA]`.
_BRACKET = re.compile(
    r"\[(?:[Pp]laceholder|PLACEHOLDER|TODO|TBD|TBA|BLANK|[Ii]nsert\b[^\]\n]{0,50}|INSERT\b[^\]\n]{0,50}|"
    r"(?:[Yy]our|[Ee]nter|[Aa]dd|[Pp]aste|[Pp]ut)\s+[a-z][^\]\n]{0,40}\s+here|"
    rf"(?:[A-Z]+[ _])*(?:{_SLOT_WORDS})(?:[ _][A-Z]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\]"
)
# Capitalised words that label a section of a few-shot prompt ("[QUESTION] Given the sentence ...").
_LABELS = frozenset({"QUESTION", "ANSWER", "CONTEXT", "INPUT", "TEXT", "USER", "PROMPT", "INSTRUCTION",
                     "MESSAGE", "DESCRIPTION", "TITLE", "SUBJECT", "BODY", "QUERY", "CONTENT", "DETAILS"})
_LABEL_USE = re.compile(r"[ \t]*[^\s\[]")
# `<insert text>`, `<your name>`, `<paste article here>`, `<recipient name>`: angle-bracket slots.
_ANGLE = re.compile(
    r"<(?:(?:insert|enter|add|paste|put|your|placeholder|fill\s+in)\b[^<>\n=/\"]{0,50}|"
    r"[A-Za-z]+(?:\s+[A-Za-z]+){0,3}\s+(?:name|here|topic|text|title|date|address|number))>",
    re.IGNORECASE,
)
# `[Your Name]`, `[Company Name]`: slots a model writes on purpose in a letter it drafts, so they count only
# in a request (where nobody will fill them in) unless the rule's `letter-slots` option is on.
_LETTER_SLOT = re.compile(
    r"\[(?:[A-Z][\w'’.-]*\s+){0,3}(?:[Nn]ame|[Cc]ompany|[Pp]roduct|[Bb]rand|[Dd]ate|[Aa]ddress|[Cc]ity|"
    r"[Tt]opic|[Tt]itle|[Pp]osition|[Rr]ecipient|[Cc]ustomer|[Cc]lient|[Oo]rgani[sz]ation|[Bb]usiness|"
    r"[Ee]vent|[Ww]ebsite|[Ll]ink|[Aa]mount|[Pp]rice|[Nn]umber|[Pp]hone|[Ee]mail|[Ll]ocation|[Cc]ountry|"
    r"[Ss]chool|[Uu]niversity|[Ii]nstitution|[Tt]eam|[Dd]epartment|[Jj]ob)(?:['’]s)?(?:\s+[A-Z][\w'’]*){0,2}\]"
    r"|\[(?:Your|Insert|Enter|Add)\s+[a-z][^\]\n]{0,40}\]"
)
# A line that is code: placeholders there belong to the program.
_CODE_LINE = re.compile(r"\bf[\"']|\$\"|\.format\(|format!\(|println!\(|print!\(|printf\(|\bfmt\.|"
                        r"String\.format|\bputs\b|\$\{|%\(\w+\)s|=\s*[\"'{]|\breturn\b|\bdef\b|;\s*$",
                        re.MULTILINE)
# ... and, for a capitalised bracket, also an indented line or a call: `sendmail(FROM, [RECIPIENT_EMAIL], msg)`.
_CODE_LINE_BRACKETS = re.compile(_CODE_LINE.pattern + r"|^[ \t]{4,}\S|\w\([^()\n]*\)", re.MULTILINE)
# A text about templating or about the brackets themselves.
_EXPLAINS = re.compile(
    r"jinja|mustache|handlebars|templat|vue\b|angular|django|liquid|twig|nunjucks|helm\b|ansible|hugo\b|"
    r"jekyll|interpolat|placeholder|f-string|format\s+string|str\.format|\.format\(|curly|brace|bracket|"
    r"latex|github\s+actions|workflow|\$\{\{|blade\b|\\[a-zA-Z]+\{",
    re.IGNORECASE,
)
_NOTATION = re.compile(r"\b(?:braces?|brackets?|curly|angle\s+brackets?|square\s+brackets?)\b", re.IGNORECASE)
_TEMPLATE_REQUEST = re.compile(r"templat|placeholder|fill[- ]in|fillable|boilerplate|mad\s?libs?|form\s+letter",
                               re.IGNORECASE)
_MATHY = re.compile(r"^[A-Za-z](?:_?[a-z0-9]|_[A-Za-z0-9]{1,4})$")  # {x}, {xn}, {x_i}, {x_nk}: maths


class Slot(NamedTuple):
    text: str  # the first placeholder, as written
    total: int  # how many different ones were found in the text


def find_slots(text: str, *, request_end: int, letter_slots: bool, ignored: frozenset[str]) -> Slot | None:
    """The unfilled placeholders of one text (a field or a turn), or None.

    `[Company Name]`-style slots count before `request_end` (the request part of an instruction or user
    turn), or everywhere with `letter_slots`.
    """
    if "{" not in text and "[" not in text and "<" not in text:
        return None
    text = strip_code(text)
    found: list[tuple[int, str]] = []
    if "{" in text:
        braces = [(match.start(), match.group(0)) for match in _DOUBLE.finditer(text)
                  if not _after(text, match.start(), _NOT_BEFORE_DOUBLE)]
        for match in _SINGLE.finditer(text):
            name = match.group(1)
            if (len(name) < 3 and "_" not in name or _MATHY.match(name) or _code_line(text, match.start())
                    or _after(text, match.start(), _NOT_BEFORE_SINGLE)):
                continue
            braces.append((match.start(), match.group(0)))
        if braces and not _EXPLAINS.search(text):
            found.extend(braces)
    if "[" in text:
        for match in _BRACKET.finditer(text):
            inner = match.group(0)[1:-1]
            if inner in _LABELS and _LABEL_USE.match(text, match.end()):
                continue  # "[QUESTION] Given the sentence ...": a label with its content after it
            if not _code_line(text, match.start(), _CODE_LINE_BRACKETS):
                found.append((match.start(), match.group(0)))
        if request_end or letter_slots:
            found.extend((match.start(), match.group(0)) for match in _LETTER_SLOT.finditer(text)
                         if letter_slots or match.start() < request_end)
    if "<" in text:
        found.extend((match.start(), match.group(0)) for match in _ANGLE.finditer(text)
                     if match.group(0).lower() not in ("<no input>", "<noinput>"))
    if found and any(mark in text for mark in ("bracket", "brace", "curly")) and _EXPLAINS.search(text):
        return None
    slots = sorted({(pos, slot) for pos, slot in found if slot not in ignored})
    if not slots:
        return None
    return Slot(slots[0][1], len({slot for _, slot in slots}))


def request_end(text: str) -> int:
    """Where the request part of a message ends: at its first blank line, or a colon ending a line."""
    ends = [i for i in (text.find("\n\n"), text.find(":\n")) if i >= 0]
    return min(ends) if ends else len(text)


def asks_for_template(request: str) -> bool:
    """Whether a request asks for a template or form, whose answer holds slots on purpose."""
    return _TEMPLATE_REQUEST.search(request) is not None


def names_notation(request: str) -> bool:
    """Whether a request talks about braces or brackets ("replace the word in braces")."""
    return _NOTATION.search(request) is not None


def _after(text: str, position: int, excluded: frozenset[str]) -> bool:
    """Whether the character before `position` is a word character or one of `excluded`."""
    if position == 0:
        return False
    before = text[position - 1]
    return before in excluded or before.isalnum() or before == "_"


def _code_line(text: str, position: int, pattern: re.Pattern[str] = _CODE_LINE) -> bool:
    """Whether the line holding `position` is code (by `pattern`)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return pattern.search(text, start, len(text) if end < 0 else end) is not None
