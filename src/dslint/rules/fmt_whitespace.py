"""FMT018: leading or trailing whitespace around a turn's text or an Alpaca field (fixable)."""

from __future__ import annotations

from collections.abc import Iterator

from dslint.fixing.builders import EDGE_WHITESPACE, strip_whitespace
from dslint.formats import ALPACA, SELF_INSTRUCT
from dslint.model import Example, Severity, Violation, resolve_pointer
from dslint.rules.base import record_rule

_EDGES = frozenset(EDGE_WHITESPACE)


def _texts(example: Example) -> Iterator[str]:
    """Pointers of the record's own texts: Alpaca's fields apart, else each turn's text and string fields."""
    seen: set[str] = set()
    if example.format in (ALPACA, SELF_INSTRUCT):
        candidates = [pointer for pointer, _ in example.fields.values()]
    else:
        turns = example.turns + example.alternatives if example.alternatives else example.turns
        candidates = [turn.pointer for turn in turns] + [pointer for pointer, _ in example.fields.values()]
    for pointer in candidates:
        if pointer not in seen:
            seen.add(pointer)
            yield pointer


@record_rule(code="FMT018", name="stray-whitespace", severity=Severity.INFO, fixable=True,
             default_enabled=False,
             summary="A text starts or ends with whitespace (spaces, tabs, blank lines) (opt-in)")
def stray_whitespace(example: Example, options: object) -> Iterator[Violation]:
    """A text starts or ends with whitespace (spaces, tabs, blank lines) (opt-in)

    ## What it does
    Reports each message text (chat, ShareGPT, prompt/completion, preference) and each Alpaca field
    (`instruction`, `input`, `output`, `system`) whose text begins or ends with whitespace: spaces, tabs,
    line breaks, no-break or ideographic spaces. An empty or whitespace-only text is FMT010's. Opt-in
    (`--extend-select FMT018`): many datasets end answers with a newline on purpose, and the rule exists
    mostly to let `--fix` clean them.

    ## Why it matters
    Llama 3 and Gemma templates trim content, others keep it: the same record trains different token
    sequences depending on the template, and an answer ending in blank lines teaches the model to emit
    them. Stray spaces after the instruction also change how the prompt tokenises at its edges.

    ## Example
    ```jsonl
    {"instruction": "Name a primary colour.  ", "input": "", "output": "\\nRed.\\n\\n"}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    ```

    ## Fix safety
    Safe: the text is replaced by itself without its leading and trailing whitespace. Inner whitespace,
    code indentation inside the text included, is kept.
    """
    raw = example.raw
    for pointer in _texts(example):
        text = resolve_pointer(raw, pointer)
        if not isinstance(text, str) or not text or (text[0] not in _EDGES and text[-1] not in _EDGES):
            continue
        if not text.strip(EDGE_WHITESPACE):
            continue
        where = "starts" if text[0] in _EDGES else "ends"
        if where == "starts" and text[-1] in _EDGES:
            where = "starts and ends"
        yield Violation(f"text {where} with whitespace", pointer, fix=strip_whitespace(raw, pointer))
