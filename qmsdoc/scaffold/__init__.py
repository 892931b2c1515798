"""Starting and scaffolding a document set: `qmsdoc init` and `qmsdoc new`.

The example project is package data (templates/<language>/); `new` writes skeletons that lint
and links them to their procedure with the smallest text edit. Nothing here overwrites a file.
"""

from __future__ import annotations


class ScaffoldError(Exception):
    """What could not be written, and how to fix it: one message and one hint."""

    def __init__(self, message: str, hint: str):
        self.message = message
        self.hint = hint
        super().__init__(message)
