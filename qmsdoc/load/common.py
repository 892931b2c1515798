"""Readers shared by every source: the file itself, its text, sign-offs, revision history, ids."""

from __future__ import annotations

import datetime as dt
import functools
import os
import stat
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import re2  # type: ignore[import-untyped]

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.load.reader import MapReader
from qmsdoc.load.shapes import HISTORY_ENTRY
from qmsdoc.load.yamlsrc import UNWRITABLE
from qmsdoc.model.documents import STATUSES, HistoryEntry, Signoff
from qmsdoc.model.limits import LimitExceeded, Limits
from qmsdoc.model.site import SiteConfig

RE2_OPTIONS = re2.Options()
RE2_OPTIONS.log_errors = False


def read_signoff(r: MapReader, key: str) -> Signoff | None:
    """The sign-off under `key`; a sign-off given but not readable is in `r.failed` (its problem is
    reported, so check_signoffs does not also say it is missing)."""
    before = len(r.diags)
    sub = r.mapping(key)
    if sub is None:
        return None
    name = sub.text("name", required=True)
    date = sub.date("date", required=True)
    sub.finish()
    if name and date:
        return Signoff(name, date)
    if len(r.diags) > before:
        r.failed.add(key)
    return None


def check_signoffs(r: MapReader, status: str | None, prepared: Signoff | None, reviewed: Signoff | None,
                   approved: Signoff | None, effective: dt.date | None, diags: Diagnostics, *,
                   required: bool) -> None:
    """编制 ≤ 审核 ≤ 批准 ≤ effective; with `required`, an effective or approved document names all three."""
    if required and status in ("effective", "approved"):
        for key, value in (("prepared", prepared), ("reviewed", reviewed), ("approved", approved)):
            if value is None and key not in r.failed:
                diags.error(r.key_loc("status") if not r.has(key) else r.value_loc(key),
                            f'an {status} document needs "{key}" with a name and a date',
                            f"add {key}: {{name: …, date: YYYY-MM-DD}}")
    if status in ("effective", "approved"):
        for clash in same_person(prepared, reviewed, approved):
            if clash.second == "approved":  # segregation of duties: the approver is a third person
                names = r.mapping("approved")
                diags.error(names.value_loc("name") if names else r.value_loc("approved"), clash.message(), clash.hint)
    if prepared and reviewed and prepared.date > reviewed.date:
        diags.error(r.value_loc("reviewed"), f"reviewed on {reviewed.date}, before it was prepared ({prepared.date})")
    if reviewed and approved and reviewed.date > approved.date:
        diags.error(r.value_loc("approved"), f"approved on {approved.date}, before it was reviewed ({reviewed.date})")
    if approved and effective and approved.date > effective:
        diags.error(r.value_loc("approved"),
                    f"approved on {approved.date}, after the effective date {effective}",
                    "approval must be on or before the effective date")


SIGNOFF_KEYS = ("prepared", "reviewed", "approved")


@dataclass(frozen=True)
class SamePerson:
    """One person named for two sign-offs of the same revision (`first` comes before `second`)."""

    name: str
    first: str
    second: str

    def message(self) -> str:
        return f"{self.name} is named both as {self.first} and as {self.second}"

    hint = "prepared, reviewed and approved must be three different people"


def same_person(prepared: Signoff | None, reviewed: Signoff | None, approved: Signoff | None) -> list[SamePerson]:
    """Segregation of duties: each sign-off by someone already named for an earlier one.

    Names are compared with their spacing normalised. `lint` reports the ones whose second
    role is approved (the approver signs off their own work); `release` refuses them all.
    """
    seen: dict[str, str] = {}
    out = []
    for key, value in zip(SIGNOFF_KEYS, (prepared, reviewed, approved), strict=True):
        if value is None:
            continue
        name = " ".join(value.name.split())
        if name in seen:
            out.append(SamePerson(name, seen[name], key))
        else:
            seen[name] = key
    return out


LIFECYCLE_KEYS = ("id", "title", "revision", "status", "effective", *SIGNOFF_KEYS)
"""Keys whose positions the lifecycle commands cite (release checks, frozen releases)."""


def read_history(r: MapReader, diags: Diagnostics) -> tuple[HistoryEntry, ...]:
    """The entries that read; when one does not, "history" is in `r.failed` (check_history says no more)."""
    out = []
    for node in r.seq("history", required=True):
        h = MapReader(node, diags, "history entry", HISTORY_ENTRY)
        rev, date = h.text("revision", required=True), h.date("date", required=True)
        by, desc = h.text("by", required=True), h.text("description", required=True)
        h.finish()
        if rev and date and by and desc:
            out.append(HistoryEntry(rev, date, by, desc))
        else:
            r.failed.add("history")
    return tuple(out)


