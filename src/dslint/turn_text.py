"""The text of a turn as a tokenizer sees it, for token counting (TPL rules and `dslint stats`).

Counting follows OpenAI's cookbook: each message costs its text plus `MESSAGE_OVERHEAD` tokens of framing
(role and delimiters), and every conversation `PRIMING_OVERHEAD` more for the reply's start. A tool call
counts its function name and its arguments text.
"""

from __future__ import annotations

from typing import Any

import orjson

from dslint.model import Turn

MESSAGE_OVERHEAD = 3
PRIMING_OVERHEAD = 3


def turn_text(turn: Turn) -> str:
    """The content, then each tool call's name and arguments (as written, or as compact JSON)."""
    if not turn.tool_calls:
        return turn.content
    parts = [turn.content] if turn.content else []
    for call in turn.tool_calls:
        if call.name:
            parts.append(call.name)
        parts.append(_arguments_text(call.arguments))
    return "\n".join(parts)


def _arguments_text(arguments: Any) -> str:
    if arguments is None:
        return ""
    if isinstance(arguments, str):
        return arguments
    try:
        return orjson.dumps(arguments).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return str(arguments)
