"""`dslint generate`: new examples from templates (`template`) or from an LLM (`selfinstruct`), always
checked with dslint's own rules before anything is written."""
