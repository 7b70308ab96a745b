"""What the adapters share: role vocabularies, typed content parts, tool calls, and message lists to turns.

Pointer conventions (every adapter follows them, rules rely on them):

- a turn's `pointer` is the JSON pointer of its text: `/messages/2/content`, `/conversations/3/value`; for
  typed content parts it is the first text part's text (`/messages/2/content/0/text`, or `.../0/value` in
  LLaMA-Factory's parts), and the `content` list itself when there is no text part;
- `role_pointer` is the role's key (`/messages/2/role`, `/conversations/3/from`);
- a tool call's pointer is the call object (`/messages/2/tool_calls/0`, `/messages/2/function_call`), or the
  text holding the call as JSON (ShareGPT's `/conversations/3/value`, LLaMA-Factory's `/messages/2/content/1`);
- an issue about a missing key points where the key should be.

Nothing here raises on any JSON value: wrong types become `SchemaIssue`s and normalisation goes on.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson

from dslint.model import (
    SYSTEM,
    TOOL,
    Example,
    IssueKind,
    Role,
    SchemaIssue,
    ToolCall,
    Turn,
)

CHAT_ROLES: dict[str, Role] = {
    "system": Role.SYSTEM,
    "developer": Role.SYSTEM,
    "user": Role.USER,
    "assistant": Role.ASSISTANT,
    "tool": Role.TOOL,
    "function": Role.TOOL,
}

SHAREGPT_ROLES: dict[str, Role] = {
    "system": Role.SYSTEM,
    "human": Role.USER,
    "user": Role.USER,
    "gpt": Role.ASSISTANT,
    "assistant": Role.ASSISTANT,
    "model": Role.ASSISTANT,
    "chatgpt": Role.ASSISTANT,
    "bard": Role.ASSISTANT,
    "bing": Role.ASSISTANT,
    "function_call": Role.ASSISTANT,
    "tool": Role.TOOL,
    "observation": Role.TOOL,
    "function_response": Role.TOOL,
}

# Part types whose JSON text is a tool call (LLaMA-Factory's typed content parts).
_CALL_PART = "tool_call"


class Dialect:
    """How one format spells a message: its role and content keys, and its role vocabulary.

    `call_role` is a role whose content is a JSON call {"name", "arguments"} (ShareGPT's `function_call`).
    """

    __slots__ = ("call_role", "content_key", "content_suffix", "name", "role_key", "role_suffix", "roles",
                 "vocabulary")

    def __init__(self, name: str, role_key: str, content_key: str, roles: dict[str, Role],
                 call_role: str | None = None) -> None:
        self.name = name
        self.role_key = role_key
        self.content_key = content_key
        self.roles = roles
        self.call_role = call_role
        self.role_suffix = "/" + role_key
        self.content_suffix = "/" + content_key
        self.vocabulary = ", ".join(roles)


CHAT = Dialect("chat", "role", "content", CHAT_ROLES)
SHAREGPT = Dialect("ShareGPT", "from", "value", SHAREGPT_ROLES, call_role="function_call")
# ShareGPT conversations written with chat keys (`role`/`content`), as axolotl and LLaMA-Factory allow.
SHAREGPT_CHAT_KEYS = Dialect("ShareGPT", "role", "content", {**SHAREGPT_ROLES, **CHAT_ROLES}, "function_call")


def add_issue(example: Example, kind: IssueKind, pointer: str, message: str) -> None:
    example.issues.append(SchemaIssue(kind, pointer, message))


_TYPE_NAMES: dict[type, str] = {str: "string", list: "array", dict: "object", bool: "boolean", int: "number",
                                float: "number", type(None): "null"}


def type_name(value: Any) -> str:
    """The JSON name of a value's type (`string`, `array`, `null` ...), or its Python name."""
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def wrong_type(example: Example, pointer: str, what: str, value: Any) -> None:
    add_issue(example, IssueKind.WRONG_TYPE, pointer, f"`{pointer}` must be {what}, got {type_name(value)}")


def missing(example: Example, pointer: str, what: str) -> None:
    add_issue(example, IssueKind.MISSING_FIELD, pointer, f"`{pointer}` is missing ({what})")


def text_field(value: dict[str, Any], key: str, example: Example, *, required: bool) -> str | None:
    """A string field of the record: recorded in `fields`; None (with an issue if due) when unusable."""
    pointer = "/" + key
    text = value.get(key)
    if isinstance(text, str):
        example.fields[key] = (pointer, text)
        return text
    if text is None and key not in value:
        if required:
            missing(example, pointer, "a string is required")
    elif text is not None or required:
        wrong_type(example, pointer, "a string", text)
    return None


def system_turn(value: dict[str, Any], example: Example) -> None:
    """A top-level `system` string (Alpaca, LLaMA-Factory ShareGPT) as the leading system turn.

    An empty string means no system prompt (LLaMA-Factory reads it so) and makes no turn.
    """
    text = text_field(value, "system", example, required=False)
    if text:
        example.turns.append(Turn(SYSTEM, text, "/system", raw_role="system"))


def parse_call_texts(text: str, pointer: str, example: Example) -> list[ToolCall]:
    """Tool calls written as JSON text: one call object, or (LLaMA-Factory's parallel calls) a non-empty
    array of them, all pointing at the text."""
    if text.lstrip().startswith("["):
        try:
            calls = orjson.loads(text)
        except orjson.JSONDecodeError:
            calls = None
        if isinstance(calls, list) and calls and all(isinstance(call, dict) for call in calls):
            return [call_from_object(call, pointer, example, None, inside_text=True) for call in calls]
    return [parse_call_text(text, pointer, example)]


def parse_call_text(text: str, pointer: str, example: Example) -> ToolCall:
    """A tool call written as JSON text `{"name": ..., "arguments": ...}` (id None)."""
    try:
        call = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        add_issue(example, IssueKind.WRONG_TYPE, pointer,
                  f'`{pointer}` must be JSON text of a tool call {{"name", "arguments"}}: {exc}')
        return ToolCall(None, None, None, pointer)
    if not isinstance(call, dict):
        wrong_type(example, pointer, 'JSON text of a tool call object {"name", "arguments"}', call)
        return ToolCall(None, None, None, pointer)
    return call_from_object(call, pointer, example, None, inside_text=True)


def call_from_object(call: dict[str, Any], where: str, example: Example, call_id: str | None, *,
                     pointer: str | None = None, inside_text: bool = False) -> ToolCall:
    """A ToolCall from an object with `name` and `arguments` (`parameters` is accepted for arguments).

    Issues point at `where` (plus the key, unless the object is JSON text); the call's pointer is `pointer`,
    by default `where`.
    """
    name = call.get("name")
    if not isinstance(name, str):
        at = where if inside_text else where + "/name"
        if name is None and "name" not in call:
            missing(example, at, "a tool call needs a `name`")
        else:
            wrong_type(example, at, "a string tool name", name)
        name = None
    key = "parameters" if "parameters" in call and "arguments" not in call else "arguments"
    if key not in call:
        missing(example, where if inside_text else where + "/arguments", "a tool call needs `arguments`")
    return ToolCall(call_id, name, call.get(key), pointer or where)


def _openai_calls(value: Any, pointer: str, example: Example) -> list[ToolCall]:
    """OpenAI `tool_calls`: [{id, type: "function", function: {name, arguments}}] (a flat call is accepted)."""
    if not isinstance(value, list):
        wrong_type(example, pointer, "an array of tool calls", value)
        return []
    calls = []
    for j, call in enumerate(value):
        at = f"{pointer}/{j}"
        if not isinstance(call, dict):
            wrong_type(example, at, "a tool call object", call)
            continue
        call_id = call.get("id")
        if call_id is not None and not isinstance(call_id, str):
            wrong_type(example, at + "/id", "a string id", call_id)
            call_id = None
        if "function" not in call:
            calls.append(call_from_object(call, at, example, call_id))
        elif isinstance(call["function"], dict):
            calls.append(call_from_object(call["function"], at + "/function", example, call_id, pointer=at))
        else:
            wrong_type(example, at + "/function", "an object {name, arguments}", call["function"])
    return calls


def _content(msg: dict[str, Any], key: str, pointer: str, example: Example,
             calls: list[ToolCall]) -> tuple[str, str]:
    """The text of a message's content and the pointer of that text; tool-call parts are added to `calls`."""
    content = msg.get(key)
    at = pointer + "/" + key
    if isinstance(content, str):
        return content, at
    if isinstance(content, list):
        return _parts(content, at, example, calls)
    if content is None and (calls or msg.get("tool_calls") or msg.get("function_call")):
        return "", at  # an assistant turn that only calls tools may have no content
    if content is None and key not in msg:
        missing(example, at, "a message needs content")
    else:
        wrong_type(example, at, "a string or an array of content parts", content)
    return "", at


def _parts(parts: list[Any], at: str, example: Example, calls: list[ToolCall]) -> tuple[str, str]:
    """Typed content parts: text parts ({"type": "text", "text"|"value": ...}) are joined with no separator."""
    texts: list[str] = []
    first = at
    for k, part in enumerate(parts):
        part_at = f"{at}/{k}"
        if not isinstance(part, dict):
            wrong_type(example, part_at, "a content part object", part)
            continue
        kind = part.get("type")
        if kind == "text":
            key = "text" if "text" in part else "value"
            text = part.get(key)
            if not isinstance(text, str):
                wrong_type(example, f"{part_at}/{key}", "a string", text)
                continue
            if not texts:
                first = f"{part_at}/{key}"
            texts.append(text)
        elif kind == _CALL_PART:
            call_text = part.get("value", part.get("text"))
            if isinstance(call_text, str):
                calls.append(parse_call_text(call_text, part_at, example))
            else:
                wrong_type(example, part_at, "a tool call part with JSON text", call_text)
    return "".join(texts), first


def _role(msg: dict[str, Any], at: str, example: Example, dialect: Dialect) -> tuple[Role, str | None]:
    raw = msg.get(dialect.role_key)
    if isinstance(raw, str):
        role = dialect.roles.get(raw)
        if role is None:
            add_issue(example, IssueKind.UNKNOWN_ROLE, at,
                      f"unknown {dialect.name} role {raw!r}; known roles: {dialect.vocabulary}")
            return Role.UNKNOWN, raw
        return role, raw
    if raw is None and dialect.role_key not in msg:
        missing(example, at, f"a {dialect.name} message needs `{dialect.role_key}`")
    else:
        wrong_type(example, at, "a role string", raw)
    return Role.UNKNOWN, None


def message_turn(msg: Any, pointer: str, example: Example, dialect: Dialect) -> Turn:
    """One message object as a turn (a malformed message becomes an UNKNOWN turn with an issue)."""
    if not isinstance(msg, dict):
        wrong_type(example, pointer, "a message object", msg)
        return Turn(Role.UNKNOWN, "", pointer, message=msg)
    return _full_message_turn(msg, pointer, example, dialect)


def _full_message_turn(msg: dict[str, Any], pointer: str, example: Example, dialect: Dialect) -> Turn:
    if dialect.role_key not in msg and dialect is SHAREGPT and "role" in msg:
        dialect = SHAREGPT_CHAT_KEYS
    role_at = pointer + dialect.role_suffix
    role, raw_role = _role(msg, role_at, example, dialect)
    calls: list[ToolCall] = []
    if msg.get("tool_calls") is not None:
        calls.extend(_openai_calls(msg["tool_calls"], pointer + "/tool_calls", example))
    legacy = msg.get("function_call")
    if isinstance(legacy, dict):
        calls.append(call_from_object(legacy, pointer + "/function_call", example, None))
    elif legacy is not None:
        wrong_type(example, pointer + "/function_call", "an object {name, arguments}", legacy)
    text, text_at = _content(msg, dialect.content_key, pointer, example, calls)
    if raw_role is not None and raw_role == dialect.call_role and text:
        calls.extend(parse_call_texts(text, text_at, example))
    call_id = msg.get("tool_call_id")
    if call_id is not None and not isinstance(call_id, str):
        wrong_type(example, pointer + "/tool_call_id", "a string id", call_id)
        call_id = None
    if calls or role is TOOL:
        example.has_tools = True
    return Turn(role, text, text_at, raw_role, role_at, tuple(calls), call_id, msg)


def message_turns(messages: Any, pointer: str, example: Example, dialect: Dialect) -> list[Turn]:
    """A list of messages as turns; the one place every format turns messages into turns."""
    if not isinstance(messages, list):
        wrong_type(example, pointer, "an array of messages", messages)
        return []
    count = len(messages)
    pointers = (_cached_pointers if count <= _CACHED_MESSAGES else _pointers)(pointer, dialect, count)
    roles, role_key, content_key, call_role = dialect.roles, dialect.role_key, dialect.content_key, dialect.call_role
    turns = []
    for msg, (at, content_at, role_at) in zip(messages, pointers):
        # Fast path, the common case, inlined: a known role, a plain string and no tool keys (with only
        # the role and the content there is no room for any). The rest is `message_turn`'s.
        if type(msg) is dict:
            raw = msg.get(role_key)
            content = msg.get(content_key)
            role = roles.get(raw) if type(raw) is str else None
            if (role is not None and type(content) is str and raw != call_role
                    and (len(msg) == 2
                         or ("tool_calls" not in msg and "function_call" not in msg and "tool_call_id" not in msg))):
                if role is TOOL:
                    example.has_tools = True
                turns.append(Turn(role, content, content_at, raw, role_at, (), None, msg))
                continue
        turns.append(message_turn(msg, at, example, dialect))
    return turns


def _pointers(container: str, dialect: Dialect, count: int) -> tuple[tuple[str, str, str], ...]:
    """The (message, content, role) pointers of `count` messages in a list at `container`."""
    messages = [f"{container}/{i}" for i in range(count)]
    return tuple((at, at + dialect.content_suffix, at + dialect.role_suffix) for at in messages)


# Building the pointer strings per message is a good part of normalising, and the records of a file repeat
# a few list lengths: short lists' pointers are cached (bounded: at most 1,024 lists of 64 messages).
_CACHED_MESSAGES = 64
_cached_pointers = lru_cache(maxsize=1024)(_pointers)


def side_turns(value: dict[str, Any], key: str, role: Role, example: Example, dialect: Dialect) -> list[Turn]:
    """One side of a prompt/completion or preference record: a string, one message, or a message list.

    A string becomes a single turn of `role` pointing at `/key` and is recorded in `fields`.
    """
    side = value.get(key)
    if isinstance(side, str):
        example.fields[key] = ("/" + key, side)
        return [Turn(role, side, "/" + key)]
    if isinstance(side, dict):
        return [message_turn(side, "/" + key, example, dialect)]
    if side is None and key not in value:
        missing(example, "/" + key, "a string or a list of messages is required")
        return []
    return message_turns(side, "/" + key, example, dialect)
