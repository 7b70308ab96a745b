"""What shape an answer has, for the ALN structure rules: its JSON, its list items, its sentences, its code.

Every pattern is compiled at import and the measures are conservative: items are counted only when the answer
is clearly one list, sentences only when they have three words or more, and anything that looks remotely like
code (a fence, inline code, one line of any language) counts as code.
"""

from __future__ import annotations

import json
import re
from typing import Any

_I, _M, _X = re.IGNORECASE, re.MULTILINE, re.VERBOSE

FENCE_BLOCK = re.compile(r"(```|~~~)[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:\1|\Z)", re.DOTALL)


# ---------------------------------------------------------------- the answer: lead-ins and refusals

_DECLINES = ("i'm sorry", "i am sorry", "sorry,", "i apologize", "i apologise", "as an ai", "i cannot", "i can't",
             "i can not", "unfortunately", "i'm unable", "i am unable", "i'm not able", "i am not able")
_LEAD_IN = re.compile(r"^\s*(?:sure|certainly|of course|okay|ok|here(?:'s| is| are)|absolutely)\b[^\n:]{0,80}:\s*",
                      _I)


def declines(output: str) -> bool:
    """The answer is a refusal: the content rules report those, not the structure rules."""
    return output.lstrip()[:30].lower().startswith(_DECLINES)


def body(output: str) -> str:
    """The answer without a lead-in ("Here is a short summary:"), quotes and surrounding blanks."""
    return _LEAD_IN.sub("", output, count=1).strip().strip("\"'“”‘’*_").strip()


# ---------------------------------------------------------------- the answer: counting

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc e.g i.e eg ie u.s u.k a.m p.m no nos fig inc ltd co corp mt jan feb mar "
    "apr jun jul aug sep sept oct nov dec approx dept est vol ca al gen col lt sgt rev op cf".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def sentences(text: str) -> int:
    """How many sentences of three words or more the text holds (abbreviations and initials do not end one)."""
    count = 0
    for block in text.split("\n"):
        start = 0
        for match in _SENTENCE_END.finditer(block):
            last = block[start:match.start()].rsplit(None, 1)
            token = last[-1].lower().lstrip("(\"'") if last else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            count += _WORD.findall(block[start:match.end()]).__len__() >= 3
            start = match.end()
        count += len(_WORD.findall(block[start:])) >= 3
    return count


_WORD = re.compile(r"\w+(?:['’-]\w+)*")


_MARKER = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[-*•])[ \t]+", _M)


def word_count(text: str) -> int:
    """Words of the text, list markers ("1.", "-") not counted."""
    return len(_WORD.findall(_MARKER.sub("", text) if "\n" in text else text))


_NUMBERED = re.compile(r"([ \t]*)(?:#{1,6}[ \t]+)?(?:\*\*|__)?\(?(\d{1,3})(?:[.)]|\.\))(?:\*\*|__)?"
                       r"(?:[ \t]+|(?=[A-Za-z]))(?=\S)")
_BULLET = re.compile(r"([ \t]*)[-*•·‣▪◦–+][ \t]+(?=\S)")
_BULLET_CHARS = "-*•·‣▪◦–+"
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)][ \t]*(?=[A-Z\"'(*])")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}", _M)
_COPULA = re.compile(r".*\b(?:are|is|were|was|include|includes|would be|could be)\s+", _I | re.DOTALL)
_SPLIT_ITEMS = re.compile(r"\s*;\s*|,\s+")  # not "8,848"
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_NOT_PROSE = re.compile(r"[()\[\]{}=<>]")
_AND_OR = re.compile(r"\s+(?:and|or|&)\s+", _I)
_POEMISH = frozenset("haiku haikus poems limericks stanzas verses lyrics songs riddles jokes dialogues stories "
                     "paragraphs essays letters emails recipes".split())


