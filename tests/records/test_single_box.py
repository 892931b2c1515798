"""A yes/no entry the form asks to print as one box: □是, read as yes or no."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qmsdoc.cli import main
from qmsdoc.generator.render import render_document
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.records.docx_form import read_docx_form

from conftest import make_project
from support.fill import fill_docx
from support.sources import form_text, procedure_text

FIELDS = """\
- {id: record_no, label: 编号, type: text, required: true}
- {id: done_on, label: 完成日期, type: date, required: true}
- {id: invoice_attached, label: 已附发票, type: checkbox, single_box: true}
"""


def project_root(tmp_path: Path, fields: str = FIELDS) -> Path:
    return make_project(tmp_path, {
        "procedures/T.md": procedure_text("1. 测试条款。\n", forms=["SJE/JL/GK-90-01"]),
        "forms/F.yaml": form_text(fields),
    })


@pytest.mark.parametrize(("ticked", "value"), [(True, True), (False, False)])
def test_one_box_is_yes_when_ticked_and_no_when_not(tmp_path: Path, ticked: bool, value: bool) -> None:
    project = load_project(project_root(tmp_path))
    form = project.forms["SJE/JL/GK-90-01"]
    blank = render_document(project, form, load_labels(project.site.language))
    path = tmp_path / "filled.docx"
    path.write_bytes(fill_docx(blank, {"invoice_attached": ticked, "record_no": "R-1"}))
    assert read_docx_form(path, project).fields["invoice_attached"] is value


def test_single_box_on_anything_but_a_yes_no_entry_is_a_lint_error(tmp_path: Path) -> None:
    root = project_root(tmp_path, FIELDS.replace("type: date, required: true}", "type: date, single_box: true}"))
    result = CliRunner().invoke(main, ["lint", "--root", str(root)])
    assert result.exit_code == 1
    assert 'single_box: only a yes/no (checkbox) entry has boxes to print; "done_on" is a date' in result.output
