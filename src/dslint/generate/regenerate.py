"""`check --fix --unsafe-fixes --generate NEW`: after the ordinary fixes, ask an LLM to repair what only
a rewrite can: a vague instruction (VAG), missing input (CTX), a misaligned output (ALN).

Per affected record and family, one request: VAG rewrites the request, CTX supplies the material the request
refers to (Alpaca `input`, else appended to the first user message), ALN writes a new answer. Each changed
record says so in a `dslint_provenance` key (rule, pointer, model). The result goes to a new file only,
written atomically; the input is never touched. A request that fails after its retries leaves the record as
it was and is counted.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dslint.fixing.model import add, replace
from dslint.fixing.patch import PatchError, apply_edit
from dslint.formats import ALPACA, normalise
from dslint.generate.llm import Endpoint, LLMError, complete
from dslint.model import ASSISTANT, USER, Diagnostic, Source, resolve_pointer
from dslint.text import instruction

FAMILIES = ("VAG", "CTX", "ALN")  # in the order they are repaired: the request first, then the answer
PROVENANCE_KEY = "dslint_provenance"

_PROMPTS = {
    "VAG": ("The following instruction from a fine-tuning dataset is too vague ({why}). Rewrite it as one "
            "clear, specific instruction that keeps its intent. Reply with the instruction only.\n\n"
            "Instruction:\n{instruction}"),
    "CTX": ("The following instruction refers to material that is missing ({why}). Write that material "
            "(the text, code or data it refers to), realistic and short. Reply with the material only.\n\n"
            "Instruction:\n{instruction}"),
    "ALN": ("The answer below does not fit its instruction ({why}). Write a correct, complete answer to the "
            "instruction. Reply with the answer only.\n\nInstruction:\n{instruction}\n\n{context}"
            "Answer to replace:\n{output}"),
}


@dataclass
class RegenerateReport:
    regenerated: int = 0
    failed: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


def affected(diagnostics: list[Diagnostic], key_of: Callable[[Diagnostic], int | None]) -> dict[int, dict[str, Diagnostic]]:
    """Per record key, the first finding of each family to repair."""
    found: dict[int, dict[str, Diagnostic]] = {}
    for diagnostic in diagnostics:
        key = key_of(diagnostic)
        family = diagnostic.code[:3]
        if key is not None and family in FAMILIES:
            found.setdefault(key, {}).setdefault(family, diagnostic)
    return found


def _last(example: Any, role: Any) -> Any:
    for turn in reversed(example.turns):
        if turn.role is role:
            return turn
    return None


def regenerate_record(record: dict[str, Any], findings: dict[str, Diagnostic], endpoint: Endpoint,
                      report: RegenerateReport) -> dict[str, Any] | None:
    """The record with each family's repair applied (None when nothing changed)."""
    changed: list[dict[str, str]] = []
    current = record
    for family in FAMILIES:
        diagnostic = findings.get(family)
        if diagnostic is None:
            continue
        example = normalise(current, Source("x", None, 0))
        request = instruction(example)
        answer = _last(example, ASSISTANT)
        if request is None or example.format is None:
            report.skipped["no instruction to work from"] += 1
            continue
        inp = current.get("input") if example.format == ALPACA and isinstance(current.get("input"), str) else ""
        prompt = _PROMPTS[family].format(
            why=diagnostic.message, instruction=request.text,
            context=f"Input:\n{inp}\n\n" if inp else "", output=answer.content if answer else "")
        try:
            text = complete(endpoint, prompt).strip()
        except LLMError as exc:
            report.failed += 1
            report.failures[str(exc)] += 1
            continue
        if not text:
            report.failures["empty answer"] += 1
            report.failed += 1
            continue
        edit = _edit(family, example, current, request.pointer, text, answer)
        if edit is None:
            report.skipped[f"{family}: the record's shape has no place for the new text"] += 1
            continue
        try:
            current = apply_edit(copy.deepcopy(current), edit)
        except PatchError:
            report.skipped[f"{family}: the record's shape has no place for the new text"] += 1
            continue
        changed.append({"rule": diagnostic.code, "pointer": edit.pointer, "model": endpoint.model})
        report.regenerated += 1
    if not changed:
        return None
    found = current.get(PROVENANCE_KEY)
    provenance: dict[str, Any] = found if isinstance(found, dict) else {}
    earlier = provenance.get("regenerated")
    current[PROVENANCE_KEY] = {**provenance, "regenerated": [*(earlier if isinstance(earlier, list) else []), *changed]}
    return current


def _edit(family: str, example: Any, record: dict[str, Any], request_pointer: str, text: str, answer: Any) -> Any:
    if family == "VAG":
        return replace(request_pointer, text) if isinstance(resolve_pointer(record, request_pointer), str) else None
    if family == "CTX":
        if example.format == ALPACA:
            return replace("/input", text) if "input" in record else add("/input", text)
        user = next((turn for turn in example.turns if turn.role is USER), None)
        if user is None:
            return None
        original = resolve_pointer(record, user.pointer)
        return replace(user.pointer, f"{original.rstrip()}\n\n{text}") if isinstance(original, str) else None
    if answer is None or not isinstance(resolve_pointer(record, answer.pointer), str):
        return None
    return replace(answer.pointer, text)