def count_items(output: str, noun: str) -> int | None:
    """How many items the answer lists, or None when it is not clearly one list."""
    text = output.strip()
    lines = text.split("\n")
    numbered: list[tuple[int, int]] = []
    bulleted: list[int] = []  # line numbers
    for number, line in enumerate(lines):
        first = line.lstrip()[:1]
        if first.isdigit() or (first and first in "#*_("):
            found = _NUMBERED.match(line)
            if found:
                numbered.append((len(found.group(1).expandtabs(4)), int(found.group(2))))
                continue
        if first and first in _BULLET_CHARS and _BULLET.match(line):
            bulleted.append(number)
    if len(numbered) >= 2:
        top = min(indent for indent, _ in numbered)
        values = [n for indent, n in numbered if indent <= top + 1]
        return len(values) if values == list(range(1, len(values) + 1)) else None
    bullets = _bullets(lines, bulleted)
    if bullets is not None:
        return bullets
    if "|" in text and _TABLE_RULE.search(text):
        return _table_rows(text)
    if text[:1] == "[":
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list):
            return len(value)
    inline = [int(m.group(1)) for m in _INLINE_NUMBER.finditer(text)] if "1" in text else []
    if len(inline) >= 2:
        return len(inline) if inline == list(range(1, len(inline) + 1)) else None
    if numbered:
        return None  # one numbered line: a heading or a step, not a list
    if "\n" not in text:
        return _comma_items(text)
    return None if noun in _POEMISH else _short_lines(text)


def _bullets(lines: list[str], bulleted: list[int]) -> int | None:
    """Top-level bullets of one run of bullets (None when prose or headings split the bullets in groups)."""
    if len(bulleted) < 2:
        return None
    indents = {n: len(lines[n]) - len(lines[n].lstrip()) for n in bulleted}
    top = min(indents.values()) + 1  # one space off is still the top level
    count = 0
    for n in range(bulleted[0], len(lines)):
        line = lines[n]
        if n in indents:
            count += indents[n] <= top
        elif line.strip() and len(line) - len(line.lstrip()) <= top:
            # Unindented prose after a bullet: either the list ended or groups of bullets sit under headings.
            return None if n < bulleted[-1] else count
    return count


def _table_rows(text: str) -> int | None:
    rows = [line for line in text.split("\n") if line.strip().startswith("|")]
    rules = [line for line in rows if _TABLE_RULE.match(line)]
    return len(rows) - 2 if len(rules) == 1 and len(rows) >= 3 else None


def _comma_items(text: str) -> int | None:
    """Items of a one-line list ("Red, yellow and blue."), after a lead-in ("The colours are ...")."""
    text = _PARENTHESES.sub("", _PARENTHESES.sub("", text.rstrip(".!").strip()))
    if len(text) > 300 or not text or _SENTENCE_END.search(text) or _NOT_PROSE.search(text):
        return None  # several sentences, or code such as `python('...')`, are not a one-line list
    if ":" in text:
        text = text.rsplit(":", 1)[1]
    head = _SPLIT_ITEMS.split(text, maxsplit=1)[0]
    copula = _COPULA.match(head) if word_count(head) > 4 else None
    if copula is not None:
        text = text[copula.end():]
    items = [item for item in _SPLIT_ITEMS.split(text) if item]
    last = re.sub(r"^(?:and|or|&)\s+", "", items[-1], flags=_I) if items else ""
    tail = _AND_OR.split(last)
    if len(tail) == 2:  # "x, y and z" (no serial comma) or "x and y"
        items[-1:] = tail
    else:
        items[-1] = last
    if len(items) < 2 or any(not 0 < word_count(item) <= 4 for item in items):
        return None
    return len(items)


def _short_lines(text: str) -> int | None:
    """One item per line with no markers ("Brazil\\nPeru\\nChile"), after an optional "...:" line."""
    lines = [line.strip() for line in text.split("\n")]
    if lines and lines[0].endswith(":"):
        lines = lines[1:]
    if len(lines) < 2 or any(not line or word_count(line) > 4 or line[-1] in ":?!" for line in lines):
        return None
    return len(lines)


# ---------------------------------------------------------------- the answer: JSON

def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_JSON_START = re.compile(r"[{\[]")
_LEADS_JSON = re.compile(r"(?:\A|\n|:)[ \t]*\Z")  # searched up to a `{`: it starts a line or follows a colon


