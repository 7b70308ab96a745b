"""ALN: the output does not do what the instruction asks.

Two modules hold the rules: `aln_structure` (what the answer's shape must be: JSON, item counts, length
limits, code) and `aln_content` (what the answer must not be: untranslated, a placeholder, a refusal,
truncated, a repetition of the request). Importing this module registers both.
"""

from dslint.rules import aln_content, aln_structure  # noqa: F401 - imported to register their rules
