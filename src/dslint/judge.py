"""The LLM judge (`dslint check --judge`): a second opinion on the content rules' findings.

The VAG, CTX and ALN rules are heuristics, measured but not perfect. With `--judge`, each of their findings
is shown to a model behind an OpenAI-compatible endpoint, with the record it is about, and the model answers
"confirm" or "dismiss". Dismissed findings leave the report; confirmed ones stay, and so does every finding
the judge could not decide (a request that failed, an answer that is not a verdict). So the judge can only
take false alarms away: it adds no finding and hides none it did not see. It is never on by default, costs
one request per finding (at most `limit`), and sends the records it judges to the endpoint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from dslint.formats import normalise
from dslint.generate.llm import Endpoint, LLMError, complete
from dslint.model import Diagnostic, Example, Role, RunResult
from dslint.readers import Target, read
from dslint.rules.base import Rule

JUDGED_FAMILIES = ("VAG", "CTX", "ALN")
DEFAULT_LIMIT = 500
DEFAULT_WORKERS = 4
_TURN_CHARS = 2_000  # each turn shown to the judge is cut to this many characters (start and end kept)
_VERDICT = re.compile(r"\{[^{}]*\}")

PROMPT = """You review one example of an instruction-tuning dataset (data used to fine-tune a language model).
A linter reported a problem with it. Decide whether the report is right for this example.

Rule {code} ({name}): {summary}
Report: {message}
The report points at: {pointer}

The example:
{example}

Answer with one JSON object and nothing else:
{{"verdict": "confirm", "reason": "<one short sentence>"}} if the problem is really there, or
{{"verdict": "dismiss", "reason": "<one short sentence>"}} if it is a false alarm."""


@dataclass
class Verdicts:
    """What the judge made of the findings it was shown."""

    model: str
    confirmed: int = 0
    dismissed: list[tuple[Diagnostic, str]] = field(default_factory=list)
    undecided: int = 0
    not_judged: int = 0  # content findings beyond the limit, or whose record could not be read again

    def summary(self) -> str:
        judged = self.confirmed + len(self.dismissed) + self.undecided
        text = (f"judge ({self.model}): {judged} finding(s) judged: {self.confirmed} confirmed, "
                f"{len(self.dismissed)} dismissed, {self.undecided} undecided (kept)")
        return text + (f"; {self.not_judged} not judged (kept)" if self.not_judged else "")


def judge(result: RunResult, targets: Sequence[Target], endpoint: Endpoint, rules: dict[str, Rule], *,
          max_record_bytes: int | None = None, limit: int = DEFAULT_LIMIT,
          workers: int = DEFAULT_WORKERS) -> tuple[RunResult, Verdicts]:
    """The result without the content findings the judge dismissed, and what it decided."""
    verdicts = Verdicts(endpoint.model)
    content = [d for d in result.diagnostics if d.code[:3] in JUDGED_FAMILIES and d.record is not None]
    chosen, verdicts.not_judged = content[:limit], max(0, len(content) - limit)
    examples = _examples(targets, {(d.path, d.record) for d in chosen}, max_record_bytes)
    asked = [(d, examples.get((d.path, d.record))) for d in chosen]
    verdicts.not_judged += sum(1 for _, example in asked if example is None)
    asked = [(d, example) for d, example in asked if example is not None]
    prompts = [_prompt(d, rules.get(d.code), example) for d, example in asked]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        answers = list(pool.map(lambda prompt: _ask(endpoint, prompt), prompts))
    dismissed: set[int] = set()
    for (diagnostic, _), answer in zip(asked, answers):
        if answer is None:
            verdicts.undecided += 1
        elif answer[0] == "dismiss":
            verdicts.dismissed.append((diagnostic, answer[1]))
            dismissed.add(id(diagnostic))
        else:
            verdicts.confirmed += 1
    kept = [d for d in result.diagnostics if id(d) not in dismissed]
    return replace(result, diagnostics=kept), verdicts


def _examples(targets: Iterable[Target], wanted: set[tuple[str, int | None]],
              max_record_bytes: int | None) -> dict[tuple[str, int | None], Example]:
    """The records the findings are about, read again and normalised (a file is read only while some are
    still missing)."""
    found: dict[tuple[str, int | None], Example] = {}
    paths = {path for path, _ in wanted}
    for target in targets:
        if len(found) == len(wanted):
            break
        if target.display not in paths and not any(path.startswith(target.display) for path in paths):
            continue
        for raw in read(target, max_record_bytes):
            key = (raw.source.path, raw.source.index)
            if key in wanted and raw.problem is None and key not in found:
                found[key] = normalise(raw.value, raw.source)
                if len(found) == len(wanted):
                    break
    return found


def _prompt(diagnostic: Diagnostic, rule: Rule | None, example: Example) -> str:
    return PROMPT.format(code=diagnostic.code, name=diagnostic.name, summary=rule.summary if rule else "",
                         message=diagnostic.message, pointer=diagnostic.pointer or "the record",
                         example=_render(example, diagnostic.pointer))


def _render(example: Example, pointer: str | None) -> str:
    """The record as the judge reads it: Alpaca's fields by name, or the turns by role; the part the finding
    points at is marked."""
    if "instruction" in example.fields or "output" in example.fields:
        parts = [(name, at, text) for name, (at, text) in example.fields.items()]
    else:
        parts = [(_role_name(turn.role, turn.raw_role), turn.pointer, turn.content) for turn in example.turns]
    lines = []
    for name, at, text in parts:
        mark = "  <-- the report points here" if at == pointer else ""
        lines.append(f"[{name}]{mark}\n{_cut(text) if text else '(empty)'}")
    return "\n\n".join(lines)


def _role_name(role: Role, raw: str | None) -> str:
    return role.value if role is not Role.UNKNOWN else (raw or "unknown")


def _cut(text: str) -> str:
    if len(text) <= _TURN_CHARS:
        return text
    half = _TURN_CHARS // 2
    return f"{text[:half]}\n[... {len(text) - 2 * half} characters left out ...]\n{text[-half:]}"


def _ask(endpoint: Endpoint, prompt: str) -> tuple[str, str] | None:
    """("confirm" | "dismiss", reason), or None when the request failed or the answer is not a verdict."""
    try:
        answer = complete(endpoint, prompt)
    except LLMError:
        return None
    return parse_verdict(answer)


def parse_verdict(answer: str) -> tuple[str, str] | None:
    """The first JSON object of the answer that holds a verdict (models wrap JSON in prose or fences)."""
    for candidate in _VERDICT.findall(answer):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        verdict = str(value.get("verdict", "")).strip().lower() if isinstance(value, dict) else ""
        if verdict in ("confirm", "dismiss"):
            reason = value.get("reason")
            return verdict, " ".join(reason.split()) if isinstance(reason, str) else ""
    return None
