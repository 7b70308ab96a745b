"""TPL: chat templates and tokens. What the tokenizer and the chat template would silently do to a record.

The family is split by concern, one module each:

- `tpl_tokens`: literal control tokens inside content (TPL001), over the token table in `dslint.tokens_table`;
- `tpl_length`: token length against a context limit, counted in batches (TPL002);
- `tpl_render`: what the target chat template does to each example (TPL003-TPL008), rendered by
  `dslint.chat_render` in jinja2's sandbox;
- `tpl_hygiene`: system-prompt cost and reasoning hygiene (TPL009-TPL011).

Heavy libraries (tiktoken, transformers, jinja2) are imported only when a rule that needs them runs.
"""

from __future__ import annotations

from dslint.rules import tpl_hygiene, tpl_length, tpl_render, tpl_tokens

__all__ = ["tpl_hygiene", "tpl_length", "tpl_render", "tpl_tokens"]
