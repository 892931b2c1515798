"""A real client round trip: LibreOffice opens each blank form and saves it as .docx again."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from qmsdoc.model.project import Project
from qmsdoc.outputs import output_name
from qmsdoc.records.docx_form import read_docx_form

from support.fill import fill_docx, fill_plan

pytestmark = pytest.mark.libreoffice


def resave(soffice: str, files: list[Path], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=900,
    )


def test_every_blank_form_keeps_its_fields_through_libreoffice(project: Project, built: Path, soffice: str,
                                                               tmp_path: Path) -> None:
    blanks = sorted((built / "forms").glob("*.docx"))
    resave(soffice, blanks, tmp_path / "lo")
    for blank in blanks:
        record = read_docx_form(tmp_path / "lo" / blank.name, project)
        assert [p for p in record.problems if "missing" in p.message] == [], blank.name
        assert record.form in project.forms


def test_filled_values_survive_libreoffice(project: Project, built: Path, soffice: str, tmp_path: Path) -> None:
    form = project.forms["SJE/JL/GK-09-01"]
    typed, expected = fill_plan(form)
    filled = tmp_path / "in" / output_name(form.id, form.revision)
    filled.parent.mkdir()
    filled.write_bytes(fill_docx((built / "forms" / filled.name).read_bytes(), typed))
    resave(soffice, [filled], tmp_path / "lo")
    record = read_docx_form(tmp_path / "lo" / filled.name, project)
    assert record.problems == ()
    for fid, want in expected.items():
        assert record.fields[fid] == want, fid
