r"""MIX: format mixing. Records that do not agree with the rest of their file, and foreign scaffolding.

The dataset rules here (all but MIX005) compare records **within one file**: a dataset is one file, and
files checked together are never compared with each other (a folder of Alpaca files beside a folder of
chat files is fine). They share one mechanism, `dslint.rules.minority`: count a category per record, then
flag the records outside the file's majority category, naming it.

Two modules hold the rules: `mix_shape` (format, fields, role vocabulary: MIX001-MIX003) and `mix_content`
(input placeholder, foreign scaffolding, system prompt: MIX004-MIX006). Importing this module registers both.
"""

from dslint.rules import mix_content, mix_shape  # noqa: F401 - imported to register their rules
