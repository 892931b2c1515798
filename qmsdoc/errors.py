"""Diagnostics: every user-facing problem, with the place in a source file it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

EXIT_OK = 0
"""Success: sources lint clean, or no finding at or above the fail level."""
EXIT_FINDINGS = 1
"""Lint problems or compliance findings were reported."""
EXIT_USAGE = 2
"""Usage error, unreadable configuration or rule errors: nothing was checked."""


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


NOWHERE = Location("")
"""The location of something not read from a source file (a default, or built in code)."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the sources: where, what, and how to fix it."""

    location: Location
    message: str
    hint: str | None = None

    def format(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class Diagnostics:
    """A collector: loaders add every problem they find, then the caller stops once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(location, message, hint))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.location, d.message))


class SourceError(Exception):
    """The sources have problems; nothing was built or checked."""

    def __init__(self, diagnostics: Diagnostics):
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} problem(s) in the sources")


def did_you_mean(word: str, choices: Iterable[object]) -> str | None:
    """A 'did you mean' hint for a misspelt name, or None when nothing is close."""
    import difflib

    names = [str(c) for c in choices]
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None
