"""No string a dataset can hold makes any format raise or break its own syntax (hypothesis).

Messages, paths, pointers, excerpts and format names are drawn from all of Unicode, including lone
surrogates (JSON allows `"\\ud800"`), control characters and the characters each format escapes.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dslint.model import Diagnostic, FileSummary, RunResult, Severity
from dslint.output import FORMATS, render
from dslint.rules.base import Rule

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^:,]*(,line=\d+)?,title=[^:,]*::[^\r\n]*$")
# RFC 3986 URI-reference characters, percent-escapes well-formed; a relative one has no ':' before any '/'.
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$")

HOSTILE = st.sampled_from(
    [
        "\ud800",
        "\udfff",
        "\n",
        "\r",
        "\r\n",
        "%",
        "%25",
        ",",
        ":",
        "::",
        "\x00",
        "\x1b[2J",
        "\x85",
        "\u2028",
        "\u202e",
        "\ufffe",
        "\uffff",
        "<",
        "&",
        "]]>",
        '"',
        "\\",
        "/",
        " ",
        "é",
        "\U0001f600",
        "~1",
    ]
)
CHAR = st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs"]))
TEXT = st.lists(st.one_of(CHAR, HOSTILE), max_size=12).map("".join)
CODES = ("FMT001", "FMT004", "VAG001", "CTX002", "SEC003", "TPL001")


@st.composite
def results(draw: st.DrawFn) -> RunResult:
    paths = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    diagnostics = [
        Diagnostic(
            code=draw(st.sampled_from(CODES)),
            name=draw(st.sampled_from(["invalid-json", "vague-instruction"])),
            severity=draw(st.sampled_from(Severity)),
            message=draw(TEXT),
            path=draw(st.one_of(st.sampled_from(paths), TEXT)),
            line=draw(st.none() | st.integers(1, 10**9)),
            record=draw(st.none() | st.integers(0, 10**9)),
            pointer=draw(st.none() | TEXT),
            fingerprint=draw(st.text("0123456789abcdef", min_size=32, max_size=32)),
            context=draw(st.none() | TEXT),
        )
        for _ in range(draw(st.integers(0, 5)))
    ]
    files = [
        FileSummary(path, draw(st.integers(0, 10**6)), draw(st.dictionaries(TEXT, st.integers(0, 9), max_size=2)))
        for path in paths[: draw(st.integers(0, len(paths)))]
    ]
    return RunResult(sorted(diagnostics, key=Diagnostic.sort_key), files, draw(st.sampled_from(Severity)))


@lru_cache(maxsize=1)
def sarif_validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def check_uri(uri: str, relative: bool) -> None:
    assert URI_CHARS.match(uri), uri
    if relative:
        assert ":" not in uri.split("/")[0], uri


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(result=results(), color=st.booleans(), statistics=st.booleans(), quiet=st.booleans())
def test_no_string_breaks_any_format(
    result: RunResult, color: bool, statistics: bool, quiet: bool, rules: dict[str, Rule]
) -> None:
    outputs = {
        fmt: render(result, fmt, rules=rules, color=color, statistics=statistics, quiet=quiet, version="0.1.0")
        for fmt in FORMATS
    }
    for output in outputs.values():
        output.encode("utf-8")  # the CLI can always write it

    # JSON cannot tell a high+low surrogate pair from the character they encode: compare as JSON does.
    findings = json.loads(json.dumps([d.to_dict() for d in result.diagnostics]))
    assert json.loads(outputs["json"])["diagnostics"] == findings
    assert [json.loads(line) for line in outputs["jsonl"].splitlines()] == findings

    github = outputs["github"].split("\n")
    assert github.pop() == ""
    assert len(github) == len(result.diagnostics)
    for line in github:
        assert GITHUB_LINE.match(line), line

    concise = render(result, "concise", rules=rules, quiet=True, version="0.1.0")
    assert len(concise.splitlines()) == len(result.diagnostics)  # one line per finding, whatever it holds

    root = ET.fromstring(outputs["junit"])
    paths = {f.path for f in result.files} | {d.path for d in result.diagnostics}
    assert len(root.findall("./testsuite/testcase")) == len(paths)

    log = json.loads(outputs["sarif"])
    sarif_validator().validate(log)
    for sarif_result in log["runs"][0]["results"]:
        location = sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]
        check_uri(location["uri"], relative="uriBaseId" in location)


def test_huge_message_renders_in_every_format(rules: dict[str, Rule]) -> None:
    message = "x%,:\n<\ud800" * 50_000
    finding = Diagnostic("SEC003", "html-markup", Severity.INFO, message, "a.jsonl", 1, 0, "/a", "f" * 32, message)
    for fmt in FORMATS:
        assert len(render(RunResult([finding], []), fmt, rules=rules, version="0.1.0")) > 500_000
