"""SARIF 2.1.0: one run, the rules that fired, one result per finding (GitHub code scanning reads it).

Relative paths are URIs against `%SRCROOT%` (the directory dslint ran from); the run leaves that base's
absolute URI out, so the log is the same on every machine. The finding's fingerprint (DESIGN.md section 5)
is the result's `partialFingerprints`, so code scanning tracks a finding across inserted records.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from dslint.model import Diagnostic, RunResult
from dslint.output.common import RenderOptions, dumps, message_with_pointer, replace_surrogates
from dslint.output.severity import sarif_level

if TYPE_CHECKING:
    from dslint.rules.base import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/dslint/dslint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "dslintFingerprint/v1"


def render(result: RunResult, options: RenderOptions) -> str:
    codes = sorted({d.code for d in result.diagnostics})
    names = {d.code: d.name for d in result.diagnostics}
    index = {code: position for position, code in enumerate(codes)}
    run = {
        "tool": {
            "driver": {
                "name": "dslint",
                "version": options.version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(code, names[code], options.rules.get(code)) for code in codes],
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The directory dslint was run from; relative paths start there."}}
        },
        "results": [_result(d, index[d.code]) for d in result.diagnostics],
    }
    return dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, indent=True) + "\n"


def _descriptor(code: str, name: str, rule: Rule | None) -> dict[str, Any]:
    if rule is None:  # a code outside the registry (an internal error): what the finding itself says
        return {"id": code, "name": name}
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.sections().get("What it does", rule.summary)},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        "properties": {"tags": [rule.family]},
    }


def _result(diagnostic: Diagnostic, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(diagnostic.path)}
    if diagnostic.line is not None and diagnostic.line >= 1:
        physical["region"] = {"startLine": diagnostic.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if diagnostic.pointer is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": diagnostic.pointer, "kind": "member"}]
    return {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": sarif_level(diagnostic.severity),
        "message": {"text": message_with_pointer(diagnostic)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: diagnostic.fingerprint},
    }


def artifact_location(path: str) -> dict[str, str]:
    """A relative path as a percent-encoded URI against %SRCROOT%; an absolute one as a `file:` URI."""
    pure = PurePath(replace_surrogates(path))
    posix = pure.as_posix()
    if pure.is_absolute():
        return {"uri": "file://" + ("" if posix.startswith("/") else "/") + quote(posix, safe="/:")}
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}
