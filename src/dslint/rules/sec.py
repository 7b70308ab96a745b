"""SEC: secrets, personal data and text hygiene.

Three modules hold the rules: `sec_secrets` (credentials and personal data), `sec_hygiene` (invisible,
control and mis-decoded characters) and `sec_line_endings` (mixed line endings). Importing this module
registers them all.
"""

from dslint.rules import sec_hygiene, sec_line_endings, sec_secrets  # noqa: F401 - imported to register their rules
