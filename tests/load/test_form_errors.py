"""Form definitions: each lint error at its exact path:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsdoc.errors import SourceError
from qmsdoc.load.project import load_project

from conftest import make_project
from support.sources import form_text, procedure_text


def procedure(*forms: str) -> str:
    """The procedure of the form's clause 第一条, with params.days, listing `forms` (on line 15)."""
    return procedure_text("1. 复印件在{{ params.days }}天内上交。\n", forms=forms, params={"days": 10})


PROC = procedure("SJE/JL/GK-90-01")
FORM = form_text("""\
- {id: customer, label: 顾客名称, type: text, required: true}
- id: kind
  label: 类别
  type: choice
  options:
    - {value: a, label: 甲}
- {id: leader, label: 负责人, type: signature, role: 主管领导}
- id: staff
  label: 人员
  type: table
  max_rows: 5
  columns:
    - {id: name, label: 姓名, type: person}
""", copies=2)
"""Its fields from line 15, as in support.sources."""


def problems(tmp_path: Path, proc: str, form: str) -> list[str]:
    root = make_project(tmp_path, {"procedures/T.md": proc, "forms/F.yaml": form})
    with pytest.raises(SourceError) as info:
        load_project(root)
    return [d.format().split("\n")[0] for d in info.value.diagnostics.sorted()]


def test_good_form_loads(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path, {"procedures/T.md": PROC, "forms/F.yaml": FORM}))
    form = project.forms["SJE/JL/GK-90-01"]
    assert list(form.fields()) == ["customer", "kind", "leader", "staff"]
    assert (form.copies, form.retention_months, form.fields()["staff"].rows) == (2, 36, 5)


@pytest.mark.parametrize("old,new,expected", [
    ("type: text", "type: txt",
     'forms/F.yaml:15:43: unknown field type "txt"'),
    ("{id: leader,", "{id: customer,",
     'forms/F.yaml:21:14: duplicate field id "customer" (first at line 15)'),
    (", role: 主管领导}", "}",
     'forms/F.yaml:21:14: signature field "leader" has no role'),
    ("role: 主管领导", "role: 主管领",
     'forms/F.yaml:21:57: unknown role "主管领"'),
    ("        options:\n          - {value: a, label: 甲}\n", "",
     'forms/F.yaml:18:9: choice field "kind" has no options'),
    ("clause: 第一条", "clause: 第九条",
     'forms/F.yaml:7:9: SJE/ZY/GK-90 has no clause "第九条"'),
    ("procedure: SJE/ZY/GK-90", "procedure: SJE/ZY/GK-91",
     'forms/F.yaml:6:12: form SJE/JL/GK-90-01 names procedure "SJE/ZY/GK-91", which does not exist'),
    ("copies: 2", "copies: two",
     'forms/F.yaml:9:9: form: copies: expected a whole number, got "two"'),
])
def test_form_errors_have_positions(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in FORM
    found = problems(tmp_path, PROC, FORM.replace(old, new, 1))
    assert expected in found, found


def test_procedure_naming_a_missing_form(tmp_path: Path) -> None:
    found = problems(tmp_path, procedure("SJE/JL/GK-90-01", "SJE/JL/GK-90-02"), FORM)
    assert 'procedures/T.md:15:26: SJE/ZY/GK-90 lists form "SJE/JL/GK-90-02", which does not exist' in found


def test_form_its_procedure_does_not_list(tmp_path: Path) -> None:
    found = problems(tmp_path, procedure(), FORM)
    assert ("forms/F.yaml:1:5: form SJE/JL/GK-90-01 belongs to SJE/ZY/GK-90, but SJE/ZY/GK-90 does not list it"
            in found)


def test_form_instructions_use_the_procedure_params(tmp_path: Path) -> None:
    form = FORM.replace("copies: 2", "copies: 2\ninstructions: 复印件在{{ params.days }}天内上交。")
    project = load_project(make_project(tmp_path, {"procedures/T.md": PROC, "forms/F.yaml": form}))
    assert project.forms["SJE/JL/GK-90-01"].instructions == "复印件在10天内上交。"
    bad = form.replace("params.days", "params.dayz")
    assert 'forms/F.yaml:10:29: unknown params "dayz" in the text' in problems(tmp_path, PROC, bad)
