"""SEC: secrets, personal data and text hygiene.

The rules live in `sec_hygiene` (invisible, control and mis-decoded characters); credentials and personal
data (`sec_secrets`) follow. Importing this module registers them.
"""

from dslint.rules import sec_hygiene  # noqa: F401 - imported to register its rules
