"""The data that flows through dslint: raw records, normalised examples, violations and diagnostics.

Hot-path types are slotted dataclasses, not pydantic models: millions of them are built per run.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson

from dslint.fixing.model import Fix


class Severity(str, enum.Enum):
    """How bad a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Source(NamedTuple):
    """Where a record comes from: display path, 1-based line (None where the file has no lines), 0-based index.

    A named tuple, not a dataclass: one is built per record, and a tuple is several times cheaper.
    """

    path: str
    line: int | None
    index: int


class ReadProblem(str, enum.Enum):
    """What a reader can find wrong with the bytes it reads; each maps to exactly one FMT rule."""

    INVALID_JSON = "invalid-json"
    UNREADABLE_FILE = "unreadable-file"
    EMPTY_FILE = "empty-file"
    NOT_AN_OBJECT = "not-an-object"
    DUPLICATE_KEY = "duplicate-key"


@dataclass(slots=True)
class RawRecord:
    """One record as a reader produced it.

    `value` is the decoded JSON value, or `None` when `problem` says it could not be decoded. A file-level
    problem (an unreadable or empty file) is a RawRecord with `source.index == -1`.
    """

    source: Source
    value: Any
    problem: ReadProblem | None = None
    message: str = ""
    # Extra problems on a record that still decoded (e.g. duplicate keys): (problem, message, pointer).
    notes: tuple[tuple[ReadProblem, str, str | None], ...] = ()
    # Canonical digest of the record text when the reader has it cheaply (unparseable lines).
    text_digest: str | None = None

    @property
    def is_file_level(self) -> bool:
        return self.source.index < 0


