"""Resolve a loaded configuration plus command-line overrides into the engine's settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dslint.config import ConfigError, LoadedConfig, describe_validation_error
from dslint.engine import Settings
from dslint.model import Severity
from dslint.rules import all_rules
from dslint.rules.base import Rule
from dslint.selection import SelectorError, match, resolve, specificity


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None means "as configured"."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fail_on: str | None = None
    max_record_bytes: int | None = None


def _split(values: Sequence[str]) -> list[str]:
    """Selectors from options that may be repeated and comma-separated: `--select FMT,MIX002`."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _codes(selectors: Sequence[str], rules: Sequence[Rule], where: str) -> frozenset[str]:
    try:
        return frozenset(rule.code for sel in selectors for rule in match(sel, rules))
    except SelectorError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _rule_options(tables: dict[str, dict[str, Any]], rules: Sequence[Rule], label: str) -> dict[str, Any]:
    by_key = {key: rule for rule in rules for key in (rule.code, rule.name)}
    options: dict[str, Any] = {}
    for key, table in tables.items():
        rule = by_key.get(key)
        if rule is None:
            raise ConfigError(f"{label}: rules.{key}: unknown rule (use a code like FMT016 or its name)")
        try:
            options[rule.code] = rule.options.model_validate(table)
        except ValidationError as exc:
            raise ConfigError(describe_validation_error(f"{label}: rules.{key}", exc)) from None
    return options


def _severities(table: dict[str, Severity], rules: Sequence[Rule], label: str) -> dict[str, Severity]:
    severity: dict[str, Severity] = {}
    for selector in sorted(table, key=specificity):
        for code in _codes([selector], rules, f"{label}: severity"):
            severity[code] = table[selector]
    return severity


def _path_matcher(pattern: str, root: Path, cwd: Path) -> Callable[[str], bool]:
    from dslint.globs import compile_globs

    matches = compile_globs([pattern])

    def relative_to_root(display: str) -> bool:
        absolute = os.path.normpath(os.path.join(cwd, display))
        try:
            relative = Path(absolute).relative_to(root).as_posix()
        except ValueError:
            relative = display
        return matches(relative)

    return relative_to_root


def build_settings(loaded: LoadedConfig, overrides: Overrides, cwd: Path) -> Settings:
    config = loaded.config
    label = loaded.path.name if loaded.path else "configuration"
    if loaded.path is not None and loaded.path.name == "pyproject.toml":
        label = "[tool.dslint]"
    rules = all_rules()
    select = _split(overrides.select) if overrides.select is not None else config.select
    extend = [*config.extend_select, *_split(overrides.extend_select)]
    ignore = [*config.ignore, *_split(overrides.ignore)]
    try:
        enabled = resolve(rules, select, extend, ignore)
    except SelectorError as exc:
        raise ConfigError(str(exc)) from None
    per_file = [
        (_path_matcher(glob, loaded.root, cwd), _codes(codes, rules, f"{label}: per-file-ignores"))
        for glob, codes in config.per_file_ignores.items()
    ]
    return Settings(
        rules=enabled,
        severity=_severities(config.severity, rules, label),
        options=_rule_options(config.rules, rules, label),
        per_file_ignores=per_file,
        fail_on=Severity(overrides.fail_on or config.fail_on),
        max_record_bytes=overrides.max_record_bytes or config.max_record_bytes,
        inline_suppression_key=config.inline_suppression_key,
    )
