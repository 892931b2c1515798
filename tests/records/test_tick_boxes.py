"""Tick boxes read back: a single choice is one ticked box, a yes/no entry is □是 □否.

One box ticked gives the value; two are a problem and no value; none is an empty entry, never
"no". Forms released before tick boxes (a drop-down list, a single box) are read as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qmsdoc.generator.render import render_document
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record
from qmsdoc.records.docx_form import read_docx_form

from support.fill import fill_docx

FORM = "SJE/JL/GK-14-01"


def read(project: Project, labels: Labels, tmp_path: Path, typed: dict[str, Any]) -> Record:
    blank = render_document(project, project.forms[FORM], labels)
    path = tmp_path / "filled.docx"
    path.write_bytes(fill_docx(blank, typed))
    return read_docx_form(path, project)


@pytest.mark.parametrize(("ticked", "value", "problem"), [
    (("review_type.contract",), "contract", None),
    ((), None, None),
    (("review_type.bid", "review_type.contract"), None, "review_type"),
])
def test_a_single_choice_is_the_one_box_ticked(project: Project, labels: Labels, tmp_path: Path,
                                               ticked: tuple[str, ...], value: str | None, problem: str | None) -> None:
    record = read(project, labels, tmp_path, dict.fromkeys(ticked, True))
    assert record.fields["review_type"] == value
    problems = [(p.field, p.key, p.found) for p in record.problems]
    if problem is None:
        assert not problems
    else:
        assert problems == [(problem, "several_ticked", "投标文件（标书）、合同")]


@pytest.mark.parametrize(("ticked", "value", "problem"), [
    (("economic_benefit.yes",), True, False),
    (("economic_benefit.no",), False, False),
    ((), None, False),
    (("economic_benefit.yes", "economic_benefit.no"), None, True),
])
def test_yes_no_is_two_boxes_and_none_ticked_is_not_no(project: Project, labels: Labels, tmp_path: Path,
                                                       ticked: tuple[str, ...], value: bool | None,
                                                       problem: bool) -> None:
    record = read(project, labels, tmp_path, dict.fromkeys(ticked, True))
    assert record.fields["economic_benefit"] is value
    assert [p.key for p in record.problems] == (["several_ticked"] if problem else [])


def test_a_choice_in_a_table_row_and_the_rows_past_the_definition_are_read(project: Project, labels: Labels,
                                                                           tmp_path: Path) -> None:
    form = project.forms[FORM]
    table = next(f for s in form.sections for f in s.fields if f.id == "reviews")
    last = table.rows + 1  # a row the printed form adds to fill its page, if any
    blank = render_document(project, form, labels)
    rows_printed = max(int(t.split(".")[1]) for t in _tags(blank) if t.startswith("reviews."))
    typed = {"reviews.1.conclusion.issue": True, "reviews.1.opinion": "交货期偏紧"}
    if rows_printed >= last:
        typed |= {f"reviews.{last}.conclusion.agree": True}
    path = tmp_path / "filled.docx"
    path.write_bytes(fill_docx(blank, typed))
    rows = read_docx_form(path, project).fields["reviews"]
    assert rows[0]["conclusion"] == "issue" and rows[0]["opinion"] == "交货期偏紧"
    if rows_printed >= last:
        assert rows[1]["conclusion"] == "agree"


def test_a_form_released_with_drop_down_lists_is_still_read(project: Project, tmp_path: Path) -> None:
    release = project.release_of(FORM, "A/0")
    assert release is not None
    blank = (project.root / release.docx_path).read_bytes()
    if "review_type" not in _tags(blank):
        pytest.skip("the A/0 release already has tick boxes")
    path = tmp_path / "old.docx"
    path.write_bytes(fill_docx(blank, {"review_type": "合同", "economic_benefit": True}))
    record = read_docx_form(path, project, any_revision=True)
    assert record.fields["review_type"] == "contract" and record.fields["economic_benefit"] is True


def _tags(data: bytes) -> list[str]:
    import io
    import re
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    return re.findall(r'<w:tag w:val="([^"]+)"', xml)
