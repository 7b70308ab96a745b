"""Character tables and finders for the SEC text-hygiene rules (SEC011-SEC016; SEC017's line endings are in
`sec_line_endings`); every pattern is compiled here.

`suspicious` is the screen every text goes through; the finders run only on the few texts it lets through and
return `Hit`s. Python's regex engine tries every branch of an alternation at every position, so a pattern
searched over a whole text starts with one character class, and the rest is decided in Python.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple


class Hit(NamedTuple):
    start: int  # where it starts in the text (code points)
    end: int  # where it ends
    what: str  # what it is, e.g. "U+200B ZERO WIDTH SPACE"
    note: str = ""  # why it matters or how to repair it, appended to the message
    context: bool = True  # whether the message shows the text around it (not when `what` quotes it)


# -- the screen ----------------------------------------------------------------------------------------------

# Bytes an ASCII text may not hold: C0 controls but TAB and LF (CR counts, SEC017 wants it) and DEL.
_ASCII_CLEAN = bytes(b for b in range(256) if b in (0x09, 0x0A) or 0x20 <= b < 0x7F)
# A JSON escape that ate a LaTeX backslash: `\times` read as TAB + "imes", `\right` as CR + "ight".
_LATEX_TAB = r"\t(?=imes\b|ext(?:bf|it|rm)?\{|heta\b|frac\{|ilde\{|riangle)"
_LATEX_CR = r"\r(?=ight\b|ho\b|angle\b|floor\b|ceil\b)"
LATEX = re.compile(f"{_LATEX_TAB}|{_LATEX_CR}")
# cp1252's characters for bytes 0x80-0x9F (mojibake continuation bytes), the common ones and the rare ones.
_SMART = "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026"
_RARE = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020\u2021\u2030\u2039\u203a\u20ac\u2122"
_FORMAT = ("\xad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
           "\uffa0\ufff9-\ufffd\ud800-\udfff")
_DELIMS = "＜＞｜［］｛｝＃＂‹›⟨⟩〈〉˂˃ᐸᐳǀ∣│￨❘︱﹤﹥〔〕⟦⟧♯⋕﹟❮❯"
_FULLWIDTH = "\uff21-\uff3a\uff41-\uff5a"
# Any of these makes a non-ASCII text worth a closer look. Latin-1 symbols and C1 controls (0x80-0xBF), Â Ã Ä Å
# and cp1252's rarer characters catch mojibake: nearly every span holds one.
_SCREEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\xbf\xc2-\xc5\u201a\u201e{_RARE}{_FORMAT}{_DELIMS}{_FULLWIDTH}]")
_HOMOGLYPH_LETTERS = re.compile("[ΙІӀΝЅΤТΥҮАΑЕΕОΟаеорсухіѕј]")


def suspicious(text: str) -> bool:
    """Whether `text` may hold anything the family reports: False for nearly every text, quickly. A line of
    ASCII costs one `isprintable()`, other ASCII one `bytes.translate` (for control characters, CR included);
    other text one character-class search, over only its non-ASCII characters when they are sparse."""
    if text.isascii():
        return not text.isprintable() and (bool(text.encode().translate(None, _ASCII_CLEAN)) or (
            "\t" in text and LATEX.search(text) is not None))
    data = text.encode("utf-8", "surrogatepass")
    if b"\xf3\xa0" in data:  # TAG characters, supplementary variation selectors (U+E0000-E01EF)
        return True
    rest = text
    if len(data) < 2 * len(text):  # mostly ASCII: keep the rest (one C pass each, cheaper than the search)
        rest = data.translate(None, _PLAIN).decode("utf-8", "surrogatepass")
    if _SCREEN.search(rest) is not None or ("\t" in rest and LATEX.search(text) is not None):
        return True
    # Look-alike JSON or Alpaca headers, tokens with Greek or Cyrillic letters: they need ASCII context.
    # In dense text (CJK), where “ and ： are common, the ASCII context is the cheaper test to fail first.
    if rest is text and not ("{" in text or "#" in text or "<|" in text or "INST" in text or "SYS" in text):
        return False
    if _PARTNERS.search(rest) is None:
        return False
    return (("{" in text and _JSON_PARTNERS.search(rest) is not None) or ("#" in text and "：" in rest)
            or (("<|" in text or "INST" in text) and _HOMOGLYPH_LETTERS.search(rest) is not None)
            or (("INST" in text or "SYS" in text) and _BRACKET_PARTNERS.search(rest) is not None))


_PLAIN = bytes(b for b in range(0x20, 0x7F)) + b"\n"  # what the rest drops: printable ASCII and LF (not TAB)
_JSON_PARTNERS = re.compile("[“”„‟＂：｛]")
_BRACKET_PARTNERS = re.compile("[【《«]")
_PARTNERS = re.compile("[“”„‟＂：【《«ΙІӀΝЅΤТΥҮАΑЕΕОΟаеорсухіѕј]")


# -- naming and showing characters ---------------------------------------------------------------------------

_C0 = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE",
       "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN",
       "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
       "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
       "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "FILE SEPARATOR", "GROUP SEPARATOR", "RECORD SEPARATOR",
       "UNIT SEPARATOR")
_NAMES = {0x7F: "DELETE", 0x85: "NEXT LINE (C1 control)", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE (byte order mark)"}


def char_name(char: str) -> str:
    """`U+200B ZERO WIDTH SPACE`; controls and surrogates, which unicodedata does not name, named too."""
    code = ord(char)
    name = _C0[code] if code < 0x20 else _NAMES.get(code) or unicodedata.name(char, "")
    if not name:
        name = ("C1 CONTROL" if 0x80 <= code < 0xA0 else "HIGH SURROGATE" if 0xD800 <= code < 0xDC00
                else "LOW SURROGATE" if 0xDC00 <= code < 0xE000 else "UNNAMED CHARACTER")
    return f"U+{code:04X} {name}"


def visible(text: str) -> str:
    """`text` with unprintable characters as escapes (`\\n`, `\\x00`, `\\u200b`), safe to quote in a message."""
    return "".join(c if c.isprintable() else {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c) or (
        f"\\u{ord(c):04x}" if ord(c) > 0xFF else f"\\x{ord(c):02x}") for c in text)


def around(text: str, start: int, end: int, width: int = 14) -> str:
    """Where a span sits, as words: `between 'much less ' and 'is her com'` (unprintables escaped)."""
    before, after = visible(text[max(0, start - width):start]), visible(text[end:end + width])
    if not before:
        return f"at the start, before '{after}'" if after else "as the whole text"
    return f"between '{before}' and '{after}'" if after else f"at the end, after '{before}'"


# -- script context ----------------------------------------------------------------------------------------

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _in(char: str, *ranges: tuple[int, int]) -> bool:
    code = ord(char) if char else -1
    return any(low <= code <= high for low, high in ranges)


# Scripts where ZWJ/ZWNJ shape text (Hebrew, Arabic, Syriac, Indic, SE Asian, Mongolian ...).
_COMPLEX = ((0x0590, 0x10FF), (0x1700, 0x1CFF), (0xA800, 0xABFF), (0xFB1D, 0xFEFC), (0x10A00, 0x11FFF),
            (0x1E900, 0x1E95F))
_SPACELESS = ((0x0E00, 0x109F), (0x1780, 0x17FF))  # Thai, Lao, Tibetan, Myanmar, Khmer: ZWSP breaks words
_EMOJI = ((0x1F000, 0x1FAFF), (0x2190, 0x2BFF), (0xFE0F, 0xFE0F), (0x20E3, 0x20E3), (0x3030, 0x3299),
          (0xA9, 0xA9), (0xAE, 0xAE))
_CJK = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))


def rtl_line(text: str, index: int) -> bool:
    """Whether the line holding `index` has right-to-left letters (Hebrew, Arabic, Syriac, Thaana ...)."""
    end = text.find("\n", index)
    return _RTL.search(text, text.rfind("\n", 0, index) + 1, len(text) if end < 0 else end) is not None


def in_code(text: str, index: int) -> bool:
    """Whether `index` is inside a fenced block or an inline code span (an odd count of fences before it)."""
    if text.count("```", 0, index) % 2:
        return True
    return text.count("`", text.rfind("\n", 0, index) + 1, index) % 2 == 1


# -- SEC011 invisible characters ---------------------------------------------------------------------------

_INVISIBLE = re.compile("[\xad\u061c\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\u3164\ufe00-\ufe0f"
                        "\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
_TAG_RUN = re.compile("[\U000e0000-\U000e007f]+")
_SELECTOR_RUN = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]+")


def find_invisible(text: str) -> list[Hit]:
    """Invisible characters, less those a script or an emoji sequence needs (see SEC011's documentation)."""
    hits: list[Hit] = []
    position = 0
    while (match := _INVISIBLE.search(text, position)) is not None:
        start = position = match.start()
        char, code = text[start], ord(text[start])
        run = _TAG_RUN.match(text, start) or _SELECTOR_RUN.match(text, start)
        end = position = run.end() if run else start + 1
        prev, nxt = text[start - 1:start], text[end:end + 1]
        if 0xE0000 <= code <= 0xE007F:
            if prev == "\U0001f3f4" and text[end - 1] == "\U000e007f":
                continue  # a subdivision flag such as England's is an emoji tag sequence
            hidden = "".join(chr(ord(c) - 0xE0000) for c in text[start:end] if 0xE0020 <= ord(c) <= 0xE007E)
            what = f"{end - start} invisible TAG characters (U+E0000 block) spelling '{visible(hidden)}'"
            hits.append(Hit(start, end, what, ": text hidden from readers but read by models"))
        elif run is not None:  # variation selectors
            count, supplementary = end - start, any(ord(c) >= 0xE0100 for c in text[start:end])
            if count >= 3 or (supplementary and (count > 1 or not _in(prev, *_CJK))):
                what = f"{count} variation selector{'s' if count > 1 else ''} ({char_name(char)} ...)"
                hits.append(Hit(start, end, what, ": variation selectors in a row can smuggle hidden data"))
        elif ((code == 0x200D and (_in(prev, *_COMPLEX) or (_in(prev, *_EMOJI) and _in(nxt, *_EMOJI))))
              or (code == 0x200C and (_in(prev, *_COMPLEX) or _in(nxt, *_COMPLEX)))
              or (code == 0x200B and (_in(prev, *_SPACELESS) or _in(nxt, *_SPACELESS)))
              or (code == 0x180E and (_in(prev, (0x1800, 0x18AF)) or _in(nxt, (0x1800, 0x18AF))))
              or (code in (0x115F, 0x1160) and (_in(prev, (0x1100, 0x11FF)) or _in(nxt, (0x1100, 0x11FF))))
              or (code in (0x200E, 0x200F, 0x061C) and rtl_line(text, start))):
            continue  # joiners in scripts and emoji, word breaks in Thai, direction marks in RTL text ...
        else:
            hits.append(Hit(start, end, char_name(char)))
    return hits


# -- SEC012 bidirectional controls -------------------------------------------------------------------------

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def find_bidi(text: str) -> list[Hit]:
    """Overrides anywhere; embeddings and isolates outside right-to-left lines, or inside code."""
    hits: list[Hit] = []
    for match in _BIDI.finditer(text):
        start, char = match.start(), match.group()
        if char in "\u202d\u202e":
            note = ": it forces the display order of the text after it (Trojan Source)"
        elif rtl_line(text, start) and not in_code(text, start):
            continue
        else:
            note = ": it changes the order in which the text around it is displayed (Trojan Source)"
        hits.append(Hit(start, start + 1, char_name(char), note))
    return hits


# -- SEC013 control characters -----------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[A-Za-z]|\][^\x07\x1b]*\x07?)")
_C1, _LETTERS = re.compile("[\x80-\x9f]"), re.compile("[a-z]*")
_ESCAPES = {"\x07": "\\a", "\x08": "\\b", "\x09": "\\t", "\x0b": "\\v", "\x0c": "\\f", "\x0d": "\\r"}
_LATEX_NAMES = {
    "\x07": ("lpha", "pprox", "ngle", "st"),
    "\x08": ("eta", "egin", "inom", "oldsymbol", "ar", "ig", "mod", "f{", "ullet", "ot", "matrix"),
    "\x0b": ("ec", "arphi", "ee", "dots", "ert", "arepsilon"),
    "\x0c": ("rac", "orall", "latfrac"),
}


def find_controls(text: str) -> list[Hit]:
    """C0 controls but TAB/LF/CR, DEL, C1 controls (not those inside mojibake: SEC015 reports those), and a
    TAB or CR that ate a LaTeX backslash."""
    mojibake = [(hit.start, hit.end) for hit in find_mojibake(text)] if _C1.search(text) else []
    hits: list[Hit] = []
    for match in _CONTROL.finditer(text):
        start, char = match.start(), match.group()
        if char == "\r" or (mojibake and any(a <= start < b for a, b in mojibake)):
            continue
        hits.append(_control_hit(text, start, char))
    if "\t" in text or "\r" in text:
        hits += [_control_hit(text, m.start(), m.group()) for m in LATEX.finditer(text)]
        hits.sort()
    return hits


def _control_hit(text: str, start: int, char: str) -> Hit:
    note = ""
    if char in "\t\r":
        tail: str | None = _LETTERS.match(text, start + 1).group()  # type: ignore[union-attr]
    else:
        tail = next((t for t in _LATEX_NAMES.get(char, ()) if text.startswith(t, start + 1)), None)
    if tail:
        note = f": a LaTeX `{_ESCAPES[char]}{tail}` whose backslash was read as the escape `{_ESCAPES[char]}`"
    elif char == "\x1b" and (ansi := _ANSI.match(text, start)):
        note = f": ANSI terminal code '{visible(ansi.group())}'"
    elif "\x80" <= char <= "\x9f" and (meant := bytes([ord(char)]).decode("cp1252", "ignore")):
        note = f": cp1252's '{meant}' read as Latin-1"
    return Hit(start, start + 1, char_name(char), note)


# -- SEC014 lone surrogates --------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def find_surrogates(text: str) -> list[Hit]:
    """Surrogate code points: a lone half, or a pair left as two code points (neither encodes as UTF-8)."""
    hits: list[Hit] = []
    position = 0
    while (match := _SURROGATE.search(text, position)) is not None:
        start = match.start()
        high, low = text[start], text[start + 1:start + 2]
        if "\ud800" <= high <= "\udbff" and "\udc00" <= low <= "\udfff":
            joined = 0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00)
            hits.append(Hit(start, start + 2, f"surrogate pair U+{ord(high):04X} U+{ord(low):04X} left as two "
                            f"code points", f" (it should be one character, U+{joined:04X})"))
        else:
            half = "high" if high <= "\udbff" else "low"
            hits.append(Hit(start, start + 1, f"lone {half} surrogate U+{ord(high):04X}",
                            ": it cannot be encoded as UTF-8"))
        position = hits[-1].end
    return hits


