"""Periodic review: the next review date of the revision in force, and whether it is due.

A procedure's `review_period` counts from the effective date of the revision in force. On an
as-of date a review is *overdue* once its date has passed, and *due* within the 30 days before.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from qmsdoc.errors import Location
from qmsdoc.lifecycle.states import document_states
from qmsdoc.model.documents import Procedure
from qmsdoc.model.project import Project

DUE_WITHIN_DAYS = 30
OK, DUE, OVERDUE = "ok", "due", "overdue"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (2024-02-29 + 12 months → 2025-02-28)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(effective: dt.date | None, months: int | None) -> dt.date | None:
    if effective is None or months is None:
        return None
    return add_months(effective, months)


def review_status(due_on: dt.date | None, as_of: dt.date | None) -> str | None:
    """OK, DUE (within 30 days, the day itself included) or OVERDUE on `as_of`; None without dates."""
    if due_on is None or as_of is None:
        return None
    if due_on < as_of:
        return OVERDUE
    if (due_on - as_of).days <= DUE_WITHIN_DAYS:
        return DUE
    return OK


@dataclass(frozen=True)
class ReviewNotice:
    """A procedure whose periodic review is due or overdue, and where its period is written."""

    id: str
    revision: str
    status: str
    due_on: dt.date
    effective: dt.date
    months: int
    loc: Location

    def message(self) -> str:
        basis = f"effective {self.effective} + {self.months} months"
        if self.status == OVERDUE:
            return f"{self.id} {self.revision}: periodic review overdue since {self.due_on} ({basis})"
        return f"{self.id} {self.revision}: periodic review due on {self.due_on} ({basis})"

    hint = "review the procedure and release a new revision, or lengthen review_period"


def review_notices(project: Project, as_of: dt.date) -> list[ReviewNotice]:
    """Procedures in force on `as_of` whose review is due or overdue, by id."""
    notices = []
    for states in document_states(project, as_of).values():
        rs = states.in_force
        if rs is None or rs.kind != "procedure":
            continue
        proc = project.procedures.get(rs.id)
        if proc is None:
            continue
        # the period is read from the current source (a released revision in force has the same one
        # unless the pending revision changed it, and that change takes effect with it)
        months = proc.review_months
        due_on = next_review(rs.effective, months)
        status = review_status(due_on, as_of)
        if status in (DUE, OVERDUE):
            assert due_on is not None and rs.effective is not None and months is not None
            notices.append(ReviewNotice(rs.id, rs.revision, status, due_on, rs.effective, months,
                                        _period_loc(proc)))
    return notices


def _period_loc(proc: Procedure) -> Location:
    return proc.locs.get("review_period") or Location(proc.path, 1, 1)
