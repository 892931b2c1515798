"""Which revision of each document is in force, which are pending, superseded or obsolete.

A revision's declared status comes from its release record, or from the source for the
current revision when it is not released yet. A revision *takes effect* when its status is
effective (or obsolete: the withdrawal takes effect) and its effective date has come — or
always, when no day is given (the library's callers that judge no day). The commands ask for a
day (`--as-of`, default today, read in the command line only), and `build`, the portal,
`register`, `verify` and the checker all take their states from here. The last revision to take
effect is in force (obsolete if it withdrew the document); every earlier one that took
effect is superseded on its successor's effective date. A revision declared effective
whose date has not come yet is approved, not yet in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.project import Project
from qmsdoc.model.releases import Release

PENDING = ("draft", "approved")
ARCHIVED = ("superseded", "obsolete")


@dataclass(frozen=True)
class RevisionState:
    """One revision of one document and its state."""

    id: str
    kind: str
    title: str
    revision: str
    state: str
    effective: dt.date | None
    release: Release | None
    source: Procedure | Form | None
    """The current source when this is the current revision, else None (see releases/)."""
    superseded_by: str | None = None
    superseded_on: dt.date | None = None


@dataclass(frozen=True)
class DocumentStates:
    """Every known revision of one document, oldest first."""

    id: str
    kind: str
    revisions: tuple[RevisionState, ...]

    @property
    def in_force(self) -> RevisionState | None:
        return next((r for r in reversed(self.revisions) if r.state == "effective"), None)

    def listed(self) -> tuple[RevisionState, ...]:
        """The revisions a current list shows: in force and pending, not archived."""
        return tuple(r for r in self.revisions if r.state not in ARCHIVED)

    def archived(self) -> tuple[RevisionState, ...]:
        return tuple(r for r in self.revisions if r.state in ARCHIVED)

    def get(self, revision: str) -> RevisionState | None:
        return next((r for r in self.revisions if r.revision == revision), None)


def document_states(project: Project, as_of: dt.date | None = None) -> dict[str, DocumentStates]:
    """The states of every document with a source or a release, by id (procedures first, then forms)."""
    docs: list[Procedure | Form] = [*project.procedures.values(), *project.forms.values()]
    out = {doc.id: states_of(doc, project.releases.get(doc.id, ()), as_of) for doc in docs}
    for doc_id, releases in project.releases.items():
        if doc_id not in out:  # no source any more (lint reports it); keep its history visible
            out[doc_id] = states_of(None, releases, as_of)
    return out


def states_of(source: Procedure | Form | None, releases: tuple[Release, ...],
              as_of: dt.date | None = None) -> DocumentStates:
    """The states of one document's revisions: its released ones and its current source."""
    doc_id = source.id if source is not None else releases[0].id
    kind = source.kind if source is not None else releases[0].kind
    order: list[str] = []
    if source is not None:
        order = [h.revision for h in source.history]
        if source.revision not in order:
            order.append(source.revision)
    by_rev = {r.revision: r for r in releases}
    for r in releases:
        if r.revision not in order:
            order.insert(len(order) - (1 if source is not None else 0), r.revision)
    revisions = [rev for rev in order if rev in by_rev or (source is not None and rev == source.revision)]

    declared: list[tuple[str, str, dt.date | None, str, Release | None, Procedure | Form | None]] = []
    for rev in revisions:
        release = by_rev.get(rev)
        current = source if source is not None and rev == source.revision else None
        if current is not None:
            declared.append((rev, current.status, current.effective, current.title, release, current))
        else:
            assert release is not None
            declared.append((rev, release.status, release.effective, release.title, release, None))

    def takes_effect(status: str, effective: dt.date | None) -> bool:
        return status in ("effective", "obsolete") and (as_of is None or effective is None or effective <= as_of)

    effected = [k for k, (_, status, eff, *_rest) in enumerate(declared) if takes_effect(status, eff)]
    last = effected[-1] if effected else None
    states = []
    for k, (rev, status, eff, title, release, current) in enumerate(declared):
        later = [j for j in effected if j > k]
        by = on = None
        if k in effected and later:
            state = "superseded"
            by, on = declared[later[0]][0], declared[later[0]][2]
        elif k == last:
            state = "obsolete" if status == "obsolete" else "effective"
        elif status in ("effective", "obsolete"):
            state = "approved"  # declared, but its effective date has not come yet
        else:
            state = status
        states.append(RevisionState(
            id=doc_id, kind=kind, title=title, revision=rev, state=state, effective=eff, release=release,
            source=current,
            superseded_by=by, superseded_on=on))
    return DocumentStates(doc_id, kind, tuple(states))
