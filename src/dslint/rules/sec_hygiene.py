"""SEC text hygiene (SEC011-SEC016): invisible, bidirectional, control, surrogate, mis-decoded and look-alike
characters (mixed line endings, SEC017, are `sec_line_endings`'). The finders and tables live in
`sec_hygiene_patterns`.

Every text of a record is checked on its own, with its own pointer: each Alpaca field, each message, each
typed text part, history turns and preference alternatives. One finding per text and rule names the first
character found, its index in that text and the text around it, and counts the others.

Nearly every record is clean: a one-record memo (`_MEMO`) keeps the example last screened and its suspect
texts, so every rule after the first returns at once on a clean record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from dslint.model import USER, Example, Severity, Violation
from dslint.rules import sec_hygiene_patterns as patterns
from dslint.rules.base import record_rule

Text = tuple[str, str]  # (pointer, text)
Finder = Callable[[str], list[patterns.Hit]]

# -- the texts of a record, and the memo ---------------------------------------------------------------------


def texts(example: Example) -> list[Text]:
    """Every text of the record as (pointer, text), each once: fields first (Alpaca's instruction and input
    apart), then turns and alternatives, typed text parts one by one. Empty texts are left out."""
    found: list[Text] = [(pointer, text) for pointer, text in example.fields.values() if text]
    seen = {pointer for pointer, _ in found}
    for turn in chain(example.turns, example.alternatives):
        msg = turn.message
        parts = msg.get("content", msg.get("value")) if type(msg) is dict else None
        if type(parts) is list and turn.content:
            base = turn.pointer.rsplit("/", 2)[0]  # the pointer names the first text part: .../content/0/text
            for k, part in enumerate(parts):
                if type(part) is dict and part.get("type") == "text":
                    key = "text" if "text" in part else "value"
                    text = part.get(key)
                    pointer = f"{base}/{k}/{key}"
                    if type(text) is str and text and pointer not in seen:
                        seen.add(pointer)
                        found.append((pointer, text))
        elif turn.content and turn.pointer not in seen:
            seen.add(turn.pointer)
            found.append((turn.pointer, turn.content))
    return found


# [the example last screened, its suspect texts]: the rules are called one after the other on each example.
_MEMO: list[Any] = [None, ()]


def suspects(example: Example) -> Sequence[Text]:
    """The texts of `example` that pass `patterns.suspicious` (nearly always none), memoised for one record.

    The screen first runs over the raw texts (turns, alternatives, the fields no turn holds), which is cheap;
    pointers are worked out only for a record with something suspect in it. Every field but self-instruct's
    later instances is in a turn (Alpaca's input inside the user turn: the screen never misses a character
    for the text around it), so screening the turns screens it."""
    if _MEMO[0] is example:
        return _MEMO[1]  # type: ignore[no-any-return]
    suspicious = patterns.suspicious
    found: Sequence[Text] = ()
    if (any(suspicious(turn.content) for turn in example.turns)
            or any(suspicious(turn.content) for turn in example.alternatives)
            or any(suspicious(text) for key, (_, text) in example.fields.items() if key.startswith("instance_"))):
        found = tuple(item for item in texts(example) if suspicious(item[1]))
    _MEMO[0], _MEMO[1] = example, found
    return found


def about(example: Example, topic: str) -> bool:
    """Whether the request (a user turn) is about these characters: then showing them is the point."""
    pattern = patterns.TOPICS[topic]
    return any(turn.role is USER and pattern.search(turn.content) is not None for turn in example.turns)


def _is_override(hit: patterns.Hit) -> bool:
    return hit.what.startswith(("U+202D ", "U+202E "))


def _report(example: Example, finder: Finder, noun: str, topic: str,
            keep: Callable[[patterns.Hit], bool] | None = None) -> Sequence[Violation]:
    """One violation per text where `finder` finds something: the first hit, and how many there are.

    With a `topic`, a record whose request is about it keeps only the hits `keep` accepts (none without)."""
    items = suspects(example)
    if not items:
        return ()
    found: list[Violation] = []
    on_topic: bool | None = None
    for pointer, text in items:
        hits = finder(text)
        if hits and topic:
            if on_topic is None:
                on_topic = about(example, topic)
            if on_topic:
                hits = [hit for hit in hits if keep is not None and keep(hit)]
        if hits:
            found.append(Violation(describe(text, hits, noun), pointer))
    return found


def describe(text: str, hits: Sequence[patterns.Hit], noun: str) -> str:
    """`U+200B ZERO WIDTH SPACE at index 24, between '...' and '...': note (3 invisible characters ...)`."""
    hit = hits[0]
    message = f"{hit.what} at index {hit.start}"
    if hit.context:
        message += ", " + patterns.around(text, hit.start, hit.end)
    message += hit.note
    if len(hits) > 1:
        message += f" ({len(hits)} {noun} in this text)"
    return message


# -- record rules ------------------------------------------------------------------------------------------


@record_rule(code="SEC011", name="invisible-character", severity=Severity.WARNING,
             summary="An invisible character (zero-width space, joiner, BOM, soft hyphen, TAG text) inside a text")
def invisible_character(example: Example, options: Any) -> Sequence[Violation]:
    r"""An invisible character (zero-width space, joiner, BOM, soft hyphen, TAG text) inside a text

    ## What it does
    Finds characters that display as nothing: zero-width space, zero-width joiner and non-joiner, word
    joiner, a byte order mark anywhere, soft hyphens, invisible math operators, Hangul fillers, TAG
    characters (whose hidden text is decoded in the message), runs of variation selectors, and direction
    marks (LRM, RLM, ALM) on lines without right-to-left letters. Each finding names the character, its
    index in the field and the text around it.

    Left alone: joiners next to Arabic-script, Hebrew, Indic or South-East Asian letters, where they shape
    text; emoji ZWJ sequences and subdivision flags; ZWSP between Thai, Lao, Khmer or Myanmar words; one
    selector after an emoji or a CJK character; direction marks in right-to-left lines; and every record
    whose request is about such characters (Unicode, zero-width characters, homoglyphs ...).

    ## Why it matters
    Invisible characters split words into tokens the model never saw together (`pass\u200bword`), break
    exact matching and deduplication, and can carry text a reviewer cannot see (TAG characters, selector
    runs: prompt injection and watermarks). They come from copying web pages, PDFs and Word documents.

    ## Example
    ```jsonl
    {"instruction": "How much less did she use it?", "input": "", "output": "She used it 6 hours less\u200b this week."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "How much less did she use it?", "input": "", "output": "She used it 6 hours less this week."}
    {"instruction": "Translate 'I want' into Persian.", "input": "", "output": "می\u200cخواهم"}
    ```
    """
    return _report(example, patterns.find_invisible, "invisible characters", "invisible")


@record_rule(code="SEC012", name="bidi-control", severity=Severity.ERROR,
             summary="A bidirectional override, or an embedding or isolate out of place (Trojan Source)")
def bidi_control(example: Example, options: Any) -> Sequence[Violation]:
    r"""A bidirectional override, or an embedding or isolate out of place (Trojan Source)

    ## What it does
    Reports the bidirectional overrides U+202D and U+202E wherever they are, and the embeddings
    (U+202A, U+202B, U+202C) and isolates (U+2066-U+2069) on lines without right-to-left letters or inside
    code. Direction marks (LRM, RLM, ALM) are SEC011's. A record whose request is about bidirectional text
    keeps its override findings only.

    ## Why it matters
    These characters reorder how text is displayed, so what a reviewer reads is not what the model is
    trained on: code that looks commented out runs (the Trojan Source attack), a file named
    `invoice\u202efdp.exe` displays as `invoiceexe.pdf`. Right-to-left text needs isolates at times;
    English prose and code never do.

    ## Example
    ```jsonl
    {"instruction": "Is this attachment safe?", "input": "invoice\u202efdp.exe", "output": "No."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Is this attachment safe?", "input": "invoice.pdf.exe", "output": "No."}
    {"instruction": "Write 'I use Linux' in Hebrew.", "input": "", "output": "אני משתמש ב-\u2066Linux\u2069 כל יום."}
    ```
    """
    return _report(example, patterns.find_bidi, "bidirectional controls", "bidi", _is_override)


@record_rule(code="SEC013", name="control-character", severity=Severity.WARNING,
             summary="A control character (NUL, ESC, FORM FEED, DEL, C1) inside a text")
def control_character(example: Example, options: Any) -> Sequence[Violation]:
    r"""A control character (NUL, ESC, FORM FEED, DEL, C1) inside a text

    ## What it does
    Reports C0 control characters other than TAB, LF and CR, DEL, and C1 controls, with a hint where the
    cause is clear: an ANSI terminal code, a LaTeX command whose backslash a JSON writer read as an escape
    (`\f` + `rac` for `\frac`, `\b` + `eta` for `\beta`; also TAB + `imes` for `\times` and CR + `ight` for
    `\right`), or a cp1252 byte read as Latin-1. C1 controls inside mojibake are left to SEC015; a record
    whose request is about control characters is left alone.

    ## Why it matters
    Control characters are noise to a tokenizer and invisible to a reviewer; a model trained on them
    emits them. The LaTeX case is common in math data: `\frac` written into JSON without doubling the
    backslash becomes a form feed and `rac`, and the model learns broken LaTeX.

    ## Example
    ```jsonl
    {"instruction": "Simplify 2/4.", "input": "", "output": "The answer is \\(\frac{1}{2}\\)."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Simplify 2/4.", "input": "", "output": "The answer is \\(\\frac{1}{2}\\)."}
    ```
    """
    return _report(example, patterns.find_controls, "control characters", "control")


@record_rule(code="SEC014", name="lone-surrogate", severity=Severity.ERROR,
             summary="A lone UTF-16 surrogate escape in text, which no UTF-8 tokenizer can encode")
def lone_surrogate(example: Example, options: Any) -> Sequence[Violation]:
    r"""A lone UTF-16 surrogate escape in text, which no UTF-8 tokenizer can encode

    ## What it does
    Finds surrogate code points in text: a lone `\ud83d` escape (half of an emoji cut off by truncation),
    or a pair left as two code points. JSON allows such escapes and the readers pass the record on, so this
    rule reports the field and the index instead of the whole file failing to load.

    ## Why it matters
    A lone surrogate cannot be encoded as UTF-8: tokenizers and `str.encode` raise on it, so one record can
    stop a training run, or the text gets silently replaced. It usually means a text was cut in the middle
    of an emoji or another character outside the Basic Multilingual Plane.

    ## Example
    ```jsonl
    {"instruction": "Reply with an emoji.", "input": "", "output": "Sure! \ud83d"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Reply with an emoji.", "input": "", "output": "Sure! \ud83d\ude00"}
    ```
    """
    return _report(example, patterns.find_surrogates, "surrogates", "")


@record_rule(code="SEC015", name="mojibake", severity=Severity.WARNING,
             summary="UTF-8 text mis-decoded as cp1252 or Latin-1 (mojibake), or replacement characters")
def mojibake(example: Example, options: Any) -> Sequence[Violation]:
    r"""UTF-8 text mis-decoded as cp1252 or Latin-1 (mojibake), or replacement characters

    ## What it does
    Finds spans such as `Ã©` (é), `Â°` (°) or `â€™` (’): each suspect span is encoded back and decoded as
    UTF-8 (undoing double encoding too), and reported only when that gives plausible characters; a single
    character from smart punctuation must be Latin, punctuation, a symbol or an emoji, so real text such as
    `«Perché…»` or `“ESPAÑA”` is left alone. The message quotes the word and its repair. A truncated `â€`
    and U+FFFD replacement characters (the original bytes are lost) are reported too. A record whose
    request is about encodings is left alone.

    ## Why it matters
    A model trained on mojibake writes it: `cafÃ©` becomes a token sequence it learns to produce. It
    comes from reading UTF-8 files as Windows-1252 somewhere in a pipeline, and usually affects many
    records of a source at once.

    ## Example
    ```jsonl
    {"instruction": "Convert 50°F to Celsius.", "input": "", "output": "50Â°F is 10Â°C."}
    {"messages": [{"role": "user", "content": "Summarise the plot."}, {"role": "assistant", "content": "ChÃ©ri tells the story of LÃ©a."}]}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Convert 50°F to Celsius.", "input": "", "output": "50°F is 10°C."}
    {"instruction": "Name the capital of São Tomé e Príncipe.", "input": "", "output": "São Tomé."}
    {"instruction": "Fix the encoding of this text.", "input": "cafÃ©", "output": "café"}
    ```
    """
    return _report(example, patterns.find_mojibake, "mis-decoded spans", "mojibake")


@record_rule(code="SEC016", name="lookalike-punctuation", severity=Severity.WARNING,
             summary="A structural token or JSON punctuation spelled with look-alike characters")
def lookalike_punctuation(example: Example, options: Any) -> Sequence[Violation]:
    r"""A structural token or JSON punctuation spelled with look-alike characters

    ## What it does
    Finds look-alikes of ASCII structural tokens: chat-template tokens (`<|im_end|>` written `＜|im_end|＞`),
    `[INST]` and Mistral's tokens, `<<SYS>>`, `<s>`, `<start_of_turn>`, `<think>`, `<tool_call>`, Alpaca
    headers (`### Instruction：`), with fullwidth forms, other brackets and bars, or Greek and Cyrillic
    letters; and JSON whose keys, colons or values use smart quotes or fullwidth punctuation. DeepSeek's
    real `<｜...｜>` tokens are its own spelling and left alone (but `<｜im_end｜>` is a ChatML look-alike);
    Chinese prose punctuation is never reported.

    ## Why it matters
    A look-alike token is not the special token: the tokenizer splits it into pieces and the template never
    sees a turn end, so the model learns to write a token that does nothing. JSON in smart quotes does not
    parse, and a model trained on it writes invalid JSON.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!＜|im_end|＞"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    {"instruction": "Show DeepSeek's chat format.", "input": "", "output": "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>"}
    ```
    """
    return _report(example, patterns.find_lookalikes, "look-alike tokens", "lookalike")