# -- SEC015 mojibake ---------------------------------------------------------------------------------------

_CONT = f"\x80-\xbf{_SMART}{_RARE}"
_UNIT = f"[\xc2-\xdf][{_CONT}]|[\xe0-\xef][{_CONT}]{{2}}|[\xf0-\xf4][{_CONT}]{{3}}"
_PAIR = re.compile(f"[\xc2-\xf4][{_CONT}]")  # where a span may start (then matched in full by _RUN)
_RUN = re.compile(f"(?:{_UNIT})+")
_TO_BYTE = {bytes([b]).decode("cp1252", "ignore") or chr(b): b for b in range(0x80, 0x100)}
_TO_BYTE.update({chr(b): b for b in range(0x80, 0x100)})  # Latin-1's reading of the same bytes
# Blocks mis-decoded UTF-8 usually stands for; anything else (Samaritan, NKo ...) means the span was real text.
_PLAUSIBLE = ((0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x52F), (0x590, 0x6FF), (0x900, 0xDFF), (0xE00, 0xE7F),
              (0x1E00, 0x1EFF), (0x2010, 0x2049), (0x2070, 0x22FF), (0x2300, 0x27BF), (0x3000, 0x30FF),
              (0x3400, 0x9FFF), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF), (0x1F000, 0x1FAFF), (0, 0x7F))
