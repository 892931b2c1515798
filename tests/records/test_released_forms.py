"""Every released form, filled in through the controls it was released with, is read back as filled.

A record is filled on the blank that was published when it was made, and blanks are published
as released (`build`), so an auditor's batch holds forms of every released layout: drop-down
lists and one control for a whole choice in the A/0 forms, a tick box per option since. Each is
read by the revision it names, whatever today's generator would print.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record
from qmsdoc.records.docx_form import read_docx_form

from support.fill import W, fill_docx, fill_plan

TAG = f"{{{W}}}sdtPr/{{{W}}}tag"


def _tags(data: bytes) -> set[str]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return {str(tag.get(f"{{{W}}}val")) for tag in root.iterfind(f".//{TAG}")}


def _entry(form: Form, tag: str) -> Field | None:
    """The field or table column a control's tag names (a row's tag: table.row.column)."""
    fields = {f.id: f for s in form.sections for f in s.fields}
    parts = tag.split(".")
    if len(parts) == 3 and parts[0] in fields:
        return next((c for c in fields[parts[0]].columns if c.id == parts[2]), None)
    return fields.get(tag)


def filled_as_released(form: Form, blank: bytes) -> tuple[dict[str, Any], list[str], int]:
    """What a person types into the released `blank`, by tag, for today's fill plan of `form` (the
    revision's own definition): a tick box per option where the blank has them; else the option's
    label in the one control the choice has (several, joined by 、, for a multiple choice). Also the
    tags of the plan the blank has no control for, and how many options went into one control."""
    have = _tags(blank)
    typed, _ = fill_plan(form)
    values: dict[str, Any] = {}
    missing = []
    merged = 0
    for tag, value in typed.items():
        if tag in have:
            values[tag] = value
            continue
        head, _, option = tag.rpartition(".")
        entry = _entry(form, head) if head in have else None
        chosen = next((o for o in entry.options if o.value == option), None) if entry is not None else None
        if chosen is not None and value is True:
            values[head] = f"{values[head]}、{chosen.label}" if head in values else chosen.label
            merged += 1
        elif entry is not None and entry.type == FieldType.CHECKBOX:
            values[head] = option == "yes"
        else:
            missing.append(tag)
    return values, missing, merged


def test_every_released_form_is_read_as_it_was_filled_in(project: Project, tmp_path: Any) -> None:
    layouts: set[bool] = set()  # whether a release had a choice in one control
    checked = 0
    for doc_id, releases in sorted(project.releases.items()):
        if doc_id not in project.forms:
            continue
        for release in releases:
            form = load_snapshot(project, release)
            assert isinstance(form, Form)
            blank = (project.root / release.docx_path).read_bytes()
            values, missing, merged = filled_as_released(form, blank)
            assert not missing, (doc_id, release.revision, missing[:5])
            layouts.add(merged > 0)
            path = tmp_path / "filled.docx"
            path.write_bytes(fill_docx(blank, values))
            record = read_docx_form(path, project, any_revision=True)
            assert isinstance(record, Record), (doc_id, release.revision, record)
            assert record.revision == release.revision and record.problems == (), (doc_id, release.revision)
            _, expected = fill_plan(form)
            assert {k: record.fields.get(k) for k in expected} == expected, (doc_id, release.revision)
            checked += 1
    assert checked >= 150
    assert layouts == {True, False}  # both layouts were met: a choice in one control, and tick boxes
