"""Every rule documents itself in ruff's sections, and its documented examples are true.

The fenced blocks under *Example* are written to a file (JSON Lines) and must make the rule fire; those
under *Use instead* must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dslint.rules import all_rules
from dslint.rules.base import REQUIRED_SECTIONS, doc_examples
from tests.harness import check_text

RULES = all_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_doc_has_required_sections(rule) -> None:
    sections = rule.sections()
    missing = [s for s in REQUIRED_SECTIONS if s not in sections]
    assert not missing, f"{rule.code} doc lacks sections {missing}"
    assert rule.summary and not rule.summary.endswith("."), "summary: one line, no final period"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_doc_examples_hold(rule, tmp_path: Path) -> None:
    bad = doc_examples(rule.doc, "Example")
    good = doc_examples(rule.doc, "Use instead")
    # A rule comparing with an evaluation set (`check --against`) documents it in an *Evaluation set* block.
    against = next((text for _, text in doc_examples(rule.doc, "Evaluation set")), None)
    # A rule that needs a target (a tokenizer, a template: TPL) names the options each section uses.
    hook = getattr(rule.options, "doc_example_options", None)
    options = hook("Example") if hook is not None else None
    good_options = hook("Use instead") if hook is not None else None
    assert bad and good, f"{rule.code}: Example and Use instead need a fenced block each"
    for number, (lang, text) in enumerate(bad):
        suffix = ".json" if lang == "json" else ".jsonl"
        case_dir = tmp_path / f"bad{number}"
        case_dir.mkdir()
        assert check_text(case_dir, rule.code, text, options, suffix=suffix, against=against), \
            f"{rule.code} Example does not fire"
    for number, (lang, text) in enumerate(good):
        suffix = ".json" if lang == "json" else ".jsonl"
        case_dir = tmp_path / f"good{number}"
        case_dir.mkdir()
        found = check_text(case_dir, rule.code, text, good_options, suffix=suffix, against=against)
        assert not found, f"{rule.code} Use instead fires: {[d.message for d in found]}"
