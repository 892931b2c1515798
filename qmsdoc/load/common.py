"""Readers shared by procedures and forms: sign-offs, revision history, ids."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.load.reader import MapReader
from qmsdoc.model.documents import STATUSES, HistoryEntry, Signoff
from qmsdoc.model.site import SiteConfig


def read_signoff(r: MapReader, key: str) -> Signoff | None:
    sub = r.mapping(key)
    if sub is None:
        return None
    name = sub.text("name", required=True)
    date = sub.date("date", required=True)
    sub.finish()
    return Signoff(name, date) if name and date else None


def check_signoffs(r: MapReader, status: str | None, prepared: Signoff | None, reviewed: Signoff | None,
                   approved: Signoff | None, effective: dt.date | None, diags: Diagnostics, *,
                   required: bool) -> None:
    """编制 ≤ 审核 ≤ 批准 ≤ effective; with `required`, an effective or approved document names all three."""
    if required and status in ("effective", "approved"):
        for key, value in (("prepared", prepared), ("reviewed", reviewed), ("approved", approved)):
            if value is None:
                diags.error(r.key_loc("status") if not r.has(key) else r.value_loc(key),
                            f'an {status} document needs "{key}" with a name and a date',
                            f"add {key}: {{name: …, date: YYYY-MM-DD}}")
    if prepared and reviewed and prepared.date > reviewed.date:
        diags.error(r.value_loc("reviewed"), f"reviewed on {reviewed.date}, before it was prepared ({prepared.date})")
    if reviewed and approved and reviewed.date > approved.date:
        diags.error(r.value_loc("approved"), f"approved on {approved.date}, before it was reviewed ({reviewed.date})")
    if approved and effective and approved.date > effective:
        diags.error(r.value_loc("approved"),
                    f"approved on {approved.date}, after the effective date {effective}",
                    "approval must be on or before the effective date")


SIGNOFF_KEYS = ("prepared", "reviewed", "approved")
LIFECYCLE_KEYS = ("id", "revision", "status", "effective", *SIGNOFF_KEYS)
"""Keys whose positions the lifecycle commands cite (release checks, frozen releases)."""


def read_history(r: MapReader, diags: Diagnostics) -> tuple[HistoryEntry, ...]:
    out = []
    for node in r.seq("history", required=True):
        h = MapReader(node, diags, "history entry")
        rev, date = h.text("revision", required=True), h.date("date", required=True)
        by, desc = h.text("by", required=True), h.text("description", required=True)
        h.finish()
        if rev and date and by and desc:
            out.append(HistoryEntry(rev, date, by, desc))
    return tuple(out)


def check_revision(r: MapReader, site: SiteConfig, revision: str | None, diags: Diagnostics) -> None:
    if revision and not site.revision_pattern.match(revision):
        diags.error(r.value_loc("revision"),
                    f'revision "{revision}" does not follow the revision scheme',
                    f"write it like {site.revision_example} (qmsdoc.yaml revision_scheme)")


def check_history(r: MapReader, revision: str | None, history: tuple[HistoryEntry, ...],
                  diags: Diagnostics) -> None:
    """The history ends with the current revision and runs forward in time."""
    if not history or not revision:
        return
    if history[-1].revision != revision:
        diags.error(r.value_loc("history"),
                    f'the last history entry is revision "{history[-1].revision}", '
                    f'but the document is revision "{revision}"',
                    "add a history entry for the current revision")
    for a, b in pairwise(history):
        if b.date < a.date:
            diags.error(r.value_loc("history"),
                        f"history entries are out of order: {b.revision} ({b.date}) "
                        f"is dated before {a.revision} ({a.date})")


def read_source_text(raw: bytes, rel: str, diags: Diagnostics) -> str | None:
    """A source file's text: UTF-8, without a byte-order mark, with Unix line ends."""
    try:
        return raw.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        diags.error(Location(rel), f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                    "save the file as UTF-8")
        return None


def read_identity(r: MapReader, site: SiteConfig, kind: str) -> tuple[str | None, str | None, str | None, str | None]:
    """The keys every controlled document starts with: id, title, revision, status."""
    pattern = site.procedure_code if kind == "procedure" else site.form_code
    doc = doc_id(r, pattern, kind)
    title = r.text("title", required=True)
    revision = r.text("revision", required=True)
    check_revision(r, site, revision, diags=r.diags)
    status = r.enum("status", STATUSES, required=True)
    return doc, title, revision, status


def doc_id(r: MapReader, site_pattern: re.Pattern[str], kind: str) -> str | None:
    value = r.text("id", required=True)
    if value and not site_pattern.match(value):
        r.diags.error(r.value_loc("id"), f'{kind} id "{value}" does not follow the code scheme',
                      f"qmsdoc.yaml codes.{kind}: {site_pattern.pattern}")
    return value


