"""The whole document set: site config, procedures, forms and the compliance rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.releases import Release
from qmsdoc.model.rules import Rule
from qmsdoc.model.signatures import Signer
from qmsdoc.model.site import SiteConfig


@dataclass(frozen=True)
class Project:
    """Everything loaded from one repository, validated and cross-referenced."""

    root: Path
    site: SiteConfig
    procedures: dict[str, Procedure]
    forms: dict[str, Form]
    rules: tuple[Rule, ...] = field(default=())
    """Compiled rules, one entry per rule and form (a rule naming two forms appears twice)."""
    releases: dict[str, tuple[Release, ...]] = field(default_factory=dict)
    """Released revisions by document id, oldest first (releases/*/*/release.json)."""
    signers: dict[str, Signer] = field(default_factory=dict)
    """The signers registry by login id (signers/*.yaml); empty when signatures are not used."""

    def document(self, doc_id: str) -> Procedure | Form | None:
        """The current source of a procedure or form."""
        return self.procedures.get(doc_id) or self.forms.get(doc_id)

    def release_of(self, doc_id: str, revision: str) -> Release | None:
        return next((r for r in self.releases.get(doc_id, ()) if r.revision == revision), None)

    def title_of(self, doc_id: str) -> str | None:
        doc = self.procedures.get(doc_id) or self.forms.get(doc_id)
        return doc.title if doc else None

    def forms_of(self, procedure_id: str) -> list[Form]:
        """The forms a procedure lists, in its own order."""
        proc = self.procedures[procedure_id]
        return [self.forms[f] for f in proc.forms if f in self.forms]

