"""ALN: the output does not do what the instruction asks.

`aln_structure` holds the rules about the answer's shape (JSON, item counts, length limits, code); the rules
about what an answer must not be (untranslated, a placeholder, a refusal, truncated, a repetition of the
request) follow in `aln_content`. Importing this module registers them.
"""

from dslint.rules import aln_structure  # noqa: F401 - imported to register its rules
