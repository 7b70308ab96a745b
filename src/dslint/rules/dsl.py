"""DSL: findings about dslint's own annotations in the data, not about the data itself."""

from __future__ import annotations

from dslint.model import Severity
from dslint.rules.base import engine_rule


@engine_rule(code="DSL002", name="unused-suppression", severity=Severity.WARNING,
             summary="An inline suppression that hides no finding, or that dslint cannot read")
class UnusedSuppression:
    """An inline suppression that hides no finding, or that dslint cannot read

    ## What it does
    Only when the `inline-suppression-key` setting names a key (e.g. `"_dslint"`): reports each entry of
    a record's `{"_dslint": {"ignore": [...]}}` that hid no finding of that record in the run, and each
    entry dslint cannot use (not a list, not a string, a selector that names no rule, an unknown key
    beside `ignore`). An entry naming only rules that are not enabled in the run is not reported: another
    run with those rules may need it.

    ## Why it matters
    A suppression outlives the problem it was written for: once the record is fixed, the stale entry
    would silently hide the next real problem of that rule on the record. A misspelt code suppresses
    nothing while looking as if it did. Suppressions also travel with the training data (the key is in
    the record), so each one should earn its place.

    ## Example
    With `inline-suppression-key = "_dslint"`:
    ```jsonl
    {"instruction": "Name a prime number.", "output": "7", "_dslint": {"ignore": ["VAG01"]}}
    {"instruction": "Name a colour.", "output": "Red.", "_dslint": {"ignore": "FMT010"}}
    ```

    ## Use instead
    ```jsonl
    {"instruction": "Name a prime number.", "output": "7"}
    {"instruction": "Name a colour.", "output": "Red."}
    ```

    Or remove the suppression once the finding it was written for is gone; `dslint check` names each
    unused entry with its JSON pointer (`/_dslint/ignore/0`).
    """
