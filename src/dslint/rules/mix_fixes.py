"""The fixes of the MIX dataset rules: bring a minority record in line with its file's majority.

MIX003 renames a record's roles into the majority vocabulary; MIX004 writes "no input" the majority's way.
Both are safe: the record says the same thing, in the file's own convention. MIX005's removal of literal
control tokens is unsafe: the text the model sees changes.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from dslint.fixing.builders import remove_spans
from dslint.fixing.model import Fix, add, remove, replace, safe
from dslint.formats import CHAT, PREFERENCE, PROMPT_COMPLETION, SHAREGPT
from dslint.formats.common import CHAT_ROLES, SHAREGPT_ROLES
from dslint.rules import mix_roles

MISSING, NULL = "\x00missing", "\x00null"  # MIX004's categories for a missing key and null


def _accepted(fmt: Hashable, pairs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The role names a record of this format can take without becoming an unknown role (FMT009)."""
    if fmt == SHAREGPT:
        return frozenset(SHAREGPT_ROLES) | frozenset(CHAT_ROLES)
    if fmt in (CHAT, PROMPT_COMPLETION):
        return frozenset(CHAT_ROLES)
    if fmt == PREFERENCE and pairs and all(pointer.endswith("/from") for pointer, _ in pairs):
        return frozenset(SHAREGPT_ROLES)
    return frozenset(CHAT_ROLES)


def role_fix(pairs: Any, majority: Hashable, fmt: Hashable) -> Fix | None:
    """Rename the record's roles (all of them, at their role pointers) into the majority vocabulary."""
    if not isinstance(majority, str) or not isinstance(pairs, tuple):
        return None
    mapping = mix_roles.renaming(pairs, majority, _accepted(fmt, pairs))
    if not mapping:
        return None
    edits = [replace(pointer, mapping[role]) for pointer, role in pairs if role in mapping]
    renamed = ", ".join(f"{old!r} to {new!r}" for old, new in mapping.items())
    return safe(f"rename roles {renamed} ({mix_roles.describe(majority)})", *edits)


def placeholder_fix(pointer: str | None, category: Hashable, majority: Hashable, spelling: str | None) -> Fix | None:
    """Write a record's missing input the way most of the file does (`spelling`: the majority's own text)."""
    if pointer is None or category == majority:
        return None
    if majority == MISSING:
        return safe('remove the "input" key, as most records do', remove(pointer))
    value: Any = None if majority == NULL else (spelling if spelling is not None else str(majority))
    shown = "null" if value is None else f'"{value}"'
    edit = add(pointer, value) if category == MISSING else replace(pointer, value)
    return safe(f"write no input as {shown}, as most records do", edit)


# Literal chat control tokens MIX005 may remove: ChatML's with the role name after `<|im_start|>`, and
# Llama's [INST] markers. Alpaca headers and role labels are prose-like and are not removed.
CONTROL_TOKENS = re.compile(
    r"<\|im_start\|>[ \t]*(?:system|user|assistant|tool)?[ \t]*\n?|<\|im_end\|>[ \t]*\n?|\[/?INST\][ \t]*"
)
TOKEN_KINDS = frozenset({"ChatML marker", "Llama [INST] marker"})


def control_token_fix(raw: Any, pointer: str | None, kind: str) -> Fix | None:
    """Remove literal ChatML / Llama control tokens from the text at `pointer` (unsafe)."""
    if pointer is None or kind not in TOKEN_KINDS:
        return None
    return remove_spans(raw, pointer, CONTROL_TOKENS, "the literal control tokens")