# One character alone must be Latin-1/Latin Extended-A, Romanian ș ț, punctuation, a symbol or an emoji
# (or see `repair`): a capital or accented letter before smart punctuation (`ESPAÑA”`, `Perché…»`) is text.
_SINGLE_OK = ((0xA0, 0x17F), (0x218, 0x21B), (0x2010, 0x2049), (0x2070, 0x27BF), (0x1F000, 0x1FAFF))


def repair(span: str) -> str | None:
    """What a mojibake span should read (undoing up to three rounds), or None if it is not mojibake."""
    fixed, rounds = span, 0
    while rounds < 3 and _RUN.fullmatch(fixed):
        try:
            fixed = bytes(_TO_BYTE[c] for c in fixed).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return None
        rounds += 1
    if not rounds:
        return None
    if len(fixed) == 1 and not _in(fixed, *_SINGLE_OK):
        # Another script's letter alone only from Latin-1 symbols (`Î±` α), not from smart punctuation.
        return fixed if _in(fixed, *_PLAUSIBLE) and all("\xa0" <= c <= "\xff" for c in span[1:]) else None
    return fixed if all(_in(c, *_PLAUSIBLE) for c in fixed) else None


def find_mojibake(text: str) -> list[Hit]:
    """UTF-8 read as cp1252/Latin-1 (`Ã©` for é, `â€™` for ’), shown with its word and its repair; and
    U+FFFD, where a decoder replaced bytes it could not read."""
    hits: list[Hit] = []
    position = 0
    while (match := _PAIR.search(text, position)) is not None:
        start = position = match.start()
        position += 1
        if (run := _RUN.match(text, start)) and (fixed := repair(run.group())) is not None:
            end = position = run.end()
            left, right = start, end
            while left > 0 and start - left < 15 and text[left - 1].isalnum():
                left -= 1
            while right < len(text) and right - end < 15 and text[right].isalnum() and not _PAIR.match(text, right):
                right += 1
            word, shown = visible(text[left:right]), visible(text[left:start] + fixed + text[end:right])
            hits.append(Hit(start, end, f"mojibake '{word}'",
                            f": UTF-8 read as cp1252/Latin-1, it should read '{shown}'", False))
        elif text.startswith("\xe2\u20ac", start):
            position = start + 2
            hits.append(Hit(start, position, "mojibake 'â€'",
                            ": a UTF-8 punctuation mark (’ “ ” – —) read as cp1252, its last byte lost"))
    if "\ufffd" in text:
        hits += [Hit(m.start(), m.end(), char_name("\ufffd"), ": undecodable bytes were replaced, the text is lost")
                 for m in _REPLACEMENT.finditer(text)]
        hits.sort()
    return hits


