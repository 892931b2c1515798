"""The portal's HTML pages: the three lists (current, pending, archive) and one page per document.

Templates live in `portal/templates/`, the stylesheet and the search script in
`portal/assets/`; every text from sources and labels goes through Jinja2's autoescaping.
Pages hold no dates from the clock, so the same sources give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2

from qmsdoc import __version__
from qmsdoc.generator.form import copies_text, retention_text
from qmsdoc.model.documents import Form, Procedure, Signoff
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.signatures import Manifestation
from qmsdoc.portal.catalogue import (
    ARCHIVED,
    CURRENT,
    PENDING,
    STANDINGS,
    Catalogue,
    DepartmentGroup,
    Entry,
)

if TYPE_CHECKING:
    from qmsdoc.store.dashboard import Dashboard

ASSETS = ("portal.css", "portal.js")
ASSETS_DIR = "assets"
LIST_PAGES = {CURRENT: "index.html", PENDING: "pending.html", ARCHIVED: "archive.html"}
SIGNOFFS = ("prepared", "reviewed", "approved")
FORMAT_LABELS = {"docx": "site_download_docx", "pdf": "site_download_pdf"}


@dataclass(frozen=True)
class Page:
    """One file of the site: its path relative to the site root and its bytes."""

    path: str
    data: bytes


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("qmsdoc.portal", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


class _Texts:
    """The helpers templates use to turn model values into the site language's words."""

    def __init__(self, labels: Labels):
        self.labels = labels

    def t(self, key: str, **values: object) -> str:
        return self.labels.format(key, **values) if values else self.labels[key]

    def status(self, status: str) -> str:
        """The label of a status; a status this version does not know is shown as written."""
        return self.labels.texts.get(f"site_status_{status}", status)

    def kind(self, kind: str) -> str:
        return self.labels[f"site_kind_{kind}"]

    def fmt(self, fmt: str) -> str:
        return self.labels[FORMAT_LABELS[fmt]]

    def date(self, day: dt.date | None) -> str:
        return day.isoformat() if day else "—"

    def size(self, size: int) -> str:
        return self.labels.format("site_size_kb", n=max(1, round(size / 1024)))

    def signoffs(self, doc: Procedure | Form) -> list[tuple[str, Signoff | None]]:
        """编制 / 审核 / 批准 with their label keys; empty for a form that records none."""
        found = [(key, getattr(doc, key, None)) for key in SIGNOFFS]
        return found if isinstance(doc, Procedure) or any(s for _, s in found) else []

    def dept_counts(self, d: DepartmentGroup) -> str:
        """"2 个程序文件 · 9 份表单", leaving out a kind the department has none of here."""
        parts = [self.labels.format(key, n=n) for key, n in
                 (("site_count_procedures", d.procedure_count), ("site_count_forms", d.form_count)) if n]
        return " · ".join(parts)

    def search_text(self, e: Entry) -> str:
        """What the search box matches a row against: number, title, department, type."""
        return " ".join((e.id, e.title, e.department, self.kind(e.kind), self.status(e.status)))


