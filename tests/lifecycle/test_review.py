"""Periodic review dates: next review, due within 30 days, overdue, and lint --as-of --fail-on-overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from load.test_procedure_errors import GOOD

from qmsdoc.cli import main
from qmsdoc.lifecycle.review import DUE, OK, OVERDUE, add_months, next_review, review_status

from conftest import make_project

D = dt.date


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_months_are_added_as_calendar_months_clamped_to_the_month_end() -> None:
    assert add_months(D(2025, 4, 1), 24) == D(2027, 4, 1)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert next_review(D(2025, 4, 1), None) is None and next_review(None, 12) is None


def test_due_within_30_days_overdue_after_the_date() -> None:
    due_on = D(2027, 4, 1)
    assert review_status(due_on, D(2027, 3, 1)) == OK
    assert review_status(due_on, D(2027, 3, 2)) == DUE
    assert review_status(due_on, D(2027, 4, 1)) == DUE
    assert review_status(due_on, D(2027, 4, 2)) == OVERDUE
    assert review_status(due_on, None) is None


def test_lint_fails_on_overdue_reviews_only_when_asked(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"procedures/T.md": GOOD})
    notes = run("lint", "--as-of", "2027-04-15", "--root", str(root))
    assert notes.exit_code == 0
    assert ("procedures/T.md:11:16: note: SJE/ZY/GK-90 A/0: periodic review overdue since 2027-04-01 "
            "(effective 2025-04-01 + 24 months)") in notes.output
    failing = run("lint", "--as-of", "2027-04-15", "--fail-on-overdue", "--root", str(root))
    assert failing.exit_code == 1
    assert "procedures/T.md:11:16: error: SJE/ZY/GK-90 A/0: periodic review overdue since 2027-04-01" in failing.output
    assert "1 periodic review(s) overdue." in failing.output
    due = run("lint", "--as-of", "2027-03-15", "--fail-on-overdue", "--root", str(root))
    assert due.exit_code == 0 and "note: SJE/ZY/GK-90 A/0: periodic review due on 2027-04-01" in due.output
    assert run("lint", "--as-of", "2026-01-01", "--fail-on-overdue", "--root", str(root)).output.endswith(
        "no problems; 1 effective revision(s) not released.\n")  # a warning, not a problem


def test_the_bundled_content_has_no_review_due_in_2025() -> None:
    from conftest import REPO

    assert run("lint", "--as-of", "2025-12-31", "--fail-on-overdue", "--root", str(REPO)).exit_code == 0
