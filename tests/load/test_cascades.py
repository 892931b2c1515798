"""An error that only follows from an earlier one is not reported; errors of every kind come in one run.

Each case gives exactly the primary error: a sign-off or date that does not read is not also
missing, a document that did not load is not also "does not exist", a rule on a document that did
not load says nothing of it. And rules are loaded even when documents have problems, so a bad
form and a bad rule elsewhere are both reported at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsdoc.errors import SourceError
from qmsdoc.load.project import load_project

from conftest import make_project
from support.sources import form_text, procedure_text

BODY = "为了测试，特制定本制度。\n\n1. 第一项。\n2. 第二项。\n"
PROC = procedure_text(BODY, forms=["SJE/JL/GK-90-01", "SJE/JL/GK-90-02"])
FIELDS = ("- {id: record_no, label: 编号, type: text, required: true}\n"
          "- {id: issued_on, label: 填写日期, type: date, required: true}\n")
FORM_1 = form_text(FIELDS)
FORM_2 = form_text(FIELDS, id="SJE/JL/GK-90-02", title="测试表二")


def _rule(code: str, form: str, field: str = "record_no", severity: str = "major",
          procedure: str = "SJE/ZY/GK-90") -> str:
    return (f"procedure: {procedure}\nrules:\n  - code: {code}\n    title: 编号必填\n    form: {form}\n"
            f"    clause: 第一条\n    severity: {severity}\n    required: [{field}]\n")


def problems(tmp_path: Path, changed: dict[str, str]) -> list[str]:
    """The first line of each problem of the project with the `changed` files (by name)."""
    files = {"procedures/T.md": PROC, "forms/GK-90-01.yaml": FORM_1, "forms/GK-90-02.yaml": FORM_2, **changed}
    root = make_project(tmp_path, files)
    with pytest.raises(SourceError) as info:
        load_project(root)
    return [d.format().split("\n")[0] for d in info.value.diagnostics.sorted()]


def test_the_project_loads_as_written(tmp_path: Path) -> None:
    files = {"procedures/T.md": PROC, "forms/GK-90-01.yaml": FORM_1, "forms/GK-90-02.yaml": FORM_2,
             "rules/T.yaml": _rule("T-01", "SJE/JL/GK-90-01")}
    project = load_project(make_project(tmp_path, files))
    assert [r.code for r in project.rules] == ["T-01"]


@pytest.mark.parametrize("front,expected", [
    ({"approved": ("赵强", "2025-02-30")},
     'procedures/T.md:9:28: procedure: approved: date: impossible date (day is out of range for month), '
     'got "2025-02-30"'),
    ({"reviewed": ("李娜", "2025-3-10")},
     'procedures/T.md:8:28: procedure: reviewed: date: expected a date as YYYY-MM-DD, got "2025-3-10"'),
    ({"approved": ("[赵强, 钱七]", "2025-03-20")},
     'procedures/T.md:9:18: procedure: approved: name: expected a single value, got a list'),
    ({"effective": "2025-04-31", "history": [("A/0", "2025-04-01", "王伟", "首次发布。")]},
     'procedures/T.md:10:12: procedure: effective: impossible date (day is out of range for month), '
     'got "2025-04-31"'),
    ({"revision": "A/1", "history": [("A/0", "2025-03-01", "王伟", "首次发布。"), ("A/1", "2025-04-31", "王伟", "修订。")]},
     'procedures/T.md:15:27: history entry: date: impossible date (day is out of range for month), '
     'got "2025-04-31"'),
])
def test_a_value_that_does_not_read_is_not_also_missing(tmp_path: Path, front: dict[str, object],
                                                        expected: str) -> None:
    text = procedure_text(BODY, forms=["SJE/JL/GK-90-01", "SJE/JL/GK-90-02"], **front)  # type: ignore[arg-type]
    assert problems(tmp_path, {"procedures/T.md": text}) == [expected]


def test_a_sign_off_left_out_is_still_missing(tmp_path: Path) -> None:
    text = procedure_text(BODY, forms=["SJE/JL/GK-90-01", "SJE/JL/GK-90-02"], approved=None)
    assert problems(tmp_path, {"procedures/T.md": text}) == [
        'procedures/T.md:5:1: an effective document needs "approved" with a name and a date']


def test_a_form_that_does_not_load_is_not_also_missing(tmp_path: Path) -> None:
    """Its procedure lists it and a rule checks it: only its own problem is reported."""
    broken = FORM_2.replace("title: 测试表二\n", "")
    found = problems(tmp_path, {"forms/GK-90-02.yaml": broken, "rules/T.yaml": _rule("T-01", "SJE/JL/GK-90-02")})
    assert found == ['forms/GK-90-02.yaml:1:1: form: missing required key "title"']


def test_a_form_whose_id_does_not_read_is_known_by_its_file_name(tmp_path: Path) -> None:
    broken = FORM_2.replace("id: SJE/JL/GK-90-02", "id: [SJE/JL/GK-90-02]")
    found = problems(tmp_path, {"forms/GK-90-02.yaml": broken, "rules/T.yaml": _rule("T-01", "SJE/JL/GK-90-02")})
    assert found == ['forms/GK-90-02.yaml:1:5: form: id: expected a single value, got a list']


def test_a_procedure_that_does_not_load_is_not_also_missing(tmp_path: Path) -> None:
    """Its forms name it and its rules file cites it: only its own problem is reported."""
    broken = PROC.replace("owner: 顾客服务部\n", "")
    found = problems(tmp_path, {"procedures/T.md": broken, "rules/T.yaml": _rule("T-01", "SJE/JL/GK-90-01")})
    assert found == ['procedures/T.md:2:1: procedure: missing required key "owner"']


def test_a_field_that_does_not_load_is_not_also_unknown(tmp_path: Path) -> None:
    """The form's dated_by and a rule name a field whose type is misspelt: only the type is reported."""
    fields = FIELDS + "- {id: done_on, label: 完成日期, type: dat}\n"
    form = form_text(fields, id="SJE/JL/GK-90-02", title="测试表二", dated_by="done_on")
    found = problems(tmp_path, {"forms/GK-90-02.yaml": form,
                                 "rules/T.yaml": _rule("T-01", "SJE/JL/GK-90-02", field="done_on")})
    assert found == ['forms/GK-90-02.yaml:18:42: unknown field type "dat"']


