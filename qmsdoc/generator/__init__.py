"""The generator: the model → controlled Word documents and blank forms."""
