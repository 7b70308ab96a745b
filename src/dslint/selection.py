"""Rule selectors, as in ruff: a code (`FMT006`), a prefix (`FMT`, `FMT0`), a kebab name or `ALL`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dslint.rules.base import Rule


class SelectorError(ValueError):
    pass


def specificity(selector: str) -> int:
    """ALL < prefix (longer is more specific) < exact code or name."""
    if selector == "ALL":
        return 0
    if len(selector) == 6 and selector[:3].isalpha() and selector[3:].isdigit():
        return 10
    if selector[:1].islower():
        return 10
    return len(selector)


def match(selector: str, rules: Sequence[Rule]) -> list[Rule]:
    """The rules a selector names; raises SelectorError when it names none."""
    if selector == "ALL":
        return list(rules)
    if selector[:1].islower():
        found = [rule for rule in rules if rule.name == selector]
    else:
        found = [rule for rule in rules if rule.code.startswith(selector.upper())]
    if not found:
        raise SelectorError(f"unknown rule selector {selector!r}")
    return found


def resolve(
    rules: Sequence[Rule],
    select: Iterable[str] | None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> list[Rule]:
    """The enabled rules. Without `select`, the rules enabled by default; opt-in rules need naming."""
    if select is None:
        enabled = {rule.code for rule in rules if rule.default_enabled}
    else:
        enabled = {rule.code for sel in select for rule in match(sel, rules)}
    enabled |= {rule.code for sel in extend_select for rule in match(sel, rules)}
    enabled -= {rule.code for sel in ignore for rule in match(sel, rules)}
    return [rule for rule in rules if rule.code in enabled]


def validate(selectors: Iterable[str], rules: Sequence[Rule]) -> None:
    for selector in selectors:
        match(selector, rules)
