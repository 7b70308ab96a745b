r"""TPL003-TPL008: what the target chat template does to each example (`--template`).

Each example is rendered once (memoised across the rules) in jinja2's sandbox, as transformers'
`apply_chat_template` renders it; the rules then compare the render with the example's turns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import Field

from dslint.chat_render import ChatTemplate, load_template, messages_of
from dslint.model import ASSISTANT, Example, Severity, Turn, Violation
from dslint.rules.base import DatasetRuleBase, RuleOptions, dataset_rule, record_rule

RAISE_ON_SYSTEM = (
    "{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
    "{% endif %}<start_of_turn>{{ m['role'] }}\n{{ m['content'] | trim }}<end_of_turn>\n{% endfor %}")
DROP_UNKNOWN_ROLES = (
    "{% for m in messages %}{% if m['role'] == 'user' %}<|user|>\n{{ m['content'] }}<|end|>\n"
    "{% elif m['role'] == 'assistant' %}<|assistant|>\n{{ m['content'] }}<|end|>\n{% endif %}{% endfor %}")
DEFAULT_SYSTEM = (
    "{% if messages[0]['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    "{% endif %}{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}")
TRIMMING = ("{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
            "{{ m['content'] | trim }}<|eot_id|>{% endfor %}")
MARKED_GENERATION = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{% if m['role'] == 'assistant' %}{% generation %}"
    "{{ m['content'] }}<|im_end|>{% endgeneration %}{% else %}{{ m['content'] }}<|im_end|>{% endif %}\n{% endfor %}")
PROMPT_ONLY = "{% for m in messages %}{% if m['role'] != 'assistant' %}{{ m['content'] }}\n{% endif %}{% endfor %}"


class TemplateOptions(RuleOptions):
    template: str | None = Field(None, description="Chat template: tokenizer directory, Hub id, .jinja file "
                                                   "or template text (`--template`).")
    doc_template: ClassVar[str] = RAISE_ON_SYSTEM

    @classmethod
    def doc_example_options(cls, section: str = "Example") -> dict[str, Any]:
        """The options the documented examples (`section`) are checked with: a template written for them."""
        return {"template": cls.doc_template}


class DroppedTurnOptions(TemplateOptions):
    doc_template: ClassVar[str] = DROP_UNKNOWN_ROLES


class InjectedSystemOptions(TemplateOptions):
    doc_template: ClassVar[str] = DEFAULT_SYSTEM


class TrimmedOptions(TemplateOptions):
    doc_template: ClassVar[str] = TRIMMING


class NoAssistantOptions(TemplateOptions):
    doc_template: ClassVar[str] = PROMPT_ONLY


class MaskableOptions(TemplateOptions):
    assistant_only_loss: bool = Field(False, description="Training computes the loss on assistant tokens only.")
    doc_template: ClassVar[str] = DEFAULT_SYSTEM

    @classmethod
    def doc_example_options(cls, section: str = "Example") -> dict[str, Any]:
        template = MARKED_GENERATION if section == "Use instead" else cls.doc_template
        return {"template": template, "assistant-only-loss": True}


# [example, template, (rendered text or None, error message or None)]: the rules run one after another.
_MEMO: list[Any] = [None, None, (None, None)]


def rendered(example: Example, template: ChatTemplate) -> tuple[str | None, str | None]:
    """(render, None), or (None, the template's error message) for one example, memoised."""
    if _MEMO[0] is example and _MEMO[1] is template:
        return _MEMO[2]  # type: ignore[no-any-return]
    try:
        outcome: tuple[str | None, str | None] = (template.render(messages_of(example)), None)
    except Exception as exc:  # noqa: BLE001 - whatever the template raises is the finding
        text = str(exc).strip()
        outcome = (None, (text.splitlines()[0] if text else type(exc).__name__)[:300])
    _MEMO[0], _MEMO[1], _MEMO[2] = example, template, outcome
    return outcome


def _template(options: TemplateOptions) -> ChatTemplate | None:
    return load_template(options.template) if options.template else None


def _render(example: Example, options: TemplateOptions) -> tuple[ChatTemplate, str] | None:
    """The configured template and its render of `example`; None without a template or when it raised
    (TPL003 reports that)."""
    template = _template(options)
    if template is None:
        return None
    text, _ = rendered(example, template)
    return None if text is None else (template, text)


def _label(turn: Turn, index: int) -> str:
    role = turn.raw_role or turn.role.value
    return f"turn {index} (role {role!r})"


# Raw roles that mean the assistant even where the format does not normalise them (a chat file's `gpt`).
ANSWER_ROLES = frozenset({"assistant", "gpt", "bot", "model", "chatgpt", "ai"})


def _is_answer(turn: Turn) -> bool:
    return turn.role is ASSISTANT or (turn.raw_role or "").lower() in ANSWER_ROLES


def _assistant_missing(example: Example, text: str) -> bool:
    """The example has assistant content, and none of it is in the render."""
    answers = [t.content.strip() for t in example.turns if _is_answer(t) and t.content.strip()]
    return bool(answers) and not any(answer in text for answer in answers)


@record_rule(code="TPL003", name="template-raised", severity=Severity.ERROR,
             summary="The chat template raises an error on the example",
             options=TemplateOptions, default_enabled=False)
def template_raised(example: Example, options: TemplateOptions) -> Iterator[Violation]:
    r"""The chat template raises an error on the example

    ## What it does
    With `--template` (a tokenizer directory, Hub id, `.jinja` file or, in configuration, the template
    text), renders the example in jinja2's sandbox as transformers' `apply_chat_template` does, and
    reports the examples the template refuses, quoting its message (`raise_exception` calls, undefined
    values, and sandbox violations alike). TPL003-TPL008 are off by default: `--template` enables them
    (or select them and set their `template` option in configuration).

    ## Why it matters
    Templates validate with `raise_exception`: Gemma's raises on a system turn, Mistral's early templates
    on turns that do not alternate. A trainer that meets one such example stops mid-run, or (with a
    permissive collator) skips it without a word.

    ## Example
    ```jsonl
    {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    ```

    ## Use instead
    Fold the system prompt into the first user turn for templates without a system role:
    ```jsonl
    {"messages": [{"role": "user", "content": "Be brief.\n\nHi"}, {"role": "assistant", "content": "Hello"}]}
    ```

    ## Options
    - `template` (default none; `--template`): the chat template.
    """
    template = _template(options)
    if template is None or not example.turns:
        return
    _, error = rendered(example, template)
    if error is not None:
        yield Violation(f"template {template.name} raised: {error!r}", None)


@record_rule(code="TPL004", name="template-dropped-turn", severity=Severity.ERROR,
             summary="A turn's content is missing from the chat template's render",
             options=DroppedTurnOptions, default_enabled=False)
def template_dropped_turn(example: Example, options: DroppedTurnOptions) -> Iterator[Violation]:
    r"""A turn's content is missing from the chat template's render

    ## What it does
    With `--template`, renders the example and reports each turn whose content (whitespace aside) is not
    in the render: the template skipped it without an error. Typical cause: roles the template does not
    map (`human`, `gpt`, `function`), which Phi-3's and Qwen 2.5's stock templates silently drop. When no
    assistant answer survives at all, TPL007 reports that instead of one finding per answer.

    ## Why it matters
    The model is trained on a conversation that is missing turns: answers without their questions, or
    nothing at all. Nothing in the trainer's logs says so.

    ## Example
    ```jsonl
    {"messages": [{"role": "human", "content": "Name a colour."}, {"role": "assistant", "content": "Red."}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Red."}]}
    ```

    ## Options
    - `template` (default none; `--template`): the chat template.
    """
    found = _render(example, options)
    if found is None:
        return
    template, text = found
    skip_answers = _assistant_missing(example, text)
    for index, turn in enumerate(example.turns):
        content = turn.content.strip()
        if not content or content in text or (skip_answers and _is_answer(turn)):
            continue
        yield Violation(f"{_label(turn, index)} is missing from the render with {template.name}: the template "
                        "dropped it silently", turn.role_pointer or turn.pointer)


@record_rule(code="TPL005", name="template-injects-system", severity=Severity.WARNING,
             summary="The chat template adds a default system prompt to the example",
             options=InjectedSystemOptions, default_enabled=False)
def template_injects_system(example: Example, options: InjectedSystemOptions) -> Iterator[Violation]:
    r"""The chat template adds a default system prompt to the example

    ## What it does
    With `--template`, finds once whether the template writes a system prompt of its own when a
    conversation has none (Qwen 2.5's "You are Qwen, created by Alibaba Cloud..."), by rendering a probe
    conversation with and without a system turn; then reports each example without a system turn, quoting
    the prompt it would get.

    ## Why it matters
    Every such example is trained with a system prompt nobody wrote in the data: the model ties its
    behaviour to it, and answers differently at inference time when the application sends its own.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    ```

    ## Use instead
    Give every example the system prompt you mean (or an empty one, where the template then adds none):
    ```jsonl
    {"messages": [{"role": "system", "content": "You are a concise assistant."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    ```

    ## Options
    - `template` (default none; `--template`): the chat template.
    """
    template = _template(options)
    if template is None or not example.turns or example.system is not None:
        return
    injected = template.injected_system_prompt
    if injected is None:
        return
    text, _ = rendered(example, template)
    if text is not None and injected in text:
        quoted = injected if len(injected) <= 80 else injected[:79] + "…"
        yield Violation(f"template {template.name} adds a default system prompt to this example: {quoted!r}",
                        example.turns[0].pointer)


@record_rule(code="TPL006", name="template-trims-whitespace", severity=Severity.INFO,
             summary="The chat template trims whitespace the turn's content relies on",
             options=TrimmedOptions, default_enabled=False)
def template_trims_whitespace(example: Example, options: TrimmedOptions) -> Iterator[Violation]:
    r"""The chat template trims whitespace the turn's content relies on

    ## What it does
    With `--template`, reports each turn that is in the render only without its leading or trailing
    whitespace (Llama 3's and Gemma's templates `trim` every message). Info: trimming is often harmless,
    but matters where the whitespace is content: indented code at the start, a trailing newline a
    completion is meant to end with.

    ## Why it matters
    What the model is trained on differs from the data you reviewed: a leading indentation of code is
    lost, and answers that should end with a newline never learn to.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Indent this."}, {"role": "assistant", "content": "    return x\n"}]}
    ```

    ## Use instead
    ```jsonl
    {"messages": [{"role": "user", "content": "Indent this."}, {"role": "assistant", "content": "```python\n    return x\n```"}]}
    ```

    ## Options
    - `template` (default none; `--template`): the chat template.
    """
    found = _render(example, options)
    if found is None:
        return
    template, text = found
    for index, turn in enumerate(example.turns):
        content = turn.content
        stripped = content.strip()
        if stripped and stripped != content and content not in text and stripped in text:
            yield Violation(f"{_label(turn, index)}: {template.name} trims its surrounding whitespace "
                            f"({len(content) - len(stripped)} characters)", turn.pointer)


@record_rule(code="TPL007", name="template-renders-no-answer", severity=Severity.ERROR,
             summary="No assistant content survives the chat template's render",
             options=NoAssistantOptions, default_enabled=False)
def template_renders_no_answer(example: Example, options: NoAssistantOptions) -> Iterator[Violation]:
    r"""No assistant content survives the chat template's render

    ## What it does
    With `--template`, reports examples whose assistant answers are all missing from the render: the
    template renders prompts only (an inference template), or does not know the assistant role as the
    data writes it (`gpt`, `bot`, `model`).

    ## Why it matters
    With assistant-only loss the example trains on nothing (fully masked, and some trainers drop it);
    without it, the model learns to continue prompts instead of answering them.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Red."}]}
    ```

    ## Use instead
    Use the model's training template (one that renders assistant turns), or map the roles:
    ```jsonl
    {"messages": [{"role": "user", "content": "Name a colour."}]}
    ```

    ## Options
    - `template` (default none; `--template`): the chat template.
    """
    found = _render(example, options)
    if found is None:
        return
    template, text = found
    if _assistant_missing(example, text):
        answers = sum(1 for t in example.turns if _is_answer(t) and t.content.strip())
        yield Violation(f"none of the {answers} assistant answer(s) appears in the render with {template.name}: "
                        "the example trains on nothing", None)


@dataset_rule(code="TPL008", name="template-unmaskable", severity=Severity.ERROR,
              summary="Assistant-only loss asked for, but the chat template marks no generation",
              options=MaskableOptions, default_enabled=False)
class TemplateUnmaskable(DatasetRuleBase):
    r"""Assistant-only loss asked for, but the chat template marks no generation

    ## What it does
    With `--template` and `assistant-only-loss = true`, reports once per file when the template has no
    `{% generation %}` block: transformers' `return_assistant_tokens_mask` (and TRL's
    `assistant_only_loss`) cannot tell assistant tokens from the rest.

    ## Why it matters
    The trainer either refuses to start or, with some versions, masks nothing or everything: the model is
    trained on the prompts too, or on nothing.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    ```

    ## Use instead
    Use a template whose assistant part is wrapped in `{% generation %}...{% endgeneration %}` (or let the
    trainer build the mask itself from the template's markers); with such a template the same data passes:
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    ```

    ## Options
    - `template` (default none; `--template`): the chat template.
    - `assistant-only-loss` (default false): whether training masks everything but assistant tokens.
    """

    def __init__(self, options: MaskableOptions) -> None:
        super().__init__(options)
        self.paths: dict[str, None] = {}

    def observe(self, example: Example) -> None:
        if self.options.assistant_only_loss and self.options.template and example.turns:
            self.paths.setdefault(example.source.path, None)

    def merge(self, other: TemplateUnmaskable) -> None:
        for path in other.paths:
            self.paths.setdefault(path, None)

    def finish(self) -> Iterator[Violation]:
        template = _template(self.options)
        if template is None or template.marks_generation:
            return
        for path in self.paths:
            yield Violation(f"template {template.name} has no {{% generation %}} block: assistant tokens cannot "
                            "be masked for assistant-only loss", None, path=path)
