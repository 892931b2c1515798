"""`qmsdoc build` → output/site/: publish the built files, list them, render, prune what is stale.

Run after the documents are built (and converted to PDF, when asked). The site is
self-contained: it links only to its own files, so it can be opened from file:// or served
on its own by `qmsdoc serve`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.outputs import Built
from qmsdoc.portal.catalogue import ARCHIVED, CURRENT, PENDING, Document, build_catalogue, revisions
from qmsdoc.portal.files import Publisher
from qmsdoc.portal.pages import LIST_PAGES, render_pages

if TYPE_CHECKING:
    from qmsdoc.store.dashboard import Dashboard

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


def write_site(project: Project, labels: Labels, out: Path, *, built: Sequence[Built] | None = None,
               documents: Sequence[Document] | None = None, as_of: dt.date | None = None,
               dashboard: Dashboard | None = None) -> SiteSummary:
    """Write the portal for the documents already built under `out` into `out/site/`.

    `built` are the build's results (which file holds which document); without them the files
    are looked up by name under `out`. `documents` are the revisions to publish, each with the
    status it has on `as_of`; by default the sources and the released revisions the lifecycle
    keeps. Every page names `as_of`, the day the site is built for. `dashboard`: the records store's
    findings and corrective actions, for the dashboard page (none without a store).
    """
    site = site_dir(out)
    publisher = Publisher(site)
    docs = list(documents) if documents is not None else revisions(project, as_of)
    downloads = publisher.publish_documents(out, docs, built)
    catalogue = build_catalogue(project, downloads, docs)
    for page in render_pages(project, catalogue, labels, as_of, dashboard):
        publisher.write(page.path, page.data)
    removed = publisher.prune()
    return SiteSummary(site / HOME, len(catalogue.listed(CURRENT)), len(catalogue.listed(PENDING)),
                       len(catalogue.listed(ARCHIVED)), publisher.changed, removed)
