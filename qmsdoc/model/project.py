"""The whole document set: site config, procedures and forms (and, later, rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.site import SiteConfig


@dataclass(frozen=True)
class Project:
    """Everything loaded from one repository, validated and cross-referenced."""

    root: Path
    site: SiteConfig
    procedures: dict[str, Procedure]
    forms: dict[str, Form]
    rules: tuple[object, ...] = field(default=())

    def title_of(self, doc_id: str) -> str | None:
        doc = self.procedures.get(doc_id) or self.forms.get(doc_id)
        return doc.title if doc else None

    def forms_of(self, procedure_id: str) -> list[Form]:
        """The forms a procedure lists, in its own order."""
        proc = self.procedures[procedure_id]
        return [self.forms[f] for f in proc.forms if f in self.forms]
