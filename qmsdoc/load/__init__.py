"""Loaders: source files → the validated model. The only code that parses YAML or Markdown."""