_REPLACEMENT = re.compile("\ufffd")


# -- SEC016 look-alike structural tokens -------------------------------------------------------------------

_HOMOGLYPHS = {"I": "ΙІӀ", "N": "Ν", "S": "Ѕ", "T": "ΤТ", "Y": "ΥҮ", "A": "АΑ", "E": "ЕΕ", "O": "ОΟ"}


def _word(word: str) -> str:
    """A regex matching `word` in ASCII, fullwidth or Greek/Cyrillic look-alike letters, letter by letter."""
    parts = []
    for c in word:
        forms = c.upper() + c.lower() if c != "_" else "_"
        fullwidth = "".join(chr(ord(f) + 0xFEE0) for f in forms)
        parts.append(f"[{forms}{fullwidth}{_HOMOGLYPHS.get(c.upper(), '')}]")
    return "".join(parts)


def _words(*words: str) -> str:
    return "(?:" + "|".join(map(_word, words)) + ")"


_L, _R, _BAR = "<＜‹〈⟨˂ᐸ﹤❮", ">＞›〉⟩˃ᐳ﹥❯", "|｜ǀ∣│￨❘︱"
# Each searched on its own (see the module docstring), starting with a character class.
_TOKENS = (
    re.compile(f"[{_L}][{_BAR}][\\w▁.\\-]{{1,40}}[{_BAR}][{_R}]"),  # <|im_start|>, <|eot_id|>, <|user|>
    re.compile(f"[\\[［【〔⟦][/／]?{_words('INST', 'TOOL_CALLS', 'AVAILABLE_TOOLS', 'TOOL_RESULTS')}[\\]］】〕⟧]"),
    re.compile(f"[<＜‹〈⟨«《][<＜‹〈⟨]?[/／]?{_word('SYS')}[>＞›〉⟩»》][>＞›〉⟩]?"),  # <<SYS>>
    re.compile(f"[{_L}][/／]?{_words('start_of_turn', 'end_of_turn', 'think', 'tool_call', 'tool_response')}[{_R}]"),
    re.compile("[<＜˂ᐸ﹤][/／]?[sｓ][>＞˃ᐳ﹥]"),  # <s>, </s>; not ⟨s⟩, a grapheme in linguistics
    # ### Instruction: (at the start of a line, checked apart: `^` would defeat the character-class search)
    re.compile(f"[#＃♯⋕﹟]{{3}}[ \\t\u3000]*{_words('Instruction', 'Input', 'Response', 'Human', 'Assistant')}"
               "[ \\t\u3000]*[:：]"),
)
# A token look-alike holds one of these (a fullwidth colon only counts in an Alpaca header).
_LOOKALIKE = re.compile(f"[{_DELIMS}{_FULLWIDTH}【《«＃：ΙІӀΝЅΤТΥҮАΑЕΕОΟаеорсухіѕј]")
# DeepSeek's own special tokens are written <｜name｜> with U+FF5C bars and U+2581 for spaces, on purpose.
_DEEPSEEK = re.compile(r"<｜(?:[\w.\-]*▁[\w▁.\-]*|User|Assistant|EOT)｜>")
# From an opening brace on: a key quoted with or followed by look-alikes, and a value in look-alike quotes.
_JSON = (re.compile("[{｛,]\\s*[\"“”„‟＂]\\w[^\"“”＂\\n]{0,39}[\"“”‟＂]\\s*[:：]"),
         re.compile("\"\\w[^\"\\n]{0,39}\"\\s*:\\s*[“”„＂]"))
