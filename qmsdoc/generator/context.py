"""What rendering one document reads besides the document itself, with every read recorded.

The generator sees the project only through a `RenderContext`: the site settings, the label
texts and the titles of other documents. Each value it reads is recorded as an input (see
`qmsdoc.model.inputs`), so a release can freeze exactly what its .docx was made from. Built
over a released revision's recorded inputs, the context gives back the values of then.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from qmsdoc.model.inputs import (
    LABEL,
    LOOK,
    TITLE,
    Inputs,
    encode,
    kind_of,
    label_key,
    site_key,
    site_value,
    site_with,
    title_key,
)
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project


@dataclass(frozen=True)
class RecordingLabels(Labels):
    """Labels that note each text read into `used`."""

    used: dict[str, Any] = field(default_factory=dict, compare=False)

    def __getitem__(self, key: str) -> str:
        text = self.texts[key]
        self.used[label_key(key)] = text
        return text

    def format(self, key: str, **values: object) -> str:
        return self[key].format(**values)


class _Titles(Mapping[str, str]):
    """Document titles by id, each one read noted into `used`."""

    def __init__(self, titles: Mapping[str, str], used: dict[str, Any]):
        self._titles, self._used = titles, used

    def __getitem__(self, doc_id: str) -> str:
        title = self._titles[doc_id]
        self._used[title_key(doc_id)] = title
        return title

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)


class RenderContext:
    """The site, labels and titles one rendering reads; `inputs()` lists what it read.

    `frozen`: a released revision's inputs, laid over today's values, so a snapshot renders
    with the settings, texts and titles it was released with.
    """

    def __init__(self, project: Project, labels: Labels, frozen: Inputs | None = None):
        frozen = frozen or {}
        self.used: dict[str, Any] = {}
        self.site = site_with(project.site, frozen)
        texts = {**labels.texts, **{k.split(":", 1)[1]: v for k, v in frozen.items() if kind_of(k) == LABEL}}
        self.labels = RecordingLabels(self.site.language, texts, self.used)
        titles = {pid: p.title for pid, p in project.procedures.items()}
        titles.update({fid: f.title for fid, f in project.forms.items()})
        titles.update({k.split(":", 1)[1]: v for k, v in frozen.items() if kind_of(k) == TITLE})
        self.titles: Mapping[str, str] = _Titles(titles, self.used)
        for path in LOOK:
            self._site(path)

    def _site(self, path: str) -> Any:
        value = site_value(self.site, path)
        self.used[site_key(path)] = value
        return value

    def title(self, doc_id: str) -> str | None:
        """The title of another document (None if there is none)."""
        return self.titles.get(doc_id)

    @property
    def date_format(self) -> str:
        """The date format of date pickers on blank forms."""
        return str(self._site("date_format"))

    def inputs(self) -> dict[str, Any]:
        """Everything read so far, as JSON values, by key."""
        return {k: encode(v) for k, v in sorted(self.used.items())}
