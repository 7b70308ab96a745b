"""JUnit XML: one test case per file; findings at or above the fail-on level fail it.

CI systems show JUnit reports natively. Text goes through xml.etree (which escapes markup) after the
characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) are removed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from dslint.model import Diagnostic, RunResult
from dslint.output.common import RenderOptions, files, finding_line, plural

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def _listing(diagnostics: list[Diagnostic]) -> str:
    return xml_text("\n".join(finding_line(d) for d in diagnostics))


def render(result: RunResult, options: RenderOptions) -> str:
    by_path: defaultdict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in result.diagnostics:
        by_path[diagnostic.path].append(diagnostic)
    root = ET.Element("testsuites", name="dslint")
    suite = ET.SubElement(root, "testsuite", name="dslint")
    summaries = files(result)
    failures = 0
    for summary in summaries:
        case = ET.SubElement(suite, "testcase", classname="dslint", name=xml_text(summary.path))
        found = by_path.get(summary.path, [])
        failing = [d for d in found if d.severity.rank >= result.fail_on.rank]
        passing = [d for d in found if d.severity.rank < result.fail_on.rank]
        if failing:
            failures += 1
            failure = ET.SubElement(case, "failure", message=plural(len(failing), "problem"), type="dslint")
            failure.text = _listing(failing)
        if passing:
            ET.SubElement(case, "system-out").text = _listing(passing)
    for element in (root, suite):
        element.set("tests", str(len(summaries)))
        element.set("failures", str(failures))
    suite.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