def test_a_key_out_of_place_after_a_misspelt_type_is_not_reported(tmp_path: Path) -> None:
    """options: on a field whose type does not read says nothing; on a text field it is out of place."""
    choice = "- {id: kind, label: 类别, type: choise, options: [{value: a, label: 甲}]}\n"
    found = problems(tmp_path, {"forms/GK-90-02.yaml": form_text(FIELDS + choice, id="SJE/JL/GK-90-02", title="表二")})
    assert found == ['forms/GK-90-02.yaml:17:37: unknown field type "choise"']
    text = choice.replace("choise", "text")
    found = problems(tmp_path, {"forms/GK-90-02.yaml": form_text(FIELDS + text, id="SJE/JL/GK-90-02", title="表二")})
    assert found == ['forms/GK-90-02.yaml:17:43: field: key "options" applies only to choice and multichoice fields']


def test_a_bad_form_and_a_bad_rule_elsewhere_come_in_one_run(tmp_path: Path) -> None:
    broken = FORM_2.replace("copies: 1", "copies: many")
    rules = _rule("T-01", "SJE/JL/GK-90-01", field="record_nr") + _rule("T-02", "SJE/JL/GK-90-02").split("rules:\n")[1]
    found = problems(tmp_path, {"forms/GK-90-02.yaml": broken, "rules/T.yaml": rules})
    assert found == ['forms/GK-90-02.yaml:9:9: form: copies: expected a whole number, got "many"',
                     'rules/T.yaml:8:16: rule T-01: unknown field "record_nr" on SJE/JL/GK-90-01']


def test_a_rule_on_a_broken_form_still_has_its_own_problems_reported(tmp_path: Path) -> None:
    """What the rule says of itself (its severity) is not a follow-up of the form's problem."""
    broken = FORM_2.replace("copies: 1", "copies: many")
    found = problems(tmp_path, {"forms/GK-90-02.yaml": broken,
                                 "rules/T.yaml": _rule("T-01", "SJE/JL/GK-90-02", severity="high")})
    assert found == ['forms/GK-90-02.yaml:9:9: form: copies: expected a whole number, got "many"',
                     'rules/T.yaml:7:15: rule T-01: severity: "high" is not one of: major, minor, observation']


def test_a_procedure_listing_a_form_that_is_nowhere_is_still_told(tmp_path: Path) -> None:
    text = procedure_text(BODY, forms=["SJE/JL/GK-90-01", "SJE/JL/GK-90-02", "SJE/JL/GK-90-03"])
    assert problems(tmp_path, {"procedures/T.md": text}) == [
        'procedures/T.md:15:43: SJE/ZY/GK-90 lists form "SJE/JL/GK-90-03", which does not exist']
