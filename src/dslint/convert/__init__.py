"""`dslint convert`: records from one format to another through the normalised example.

`conversation` turns a normalised example (or a record and a prompt template) into a neutral
`Conversation`; each format adapter's `build` (in `dslint.formats`) writes a Conversation as a record of
its format, with a note for whatever the target cannot hold; `run` drives a whole file.
"""
