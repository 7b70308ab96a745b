"""`dslint report`: one page saying whether a dataset is fit for fine-tuning (HTML or Markdown).

`collect` gathers the findings and per-record statistics; `html` and `markdown` render them; `charts`
draws the inline SVG. Nothing here loads anything from the network, and every dataset string is escaped.
"""
