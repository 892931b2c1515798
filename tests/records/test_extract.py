"""Round trip: fill every blank form as Word stores values, read it back, compare."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from qmsdoc.load.project import load_project
from qmsdoc.model.project import Project
from qmsdoc.model.records import RecordError
from qmsdoc.outputs import output_name
from qmsdoc.records.docx_form import read_docx_form

from conftest import REPO
from support.fill import fill_docx, fill_plan

CURRENT_0901 = load_project(REPO).forms["SJE/JL/GK-09-01"].revision
"""The revision of the 外部质量信息反馈单 in force in the bundled content (what `build` publishes)."""


def form_ids(project_root: Path) -> list[str]:
    from qmsdoc.load.project import load_project
    return sorted(load_project(project_root).forms)


FORMS = form_ids(Path(__file__).resolve().parents[2])


@pytest.mark.parametrize("form_id", FORMS)
def test_round_trip_every_form(form_id: str, project: Project, built: Path, tmp_path: Path) -> None:
    form = project.forms[form_id]
    blank = (built / "forms" / output_name(form.id, form.revision)).read_bytes()
    typed, expected = fill_plan(form)
    filled = tmp_path / "filled.docx"
    filled.write_bytes(fill_docx(blank, typed))
    record = read_docx_form(filled, project)
    assert (record.form, record.revision, record.problems) == (form.id, form.revision, ())
    for fid, want in expected.items():
        assert record.fields[fid] == want, fid


def test_untouched_form_is_empty_not_prompts(project: Project, built: Path) -> None:
    form = project.forms["SJE/JL/GK-09-01"]
    record = read_docx_form(built / "forms" / output_name(form.id, form.revision), project)
    assert record.problems == ()
    assert all(v in (None, False) for v in record.fields.values())


def test_tracked_changes_and_proofing_marks(project: Project, built: Path, tmp_path: Path) -> None:
    form = project.forms["SJE/JL/GK-09-01"]
    blank = (built / "forms" / output_name(form.id, form.revision)).read_bytes()
    path = tmp_path / "t.docx"
    path.write_bytes(fill_docx(blank, {"customer": "华东电力公司"}, tracked=True))
    assert read_docx_form(path, project).fields["customer"] == "华东电力公司"


@pytest.mark.parametrize("typed,expected", [
    ("2025年4月3日", dt.date(2025, 4, 3)),
    ("2025/4/3", dt.date(2025, 4, 3)),
    ("２０２５－０４－０３", dt.date(2025, 4, 3)),
    ("二〇二五年四月十三日", dt.date(2025, 4, 13)),
])
def test_dates_typed_by_hand(typed: str, expected: dt.date, project: Project, built: Path, tmp_path: Path) -> None:
    form = project.forms["SJE/JL/GK-09-01"]
    blank = (built / "forms" / output_name(form.id, form.revision)).read_bytes()
    path = tmp_path / "d.docx"
    path.write_bytes(fill_docx(blank, {"returned_on": typed}))
    assert read_docx_form(path, project).fields["returned_on"] == expected


@pytest.mark.parametrize("typed,message", [("2024-02-30", "impossible date"), ("下周一", "not a date")])
def test_unreadable_dates_are_reported_with_what_was_found(typed: str, message: str, project: Project,
                                                           built: Path, tmp_path: Path) -> None:
    form = project.forms["SJE/JL/GK-09-01"]
    blank = (built / "forms" / output_name(form.id, form.revision)).read_bytes()
    path = tmp_path / "d.docx"
    path.write_bytes(fill_docx(blank, {"returned_on": typed}))
    record = read_docx_form(path, project)
    assert record.fields["returned_on"] is None
    [problem] = record.problems
    assert (problem.field, problem.found) == ("returned_on", typed) and message in problem.message


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("content,message", [
    (b"not a zip at all", "not a .docx (zip) file"),
    (None, "not a qmsdoc form"),
    ("xxe", "DTD or entities"),
    ("bomb", "decompresses to more than"),
])
def test_damaged_and_foreign_files_get_one_line_errors(content: Any, message: str, project: Project,
                                                      tmp_path: Path) -> None:
    if content is None:
        import docx
        buf = io.BytesIO()
        docx.Document().save(buf)
        content = buf.getvalue()
    elif content == "xxe":
        content = _zip({"customXml/item1.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                        "word/document.xml": b"<w:document/>"})
    elif content == "bomb":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for k in range(5):
                z.writestr(f"word/x{k}.xml", b"\0" * (60 * 1024 * 1024))
        content = out.getvalue()
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(RecordError) as info:
        read_docx_form(path, project)
    assert message in info.value.message
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_unknown_revision_is_refused(project: Project, built: Path, tmp_path: Path) -> None:
    data = (built / "forms" / output_name("SJE/JL/GK-09-01", CURRENT_0901)).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["customXml/item1.xml"] = members["customXml/item1.xml"].replace(f'revision="{CURRENT_0901}"'.encode(), b'revision="Z/9"')
    path = tmp_path / "old.docx"
    path.write_bytes(_zip(members))
    with pytest.raises(RecordError, match="revision Z/9, which is not a known revision"):
        read_docx_form(path, project)
