"""Convert whole files: read with dslint's readers, normalise, build each record in the target format,
write atomically, then check the output with the FMT rules.

Records that cannot be converted are skipped and counted by reason; records converted with a loss carry
a note (counted by kind, the first few shown with their location).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dslint.convert.conversation import Conversation, Unconvertible, from_example
from dslint.convert.template import PromptTemplate
from dslint.fixing.writer import Style
from dslint.formats import ALPACA, CHAT, PROMPT_COMPLETION, SHAREGPT, normalise
from dslint.model import RawRecord, Role
from dslint.readers import Target, read

TARGETS = (ALPACA, CHAT, SHAREGPT, PROMPT_COMPLETION)
SHOWN_NOTES = 20


@dataclass
class ConvertOptions:
    target: str
    system: str | None = None
    role_map: dict[str, Role] = field(default_factory=dict)
    template: PromptTemplate | None = None
    output_field: str = "output"
    multi_turn: str = "history"


@dataclass
class ConvertReport:
    converted: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    shown: list[str] = field(default_factory=list)  # the first located notes and skips
    fmt_findings: int = 0

    def note(self, where: str, text: str, counter: Counter[str]) -> None:
        counter[text] += 1
        if len(self.shown) < SHOWN_NOTES:
            self.shown.append(f"{where}: {text}")


def build(conversation: Conversation, options: ConvertOptions) -> dict[str, Any]:
    """The conversation as a record of the target format (the adapters' reverse direction)."""
    from dslint.formats import alpaca, chat, prompt_completion, sharegpt

    conversation.with_system(options.system)
    if options.target == ALPACA:
        return alpaca.build(conversation, options.multi_turn)
    if options.target == SHAREGPT:
        return sharegpt.build(conversation)
    if options.target == PROMPT_COMPLETION:
        return prompt_completion.build(conversation)
    return chat.build(conversation)


def convert_records(records: Iterable[RawRecord], options: ConvertOptions, report: ConvertReport) -> Iterator[dict[str, Any]]:
    for raw in records:
        source = raw.source
        where = f"{source.path}:{source.line}" if source.line is not None else f"{source.path}#{source.index}"
        if raw.problem is not None:
            if source.index >= 0:
                report.note(where, f"unreadable record skipped ({raw.problem.value})", report.skipped)
            continue
        example = normalise(raw.value, source)
        try:
            conversation = from_example(example, options.role_map, options.template, options.output_field)
            record = build(conversation, options)
        except Unconvertible as exc:
            report.note(where, str(exc), report.skipped)
            continue
        for text in conversation.notes:
            report.note(where, text, report.notes)
        report.converted += 1
        yield record


def write_records(out: Path, records: Iterable[dict[str, Any]]) -> None:
    """JSON Lines (or a JSON array when `out` ends in .json), atomically."""
    from dslint.atomic import open_atomic

    line = Style((", ", ": "), False)
    as_array = out.name.lower().endswith(".json")
    with open_atomic(out) as handle:
        if as_array:
            handle.write(b"[")
        for n, record in enumerate(records):
            text = line.dumps(record)
            if as_array:
                handle.write((",\n  " if n else "\n  ").encode() + text.encode("utf-8"))
            else:
                handle.write(text.encode("utf-8") + b"\n")
        if as_array:
            handle.write(b"\n]\n")


def fmt_findings(out: Path) -> int:
    """How many FMT findings (default FMT rules) the written output has: it should have none."""
    from dslint.engine import Engine, Settings
    from dslint.readers.discover import discover
    from dslint.rules import all_rules

    rules = [rule for rule in all_rules() if rule.family == "FMT" and rule.default_enabled]
    engine = Engine(Settings(rules=rules))
    for target in discover([str(out)], root=out.parent):
        engine.check(target)
    return len(engine.finish().diagnostics)


def convert(targets: Iterable[Target], out: Path, options: ConvertOptions) -> ConvertReport:
    report = ConvertReport()
    records = (record for target in targets for record in convert_records(read(target), options, report))
    write_records(out, records)
    report.fmt_findings = fmt_findings(out) if report.converted else 0
    return report
