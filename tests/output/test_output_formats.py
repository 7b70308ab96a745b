"""Behaviour of each format beyond the golden files: summaries, escaping, schema validity, structure."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dslint.model import Diagnostic, FileSummary, RunResult, Severity
from dslint.output import FORMATS, render
from dslint.output.github import escape_data, escape_property
from dslint.output.severity import STYLES, ansi_colour, github_command, sarif_level
from dslint.rules.base import Rule

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^:,]*(,line=\d+)?,title=[^:,]*::[^\r\n]*$")

MakeDiagnostic = Callable[..., Diagnostic]


def out(result: RunResult, fmt: str, rules: dict[str, Rule], **options: Any) -> str:
    return render(result, fmt, rules=rules, version="0.1.0", **options)


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def github_lines(output: str) -> list[str]:
    assert output == "" or output.endswith("\n")
    return output.split("\n")[:-1]


# --- dispatch and the severity table ---------------------------------------------------------------------


def test_formats_are_listed_and_unknown_ones_refused(sample: RunResult, rules: dict[str, Rule]) -> None:
    assert FORMATS == ("text", "concise", "json", "jsonl", "github", "sarif", "junit")
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        out(sample, "xml", rules)


def test_severity_table() -> None:
    assert set(STYLES) == set(Severity)
    assert [github_command(s) for s in Severity] == ["error", "warning", "notice"]
    assert [sarif_level(s) for s in Severity] == ["error", "warning", "note"]
    assert len({ansi_colour(s) for s in Severity}) == 3


# --- text and concise -----------------------------------------------------------------------------------


def test_text_summary_pluralises_singulars(rules: dict[str, Rule], make_diagnostic: MakeDiagnostic) -> None:
    finding = make_diagnostic("FMT001", "a.jsonl", message="bad", line=1, record=0)
    result = RunResult([finding], [FileSummary("a.jsonl", records=1)])
    assert out(result, "text", rules).splitlines()[-1] == (
        "Found 1 problem (1 error, 0 warnings, 0 infos) in 1 record across 1 file."
    )


def test_text_all_checks_passed(rules: dict[str, Rule]) -> None:
    one = RunResult([], [FileSummary("a.jsonl", records=1)])
    assert out(one, "text", rules) == "All checks passed: 1 record in 1 file.\n"
    two = RunResult([], [FileSummary("a.jsonl", records=2), FileSummary("b.jsonl", records=3)])
    assert out(two, "concise", rules, statistics=True) == "All checks passed: 5 records in 2 files.\n"
    assert out(two, "text", rules, quiet=True) == ""


def test_quiet_prints_only_findings(sample: RunResult, rules: dict[str, Rule]) -> None:
    lines = out(sample, "concise", rules, quiet=True, statistics=True).splitlines()
    assert len(lines) == len(sample.diagnostics)
    assert all(" [" in line for line in lines)


def test_text_line_forms(sample: RunResult, rules: dict[str, Rule]) -> None:
    text = out(sample, "text", rules)
    assert "data/empty.jsonl: FMT004 [error] File is empty\n" in text  # no line, no pointer
    assert "data/alpaca,v2.json: VAG001 [warning] " in text  # no line
    assert "\n    | Fix it, please: 100% now\n" in text  # context
    assert "    |" not in out(sample, "concise", rules)
    assert "\x1b" not in text
    assert "\x1b[1mFMT001\x1b[0m" in out(sample, "text", rules, color=True)


def test_text_escapes_control_characters(rules: dict[str, Rule], make_diagnostic: MakeDiagnostic) -> None:
    hostile = make_diagnostic(
        "SEC003", "a\nb.jsonl", message="x\x1b[31mred\r\n\u202e\ud800", pointer="/a\tb", context="c\x00d"
    )
    lines = out(RunResult([hostile], []), "text", rules, quiet=True).splitlines()
    assert lines == [
        "a\\nb.jsonl: SEC003 [info] x\\x1b[31mred\\r\\n\\u202e\\ud800 (/a\\tb)",
        "    | c\\x00d",
    ]


def test_statistics_sorted_by_count_then_code(sample: RunResult, rules: dict[str, Rule]) -> None:
    lines = out(sample, "concise", rules, statistics=True).splitlines()
    table = lines[lines.index("") + 1 : -2]
    assert [row.split()[1] for row in table] == ["VAG001", "CTX002", "FMT001", "FMT004", "SEC003", "TPL001"]
    assert table[0].split() == ["2", "VAG001", "vague-instruction", "warning"]


def test_summary_counts_paths_only_diagnostics_name(rules: dict[str, Rule], make_diagnostic: MakeDiagnostic) -> None:
    finding = make_diagnostic("FMT004", "gone.jsonl", message="unreadable")
    result = RunResult([finding], [FileSummary("a.jsonl", records=2)])
    assert out(result, "text", rules).endswith("in 1 record across 2 files.\n")
    document = json.loads(out(result, "json", rules))
    assert [f["path"] for f in document["files"]] == ["a.jsonl", "gone.jsonl"]
    assert document["summary"]["files"] == 2


# --- json and jsonl -------------------------------------------------------------------------------------


def test_json_document(sample: RunResult, rules: dict[str, Rule]) -> None:
    text = out(sample, "json", rules)
    assert text.endswith("}\n")
    document = json.loads(text)
    assert list(document) == ["version", "files", "diagnostics", "summary"]
    assert document["version"] == "0.1.0"
    assert document["files"][1] == {
        "path": "data/chat.jsonl",
        "format": "chatml",
        "formats": {"chatml": 118, "sharegpt": 2},
        "records": 120,
    }
    assert document["diagnostics"] == [d.to_dict() for d in sample.diagnostics]
    assert document["summary"] == {
        "records": 160,
        "files": 3,
        "errors": 3,
        "warnings": 3,
        "infos": 1,
        "by_code": {"CTX002": 1, "FMT001": 1, "FMT004": 1, "SEC003": 1, "TPL001": 1, "VAG001": 2},
    }


def test_jsonl_one_object_per_line(sample: RunResult, rules: dict[str, Rule]) -> None:
    lines = out(sample, "jsonl", rules).splitlines()
    assert [json.loads(line) for line in lines] == [d.to_dict() for d in sample.diagnostics]
    assert out(RunResult([], []), "jsonl", rules) == ""


def test_json_keeps_lone_surrogates_as_escapes(rules: dict[str, Rule], make_diagnostic: MakeDiagnostic) -> None:
    finding = make_diagnostic("SEC003", "a.jsonl", message="lone \ud800 and pair \U0001f600", context="\udfff")
    text = out(RunResult([finding], []), "jsonl", rules)
    text.encode("utf-8")  # writable as UTF-8
    assert "\\ud800" in text and "\U0001f600" in text
    assert json.loads(text) == finding.to_dict()


# --- github ---------------------------------------------------------------------------------------------


def test_github_lines_are_well_formed(sample: RunResult, rules: dict[str, Rule]) -> None:
    lines = github_lines(out(sample, "github", rules))
    assert len(lines) == len(sample.diagnostics)
    for line in lines:
        assert GITHUB_LINE.match(line), line
    assert lines[2] == (
        "::error file=data/chat.jsonl,line=1,title=FMT001 invalid-json::"
        "Invalid JSON: Expecting ',' delimiter:%0Aline 1 column 42"
    )
    assert lines[-1] == "::error file=data/empty.jsonl,title=FMT004 empty-file::File is empty"


def test_github_escaping(rules: dict[str, Rule], make_diagnostic: MakeDiagnostic) -> None:
    assert escape_data("100%\r\n: a,b") == "100%25%0D%0A: a,b"
    assert escape_property("100%\r\n: a,b") == "100%25%0D%0A%3A a%2Cb"
    finding = make_diagnostic("VAG001", "C:\\data\\a,b%.jsonl", line=3, message="50% done\r\nnext: a,b", pointer="/x:y")
    (line,) = github_lines(out(RunResult([finding], []), "github", rules))
    assert line == (
        "::warning file=C%3A\\data\\a%2Cb%25.jsonl,line=3,title=VAG001 vague-instruction::"
        "50%25 done%0D%0Anext: a,b (/x:y)"
    )
    assert GITHUB_LINE.match(line)


# --- sarif ----------------------------------------------------------------------------------------------


def test_stored_schema_is_sarif_2_1_0() -> None:
    data = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256  # see schemas/README.md
    schema = json.loads(data)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_sarif_validates_against_schema(sample: RunResult, rules: dict[str, Rule]) -> None:
    log = json.loads(out(sample, "sarif", rules))
    sarif_validator().validate(log)
    empty = json.loads(out(RunResult([], []), "sarif", rules))
    sarif_validator().validate(empty)
    assert empty["runs"][0]["results"] == [] and empty["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_results(sample: RunResult, rules: dict[str, Rule]) -> None:
    run = json.loads(out(sample, "sarif", rules))["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in descriptors] == sorted({d.code for d in sample.diagnostics})
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    for result, finding in zip(run["results"], sample.diagnostics, strict=True):
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
        assert result["level"] == sarif_level(finding.severity)
        assert result["partialFingerprints"] == {"dslintFingerprint/v1": finding.fingerprint}
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert ("region" in physical) == (finding.line is not None)
        assert ("logicalLocations" in location) == (finding.pointer is not None)
    assert run["results"][0]["message"]["text"].endswith(" (/instruction)")
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ("data/alpaca%2Cv2.json")
    vag = descriptors[-1]
    assert vag["defaultConfiguration"] == {"level": "warning"} and vag["properties"] == {"tags": ["VAG"]}
    assert vag["help"]["markdown"] == rules["VAG001"].doc
    assert vag["fullDescription"]["text"] == rules["VAG001"].sections()["What it does"]


def test_sarif_uris_and_unknown_codes(make_diagnostic: MakeDiagnostic) -> None:
    findings = [
        make_diagnostic("FMT001", "/abs/my data.jsonl", message="m", line=2),
        make_diagnostic("FMT001", "a:b/ü #?.jsonl", message="m"),
    ]
    log = json.loads(render(RunResult(findings, []), "sarif", rules={}, version="0.1.0"))
    sarif_validator().validate(log)
    run = log["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris == [
        {"uri": "file:///abs/my%20data.jsonl"},
        {"uri": "a%3Ab/%C3%BC%20%23%3F.jsonl", "uriBaseId": "%SRCROOT%"},
    ]
    assert run["tool"]["driver"]["rules"] == [{"id": "FMT001", "name": "invalid-json"}]


# --- junit ----------------------------------------------------------------------------------------------


def test_junit_structure(sample: RunResult, rules: dict[str, Rule]) -> None:
    root = ET.fromstring(out(sample, "junit", rules))
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "2"
    (suite,) = root
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["data/alpaca,v2.json", "data/chat.jsonl", "data/empty.jsonl"]
    assert cases["data/alpaca,v2.json"].find("failure") is None
    assert "<script>" in (cases["data/alpaca,v2.json"].findtext("system-out") or "")
    failure = cases["data/chat.jsonl"].find("failure")
    assert failure is not None and failure.get("message") == "2 problems" and failure.get("type") == "dslint"
    assert (failure.text or "").splitlines()[0].startswith("data/chat.jsonl:1: FMT001 [error] ")
    assert "CTX002" in (cases["data/chat.jsonl"].findtext("system-out") or "")
    empty = cases["data/empty.jsonl"].find("failure")
    assert empty is not None and empty.get("message") == "1 problem"


def test_junit_follows_fail_on(sample: RunResult, rules: dict[str, Rule]) -> None:
    sample.fail_on = Severity.INFO
    root = ET.fromstring(out(sample, "junit", rules))
    assert root.get("failures") == "3"
    assert root.find(".//system-out") is None


def test_junit_strips_characters_xml_forbids(rules: dict[str, Rule], make_diagnostic: MakeDiagnostic) -> None:
    finding = make_diagnostic("FMT001", "a\x01\ud800\ufffe.jsonl", message="<b>&\x0b\x00</b>")
    root = ET.fromstring(out(RunResult([finding], []), "junit", rules))
    case = root.find(".//testcase")
    assert case is not None and case.get("name") == "a.jsonl"
    assert case.findtext("failure") == "a\\x01\\ud800.jsonl: FMT001 [error] <b>&\\x0b\\x00</b>"
