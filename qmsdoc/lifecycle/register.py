"""The master list of controlled documents (受控文件清单): one row per listed revision.

Procedures and forms in force or pending are listed with their state, effective date,
owner, approver and (procedures) the next periodic review and the forms they use, each with
its revision. Superseded and obsolete revisions are listed apart. On an as-of date, states
follow the effective dates (a revision whose date has not come is approved, not in force)
and reviews due within 30 days or overdue are marked.

The rows are written as .docx (`register_docx`), .xlsx (`register_xlsx`) and .csv (here).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from qmsdoc.lifecycle.review import next_review, review_status
from qmsdoc.lifecycle.revisions import model_of
from qmsdoc.lifecycle.states import ARCHIVED, DocumentStates, RevisionState, document_states
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.report.cells import csv_row

PROCEDURES, FORMS, ARCHIVE = "procedures", "forms", "archive"
SECTIONS = (PROCEDURES, FORMS, ARCHIVE)


@dataclass(frozen=True)
class RegisterRow:
    """One revision of one document as the register lists it."""

    section: str
    kind: str
    id: str
    title: str
    revision: str
    state: str
    effective: dt.date | None
    owner: str
    approver: str
    released_on: dt.date | None
    review_months: int | None = None
    next_review: dt.date | None = None
    review: str | None = None
    """"due" or "overdue" on the as-of date, else None."""
    forms: tuple[tuple[str, str], ...] = ()
    """A procedure's forms: (id, revision listed)."""
    procedure: str | None = None
    """A form's owning procedure."""
    superseded_by: str | None = None
    superseded_on: dt.date | None = None


@dataclass(frozen=True)
class Register:
    """The whole list, as of a day (None: by declared status only) and the day it is dated."""

    as_of: dt.date | None
    dated: dt.date
    rows: tuple[RegisterRow, ...]

    def section(self, name: str) -> tuple[RegisterRow, ...]:
        return tuple(r for r in self.rows if r.section == name)


def build_register(project: Project, as_of: dt.date | None = None) -> Register:
    """The register of the project on `as_of`; without it, dated by the latest effective or release date."""
    states = document_states(project, as_of)
    listed_revision = {doc_id: _listed_revision(s) for doc_id, s in states.items()}
    rows: list[RegisterRow] = []
    for s in sorted(states.values(), key=lambda s: (s.kind != "procedure", s.id)):
        for rs in s.revisions:
            rows.append(_row(project, rs, as_of, listed_revision))
    order = {name: k for k, name in enumerate(SECTIONS)}
    rows.sort(key=lambda r: (order[r.section], r.id, r.effective or dt.date.max, r.revision))
    dates = [d for r in rows for d in (r.effective, r.released_on) if d is not None]
    dated = as_of or (max(dates) if dates else dt.date(2000, 1, 1))
    return Register(as_of, dated, tuple(rows))


def _listed_revision(s: DocumentStates) -> str | None:
    """The revision a procedure's forms column names: in force, else the latest pending one."""
    rs = s.in_force or (s.listed()[-1] if s.listed() else None)
    return rs.revision if rs else None


def _row(project: Project, rs: RevisionState, as_of: dt.date | None,
         listed_revision: dict[str, str | None]) -> RegisterRow:
    doc: Procedure | Form = model_of(project, rs)
    section = ARCHIVE if rs.state in ARCHIVED else (PROCEDURES if rs.kind == "procedure" else FORMS)
    approver = rs.release.approved.name if rs.release else (doc.approved.name if doc.approved else "")
    common: dict[str, Any] = {
        "section": section, "kind": rs.kind, "id": rs.id, "title": rs.title, "revision": rs.revision,
        "state": rs.state, "effective": rs.effective, "approver": approver,
        "released_on": rs.release.released_on if rs.release else None,
        "superseded_by": rs.superseded_by, "superseded_on": rs.superseded_on,
    }
    if isinstance(doc, Procedure):
        due = next_review(rs.effective, doc.review_months) if rs.state == "effective" else None
        return RegisterRow(**common, owner=doc.owner, review_months=doc.review_months, next_review=due,
                           review=_marked(review_status(due, as_of)),
                           forms=tuple((f, listed_revision.get(f) or "") for f in doc.forms))
    owner = project.procedures.get(doc.procedure)
    return RegisterRow(**common, owner=owner.owner if owner else "", procedure=doc.procedure)


def _marked(status: str | None) -> str | None:
    return status if status in ("due", "overdue") else None


# -- shared texts ---------------------------------------------------------------------------

def state_text(row: RegisterRow, labels: Labels) -> str:
    return labels[f"state_{row.state}"]


def review_text(row: RegisterRow, labels: Labels) -> str:
    return labels[f"register_review_{row.review}"] if row.review else ""


def forms_text(row: RegisterRow, sep: str = "\n") -> str:
    return sep.join(f"{fid} {rev}".strip() for fid, rev in row.forms)


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


COLUMNS = ("register_kind", "register_id", "register_title_col", "register_revision", "register_status",
           "register_effective", "register_owner", "register_approver", "register_review_period",
           "register_next_review", "register_review", "register_forms_col", "register_procedure",
           "register_released_on", "register_superseded_by", "register_superseded_on")
"""The columns of the flat lists (.csv, and the .xlsx sheet of all revisions)."""


def flat_values(row: RegisterRow, labels: Labels) -> list[str]:
    """One row of the flat list, in COLUMNS order."""
    kind = labels[f"register_kind_{row.kind}"]
    months = labels.format("register_months", n=row.review_months) if row.review_months else ""
    return [kind, row.id, row.title, row.revision, state_text(row, labels), iso(row.effective), row.owner,
            row.approver, months, iso(row.next_review), review_text(row, labels), forms_text(row, "; "),
            row.procedure or "", iso(row.released_on), row.superseded_by or "", iso(row.superseded_on)]


def register_csv(register: Register, labels: Labels) -> bytes:
    """All rows as CSV: UTF-8 with a byte-order mark and CRLF line ends, as Excel opens it; text a
    spreadsheet would take for a formula starts with a single quote."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_row(labels[c] for c in COLUMNS))
    for row in register.rows:
        writer.writerow(csv_row(flat_values(row, labels)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
