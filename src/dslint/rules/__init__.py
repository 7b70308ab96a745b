"""The rule registry: every family module is listed here explicitly, so the set of rules is greppable."""

from __future__ import annotations

import importlib
from functools import lru_cache

from dslint.rules.base import Rule, registered

# One module per family; add a family by adding its module here.
FAMILIES: dict[str, str] = {
    "FMT": "dslint.rules.fmt",
    "MIX": "dslint.rules.mix",
    "VAG": "dslint.rules.vag",
    "CTX": "dslint.rules.ctx",
    "ALN": "dslint.rules.aln",
    "SEC": "dslint.rules.sec",
    "DUP": "dslint.rules.dup",
    "DST": "dslint.rules.dst",
    "TPL": "dslint.rules.tpl",
    "DSL": "dslint.rules.dsl",
}

FAMILY_TITLES: dict[str, str] = {
    "FMT": "format & schema",
    "MIX": "format mixing",
    "VAG": "vagueness",
    "CTX": "missing context",
    "ALN": "output/instruction alignment",
    "DUP": "duplicates & consistency",
    "TPL": "chat templates & tokens",
    "SEC": "secrets, PII & text hygiene",
    "DST": "dataset-level health",
    "DSL": "dslint annotations in the data",
}


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, sorted by code."""
    for module in FAMILIES.values():
        importlib.import_module(module)
    rules = sorted(registered(), key=lambda rule: rule.code)
    seen: dict[str, str] = {}
    for rule in rules:
        for key in (rule.code, rule.name):
            if key in seen:
                raise RuntimeError(f"rule {rule.code}: {key!r} is already used by {seen[key]}")
            seen[key] = rule.code
    return tuple(rules)


def rule_by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in all_rules()}
