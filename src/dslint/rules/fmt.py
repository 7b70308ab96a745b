"""FMT: format & schema. Problems reading a file, records no adapter recognises, structural issues the
adapters found, and empty turns. Turn order lives in `fmt_turns`, tool calls in `fmt_tools`; both are
imported here, so the family stays one entry in the registry.
"""

from __future__ import annotations

from collections.abc import Iterator

from dslint.model import (
    ASSISTANT,
    TOOL,
    UNKNOWN,
    Example,
    IssueKind,
    ReadProblem,
    Severity,
    Turn,
    Violation,
    resolve_pointer,
)
from dslint.rules import fmt_tools, fmt_turns, fmt_whitespace  # noqa: F401  (registers FMT011-FMT018)
from dslint.rules.base import read_rule, record_rule
from dslint.rules.fmt_turns import describe

_MAX_KEYS = 8
_TEXT_PARTS = ("text", "reasoning", "thinking")
_EXPECTED = (
    "`messages` (chat), `conversations` (ShareGPT), `instruction` + `output` (Alpaca), "
    "`instruction` + `instances` (self-instruct), `prompt` + `completion`, or `chosen` + `rejected` (preference)"
)


@read_rule(code="FMT001", name="invalid-json", severity=Severity.ERROR, summary="A record is not valid JSON",
           reads=ReadProblem.INVALID_JSON)
class InvalidJson:
    """A line of a JSON Lines file (or a whole JSON file) does not parse as JSON.

    ## What it does
    Reports text that is not valid JSON (or not valid UTF-8), with the parser's message. A JSON Lines line
    longer than `max-record-bytes` (64 MiB unless configured; `--max-record-bytes` on the command line)
    is reported too, without being read whole or parsed, so one enormous line cannot exhaust memory.

    ## Why it matters
    Training loaders either crash on the first bad line or skip it silently, so a record you meant to
    train on is lost. Truncated lines from interrupted writes are the usual cause.

    ## Example
    ```jsonl
    {"instruction": "Name a colour.", "output": "Red."
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a colour.", "output": "Red."}
    ```
    """


@read_rule(code="FMT002", name="unreadable-file", severity=Severity.ERROR,
           summary="A file cannot be read at all", reads=ReadProblem.UNREADABLE_FILE)
class UnreadableFile:
    """A target cannot be opened or read as text of its file type.

    ## What it does
    Reports a file that cannot be read: missing permissions, a directory or pipe, an I/O error, a corrupt
    compressed stream, UTF-16 or binary content, a "JSON Lines" file whose first 20 lines are all not
    JSON (a CSV or text file with the wrong suffix), or a CSV file whose last quoted cell is never closed
    (cut short, or a stray quote: the rest of the file would be one cell). Nothing more in the file is
    checked; the records before the problem are.

    ## Why it matters
    A dataset file that cannot be read will not be trained on; a pipeline that globs files may skip it
    without a word.

    ## Example
    A CSV file saved as `data.jsonl`:
    ```jsonl
    id,instruction,output
    1,colour 1,red
    2,colour 2,red
    3,colour 3,red
    4,colour 4,red
    5,colour 5,red
    6,colour 6,red
    7,colour 7,red
    8,colour 8,red
    9,colour 9,red
    10,colour 10,red
    11,colour 11,red
    12,colour 12,red
    13,colour 13,red
    14,colour 14,red
    15,colour 15,red
    16,colour 16,red
    17,colour 17,red
    18,colour 18,red
    19,colour 19,red
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a colour.", "output": "Red."}
    ```
    """


@read_rule(code="FMT003", name="empty-file", severity=Severity.WARNING, summary="A file holds no records",
           reads=ReadProblem.EMPTY_FILE)
class EmptyFile:
    """A file is empty or holds only whitespace.

    ## What it does
    Reports a dataset file with no record in it (an empty JSON array counts too).

    ## Why it matters
    An empty shard usually means a failed export or a wrong path; a loader mixing shards by weight may
    also fail on it.

    ## Example
    ```jsonl
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a colour.", "output": "Red."}
    ```
    """


