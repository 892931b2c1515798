"""What the portal lists and where: each document's standing, department, page and downloads.

Only an effective document is *current*. A draft or an approved document that is not yet in
force is *pending*. Everything else — obsolete today, and superseded or any other state the
lifecycle adds later — is *archived*. The three are listed on separate pages, so a document
that is not in force can never be picked up from the list of current ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from qmsdoc.lifecycle.revisions import model_of
from qmsdoc.lifecycle.states import document_states
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.project import Project

CURRENT = "current"
PENDING = "pending"
ARCHIVED = "archived"
STANDINGS = (CURRENT, PENDING, ARCHIVED)

PENDING_STATUSES = frozenset({"draft", "approved"})
"""Statuses of documents that are not in force yet; every other status but effective is archived."""

DOCUMENTS_DIR = "documents"

Document = Procedure | Form
DocKey = tuple[str, str, str]
"""(kind, id, revision): one revision of one document."""


def standing_of(status: str) -> str:
    """CURRENT for an effective document, PENDING for draft/approved, ARCHIVED for anything else."""
    if status == "effective":
        return CURRENT
    if status in PENDING_STATUSES:
        return PENDING
    return ARCHIVED


def slug(text: str) -> str:
    """A file-name-safe form of an id or revision, the same rule as the built .docx names."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)


def key_of(doc: Document) -> DocKey:
    return (doc.kind, doc.id, doc.revision)


@dataclass(frozen=True)
class Download:
    """A downloadable file of a document, published inside the site."""

    format: str
    """"docx" or "pdf"."""
    href: str
    """Path relative to the site root, e.g. files/forms/SJE-JL-GK-09-01_A-0.docx."""
    size: int
    """Bytes."""


@dataclass(frozen=True)
class Entry:
    """One document revision as the portal shows it."""

    doc: Document
    standing: str
    department: str
    page: str
    """Path of its page relative to the site root. A current document's page is named by id
    alone, so a bookmark always opens the revision in force; other pages add the revision."""
    downloads: tuple[Download, ...]

    @property
    def kind(self) -> str:
        return self.doc.kind

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def title(self) -> str:
        return self.doc.title

    @property
    def revision(self) -> str:
        return self.doc.revision

    @property
    def status(self) -> str:
        return self.doc.status

    @property
    def effective(self) -> dt.date | None:
        return self.doc.effective


@dataclass(frozen=True)
class ProcedureGroup:
    """A procedure and its forms, listed as one block.

    `procedures` is usually one entry. It is empty when the procedure is not listed on the same
    page (a current form whose procedure is still pending, an obsolete form of a current
    procedure): the block is then headed by `elsewhere`, the procedure's revision listed on
    another page, if any. The archive may hold several revisions of one procedure.
    """

    procedure_id: str
    procedure_title: str
    procedures: tuple[Entry, ...]
    forms: tuple[Entry, ...]
    elsewhere: Entry | None = None

    def entries(self) -> tuple[Entry, ...]:
        return self.procedures + self.forms


@dataclass(frozen=True)
class DepartmentGroup:
    """The documents a department owns (a form belongs to its procedure's department)."""

    department: str
    groups: tuple[ProcedureGroup, ...]

    @property
    def procedure_count(self) -> int:
        return sum(len(g.procedures) for g in self.groups)

    @property
    def form_count(self) -> int:
        return sum(len(g.forms) for g in self.groups)


@dataclass(frozen=True)
class Catalogue:
    """Every document revision the portal publishes, with the site's department order."""

    entries: tuple[Entry, ...]
    departments: tuple[str, ...]

    def listed(self, standing: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.standing == standing)

    def current(self, doc_id: str) -> Entry | None:
        """The revision of `doc_id` in force, if there is one."""
        return next((e for e in self.entries if e.id == doc_id and e.standing == CURRENT), None)

    def latest(self, doc_id: str) -> Entry | None:
        """The revision staff should be pointed to: the current one, else any listed revision."""
        return self.current(doc_id) or next((e for e in self.entries if e.id == doc_id), None)

    def by_department(self, standing: str, project: Project) -> tuple[DepartmentGroup, ...]:
        """The entries of one standing as department → procedure → forms, in the site's order.

        Departments follow qmsdoc.yaml, procedures their id, forms the order their procedure
        lists them in.
        """
        by_dept: dict[str, dict[str, list[Entry]]] = {}
        for e in self.listed(standing):
            proc_id = e.id if isinstance(e.doc, Procedure) else e.doc.procedure
            by_dept.setdefault(e.department, {}).setdefault(proc_id, []).append(e)
        dept_rank = {d: i for i, d in enumerate(self.departments)}
        out = []
        for dept in sorted(by_dept, key=lambda d: (dept_rank.get(d, len(dept_rank)), d)):
            groups = []
            for proc_id, members in sorted(by_dept[dept].items()):
                proc = project.procedures.get(proc_id)
                form_rank = {fid: i for i, fid in enumerate(proc.forms if proc else ())}
                procs = tuple(e for e in members if e.kind == "procedure")
                forms = tuple(sorted((e for e in members if e.kind == "form"),
                                     key=lambda e: (form_rank.get(e.id, len(form_rank)), e.id, e.revision)))
                title = procs[-1].title if procs else (proc.title if proc else "")
                groups.append(ProcedureGroup(proc_id, title, procs, forms, None if procs else self.latest(proc_id)))
            out.append(DepartmentGroup(dept, tuple(groups)))
        return tuple(out)


def department_of(doc: Document, project: Project) -> str:
    """A procedure's owner; a form's is its procedure's owner."""
    if isinstance(doc, Procedure):
        return doc.owner
    proc = project.procedures.get(doc.procedure)
    return proc.owner if proc else ""


def page_of(doc: Document, standing: str) -> str:
    name = slug(doc.id) if standing == CURRENT else f"{slug(doc.id)}_{slug(doc.revision)}"
    return f"{DOCUMENTS_DIR}/{name}.html"


def revisions(project: Project, as_of: dt.date | None = None) -> list[Document]:
    """Every revision to publish, each with its state on `as_of`: the sources, and the released
    revisions the lifecycle keeps (superseded ones, one still in force while its successor
    waits for its effective date, one approved and pending).

    States come from `qmsdoc.lifecycle.states`, as `qmsdoc build` sees them on the same day
    (None: every effective revision is taken to be in force).
    """
    docs = []
    for states in document_states(project, as_of).values():
        for rs in states.revisions:
            doc = model_of(project, rs)
            docs.append(doc if doc.status == rs.state else replace(doc, status=rs.state))
    return docs


def build_catalogue(project: Project, downloads: Mapping[DocKey, tuple[Download, ...]],
                    documents: Sequence[Document] | None = None) -> Catalogue:
    """The documents (by default every revision to publish) with standing and published files.

    `documents` may hold several revisions of one id, each with its own status (superseded
    ones from the lifecycle's release records, for instance).
    """
    docs = documents if documents is not None else revisions(project)
    entries = []
    for doc in sorted(docs, key=lambda d: (d.id, d.revision)):
        standing = standing_of(doc.status)
        entries.append(Entry(doc, standing, department_of(doc, project), page_of(doc, standing),
                             downloads.get(key_of(doc), ())))
    return Catalogue(tuple(entries), project.site.departments)