def follows(pattern: str, text: str) -> bool:
    """Whether all of `text` is written as a qmsdoc.yaml code pattern asks.

    Matched by RE2, in time linear in the text whatever the pattern (config.py checked that RE2
    accepts it); each pattern is compiled once.
    """
    return _compiled(pattern).fullmatch(text) is not None


@functools.cache
def _compiled(pattern: str) -> Any:
    return re2.compile(pattern, RE2_OPTIONS)


def check_revision(r: MapReader, site: SiteConfig, revision: str | None, diags: Diagnostics) -> None:
    if revision and not follows(site.revision_pattern, revision):
        diags.error(r.value_loc("revision"),
                    f'revision "{revision}" does not follow the revision scheme',
                    f"write it like {site.revision_example} (qmsdoc.yaml revision_scheme)")


def check_history(r: MapReader, revision: str | None, history: tuple[HistoryEntry, ...],
                  diags: Diagnostics) -> None:
    """The history ends with the current revision and runs forward in time."""
    if not history or not revision or "history" in r.failed:
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


def read_source(path: Path, rel: str, limits: Limits, diags: Diagnostics) -> bytes | None:
    """The bytes of a source file: a regular file within `source_bytes`, or None with an error.

    The file is opened without blocking and checked on the open descriptor before a byte is
    read, so a FIFO or device (or a file swapped for one) is never read, and a file over the
    bound is refused by its size.
    """
    limit = limits.source_bytes
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                diags.error(Location(rel), "not a regular file (a folder, FIFO, device or socket): not read",
                            "sources are plain files")
                return None
            if info.st_size > limit:
                diags.error(Location(rel), str(LimitExceeded("source_bytes", limit, f"file of {info.st_size} bytes")))
                return None
            with os.fdopen(fd, "rb") as fh:
                fd = -1  # the file object closes it
                data = fh.read(limit + 1)
        finally:
            if fd >= 0:
                os.close(fd)
    except OSError as exc:
        diags.error(Location(rel), f"cannot be read: {exc.strerror or exc}")
        return None
    if len(data) > limit:
        diags.error(Location(rel), str(LimitExceeded("source_bytes", limit, "the file grew past the limit")))
        return None
    return data


def read_source_text(raw: bytes, rel: str, diags: Diagnostics) -> str | None:
    """A source file's text: UTF-8, without a byte-order mark, with Unix line ends.

    A control character (but tab and line feed) is an error where the first stands; each is
    read as U+FFFD, so the rest of the file is still checked.
    """
    try:
        text = raw.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        diags.error(Location(rel), f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                    "save the file as UTF-8")
        return None
    found = UNWRITABLE.search(text)
    if found is None:
        return text
    at = found.start()
    more = len(UNWRITABLE.findall(text, at + 1))
    diags.error(Location(rel, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)),
                f"control character U+{ord(found[0]):04X} in the text" + (f" (and {more} more)" if more else ""),
                "remove it: only tabs and line breaks may be written")
    return UNWRITABLE.sub("\ufffd", text)


class Broken:
    """Documents whose loading reported a problem: by id, or by file name when no id could be read
    (a file is named after its id's last part). A check that needs one of them (a reference to it, a
    rule on it, a clause of it) says nothing more: the document's own problem is the one to fix, and
    the check is made again in the run after."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.stems: set[str] = set()

    def add(self, doc_id: str | None, path: Path) -> None:
        if doc_id:
            self.ids.add(doc_id)
        else:
            self.stems.add(path.stem)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and (doc_id in self.ids or doc_id.rsplit("/", 1)[-1] in self.stems)


def read_identity(r: MapReader, site: SiteConfig, kind: str) -> tuple[str | None, str | None, str | None, str | None]:
    """The keys every controlled document starts with: id, title, revision, status."""
    pattern = site.procedure_code if kind == "procedure" else site.form_code
    doc = doc_id(r, pattern, kind)
    title = r.text("title", required=True)
    revision = r.text("revision", required=True)
    check_revision(r, site, revision, diags=r.diags)
    status = r.enum("status", STATUSES, required=True)
    return doc, title, revision, status


def doc_id(r: MapReader, site_pattern: str, kind: str) -> str | None:
    value = r.text("id", required=True)
    if value and not follows(site_pattern, value):
        r.diags.error(r.value_loc("id"), f'{kind} id "{value}" does not follow the code scheme',
                      f"qmsdoc.yaml codes.{kind}: {site_pattern}")
    return value


