"""dslint: the linter for LLM instruction-tuning datasets."""

__version__ = "0.1.0"
