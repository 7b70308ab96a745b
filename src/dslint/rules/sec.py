"""SEC: secrets, personal data and text hygiene.

Two modules hold the rules: `sec_secrets` (credentials and personal data) and `sec_hygiene` (invisible,
control and mis-decoded characters). Importing this module registers both.
"""

from dslint.rules import sec_hygiene, sec_secrets  # noqa: F401 - imported to register their rules