def render_pages(project: Project, catalogue: Catalogue, labels: Labels, as_of: dt.date | None = None,
                 dashboard: Dashboard | None = None) -> list[Page]:
    """Every page of the site, with the stylesheet and script, in a fixed order; each names the day
    the documents' states are listed for (`as_of`). With `dashboard` (the records store's findings and
    corrective actions), also the dashboard page, which every page's tabs then link to."""
    env = _environment()
    texts = _Texts(labels)
    counts = {s: len(catalogue.listed(s)) for s in STANDINGS}
    headings = {s: _heading(s, texts) for s in STANDINGS}
    common: dict[str, object] = {
        "lang": labels.language, "version": __version__, "organisation": project.site.organisation,
        "counts": counts, "lists": LIST_PAGES, "x": texts, "t": texts.t,
        "headings": headings, "as_of": as_of.isoformat() if as_of else None,
        "dashboard": _dashboard_page(dashboard),
    }
    pages = []
    list_template = env.get_template("list.html")
    for standing in STANDINGS:
        html = list_template.render(
            common, prefix="", active=standing, standing=standing,
            departments=catalogue.by_department(standing, project),
            total=counts[standing], heading=headings[standing], show_status=standing != CURRENT,
        )
        pages.append(Page(LIST_PAGES[standing], html.encode("utf-8")))
    doc_template = env.get_template("document.html")
    signed = _SignedReleases(project)
    for entry in catalogue.entries:
        doc = entry.doc
        context = {
            "e": entry,
            "current": catalogue.current(entry.id) if entry.standing != CURRENT else None,
            "other_revisions": {e.revision: e for e in catalogue.entries if e.id == entry.id and e is not entry},
            "forms": _forms_of(doc, project, catalogue) if isinstance(doc, Procedure) else (),
            "related": _related_of(doc, project, catalogue) if isinstance(doc, Procedure) else (),
            "owner": _owner_of(doc, project, catalogue) if isinstance(doc, Form) else None,
            "retention": retention_text(doc, labels) if isinstance(doc, Form) else None,
            "copies": copies_text(doc, labels) if isinstance(doc, Form) else None,
            "signed": signed.of(entry.id, entry.revision),
        }
        html = doc_template.render(common, prefix="../", active=entry.standing, **context)
        pages.append(Page(entry.page, html.encode("utf-8")))
    if dashboard is not None:
        from qmsdoc.portal.dashboard import PAGE, procedure_charts, severity_names, totals_chart

        html = env.get_template("dashboard.html").render(
            common, prefix="", active="dashboard", board=dashboard, severities=severity_names(labels),
            totals_chart=totals_chart(dashboard, labels), procedure_charts=procedure_charts(dashboard, labels))
        pages.append(Page(PAGE, html.encode("utf-8")))
    for name in ASSETS:
        data = resources.files("qmsdoc.portal").joinpath(ASSETS_DIR, name).read_bytes()
        pages.append(Page(f"{ASSETS_DIR}/{name}", data))
    return pages


@dataclass(frozen=True)
class SignedView:
    """A signed release as its page shows it: each signature's manifestation, and whether all verify."""

    manifestations: tuple[Manifestation, ...]
    problems: tuple[str, ...]

    @property
    def verified(self) -> bool:
        return not self.problems


class _SignedReleases:
    """The signatures of signed releases, verified once per build (the trail is read once)."""

    def __init__(self, project: Project):
        self.project = project
        self.events: dict[object, Any] | None = None

    def of(self, doc_id: str, revision: str) -> SignedView | None:
        release = self.project.release_of(doc_id, revision)
        if release is None or not release.signed:
            return None
        from qmsdoc.signing.trail import verify_trail
        from qmsdoc.signing.verify import check_signed_release, signing_events

        if self.events is None:
            self.events = signing_events(verify_trail(self.project.root).events)
        signatures, problems = check_signed_release(self.project, release, self.events)
        return SignedView(tuple(Manifestation.of(s) for s in signatures), tuple(p.message for p in problems))


def _dashboard_page(dashboard: Dashboard | None) -> str | None:
    return None if dashboard is None else "dashboard.html"


def _heading(standing: str, texts: _Texts) -> str:
    return texts.t("site_nav_current") if standing == CURRENT else texts.t(f"site_{standing}_title")


@dataclass(frozen=True)
class Link:
    """A document another page points to: its listed entry, or only its id and title."""

    id: str
    title: str
    entry: Entry | None


def _link(doc_id: str, project: Project, catalogue: Catalogue) -> Link:
    return Link(doc_id, project.title_of(doc_id) or "", catalogue.latest(doc_id))


def _forms_of(proc: Procedure, project: Project, catalogue: Catalogue) -> list[Link]:
    return [_link(fid, project, catalogue) for fid in proc.forms]


def _related_of(proc: Procedure, project: Project, catalogue: Catalogue) -> list[Link]:
    return [_link(rid, project, catalogue) for rid in proc.related]


def _owner_of(form: Form, project: Project, catalogue: Catalogue) -> Link:
    return _link(form.procedure, project, catalogue)