@read_rule(code="FMT004", name="not-an-object", severity=Severity.ERROR,
           summary="A record is valid JSON but not an object", reads=ReadProblem.NOT_AN_OBJECT)
class NotAnObject:
    """A record is a JSON array, string, number or null instead of an object.

    ## What it does
    Reports records that parse but are not JSON objects, so no format can apply to them.

    ## Why it matters
    Every instruction-tuning format is a JSON object per record; a bare list or string is usually a
    conversion bug (a list of messages written without its `messages` key, for instance).

    ## Example
    ```jsonl
    [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```
    """


@read_rule(code="FMT005", name="duplicate-key", severity=Severity.WARNING,
           summary="A JSON object has the same key twice", reads=ReadProblem.DUPLICATE_KEY)
class DuplicateKey:
    """An object in a record repeats a key.

    ## What it does
    Reports a key that occurs twice in the same JSON object, pointing at the object.

    ## Why it matters
    JSON parsers keep one of the values (usually the last) and drop the other without warning, so what
    is trained on may not be what the file seems to say.

    ## Example
    ```jsonl
    {"instruction": "Name a colour.", "output": "Red.", "output": "Blue."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a colour.", "output": "Red."}
    ```
    """


@record_rule(code="FMT006", name="unknown-format", severity=Severity.ERROR,
             summary="A record matches no known dataset format", needs=("unrecognised",))
def unknown_format(example: Example, options: object) -> Iterator[Violation]:
    """A JSON object has none of the keys that identify a supported format.

    ## What it does
    Reports a record that is neither chat (`messages`), ShareGPT (`conversations`), Alpaca (`instruction`
    and `output`), self-instruct (`instruction` and `instances`), prompt/completion nor a preference pair
    (`chosen` and `rejected`). The message lists the keys the record has.

    ## Why it matters
    Training frameworks map records by key; a record with other keys (a typo such as `mesages`, or an
    unconverted `question`/`answer` pair) is dropped or crashes the loader.

    ## Example
    ```jsonl
    {"question": "Name a colour.", "answer": "Red."}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a colour.", "output": "Red."}
    ```
    """
    if example.format is None and isinstance(example.raw, dict):
        keys = sorted(str(key) for key in example.raw)
        shown = ", ".join(f"`{key}`" for key in keys[:_MAX_KEYS]) or "none"
        if len(keys) > _MAX_KEYS:
            shown += ", …"
        yield Violation(f"record matches no known format (keys: {shown}); expected {_EXPECTED}")


def _issues(example: Example, kind: IssueKind) -> Iterator[Violation]:
    for issue in example.issues:
        if issue.kind is kind:
            yield Violation(issue.message, issue.pointer)


@record_rule(code="FMT007", name="missing-field", severity=Severity.ERROR,
             summary="A record lacks a field its format requires", needs=("issues",))
def missing_field(example: Example, options: object) -> Iterator[Violation]:
    """A field the record's format requires is absent.

    ## What it does
    Reports required keys that are missing: Alpaca's `instruction` or `output`, a message's `role`
    (`from` in ShareGPT) or `content` (`value`), a tool call's `name` or `arguments`, a preference pair's
    `chosen` or `rejected`. A message may omit `content` only when it carries tool calls.

    ## Why it matters
    Loaders fail on the missing key, or fill in an empty string and train the model on an empty answer.

    ## Example
    ```jsonl
    {"instruction": "Name a colour.", "input": ""}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a colour.", "input": "", "output": "Red."}
    ```
    """
    return _issues(example, IssueKind.MISSING_FIELD)


@record_rule(code="FMT008", name="wrong-type", severity=Severity.ERROR,
             summary="A field has the wrong JSON type", needs=("issues",))
