"""Human- and machine-readable views of rules and settings (`dslint rule`, `dslint rules`, `config show`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dslint.rules import FAMILY_TITLES
from dslint.rules.base import Rule


def _options_doc(rule: Rule) -> list[dict[str, Any]]:
    described = []
    for name, info in rule.options.model_fields.items():
        described.append({
            "name": info.alias or name.replace("_", "-"),
            "default": info.get_default(call_default_factory=True),
            "description": info.description or "",
        })
    return described


def rule_text(rule: Rule) -> str:
    family = FAMILY_TITLES.get(rule.family, rule.family)
    enabled = "on by default" if rule.default_enabled else "opt-in (select it to enable)"
    header = [
        f"{rule.code} ({rule.name})",
        "",
        f"{rule.summary}.",
        "",
        f"Severity: {rule.severity.value} · Family: {rule.family} ({family}) · Kind: {rule.kind} rule · {enabled}",
    ]
    if rule.fixable:
        header.append("Fix: available")
    options = _options_doc(rule)
    if options:
        header.append("Options: " + ", ".join(f"{o['name']} = {json.dumps(o['default'])}" for o in options))
    return "\n".join(header) + "\n\n" + rule.doc.strip()


def rule_record(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "severity": rule.severity.value,
        "kind": rule.kind,
        "summary": rule.summary,
        "default_enabled": rule.default_enabled,
        "fixable": rule.fixable,
        "options": _options_doc(rule),
        "doc": rule.doc,
    }


def rule_json(rule: Rule) -> str:
    return json.dumps(rule_record(rule), indent=2, ensure_ascii=False, default=str)


def rules_table(rules: Sequence[Rule]) -> str:
    rows = [("CODE", "NAME", "SEVERITY", "FAMILY", "SUMMARY")]
    for rule in rules:
        summary = rule.summary + ("" if rule.default_enabled else " (opt-in)")
        rows.append((rule.code, rule.name, rule.severity.value, rule.family, summary))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def rules_json(rules: Sequence[Rule]) -> str:
    records = [{k: v for k, v in rule_record(r).items() if k != "doc"} for r in rules]
    return json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n"


def settings_record(loaded: Any, settings: Any) -> dict[str, Any]:
    config = loaded.config
    return {
        "config_file": str(loaded.path) if loaded.path else None,
        "fail_on": settings.fail_on.value,
        "enabled": [rule.code for rule in settings.rules],
        "severity": {code: sev.value for code, sev in sorted(settings.severity.items())},
        "per_file_ignores": config.per_file_ignores,
        "exclude": config.exclude,
        "rules": {
            rule.code: settings.options_for(rule).model_dump(by_alias=True, mode="json")
            for rule in settings.rules
            if rule.options.model_fields
        },
    }


def settings_json(loaded: Any, settings: Any) -> str:
    return json.dumps(settings_record(loaded, settings), indent=2, ensure_ascii=False) + "\n"


def settings_text(loaded: Any, settings: Any) -> str:
    record = settings_record(loaded, settings)
    lines = [
        f"config file: {record['config_file'] or '(none: defaults)'}",
        f"fail-on: {record['fail_on']}",
        f"enabled rules ({len(record['enabled'])}): {', '.join(record['enabled'])}",
    ]
    if record["severity"]:
        lines.append("severity: " + ", ".join(f"{c}={s}" for c, s in record["severity"].items()))
    for glob, codes in record["per_file_ignores"].items():
        lines.append(f"per-file-ignores: {glob} -> {', '.join(codes)}")
    if record["exclude"]:
        lines.append("exclude: " + ", ".join(record["exclude"]))
    for code, options in record["rules"].items():
        lines.append(f"rules.{code}: " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in options.items()))
    return "\n".join(lines) + "\n"
