"""Fixes: data attached to findings (edits at JSON pointers, record drops), and what applies them.

`model` holds the data types (imported by `dslint.model`, so it imports nothing of dslint); `patch`
applies edits to a record; `writer` writes changed records back keeping everything else byte for byte;
`loop` re-lints until stable. Only `model` is imported on the checking path.
"""