def wrong_type(example: Example, options: object) -> Iterator[Violation]:
    """A field has a JSON type its format does not allow.

    ## What it does
    Reports fields of the wrong type: a number where text belongs, `messages` that is not an array, a
    message that is not an object, `content` that is null on a turn without tool calls, a content part
    whose text is not a string, a ShareGPT `function_call` whose value is not a JSON call object.
    Alpaca's `input` and `system` may be null.

    ## Why it matters
    Chat templates and tokenizers expect strings; a number or a null either crashes preprocessing or is
    rendered as the text `None`.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": 42}, {"role": "assistant", "content": "Forty-two."}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "42"}, {"role": "assistant", "content": "Forty-two."}]}
    ```
    """
    return _issues(example, IssueKind.WRONG_TYPE)


@record_rule(code="FMT009", name="unknown-role", severity=Severity.ERROR,
             summary="A turn has a role outside its format's vocabulary", needs=("issues",))
def unknown_role(example: Example, options: object) -> Iterator[Violation]:
    """A turn's role is not one its format knows.

    ## What it does
    Reports roles outside the format's vocabulary, naming the role and the vocabulary. Chat roles are
    `system`, `developer`, `user`, `assistant`, `tool` and `function`; ShareGPT's are `system`, `human`,
    `user`, `gpt`, `assistant`, `model`, `chatgpt`, `bard`, `bing`, `function_call`, `tool`,
    `observation` and `function_response`. Roles are case-sensitive.

    ## Why it matters
    Chat templates silently drop turns with roles they do not know (stock Phi-3 and Qwen2.5 templates do
    so for `human`/`gpt`), so the model trains on a conversation with holes in it.

    ## Example
    ```jsonl
    {"messages": [{"role": "human", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```
    """
    return _issues(example, IssueKind.UNKNOWN_ROLE)


@record_rule(code="FMT010", name="empty-content", severity=Severity.ERROR,
             summary="A turn's content is empty or whitespace-only")
def empty_content(example: Example, options: object) -> Iterator[Violation]:
    """A system, user or assistant turn has no text.

    ## What it does
    Reports turns (rejected preference completions included) whose content is empty or only whitespace.
    An assistant turn that carries tool calls may have no text, a turn of typed parts holding an image,
    audio or a file needs none, and tool results are not checked. For Alpaca the instruction itself must
    have text; an empty `input` is normal. A turn whose field already has a
    missing-field or wrong-type finding is not reported again.

    ## Why it matters
    An empty answer teaches the model to answer with nothing; an empty prompt teaches it to answer a
    question nobody asked.

    ## Example
    ```jsonl
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "  "}]}
    ```

    ## Use instead
    ```jsonl
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello!"}]}
    ```
    """
    issues = example.issues
    turns = example.turns + example.alternatives if example.alternatives else example.turns
    for turn in turns:
        role = turn.role
        if role is TOOL or role is UNKNOWN or (turn.tool_calls and role is ASSISTANT):
            continue
        text = _own_text(example, turn) if turn.pointer == "/instruction" else turn.content
        if (text and not text.isspace()) or (issues and any(_related(turn.pointer, i.pointer) for i in issues)):
            continue
        if _has_media(resolve_pointer(example.raw, turn.pointer)):
            continue
        yield Violation(f"{describe(turn)} turn has empty content (whitespace-only counts as empty)", turn.pointer)


def _own_text(example: Example, turn: Turn) -> str:
    """The text at the turn's own pointer: for Alpaca's user turn, the instruction without the input."""
    if turn.pointer == "/instruction":
        return example.fields.get("instruction", ("", turn.content))[1]
    return turn.content


def _has_media(content: object) -> bool:
    """Whether typed content parts hold something besides text and reasoning (an image, audio, a file)."""
    return isinstance(content, list) and any(
        isinstance(part, dict) and part.get("type") not in _TEXT_PARTS for part in content
    )


def _related(a: str, b: str) -> bool:
    """Whether one pointer is the other or inside it."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")
