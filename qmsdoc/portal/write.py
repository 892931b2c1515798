"""`qmsdoc build` → output/site/: publish the built files, list them, render, prune what is stale.

Run after the documents are built (and converted to PDF, when asked). The site is
self-contained: it links only to its own files, so it can be opened from file:// or served
on its own by `qmsdoc serve`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.portal.catalogue import ARCHIVED, CURRENT, PENDING, Document, build_catalogue
from qmsdoc.portal.files import Publisher
from qmsdoc.portal.pages import LIST_PAGES, render_pages

SITE_DIR = "site"
HOME = LIST_PAGES[CURRENT]


@dataclass(frozen=True)
class SiteSummary:
    """What a site build did: where the home page is, what it lists, how many files changed."""

    home: Path
    current: int
    pending: int
    archived: int
    changed: int
    removed: int


def site_dir(out: Path) -> Path:
    """The site folder under a build output folder."""
    return out / SITE_DIR


def write_site(project: Project, labels: Labels, out: Path) -> SiteSummary:
    """Write the portal for the documents already built under `out` into `out/site/`."""
    site = site_dir(out)
    publisher = Publisher(site)
    docs: list[Document] = [*project.procedures.values(), *project.forms.values()]
    downloads = publisher.publish_documents(out, docs)
    catalogue = build_catalogue(project, downloads)
    for page in render_pages(project, catalogue, labels):
        publisher.write(page.path, page.data)
    removed = publisher.prune()
    return SiteSummary(site / HOME, len(catalogue.listed(CURRENT)), len(catalogue.listed(PENDING)),
                       len(catalogue.listed(ARCHIVED)), publisher.changed, removed)
