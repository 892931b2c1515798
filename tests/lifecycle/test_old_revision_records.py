"""A form filled on an older, released revision: read with that revision's definition, and the
checker says whether that revision was in force on the record's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lifecycle.walk import FORM, Walk
from qmsdoc.checker.engine import Checker
from qmsdoc.checker.run import check_paths
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.records.docx_form import read_docx_form

from support.fill import fill_docx


def filled_on_a0(walked: Walk, tmp_path: Path, received: str) -> Path:
    blank = walked.root / "releases" / "SJE-JL-GK-08-01" / "A-0" / "SJE-JL-GK-08-01_A-0.docx"
    path = tmp_path / "in" / f"gk08-01_{received}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fill_docx(blank.read_bytes(), {"notice_no": "TZ-2025-01", "customer": "华东电力公司",
                                                    "request_received_on": received}))
    return path


def test_an_older_released_revision_is_read_with_its_own_definition(walked: Walk, tmp_path: Path) -> None:
    project = load_project(walked.root)
    assert project.forms[FORM].revision == "B/0" and "visit_result" in project.forms[FORM].fields()
    record = read_docx_form(filled_on_a0(walked, tmp_path, "2025-05-06"), project)
    assert record.revision == "A/0"
    assert "visit_result" not in record.fields  # a B/0 field: not on the A/0 form
    assert record.fields["customer"] == "华东电力公司"
    assert record.fields["request_received_on"] == dt.date(2025, 5, 6)
    assert not [p for p in record.problems if "missing" in p.message]


def test_the_checker_flags_a_record_made_on_a_superseded_revision(walked: Walk, tmp_path: Path) -> None:
    project = load_project(walked.root)
    filled_on_a0(walked, tmp_path, "2025-05-06")   # A/0 was in force (B/0 took effect 2025-09-01)
    filled_on_a0(walked, tmp_path, "2025-10-08")   # made on the old form after B/0 took effect
    checker = Checker(project, load_labels("zh-CN"), dt.date(2025, 12, 31))
    report = check_paths(checker, [tmp_path / "in"], jobs=1, root=tmp_path)
    revision = [(f.record.source, f.message) for f in report.findings if f.rule == "QMS-REVISION"]
    assert revision == [("in/gk08-01_2025-10-08.docx",
                         "记录日期 2025-10-08 时，SJE/JL/GK-08-01 A/0 版已被 B/0 版替代（2025-09-01 起）")]
