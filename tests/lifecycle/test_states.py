"""States: the revision in force, pending revisions, superseded on the successor's effective date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from qmsdoc.errors import Location
from qmsdoc.lifecycle.states import states_of
from qmsdoc.model.documents import HistoryEntry, Signoff
from qmsdoc.model.releases import Release, ReleasedFile

D = dt.date
S = Signoff("王伟", D(2025, 1, 1))


def rel(revision: str, effective: dt.date, status: str = "effective") -> Release:
    f = ReleasedFile("x", "0" * 64)
    return Release("SJE/ZY/GK-90", "procedure", "T", revision, status, S, S, S, effective, effective, f, f, None,
                   "releases/x", Location("x"))


def source(project, revision: str, status: str, effective: dt.date | None, history: tuple[str, ...]):  # type: ignore[no-untyped-def]
    proc = next(iter(project.procedures.values()))
    entries = tuple(HistoryEntry(r, D(2025, 1, 1), "王伟", "x") for r in history)
    return replace(proc, id="SJE/ZY/GK-90", revision=revision, status=status, effective=effective, history=entries)


def table(states) -> list[tuple[str, str, str | None, dt.date | None]]:  # type: ignore[no-untyped-def]
    return [(r.revision, r.state, r.superseded_by, r.superseded_on) for r in states.revisions]


def test_a_newer_effective_revision_supersedes_the_older_on_its_effective_date(project) -> None:  # type: ignore[no-untyped-def]
    src = source(project, "B/0", "effective", D(2025, 9, 1), ("A/0", "B/0"))
    states = states_of(src, (rel("A/0", D(2025, 4, 1)),))
    assert table(states) == [("A/0", "superseded", "B/0", D(2025, 9, 1)), ("B/0", "effective", None, None)]
    assert states.in_force.revision == "B/0"


def test_before_its_effective_date_the_new_revision_is_approved_and_the_old_one_in_force(project) -> None:  # type: ignore[no-untyped-def]
    src = source(project, "B/0", "effective", D(2025, 9, 1), ("A/0", "B/0"))
    states = states_of(src, (rel("A/0", D(2025, 4, 1)), rel("B/0", D(2025, 9, 1))), as_of=D(2025, 8, 31))
    assert table(states) == [("A/0", "effective", None, None), ("B/0", "approved", None, None)]
    on_the_day = states_of(src, (rel("A/0", D(2025, 4, 1)),), as_of=D(2025, 9, 1))
    assert table(on_the_day)[0][1] == "superseded"


def test_a_draft_successor_leaves_the_released_revision_in_force(project) -> None:  # type: ignore[no-untyped-def]
    src = source(project, "B/0", "draft", None, ("A/0", "B/0"))
    states = states_of(src, (rel("A/0", D(2025, 4, 1)),))
    assert table(states) == [("A/0", "effective", None, None), ("B/0", "draft", None, None)]
    assert [r.revision for r in states.listed()] == ["A/0", "B/0"]


def test_an_obsolete_revision_withdraws_the_document(project) -> None:  # type: ignore[no-untyped-def]
    src = source(project, "A/1", "obsolete", D(2026, 1, 1), ("A/0", "A/1"))
    states = states_of(src, (rel("A/0", D(2025, 4, 1)),))
    assert table(states) == [("A/0", "superseded", "A/1", D(2026, 1, 1)), ("A/1", "obsolete", None, None)]
    assert states.in_force is None and states.listed() == ()