def find_json(output: str) -> tuple[Any, str | None]:
    """(value, None) for the JSON the answer holds, or (None, what is wrong with it)."""
    for fence in FENCE_BLOCK.finditer(output):
        lang, content = fence.group(2).lower(), fence.group(3).strip()
        if lang in ("json", "jsonc", "json5") or (not lang and content[:1] in "{["):
            try:
                return DECODER.decode(content), None
            except ValueError as exc:
                return None, f"its ```{lang} block does not parse ({_reason(exc)})"
    stripped = output.strip()
    first: str | None = None
    for count, start in enumerate(_JSON_START.finditer(stripped)):
        if count == 8:
            break
        try:
            value, _ = DECODER.raw_decode(stripped, start.start())
        except ValueError as exc:
            first = first or _reason(exc)
            if _LEADS_JSON.search(stripped, 0, start.start()) is not None:
                break  # a line starting with `{` or `[` is the JSON: pieces of it parsing do not count
            continue
        if value or count == 0:
            return value, None
    if first is None:
        return None, "it contains no JSON object or array"
    return None, f"it does not parse as JSON ({first})"


def _reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    return str(exc)


def json_keys(value: Any) -> set[str]:
    """Every key of every object in a JSON value (breadth-first, bounded), normalised for comparison."""
    found: set[str] = set()
    queue, seen = [value], 0
    while queue and seen < 500:
        item = queue.pop(0)
        seen += 1
        if isinstance(item, dict):
            found.update(normal_key(str(key)) for key in item)
            queue.extend(item.values())
        elif isinstance(item, list):
            queue.extend(item[:50])
    return found


def normal_key(key: str) -> str:
    """Keys compared ignoring case and separators: `firstName`, `first_name` and "First name" agree."""
    return re.sub(r"[\W_]+", "", key).lower()


# ---------------------------------------------------------------- the answer: code

_CODE = re.compile(
    r"""```|~~~|`[^`\n]+`
    |^(?:\t|[ ]{4,})\S
    |^[ \t]*(?:def|class|import|from[ \t]+[\w.]+[ \t]+import|return|elif|else[ \t]*:|try[ \t]*:|except|lambda|async[ \t]+def
       |for[ \t]+\w+[ \t]+in|while|if[ \t].*:[ \t]*$|with[ \t].*:[ \t]*$|@\w+)\b
    |[;{}][ \t]*$|^[ \t]*[}\])]
    |\b(?:function[ \t]*\w*[ \t]*\(|const[ \t]+\w+|let[ \t]+\w+[ \t]*=|var[ \t]+\w+|console\.log|document\.\w|System\.out
       |public[ \t]+\w+|private[ \t]+\w+|std::|printf[ \t]*\(|fn[ \t]+\w+[ \t]*\(|func[ \t]+\w+[ \t]*\()|=>|\#include
    |\b(?i:select)[ \t]+(?:\*|distinct\b|[\w.]+[ \t]*(?:,|[ \t]+(?i:from|as)\b))
    |\b(?i:insert[ \t]+into|update[ \t]+\w+[ \t]+set|delete[ \t]+from|create[ \t]+(?:table|view|index)|alter[ \t]+table
       |group[ \t]+by|order[ \t]+by|inner[ \t]+join|left[ \t]+join)\b
    |</?[A-Za-z][\w-]*(?:[ \t][^<>\n]*)?/?>
    |^[ \t]*(?:\#!|\$[ \t]+\w)
    |^[ \t]*(?:ls|cd|grep|find|awk|sed|cat|echo|git|docker|kubectl|pip3?|npm|npx|yarn|curl|wget|tar|chmod|chown|sudo
       |apt(?:-get)?|brew|ps|kill|ssh|scp|rsync|mkdir|rm|cp|mv|touch|head|tail|sort|uniq|wc|xargs|python3?|node
       |javac?|gcc|make|systemctl|crontab|export|df|du|top|tr|cut)(?:[ \t]+\S+)*[ \t]*$
    |[ \t]\|[ \t]*\w
    |[A-Za-z_][\w.]*\([^\n]*\)
    |^[ \t]*[\w.\[\]"']+[ \t]*(?:[-+*/%]?=|:=)[ \t]*\S
    |\\[dwsbDWSB\\^$.|?*+()\[\]{}/]|\[\^?[^\]\s]{1,20}\]|\(\?[:=!<]|\{\d+(?:,\d*)?\}
    |^[ \t]*[.\#]?[A-Za-z][\w-]*(?:[ \t]+[.\#]?[\w-]+)*[ \t]*\{
    """,
    _M | _X,
)


def has_code(output: str) -> bool:
    """Whether anything in the answer looks like code: a fence, inline code, or a line of any language."""
    # a fence is found at once; the pattern would first try its every branch at each character before it
    return "```" in output or "~~~" in output or _CODE.search(output) is not None


