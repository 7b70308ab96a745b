"""How a rule is declared: metadata beside the code, documentation in the docstring.

Three kinds of rule exist:

- record rules: a function `check(example, options) -> Iterable[Violation]`, pure, called per example;
- dataset rules: a class with `observe(example)`, `merge(other)` and `finish() -> Iterable[Violation]`,
  holding only bounded state, so shards can be checked apart and merged (`--jobs`);
- read rules: no code at all; the reader reports a `ReadProblem` and the rule declaring it carries the
  code, name and documentation of that finding.

Rules never set their own severity and never decide suppression: the engine stamps both.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from dslint.model import Example, ReadProblem, Severity, Violation

CODE_PATTERN = re.compile(r"^[A-Z]{3}\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
REQUIRED_SECTIONS = ("What it does", "Why it matters", "Example", "Use instead")


# Facts about an example that a record rule may declare it needs (`needs=` on `record_rule`). The engine
# calls a rule only on examples with every fact it needs, so a rule about tool calls costs nothing on the
# records without any. A rule must yield nothing on an example lacking a fact it needs (a property test
# checks this); the facts are read once per example, however many rules need them.
NEEDS: dict[str, str] = {
    "unrecognised": "the record matches no format (`example.format` is None)",
    "issues": "the adapter found schema issues (`example.issues` is not empty)",
    "tools": "a turn carries a tool call or is a tool result (`example.has_tools`)",
}


def facts(fmt: str | None, has_issues: bool, has_tools: bool) -> frozenset[str]:
    """The facts (keys of NEEDS) an example with this format, issues and tools has."""
    found = {"unrecognised"} if fmt is None else set()
    if has_issues:
        found.add("issues")
    if has_tools:
        found.add("tools")
    return frozenset(found)


class NoOptions(BaseModel):
    """Options model of a rule that takes none."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RuleOptions(BaseModel):
    """Base for a rule's options: unknown keys are an error, keys are kebab-case in config files."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        alias_generator=lambda name: name.replace("_", "-"),
        defer_build=True,
    )


class DatasetState(Protocol):
    def observe(self, example: Example) -> None: ...
    def merge(self, other: Any) -> None: ...
    def finish(self) -> Iterable[Violation]: ...


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    options: type[BaseModel]
    kind: str  # "record" | "dataset" | "read"
    check: Callable[[Example, Any], Iterable[Violation]] | None = None
    factory: Callable[[Any], DatasetState] | None = None
    reads: ReadProblem | None = None
    default_enabled: bool = True
    fixable: bool = False
    formats: frozenset[str] | None = None  # None: every format
    needs: frozenset[str] = frozenset()  # facts (keys of NEEDS) an example must have for the rule to apply

    def applies(self, fmt: str | None, example_facts: frozenset[str]) -> bool:
        """Whether the engine calls this record rule on an example of this format with these facts."""
        return (self.formats is None or fmt in self.formats) and self.needs <= example_facts

    @property
    def family(self) -> str:
        return self.code[:3]

    def sections(self) -> dict[str, str]:
        return doc_sections(self.doc)


_REGISTRY: list[Rule] = []


def _validate(code: str, name: str, doc: str | None) -> str:
    if not CODE_PATTERN.match(code):
        raise ValueError(f"rule code {code!r} must be three capitals and three digits")
    if not NAME_PATTERN.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    if not doc:
        raise ValueError(f"rule {code} has no docstring")
    return inspect.cleandoc(doc)


def record_rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    options: type[BaseModel] = NoOptions,
    default_enabled: bool = True,
    fixable: bool = False,
    formats: Iterable[str] | None = None,
    needs: Iterable[str] = (),
) -> Callable[[Callable[..., Iterable[Violation]]], Callable[..., Iterable[Violation]]]:
    """Declare a record rule: a pure function of (example, options) yielding violations.

    `formats` and `needs` (facts from NEEDS) say which examples the rule can fire on; the engine skips the
    others without calling it.
    """
    unknown = set(needs) - set(NEEDS)
    if unknown:
        raise ValueError(f"rule {code} needs unknown facts {sorted(unknown)}; known: {sorted(NEEDS)}")

    def register(func: Callable[..., Iterable[Violation]]) -> Callable[..., Iterable[Violation]]:
        doc = _validate(code, name, func.__doc__)
        _REGISTRY.append(
            Rule(code, name, severity, summary, doc, options, "record", check=func,
                 default_enabled=default_enabled, fixable=fixable,
                 formats=frozenset(formats) if formats else None, needs=frozenset(needs))
        )
        return func

    return register


def dataset_rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    options: type[BaseModel] = NoOptions,
    default_enabled: bool = True,
    fixable: bool = False,
) -> Callable[[type], type]:
    """Declare a dataset rule: a class built from its options with observe/merge/finish."""

    def register(cls: type) -> type:
        doc = _validate(code, name, cls.__doc__)
        _REGISTRY.append(
            Rule(code, name, severity, summary, doc, options, "dataset", factory=cls,
                 default_enabled=default_enabled, fixable=fixable)
        )
        return cls

    return register


def read_rule(
    *, code: str, name: str, severity: Severity, summary: str, reads: ReadProblem
) -> Callable[[type], type]:
    """Declare the rule that reports a reader's problem; the class only carries the documentation."""

    def register(cls: type) -> type:
        doc = _validate(code, name, cls.__doc__)
        _REGISTRY.append(Rule(code, name, severity, summary, doc, NoOptions, "read", reads=reads))
        return cls

    return register


def engine_rule(*, code: str, name: str, severity: Severity, summary: str) -> Callable[[type], type]:
    """Declare a finding the engine itself makes (e.g. about inline suppressions); the class only carries
    the documentation. Selection and severity apply to it as to any rule."""

    def register(cls: type) -> type:
        doc = _validate(code, name, cls.__doc__)
        _REGISTRY.append(Rule(code, name, severity, summary, doc, NoOptions, "engine"))
        return cls

    return register


def registered() -> list[Rule]:
    return list(_REGISTRY)


_SECTION = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its `## Section` parts (the first paragraph is the `Summary`)."""
    parts = _SECTION.split(doc)
    sections = {"Summary": parts[0].strip()}
    for title, body in zip(parts[1::2], parts[2::2]):
        sections[title.strip()] = body.strip()
    return sections


_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)


def doc_examples(doc: str, section: str) -> list[tuple[str, str]]:
    """The fenced code blocks of one docstring section, as (language, text)."""
    body = doc_sections(doc).get(section, "")
    return [(lang, text) for lang, text in _FENCE.findall(body)]


class DatasetRuleBase:
    """Convenience base: keeps the options, and documents the protocol dataset rules follow."""

    options: Any
    bounded: ClassVar[bool] = True

    def __init__(self, options: Any) -> None:
        self.options = options

    def observe(self, example: Example) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def merge(self, other: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def finish(self) -> Iterable[Violation]:  # pragma: no cover - interface
        raise NotImplementedError
