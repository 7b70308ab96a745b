"""The neutral conversation every conversion goes through, built from a normalised example.

A `Conversation` is the ordered messages (role system/user/assistant/tool, text, tool calls, the id a
tool result answers) and `extras`: the record's top-level keys that are not its format's own (`id`,
`source`, `tools` ...), carried to the output unchanged. `notes` say what could not be carried over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dslint.convert.template import PromptTemplate
from dslint.formats import (
    ALPACA,
    CHAT,
    PREFERENCE,
    PROMPT_COMPLETION,
    SELF_INSTRUCT,
    SHAREGPT,
)
from dslint.model import Example, Role

# The top-level keys each format owns; everything else in a record is an extra, kept as it is.
FORMAT_KEYS: dict[str, frozenset[str]] = {
    ALPACA: frozenset({"instruction", "input", "output", "system", "history"}),
    CHAT: frozenset({"messages"}),
    SHAREGPT: frozenset({"conversations", "system"}),
    PROMPT_COMPLETION: frozenset({"prompt", "completion"}),
}
# Message keys that conversion understands; others (weight, name ...) are reported when dropped.
_KNOWN_MESSAGE_KEYS = frozenset({"role", "content", "from", "value", "tool_calls", "tool_call_id",
                                 "function_call"})


@dataclass
class ToolCallOut:
    name: str
    arguments: Any  # a JSON value (object), or the raw text when it was not JSON
    id: str | None = None


@dataclass
class Message:
    role: Role
    content: str
    tool_calls: list[ToolCallOut] = field(default_factory=list)
    tool_call_id: str | None = None
    # An Alpaca user turn's (instruction, input), so Alpaca output can keep them apart.
    alpaca_parts: tuple[str, str] | None = None


@dataclass
class Conversation:
    messages: list[Message] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def has_tools(self) -> bool:
        return any(m.tool_calls or m.role is Role.TOOL for m in self.messages)

    def with_system(self, text: str | None) -> None:
        """Add a leading system message when there is none (`--system`)."""
        if text and not (self.messages and self.messages[0].role is Role.SYSTEM):
            self.messages.insert(0, Message(Role.SYSTEM, text))


class Unconvertible(ValueError):
    """A record that cannot be converted at all (the message says why); it is skipped and counted."""


def _arguments(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def from_example(example: Example, role_map: dict[str, Role] | None = None,
                 template: PromptTemplate | None = None, output_field: str = "output") -> Conversation:
    """The conversation of a normalised example (raises Unconvertible for records that have none)."""
    raw = example.raw if isinstance(example.raw, dict) else None
    if template is not None and raw is not None:
        return from_template(raw, template, output_field, example.format)
    if example.format is None or raw is None:
        raise Unconvertible("record matches no known format")
    if example.format == PREFERENCE:
        raise Unconvertible("preference records (chosen/rejected) are not converted")
    if example.format == SELF_INSTRUCT:
        raise Unconvertible("self-instruct task records (instances) are not converted")
    role_map = role_map or {}
    blocking = [issue for issue in example.issues
                if not (issue.kind.value == "unknown-role" and _mapped_role(raw, issue.pointer, role_map))]
    if blocking:
        raise Unconvertible(f"record has schema problems ({blocking[0].message})")
    conversation = Conversation(extras={k: v for k, v in raw.items() if k not in FORMAT_KEYS[example.format]})
    dropped: set[str] = set()
    for turn in example.turns:
        role = role_map.get(turn.raw_role or "", turn.role)
        if role is Role.UNKNOWN:
            raise Unconvertible(f"unknown role {turn.raw_role!r} (map it with --role-map)")
        calls = [ToolCallOut(call.name or "", _arguments(call.arguments), call.id) for call in turn.tool_calls]
        content = turn.content
        if turn.raw_role == "function_call":
            content = ""  # ShareGPT's call text is the call itself, now in tool_calls
        conversation.messages.append(Message(role, content, calls, turn.tool_call_id))
        if isinstance(turn.message, dict):
            dropped.update(key for key in turn.message if key not in _KNOWN_MESSAGE_KEYS)
            parts = turn.message.get("content")
            if isinstance(parts, list):
                kinds = {str(part.get("type")) for part in parts if isinstance(part, dict)} - {"text", "tool_call"}
                if kinds:
                    _note_once(conversation, f"content parts dropped (only text is converted): {', '.join(sorted(kinds))}")
    inp = raw.get("input")
    if example.format == ALPACA and isinstance(inp, str) and inp and isinstance(raw.get("instruction"), str):
        last_user = [m for m in conversation.messages if m.role is Role.USER][-1:]
        if last_user:
            last_user[0].alpaca_parts = (raw["instruction"], inp)
    if dropped:
        conversation.notes.append(f"message keys dropped: {', '.join(sorted(dropped))}")
    return conversation


def _note_once(conversation: Conversation, note: str) -> None:
    if note not in conversation.notes:
        conversation.notes.append(note)


def _mapped_role(raw: dict[str, Any], pointer: str, role_map: dict[str, Role]) -> bool:
    from dslint.model import resolve_pointer

    value = resolve_pointer(raw, pointer)
    return isinstance(value, str) and value in role_map


def from_template(raw: dict[str, Any], template: PromptTemplate, output_field: str,
                  fmt: str | None) -> Conversation:
    """A single exchange from any flat record: the user turn rendered from the template, the answer from
    `output_field`; the fields the template and the answer use are not extras."""
    answer = raw.get(output_field)
    if not isinstance(answer, str):
        raise Unconvertible(f"no string field {output_field!r} to use as the answer")
    used = set(template.fields) | {output_field}
    extras = {k: v for k, v in raw.items() if k not in used and k not in FORMAT_KEYS.get(fmt or "", ())}
    conversation = Conversation(extras=extras)
    system = raw.get("system")
    if isinstance(system, str) and system and "system" not in used:
        conversation.messages.append(Message(Role.SYSTEM, system))
        extras.pop("system", None)
    conversation.messages.append(Message(Role.USER, template.render(raw)))
    conversation.messages.append(Message(Role.ASSISTANT, answer))
    return conversation


def parse_role_map(text: str | None) -> dict[str, Role]:
    """`human=user,gpt=assistant` -> {raw role: normalised role}; raises ValueError on a bad entry."""
    found: dict[str, Role] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        raw, sep, role = part.partition("=")
        if not sep or not raw.strip():
            raise ValueError(f"--role-map entry {part.strip()!r} must be RAW=ROLE")
        try:
            found[raw.strip()] = Role(role.strip().lower())
        except ValueError:
            raise ValueError(f"--role-map: {role.strip()!r} is not one of system, user, assistant, tool") from None
        if found[raw.strip()] is Role.UNKNOWN:
            raise ValueError("--role-map: roles map to system, user, assistant or tool")
    return found