_JSON_ODD = "｛“”„‟＂："
_TO_ASCII = str.maketrans({
    **dict(zip("‹›〈〉⟨⟩˂˃ᐸᐳ﹤﹥❮❯ǀ∣│￨❘︱【】〔〕⟦⟧♯⋕﹟“”„‟", "<><><><><><><>||||||[][][]###\"\"\"\"")),
    **dict(zip("ΙІӀΝЅΤТΥҮАΑЕΕОΟаеорсухіѕј", "IIINSTTYYAAEEOOaeopcyxisj")),
    "«": "<<", "»": ">>", "《": "<<", "》": ">>",
})


def _inside_object(text: str, index: int) -> bool:
    """Whether `index` follows an opening brace with no closing brace between (a comma of an object)."""
    return max(text.rfind("{", 0, index), text.rfind("｛", 0, index)) > max(text.rfind("}", 0, index),
                                                                          text.rfind("｝", 0, index))


def ascii_form(text: str) -> str:
    """`text` with fullwidth forms (NFKC) and the look-alikes above replaced by their ASCII originals."""
    return unicodedata.normalize("NFKC", text).translate(_TO_ASCII)


def find_lookalikes(text: str) -> list[Hit]:
    """Structural tokens (`<|...|>`, `[INST]`, `<<SYS>>`, `<s>`, `### Instruction:`, JSON punctuation) spelled
    with look-alikes of their ASCII characters. A token whose ASCII form is not all ASCII is no look-alike of
    an ASCII token (`<|名字|>`); DeepSeek's `<｜...｜>` tokens are its real spelling and left alone."""
    hits: list[Hit] = []
    for pattern in _TOKENS if _LOOKALIKE.search(text) is not None else ():
        for match in pattern.finditer(text):
            found = match.group()
            original = ascii_form(found)
            if found.isascii() or not original.isascii() or _DEEPSEEK.fullmatch(found) or (
                    found[0] in "#＃♯⋕﹟" and text[text.rfind("\n", 0, match.start()) + 1:match.start()].strip()):
                continue
            odd = next(c for c in found if not c.isascii())
            what = f"'{found}' looks like the token '{original}' but uses {char_name(odd)}"
            hits.append(Hit(match.start(), match.end(), what, ": tokenizers and templates do not treat it as one",
                            False))
    opening = min((i for i in (text.find("{"), text.find("｛")) if i >= 0), default=-1)
    if opening >= 0 and _JSON_PARTNERS.search(text, opening) is not None:
        for match in (m for pattern in _JSON for m in pattern.finditer(text, opening)):
            found, start = match.group(), match.start()
            bad = next((c for c in found if c in _JSON_ODD), None)
            if bad is None or (found[0] == "," and not _inside_object(text, start)):
                continue
            what = f"JSON punctuation '{found}' written with {char_name(bad)} instead of '{ascii_form(bad)}'"
            hits.append(Hit(start, match.end(), what, ": the JSON does not parse", False))
    return sorted(hits)


# -- topics: a request about the characters themselves may show them -----------------------------------------

TOPICS = {topic: re.compile(pattern, re.IGNORECASE) for topic, pattern in {
    "invisible": r"zero[- ]?width|invisible|unicode|homoglyph|steganogra|hidden (?:char|text|messag)|soft hyphen"
                 r"|byte order mark|\bBOM\b|U\+[0-9A-F]{4}|variation selector",
    "bidi": r"bidi|right[- ]to[- ]left|\bRTL\b|trojan source|unicode|directional|U\+20[26]",
    "control": r"control (?:char|code|sequence)|escape (?:code|sequence|char)|\bANSI\b|null (?:byte|char)|\bNUL\b"
               r"|unicode|ASCII (?:code|table|value|control)|U\+00[0-9A-F]{2}",
    "mojibake": r"mojibake|garbl|encod|decod|UTF-?8|latin-?1|ISO-8859|cp1252|windows-1252|charset|unicode"
                r"|character set|replacement char",
    "lookalike": r"homoglyph|look-?alike|confusable|full-?width|unicode|spoof|deepseek",
}.items()}