class Role(str, enum.Enum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    UNKNOWN = "unknown"


# Each role as a plain module constant, for hot loops: on Python 3.11 `Role.USER` goes through the enum
# metaclass (about 100 ns a lookup, and rules make several per turn); a module constant is a dict lookup.
SYSTEM = Role.SYSTEM
USER = Role.USER
ASSISTANT = Role.ASSISTANT
TOOL = Role.TOOL
UNKNOWN = Role.UNKNOWN


@dataclass(slots=True)
class ToolCall:
    """A tool call made by an assistant turn. `arguments` is the raw value (a JSON string in OpenAI's format)."""

    id: str | None
    name: str | None
    arguments: Any
    pointer: str  # JSON pointer of the call object


@dataclass(slots=True)
class Turn:
    """One message of a conversation, normalised.

    `content` is the text (typed text parts joined with no separator); `pointer` is the JSON pointer of the
    content in the original record, so diagnostics point at the user's real field. `raw_role` keeps the
    role exactly as written (`human`, `gpt`, `function_call` ...).
    """

    role: Role
    content: str
    pointer: str
    raw_role: str | None = None
    role_pointer: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    # The original message object (for keys rules may want: name, weight, typed parts ...).
    message: Any = None


class IssueKind(str, enum.Enum):
    """Structural problems an adapter notices while normalising a record; FMT rules report them."""

    MISSING_FIELD = "missing-field"
    WRONG_TYPE = "wrong-type"
    UNKNOWN_ROLE = "unknown-role"


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    kind: IssueKind
    pointer: str
    message: str


@dataclass(slots=True, init=False)
class Example:
    """A record normalised into dslint's one model, whatever its format.

    - `format` names the adapter that recognised the record, or is None (then `turns` is empty).
    - `turns` is the ordered conversation including any system turns; for Alpaca, instruction and input
      become one user turn (instruction, blank line, input) and output the assistant turn.
    - `fields` maps named parts of the record to (pointer, text), so a rule can address Alpaca's `/input`
      apart from its instruction, or a preference record's `/rejected`.
    - `issues` are structural problems the adapter found; rules in `fmt.py` report them.
    - `alternatives` holds extra completions (a preference record's rejected answer) as turns.
    - `has_tools` says whether any turn (alternatives included) carries a tool call or is a tool result;
      the adapters set it where they build such turns, so the engine can skip the tool rules elsewhere.
    """

    source: Source
    raw: Any
    format: str | None
    turns: list[Turn]
    fields: dict[str, tuple[str, str]]
    issues: list[SchemaIssue]
    alternatives: list[Turn]
    has_tools: bool
    _digest: str | None

    def __init__(self, source: Source, raw: Any) -> None:
        # Written out because one is built for every record: the generated __init__ calls a factory for
        # each list and takes twice as long.
        self.source, self.raw, self.format, self.has_tools, self._digest = source, raw, None, False, None
        self.turns, self.fields, self.issues, self.alternatives = [], {}, [], []

    @property
    def system(self) -> str | None:
        """The leading system prompt, if the conversation starts with one."""
        if self.turns and self.turns[0].role is SYSTEM:
            return self.turns[0].content
        return None

    def digest(self) -> str:
        """A digest of the record's canonical content (key order and formatting do not matter)."""
        if self._digest is None:
            self._digest = content_digest(self.raw)
        return self._digest


def content_digest(value: Any) -> str:
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        # Lone surrogates or nesting deeper than orjson writes: hash a walk that needs no recursion.
        return _walk_digest(value)
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _walk_digest(value: Any) -> str:
    """A canonical digest of any JSON value, iteratively (a record may nest 100,000 levels deep)."""
    hasher = hashlib.blake2b(digest_size=12)
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            hasher.update(b"{%d" % len(item))
            for key in sorted(item, key=str, reverse=True):
                stack.append(item[key])
                stack.append(str(key))
        elif isinstance(item, list):
            hasher.update(b"[%d" % len(item))
            stack.extend(reversed(item))
        else:
            hasher.update(repr(item).encode("utf-8", "surrogatepass") + b"\x1f")
    return hasher.hexdigest()


def text_digest(data: bytes) -> str:
    return hashlib.blake2b(data.strip(), digest_size=12).hexdigest()


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields: a message and where in the record. The engine adds everything else.

    Dataset rules also set `source` and `digest` (they report after the record has gone); a record rule
    leaves them None and the engine fills them from the example. `source=None` on a dataset-rule violation
    with `path` set means a file-level finding.
    """

    message: str
    pointer: str | None = None
    source: Source | None = None
    digest: str | None = None
    path: str | None = None
    fix: Fix | None = None
    # The text to excerpt instead of the value at `pointer` (a secret rule's, with the secret masked).
    context: str | None = None


@dataclass(slots=True)
class Diagnostic:
    """A finding as reported: the output contract of every formatter."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int | None
    record: int | None
    pointer: str | None
    fingerprint: str
    context: str | None = None
    fix: Fix | None = None

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.path,
            -1 if self.record is None else self.record,
            self.line or 0,
            self.pointer or "",
            self.code,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "record": self.record,
            "pointer": self.pointer,
            "fingerprint": self.fingerprint,
            "context": self.context,
            **({"fix": self.fix.to_dict()} if self.fix is not None else {}),
        }


def fingerprint(code: str, path: str, digest: str | None, pointer: str | None) -> str:
    """Stable identity of a finding: independent of line numbers, changed by editing the record."""
    key = "\x1f".join((code, path, digest or "", pointer or ""))
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def resolve_pointer(value: Any, pointer: str | None) -> Any:
    """The value at a JSON pointer, or None when it does not resolve."""
    if not pointer:
        return value if pointer == "" else None
    current = value
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict):
            if token not in current:
                return None
            current = current[token]
        elif isinstance(current, list):
            if not token.isdigit() or int(token) >= len(current):
                return None
            current = current[int(token)]
        else:
            return None
    return current


@dataclass(slots=True)
class FileSummary:
    """What was read from one file: its record count and how many records each format had."""

    path: str
    records: int = 0
    formats: dict[str, int] = field(default_factory=dict)

    @property
    def format(self) -> str | None:
        """The majority format (None for a file with no recognised record)."""
        if not self.formats:
            return None
        return max(sorted(self.formats), key=lambda name: self.formats[name])


@dataclass(slots=True)
class RunResult:
    """Everything a formatter needs: the findings (sorted), the files read, and the run's fail level."""

    diagnostics: list[Diagnostic]
    files: list[FileSummary]
    fail_on: Severity = Severity.ERROR
    internal_errors: int = 0

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for diagnostic in self.diagnostics:
            counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
        return dict(sorted(counts.items()))

    def failing(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.rank >= self.fail_on.rank]
