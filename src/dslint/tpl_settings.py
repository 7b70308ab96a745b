"""`check --tokenizer / --max-tokens / --template`: put the target into the TPL rules' options, enable the
rules they imply, and load the tokenizer and template before the run, so an unusable one is one line on
stderr and exit 2 instead of an internal error per record.
"""

from __future__ import annotations

from typing import Any

from dslint.engine import Settings
from dslint.rules import rule_by_code
from dslint.rules.base import Rule

# The rules each option enables (they are opt-in: they need a tokenizer or a template to mean anything).
ENABLED_BY_TOKENIZER = ("TPL002",)
ENABLED_BY_TEMPLATE_PREFIX = "TPL"


class TargetError(Exception):
    """A tokenizer or template given to `check` cannot be used (a one-line message naming the option)."""


def _set(settings: Settings, rule: Rule, **values: Any) -> None:
    current = settings.options_for(rule)
    fields = type(current).model_fields
    update = {key: value for key, value in values.items() if key in fields and value is not None}
    if update:
        settings.options[rule.code] = current.model_copy(update=update)


def _enable(settings: Settings, rule: Rule) -> None:
    if all(enabled.code != rule.code for enabled in settings.rules):
        settings.rules = [*settings.rules, rule]


def apply_target(settings: Settings, tokenizer: str | None, max_tokens: int | None,
                 template: str | None) -> None:
    """Apply the command-line target to `settings` and load what it names; TargetError when unusable."""
    rules = rule_by_code()
    if tokenizer is not None or max_tokens is not None:
        for code in ENABLED_BY_TOKENIZER:
            _enable(settings, rules[code])
    if template is not None:
        for rule in rules.values():
            if rule.code.startswith(ENABLED_BY_TEMPLATE_PREFIX) and "template" in rule.options.model_fields:
                _enable(settings, rule)
    for rule in settings.rules:
        _set(settings, rule, tokenizer=tokenizer, max_tokens=max_tokens, template=template)
    preload(settings)


def preload(settings: Settings) -> None:
    """Load every tokenizer and template the enabled rules name (cached for the run)."""
    from dslint.token_count import TokenizerError, load_counter

    for rule in settings.rules:
        options = settings.options_for(rule)
        spec = getattr(options, "tokenizer", None)
        if isinstance(spec, str) and spec:
            try:
                load_counter(spec, "--tokenizer")
            except TokenizerError as exc:
                raise TargetError(str(exc)) from None
        template = getattr(options, "template", None)
        if isinstance(template, str) and template:
            from dslint.chat_render import TemplateError, load_template

            try:
                load_template(template)
            except TemplateError as exc:
                raise TargetError(str(exc)) from None
