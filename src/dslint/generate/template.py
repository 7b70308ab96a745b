"""Template-based generation: a spec of instruction / input / output (and system) templates with slots.

A spec (YAML or JSON):

    format: alpaca            # alpaca (default), chatml, sharegpt or prompt-completion
    system: "You are a translator."          # optional
    instruction: "Translate '{pair.text}' into {language}."
    input: ""                                # optional
    output: "{pair.answer}"
    slots:
      language: [French, German]
      pair: [{text: "thank you", answer: "..."}, ...]   # object values: {pair.text}

Every combination of slot values is one example (or `n` of them sampled with a seed). `{slot}` and
`{slot.key}` are replaced, `{{` and `}}` are literal braces.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dslint.convert.conversation import Conversation, Message
from dslint.model import Role

_SLOT = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\}")
MAX_COMBINATIONS = 1_000_000
FIELDS = ("system", "instruction", "input", "output")


class SpecError(ValueError):
    """A spec that cannot be used (one-line reason)."""


@dataclass(frozen=True)
class Spec:
    templates: dict[str, str]
    slots: dict[str, list[Any]]
    format: str = "alpaca"

    @property
    def combinations(self) -> int:
        total = 1
        for values in self.slots.values():
            total *= len(values)
        return total


def load_spec(path: Path) -> Spec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot read the spec ({exc})") from None
    if path.suffix.lower() != ".json":
        try:
            import yaml  # type: ignore[import-untyped]
        except ImportError:
            raise SpecError(f"{path}: YAML specs need PyYAML (pip install pyyaml); or write the spec as .json") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except Exception as exc:  # noqa: BLE001 - any parse error is the user's, reported in one line
        raise SpecError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
                        f"{str(exc).splitlines()[0]}") from None
    return parse_spec(data, str(path))


def parse_spec(data: Any, name: str = "spec") -> Spec:
    if not isinstance(data, dict):
        raise SpecError(f"{name}: must be a mapping with instruction, output and slots")
    unknown = set(data) - {*FIELDS, "slots", "format"}
    if unknown:
        raise SpecError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}")
    templates = {key: data[key] for key in FIELDS if key in data}
    for key in ("instruction", "output"):
        if not isinstance(templates.get(key), str) or not templates[key].strip():
            raise SpecError(f"{name}: `{key}` must be a non-empty template string")
    for key, value in templates.items():
        if not isinstance(value, str):
            raise SpecError(f"{name}: `{key}` must be a string")
    slots = data.get("slots") or {}
    if not isinstance(slots, dict) or any(not isinstance(v, list) or not v for v in slots.values()):
        raise SpecError(f"{name}: `slots` must map each slot name to a non-empty list of values")
    for key, template in templates.items():
        for match in _SLOT.finditer(template):
            slot, attribute = match.group(1), match.group(2)
            if slot is None:
                continue
            if slot not in slots:
                raise SpecError(f"{name}: `{key}` uses slot {{{slot}}}, which `slots` does not define")
            if attribute and not all(isinstance(v, dict) and attribute in v for v in slots[slot]):
                raise SpecError(f"{name}: every value of slot `{slot}` needs key `{attribute}` (used in `{key}`)")
    fmt = data.get("format", "alpaca")
    if fmt not in ("alpaca", "chatml", "sharegpt", "prompt-completion"):
        raise SpecError(f"{name}: format must be alpaca, chatml, sharegpt or prompt-completion")
    return Spec(templates, {str(k): v for k, v in slots.items()}, fmt)


def render(template: str, values: dict[str, Any]) -> str:
    def slot(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)[0]
        value = values[match.group(1)]
        if match.group(2):
            value = value[match.group(2)]
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    return _SLOT.sub(slot, template)


def assignments(spec: Spec, n: int | None, seed: int) -> Iterator[dict[str, Any]]:
    """Every combination of slot values in order, or `n` distinct ones sampled with `seed`."""
    names = list(spec.slots)
    total = spec.combinations
    if n is None:
        if total > MAX_COMBINATIONS:
            raise SpecError(f"{total:,} combinations: sample some with -n")
        for combo in itertools.product(*(spec.slots[name] for name in names)):
            yield dict(zip(names, combo))
        return
    for index in random.Random(seed).sample(range(total), min(n, total)):
        values: dict[str, Any] = {}
        for name in reversed(names):
            index, digit = divmod(index, len(spec.slots[name]))
            values[name] = spec.slots[name][digit]
        yield {name: values[name] for name in names}


def conversation(spec: Spec, values: dict[str, Any]) -> tuple[Conversation, str]:
    """The example for one assignment, and its dedupe key (texts trimmed, case folded)."""
    texts = {key: render(template, values) for key, template in spec.templates.items()}
    messages = []
    if texts.get("system", "").strip():
        messages.append(Message(Role.SYSTEM, texts["system"]))
    user = texts["instruction"] + (f"\n\n{texts['input']}" if texts.get("input", "").strip() else "")
    parts = (texts["instruction"], texts["input"]) if texts.get("input", "").strip() else None
    messages.append(Message(Role.USER, user, alpaca_parts=parts))
    messages.append(Message(Role.ASSISTANT, texts["output"]))
    key = "\x1f".join(" ".join(t.split()).casefold() for t in (texts.get("system", ""), user, texts["output"]))
    return Conversation(messages), key
