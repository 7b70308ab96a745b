"""Prompt templates merging several fields into one user turn: `{field}` slots and `[[...]]` optional parts.

`{instruction}[[\n\nInput: {input}]]` renders the instruction, and the input part only when `input` is
present and not empty (a section is dropped when any field it names is empty or missing). `{{` and `}}`
write literal braces. Fields are the record's top-level keys; non-string values are written as JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_SLOT = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_ .-]*)\}")
_SECTION = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


class TemplateError(ValueError):
    """A template that cannot be used (one-line reason)."""


def _value(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class PromptTemplate:
    text: str

    def __post_init__(self) -> None:
        if "[[" in _SECTION.sub("", self.text) or "]]" in _SECTION.sub("", self.text):
            raise TemplateError("unbalanced [[ ]] section in --prompt-template")
        if not self.fields:
            raise TemplateError("--prompt-template names no {field}")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.group(1) for m in _SLOT.finditer(self.text) if m.group(1)))

    def render(self, record: dict[str, Any]) -> str:
        def section(match: re.Match[str]) -> str:
            body = match.group(1)
            names = [m.group(1) for m in _SLOT.finditer(body) if m.group(1)]
            return body if names and all(_value(record, name).strip() for name in names) else ""

        def slot(match: re.Match[str]) -> str:
            if match.group(1) is None:
                return match.group(0)[0]
            return _value(record, match.group(1))

        return _SLOT.sub(slot, _SECTION.sub(section, self.text))
