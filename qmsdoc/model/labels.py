"""The label catalogue: every fixed text on a generated document, per language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    """Fixed texts for one language; `labels["revision"]` or `labels.format("copies_n", n=2)`."""

    language: str
    texts: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def format(self, key: str, **values: object) -> str:
        return self.texts[key].format(**values)
