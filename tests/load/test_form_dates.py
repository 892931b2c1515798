"""What a form says about its dates: `planned: true` on dates that are planned, not done, and the field
that dates a record (`dated_by:`), each problem at its path:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsdoc.errors import Diagnostics, SourceError
from qmsdoc.load.config import load_config
from qmsdoc.load.forms import load_form
from qmsdoc.load.project import load_project
from qmsdoc.model.documents import Form
from qmsdoc.model.project import Project

from conftest import make_project
from support.sources import form_text, procedure_text

PROC = procedure_text("1. 复印件在{{ params.days }}天内上交。\n", forms=["SJE/JL/GK-90-01"], params={"days": 10})
FIELDS = """\
- {id: record_no, label: 编号, type: text}
- {id: found_on, label: 发现日期, type: date}
- {id: issued_on, label: 通知日期, type: date, required: true}
- {id: due_on, label: 要求完成日期, type: date, planned: true}
- {id: done_at, label: 完成时间, type: datetime}
- {id: leader, label: 负责人, type: signature, role: 主管领导, required: true}
- id: items
  label: 明细
  type: table
  columns:
    - {id: delivery_on, label: 交货日期, type: date, planned: true}
    - {id: shipped_on, label: 发货日期, type: date}
"""
"""Fields from line 15 (from 16 when the form has dated_by:): the first date (found_on) is optional; issued_on
is required."""


def load(tmp_path: Path, fields: str = FIELDS, dated_by: str | None = None) -> Form:
    root = make_project(tmp_path, {"procedures/T.md": PROC, "forms/F.yaml": form_text(fields, dated_by=dated_by)})
    return load_project(root).forms["SJE/JL/GK-90-01"]


def problems(tmp_path: Path, fields: str = FIELDS, dated_by: str | None = None) -> list[str]:
    root = make_project(tmp_path, {"procedures/T.md": PROC, "forms/F.yaml": form_text(fields, dated_by=dated_by)})
    with pytest.raises(SourceError) as info:
        load_project(root)
    return [d.format() for d in info.value.diagnostics.sorted()]


def test_planned_is_read_on_dates_and_date_columns(tmp_path: Path) -> None:
    form = load(tmp_path, dated_by="issued_on")
    fields = form.fields()
    assert [f.id for f in fields.values() if f.planned] == ["due_on"]
    assert [(c.id, c.planned) for c in fields["items"].columns] == [("delivery_on", True), ("shipped_on", False)]


def test_a_record_is_dated_in_a_documented_order(tmp_path: Path) -> None:
    # dated_by first, then the signatures, then the other done dates; planned dates and columns never
    assert [f.id for f in load(tmp_path, dated_by="issued_on").dating_fields()] == [
        "issued_on", "leader", "found_on", "done_at"]


def test_without_dated_by_the_first_done_date_comes_first(tmp_path: Path) -> None:
    fields = FIELDS.replace("{id: found_on, label: 发现日期, type: date}",
                            "{id: found_on, label: 发现日期, type: date, required: true}")
    assert [f.id for f in load(tmp_path, fields).dating_fields()] == ["found_on", "leader", "issued_on", "done_at"]


def test_an_optional_first_date_needs_dated_by(tmp_path: Path) -> None:
    assert problems(tmp_path) == [
        'forms/F.yaml:16:14: records of this form are dated by its first date field, "found_on" (发现日期), '
        "which is optional\n"
        "    hint: name the field that dates every record: dated_by: issued_on (通知日期, required)"]


def test_a_planned_first_date_is_passed_over(tmp_path: Path) -> None:
    # the first date is planned: the first done date (issued_on, required) dates the records
    fields = FIELDS.replace("- {id: found_on, label: 发现日期, type: date}\n", "")
    fields = fields.replace("- {id: record_no, label: 编号, type: text}\n",
                            "- {id: record_no, label: 编号, type: text}\n- {id: plan_on, label: 计划日期, "
                            "type: date, planned: true}\n")
    form = load(tmp_path, fields)
    assert form.dating_fields()[0].id == "issued_on"


def test_the_signature_is_named_when_no_required_date_is_left(tmp_path: Path) -> None:
    fields = FIELDS.replace("type: date, required: true}", "type: date}")
    assert problems(tmp_path, fields)[0].endswith("hint: name the field that dates every record: "
                                                  "dated_by: leader (负责人, required)")


def test_nothing_is_required_when_no_entry_is_always_filled(tmp_path: Path) -> None:
    # every date and signature is optional: dated_by could not name one that always is
    fields = FIELDS.replace("required: true", "required: false")
    assert load(tmp_path, fields).dated_by is None


@pytest.mark.parametrize("old,new,expected", [
    ("{id: record_no, label: 编号, type: text}", "{id: record_no, label: 编号, type: text, planned: true}",
     'forms/F.yaml:16:48: planned: only a date or date-time can be planned; "record_no" is a text\n'
     "    hint: remove planned:"),
    ("role: 主管领导, required: true}", "role: 主管领导, required: true, planned: true}",
     'forms/F.yaml:21:79: planned: only a date or date-time can be planned; "leader" is a signature\n'
     "    hint: a signature records that someone signed: it is never planned"),
    ("type: date, planned: true}\n    - {id: shipped_on", "type: date, planned: yes}\n    - {id: shipped_on",
     'forms/F.yaml:26:65: column: planned: expected true or false, got "yes"'),
])
def test_planned_errors_have_positions(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in FIELDS
    found = problems(tmp_path, FIELDS.replace(old, new, 1), dated_by="issued_on")
    assert any(p.startswith(expected) for p in found), found


def test_dated_by_cannot_name_a_planned_date(tmp_path: Path) -> None:
    assert problems(tmp_path, dated_by="due_on") == [
        'forms/F.yaml:10:11: dated_by: "due_on" is a planned date; a record is dated by something done\n'
        "    hint: name a date, date-time or signature field without planned: true"]


def test_the_bundled_forms_mark_their_planned_dates(project: Project) -> None:
    planned = {(form.id, f.id) for form in project.forms.values() for f in form.fields().values() if f.planned}
    assert {("SJE/JL/GK-02-01", "due_date"), ("SJE/JL/GK-08-04", "next_revisit_on"),
            ("SJE/JL/GK-15-11", "action_deadline"), ("SJE/JL/GK-09-02", "planned_departure_on")} <= planned
    signatures = [(form.id, f.id) for form in project.forms.values() for f in form.fields().values()
                  if f.planned and f.type.value not in ("date", "datetime")]
    assert signatures == []


def test_a_released_snapshot_is_read_as_it_was_frozen(tmp_path: Path) -> None:
    # the rule for dated_by binds current sources; a revision released before it stays readable
    root = make_project(tmp_path, {"forms/F.yaml": form_text(FIELDS)})
    diags = Diagnostics()
    site = load_config(root, diags)
    assert site is not None
    assert load_form(root / "forms/F.yaml", "releases/SJE-JL-GK-90-01/A-0/F.yaml", site, diags) is not None
    assert load_form(root / "forms/F.yaml", "forms/F.yaml", site, diags, current=False) is not None
    assert not diags
    load_form(root / "forms/F.yaml", "forms/F.yaml", site, diags)
    assert [d.format().split("\n")[0] for d in diags.sorted()] == [
        'forms/F.yaml:16:14: records of this form are dated by its first date field, "found_on" (发现日期), '
        "which is optional"]
