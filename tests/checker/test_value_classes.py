"""Records, findings and issues are values: plain slotted dataclasses at run time (made millions of
times in a large run), frozen for the type checker, which refuses any assignment to their fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qmsdoc.checker.kinds import Issue
from qmsdoc.model.findings import Finding, RecordRef
from qmsdoc.model.records import FieldProblem, Record
from qmsdoc.model.rules import Citation, Severity

REPO = Path(__file__).resolve().parents[2]


def _finding() -> Finding:
    return Finding("R-1", "title", Severity.MAJOR, "fail", Citation("QP-01", "第五条"),
                   RecordRef("a.jsonl", "3", "QF-01", "A/0", "N-1"), ("field",), {"field": "2025-01-02"}, "≤ 2025-01-01",
                   "message", due=dt.date(2025, 1, 1))


@pytest.mark.parametrize("value", [
    Record("QF-01", "A/0", "a.jsonl", {"x": dt.date(2025, 1, 2)}, (FieldProblem("y", "?", "bad"),), "3"),
    _finding(),
    Issue("fail", ("x",), "check_x", {"n": 1}, "≤ 1", {"x": "2"}, dt.date(2025, 1, 1)),
])
def test_values_behave_as_dataclasses(value: object) -> None:
    cls = type(value)
    assert dataclasses.is_dataclass(value) and not hasattr(value, "__dict__")  # slotted
    copy = pickle.loads(pickle.dumps(value))
    assert copy == value and copy is not value
    first = dataclasses.fields(cls)[0].name  # type: ignore[arg-type]
    changed = dataclasses.replace(value, **{first: "other"})  # type: ignore[type-var]
    assert changed != value and getattr(changed, first) == "other" and getattr(value, first) != "other"


def test_a_finding_still_gets_its_stable_id() -> None:
    finding = _finding()
    assert finding.id and finding.id == _finding().id
    assert dataclasses.replace(finding, id="").id == finding.id


def test_the_type_checker_refuses_assignments(tmp_path: Path) -> None:
    """What keeps them unchanged is mypy, run over the package in CI: an assignment to a field of any of
    them is an error, as for a frozen dataclass."""
    probe = tmp_path / "probe.py"
    probe.write_text(textwrap.dedent("""
        from qmsdoc.checker.kinds import Issue
        from qmsdoc.model.findings import Finding
        from qmsdoc.model.records import Record

        def change(record: Record, finding: Finding, issue: Issue) -> None:
            record.form = "x"
            finding.message = "y"
            issue.outcome = "z"
    """), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", str(probe)],
                         cwd=REPO, capture_output=True, text=True, check=False)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 3, run.stdout + run.stderr
    assert all("read-only" in line for line in errors), run.stdout
