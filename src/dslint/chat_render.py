"""Render examples through a chat template, sandboxed, the way transformers' `apply_chat_template` does.

A template comes from `--template`: a tokenizer directory (its `chat_template.jinja`, or the
`chat_template` of its `tokenizer_config.json`), a `.jinja` file, a Hugging Face Hub id (through
transformers, from the local cache unless the environment allows downloads), or (in configuration) the
template text itself. Templates are untrusted code: they run in jinja2's `ImmutableSandboxedEnvironment`
with transformers' settings (`trim_blocks`, `lstrip_blocks`, loop controls, `raise_exception`, `tojson`,
`strftime_now`, and the `{% generation %}` block that marks assistant tokens for assistant-only loss).
jinja2 is imported only here, only when a template is loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from dslint.formats import CHAT
from dslint.model import Example

_GENERATION_TAG = re.compile(r"\{%-?\s*generation\s*-?%\}")
PROBE_USER = "dslint-probe-user-7f3a"
PROBE_SYSTEM = "dslint-probe-system-7f3a"


class TemplateError(Exception):
    """A template that cannot be loaded or compiled; one line naming `--template`."""


@dataclass(frozen=True)
class ChatTemplate:
    name: str
    source: str
    compiled: Any
    bos_token: str
    eos_token: str

    @property
    def marks_generation(self) -> bool:
        """Whether the template wraps assistant output in `{% generation %}` (needed for assistant masks)."""
        return bool(_GENERATION_TAG.search(self.source))

    def render(self, messages: list[dict[str, Any]], **extra: Any) -> str:
        return str(self.compiled.render(messages=messages, bos_token=self.bos_token, eos_token=self.eos_token,
                                        add_generation_prompt=False, **extra))

    @property
    def injected_system_prompt(self) -> str | None:
        return _injected(self)


def _environment() -> Any:
    try:
        from jinja2 import nodes
        from jinja2.exceptions import TemplateError as JinjaTemplateError
        from jinja2.ext import Extension, loopcontrols
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError:
        raise TemplateError("--template needs jinja2 (pip install 'dslint[hf]')") from None

    class GenerationBlock(Extension):
        """`{% generation %}...{% endgeneration %}`: renders its body (transformers uses it for masks)."""

        tags = {"generation"}  # noqa: RUF012 - jinja2 declares it so

        def parse(self, parser: Any) -> Any:
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
            return nodes.Scope(body, lineno=lineno)

    def raise_exception(message: str) -> None:
        raise JinjaTemplateError(message)

    def tojson(value: Any, ensure_ascii: bool = False, indent: int | None = None,
               separators: Any = None, sort_keys: bool = False) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def strftime_now(format: str) -> str:
        return datetime.now().strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationBlock, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def is_inline(spec: str) -> bool:
    return "{%" in spec or "{{" in spec


@lru_cache(maxsize=8)
def load_template(spec: str) -> ChatTemplate:
    """The template `spec` names; TemplateError (one line) when it cannot be loaded or compiled."""
    name, source, bos, eos = _source(spec)
    env = _environment()
    try:
        compiled = env.from_string(source)
    except Exception as exc:  # noqa: BLE001 - a syntax error in the user's template
        raise TemplateError(f"--template {name}: the template does not compile: {_one_line(exc)}") from None
    return ChatTemplate(name, source, compiled, bos, eos)


def _source(spec: str) -> tuple[str, str, str, str]:
    """(display name, template text, bos token, eos token)."""
    if is_inline(spec):
        return "(inline template)", spec, "", ""
    path = Path(spec).expanduser()
    if path.is_file():
        try:
            return spec, path.read_text(encoding="utf-8"), "", ""
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"--template {spec}: cannot read: {_one_line(exc)}") from None
    if path.is_dir():
        return _from_directory(spec, path)
    if path.suffix in (".jinja", ".j2") or "/" not in spec:
        raise TemplateError(f"--template {spec}: no such file or tokenizer directory")
    return _from_hub(spec)


def _from_directory(spec: str, path: Path) -> tuple[str, str, str, str]:
    config: dict[str, Any] = {}
    config_file = path / "tokenizer_config.json"
    if config_file.is_file():
        try:
            config = json.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TemplateError(f"--template {spec}: unreadable tokenizer_config.json: {_one_line(exc)}") from None
    source: Any = None
    jinja_file = path / "chat_template.jinja"
    if jinja_file.is_file():
        source = jinja_file.read_text(encoding="utf-8")
    else:
        source = config.get("chat_template")
    if isinstance(source, list):  # named templates: take the default one
        source = next((t.get("template") for t in source if isinstance(t, dict) and t.get("name") == "default"), None)
    if not isinstance(source, str) or not source:
        raise TemplateError(f"--template {spec}: the tokenizer directory has no chat template")
    return spec, source, _token_text(config.get("bos_token")), _token_text(config.get("eos_token"))


def _token_text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else ""


def _from_hub(spec: str) -> tuple[str, str, str, str]:
    from dslint.token_count import TokenizerError, load_hf_tokenizer

    try:
        tokenizer = load_hf_tokenizer(spec, "--template")
    except TokenizerError as exc:
        raise TemplateError(str(exc)) from None
    source = getattr(tokenizer, "chat_template", None)
    if isinstance(source, dict):
        source = source.get("default")
    if not isinstance(source, str) or not source:
        raise TemplateError(f"--template {spec}: the tokenizer has no chat template")
    return spec, source, str(getattr(tokenizer, "bos_token", "") or ""), str(getattr(tokenizer, "eos_token", "") or "")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def messages_of(example: Example) -> list[dict[str, Any]]:
    """The messages a trainer would pass to the template: roles as written in chat files (a trainer passes
    them through), normalised roles elsewhere (loaders map ShareGPT's `human`/`gpt`); tool calls kept."""
    found: list[dict[str, Any]] = []
    raw_roles = example.format == CHAT
    for turn in example.turns:
        role = turn.raw_role if raw_roles and turn.raw_role else turn.role.value
        message: dict[str, Any] = {"role": role, "content": turn.content}
        original = turn.message
        if isinstance(original, dict):
            if original.get("tool_calls") is not None:
                message["tool_calls"] = original["tool_calls"]
            if original.get("tool_call_id") is not None:
                message["tool_call_id"] = original["tool_call_id"]
            if isinstance(original.get("name"), str):
                message["name"] = original["name"]
        found.append(message)
    return found


@lru_cache(maxsize=8)
def _injected_cached(template: ChatTemplate) -> str | None:
    try:
        alone = template.render([{"role": "user", "content": PROBE_USER}])
        given = template.render([{"role": "system", "content": PROBE_SYSTEM}, {"role": "user", "content": PROBE_USER}])
    except Exception:  # noqa: BLE001 - a template that refuses the probe injects nothing we can see
        return None
    if PROBE_USER not in alone or PROBE_USER not in given:
        return None
    before_alone = alone[: alone.index(PROBE_USER)]
    before_given = given[: given.index(PROBE_USER)].replace(PROBE_SYSTEM, "")
    matcher = SequenceMatcher(None, before_given, before_alone, autojunk=False)
    added = "".join(before_alone[j1:j2] for tag, _, _, j1, j2 in matcher.get_opcodes() if tag in ("insert", "replace"))
    added = added.strip()
    return added if len(re.findall(r"\w+", added)) >= 3 else None


def _injected(template: ChatTemplate) -> str | None:
    """The default system prompt the template adds when a conversation has none, or None."""
    return _injected_cached(template)
