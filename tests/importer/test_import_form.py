"""`qmsdoc import form`: Word forms → draft definitions that lint, with every guess listed.

- Round trip: every bundled form's blank .docx, imported under a fresh id into a copy of the
  project, gives a definition with the same sections and fields (ids, labels, order, types,
  required marks, options, table columns), except the differences listed in DIFFERENCES, each
  with the reason the blank form cannot tell; the import's own built form reads back the same.
- Files not made by qmsdoc: a form table written with python-docx (no content controls, a
  年 月 日 blank, □ boxes, a merged section row, a repeating table with row numbers), the same
  file after LibreOffice (docx → odt → docx), and a qmsdoc form after LibreOffice.
- Refusals (exit 2, nothing written): an existing file, no id, no procedure, a damaged file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from qmsdoc.cli import main
from qmsdoc.errors import Diagnostics
from qmsdoc.generator.render import render_document
from qmsdoc.importer.form import Draft, read_draft
from qmsdoc.importer.form_import import Imported, import_form
from qmsdoc.importer.word import read_word_file
from qmsdoc.load.forms import load_form
from qmsdoc.load.project import load_project
from qmsdoc.model.documents import Field, Form
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

from conftest import REPO

SOURCES = ("qmsdoc.yaml", "procedures", "forms", "rules")

DIFFERENCES: dict[tuple[str, str], tuple[str, str, str]] = {
    # (form, field or table.column label): (what differs: original → imported, why the blank cannot tell)
    ("SJE/JL/GK-02-03", "技术开发部提供"): ("type", "multichoice → choice", "tick boxes print alike for both"),
    ("SJE/JL/GK-05-01", "提供的内容"): ("type", "multichoice → choice", "tick boxes print alike for both"),
    ("SJE/JL/GK-05-04", "召开原因"): ("type", "multichoice → choice", "tick boxes print alike for both"),
    ("SJE/JL/GK-08-03", "服务类别"): ("type", "multichoice → choice", "tick boxes print alike for both"),
    ("SJE/JL/GK-15-08", "工艺装备类别"): ("type", "multichoice → choice", "tick boxes print alike for both"),
    ("SJE/JL/GK-15-09", "变更类型"): ("type", "multichoice → choice", "tick boxes print alike for both"),
    ("SJE/JL/GK-01-01", "数量"): ("type", "text → number", "a text blank for a quantity with words (数量 says number)"),
    ("SJE/JL/GK-07-02", "数量"): ("type", "text → number", "a text blank for a quantity with words (数量 says number)"),
    ("SJE/JL/GK-15-07", "油墨配制.配制比例"): ("type", "text → number", "a ratio written as text (比例 says number)"),
    ("SJE/JL/GK-04-01", "联络时间（计划）"): ("type", "text → datetime", "a date-time written as text (时间 says datetime)"),
    ("SJE/JL/GK-06-01", "联络人姓名"): ("type", "text → person", "a name and a text blank print alike (姓名)"),
    ("SJE/JL/GK-13-03", "参加人员.姓名"): ("type", "text → person", "a name and a text blank print alike (姓名)"),
    ("SJE/JL/GK-11-01", "经销人员"): ("type", "person → text", "a name and a text blank print alike (人员 is also a group)"),
    ("SJE/JL/GK-12-03", "经办人员"): ("type", "person → text", "a name and a text blank print alike (人员 is also a group)"),
    ("SJE/JL/GK-16-01", "现场联系人"): ("type", "person → text", "a name and a text blank print alike (联系人 is often text)"),
    ("SJE/JL/GK-04-01", "联络、跟踪或访问记录.我方联络人"): ("type", "person → text", "a name and a text blank print alike"),
    ("SJE/JL/GK-10-05", "工作情况汇报（每两天一次）.汇报对象（主管部长或管理员）"): ("type", "person → text",
                                                        "a name and a text blank print alike"),
    ("SJE/JL/GK-06-04", "跟踪记录"): ("required", "True → False", "a table that is its whole section prints no "
                                                              "caption, so no required mark"),
    ("SJE/JL/GK-09-03", "费用明细"): ("required", "True → False", "a table that is its whole section prints no "
                                                              "caption, so no required mark"),
    ("SJE/JL/GK-14-04", "合同登记"): ("required", "True → False", "a table that is its whole section prints no "
                                                              "caption, so no required mark"),
    ("SJE/JL/GK-15-04", "工艺参数"): ("required", "True → False", "a table that is its whole section prints no "
                                                              "caption, so no required mark"),
}


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def copy_project(to: Path) -> Path:
    to.mkdir(parents=True)
    for name in SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, to / name)
        else:
            shutil.copy2(src, to / name)
    return to


def described(f: Field) -> dict[str, Any]:
    """What the round trip compares of a field: what a person filling the form sees and the
    records carry (the layout keys width, rows, and what the blank form never prints — roles,
    meanings, planned, help, min/max — are not)."""
    return {"id": f.id, "label": f.label, "type": f.type.value, "required": f.required,
            "options": [(o.value, o.label) for o in f.options], "single_box": f.single_box, "unit": f.unit}


def differences(original: Form, imported: Form) -> dict[tuple[str, str], tuple[str, str]]:
    out: dict[tuple[str, str], tuple[str, str]] = {}
    assert [s.title for s in imported.sections] == [s.title for s in original.sections], original.id
    for a_sec, b_sec in zip(original.sections, imported.sections, strict=True):
        assert [f.label for f in b_sec.fields] == [f.label for f in a_sec.fields], original.id
        for a, b in zip(a_sec.fields, b_sec.fields, strict=True):
            pairs = [(a.label, a, b)]
            assert [c.label for c in b.columns] == [c.label for c in a.columns], (original.id, a.label)
            pairs += [(f"{a.label}.{ca.label}", ca, cb) for ca, cb in zip(a.columns, b.columns, strict=True)]
            for name, x, y in pairs:
                dx, dy = described(x), described(y)
                for key in dx:
                    if dx[key] != dy[key]:
                        out[(original.id, name)] = (key, f"{dx[key]} → {dy[key]}")
    return out


@pytest.fixture(scope="module")
def round_trip(project: Project, labels: Labels,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, tuple[str, Imported]]]:
    """Every bundled form built, then imported under SJE/JL/GK-99-NN into a copy of the project."""
    tmp = tmp_path_factory.mktemp("import-forms")
    root = copy_project(tmp / "project")
    files = tmp / "docx"
    files.mkdir()
    imported: dict[str, tuple[str, Imported]] = {}
    for n, (fid, form) in enumerate(sorted(project.forms.items()), start=1):
        path = files / f"{fid.rsplit('/', 1)[-1]}.docx"
        path.write_bytes(render_document(project, form, labels))
        new_id = f"SJE/JL/GK-99-{n:02d}"
        imported[fid] = (new_id, import_form(root, path, form_id=new_id, procedure_id=None, clause=None))
    return root, files, imported


def test_every_bundled_form_imports_to_a_definition_that_loads(round_trip: Any, project: Project) -> None:
    root, _, imported = round_trip
    copy = load_project(root)  # raises SourceError, with every problem, unless the whole copy lints clean
    for fid, (new_id, result) in imported.items():
        original, form = project.forms[fid], copy.forms[new_id]
        assert result.written.created == f"forms/GK-99-{new_id[-2:]}.yaml"
        assert (form.title, form.procedure, form.clause) == (original.title, original.procedure, original.clause)
        assert (form.retention_months, form.copies) == (original.retention_months, original.copies)
        assert form.status == "draft" and form.revision == "A/0"
        assert new_id in copy.procedures[original.procedure].forms


def test_round_trip_keeps_fields_order_and_types_but_the_listed_differences(
        round_trip: Any, project: Project) -> None:
    root, _, imported = round_trip
    copy = load_project(root)
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for fid, (new_id, _) in imported.items():
        found.update(differences(project.forms[fid], copy.forms[new_id]))
    assert found == {key: (what, change) for key, (what, change, _) in DIFFERENCES.items()}


def test_each_guess_is_listed_with_its_place(round_trip: Any) -> None:
    _, _, imported = round_trip
    _, result = imported["SJE/JL/GK-09-01"]
    assert 'GK-09-01.docx: table 3 row 8: "顾客代表" → signature, role 顾客代表 ' in "\n".join(result.guesses)
    assert any('"原件存档人（营销部门）" → person (label ends with 人' in line for line in result.guesses)
    _, result = imported["SJE/JL/GK-02-03"]
    assert any('"技术开发部提供" → choice (tick boxes: one to tick; a multi-choice prints alike)' in line
               for line in result.guesses)


def test_an_imported_form_built_again_reads_back_the_same(round_trip: Any, labels: Labels) -> None:
    root, files, imported = round_trip
    copy = load_project(root)
    for fid, (new_id, _) in imported.items():
        again = root / "again.docx"
        again.write_bytes(render_document(copy, copy.forms[new_id], labels))
        first = _draft(files / f"{fid.rsplit('/', 1)[-1]}.docx", copy)
        second = _draft(again, copy)
        assert second.sections == first.sections, fid


def _draft(path: Path, project: Project) -> Draft:
    word = read_word_file(path, project.site.limits, path.name)
    return read_draft(word, path.name, project.site)


# -- Word files not made by qmsdoc ----------------------------------------------------------------

def python_docx_form(path: Path) -> Path:
    """A repair record as someone would type it in Word: no content controls, no styles of qmsdoc."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "表单编号：SJE/JL/GK-09-07"
    d.sections[0].footer.paragraphs[0].text = "依据文件：SJE/ZY/GK-09《售后服务问题反馈调查的管理制度》第二条"
    d.add_paragraph("设备维修记录")
    t = d.add_table(rows=7, cols=4)
    t.style = "Table Grid"
    for (r, c), text in {(0, 0): "维修单号*", (0, 2): "维修日期", (0, 3): "    年   月   日", (1, 0): "故障描述",
                         (2, 0): "维修类别", (3, 0): "已通知用户", (3, 1): "□是 □否", (3, 2): "维修费用",
                         (5, 0): "验收人签字", (5, 2): "日期", (6, 0): "更换数量", (6, 2): "备注"}.items():
        t.cell(r, c).text = text
    tall = t.cell(1, 1).merge(t.cell(1, 3))
    tall.add_paragraph("")
    tall.add_paragraph("")
    t.cell(2, 1).merge(t.cell(2, 3)).text = "□机械  □电气  □其他"
    t.cell(4, 0).merge(t.cell(4, 3)).text = "验收"
    d.add_paragraph("更换零件")
    parts = d.add_table(rows=4, cols=4)
    parts.style = "Table Grid"
    for c, head in enumerate(["序号", "零件名称", "数量", "单价"]):
        parts.cell(0, c).text = head
    for r in range(1, 4):
        parts.cell(r, 0).text = str(r)
    d.save(str(path))
    return path


REPAIR_FIELDS = [
    # (section, label, type, required, options)
    ("基本信息", "维修单号", "text", True, []),
    ("基本信息", "维修日期", "date", False, []),
    ("基本信息", "故障描述", "multiline", False, []),
    ("基本信息", "维修类别", "choice", False, ["机械", "电气", "其他"]),
    ("基本信息", "已通知用户", "checkbox", False, []),
    ("基本信息", "维修费用", "money", False, []),
    ("验收", "验收人签字", "signature", False, []),
    ("验收", "更换数量", "number", False, []),
    ("验收", "备注", "text", False, []),
    ("验收", "更换零件", "table", False, []),
]


def repair_fields(form: Form | Draft) -> list[tuple[str, str, str, bool, list[str]]]:
    return [(s.title, f.label, f.type if isinstance(f.type, str) else f.type.value, f.required,
             [o[1] if isinstance(o, tuple) else o.label for o in f.options])
            for s in form.sections for f in s.fields]


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_python_docx_form_is_recovered_and_lints(bundled_copy: Path, tmp_path: Path) -> None:
    source = python_docx_form(tmp_path / "form.docx")
    result = run("import", "form", "--root", str(bundled_copy), str(source))
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"wrote {bundled_copy / 'forms/GK-09-07.yaml'}" in out  # the id from the header, the file named by it
    assert f"changed {bundled_copy / 'procedures/GK-09.md'}" in out  # the procedure from the footer
    assert f'{source}: table 1 row 1: "维修日期" → date (the blank is written 年 月 日)' in out
    assert f'{source}: table 1 row 4: "维修费用" → money (label says 费用)' in out
    assert f'{source}: table 1 row 7: "更换数量" → number (label says 数量)' in out
    assert f'{source}: table 1 row 6: "验收人签字" → signature, role 接收人 (label says 签字; role: "验收人" is not ' \
           "a role of qmsdoc.yaml; the closest is used: check it)" in out
    assert "ids made up, since no entry control names them (give them meaningful ones): field_1 (维修单号)" in out
    assert "no problems" in out
    site = load_project(bundled_copy).site
    form = load_form(bundled_copy / "forms/GK-09-07.yaml", "forms/GK-09-07.yaml", site, Diagnostics())
    assert form is not None
    assert (form.id, form.title, form.procedure, form.clause) == (
        "SJE/JL/GK-09-07", "设备维修记录", "SJE/ZY/GK-09", "第二条")
    assert repair_fields(form) == REPAIR_FIELDS
    table = form.sections[1].fields[-1]
    assert [(c.label, c.type.value) for c in table.columns] == [("零件名称", "text"), ("数量", "number"),
                                                                ("单价", "money")]  # 序号 is the row number
    assert table.rows == 3
    signature = form.sections[1].fields[0]
    assert signature.role == "接收人"
    assert [o.value for o in form.sections[0].fields[3].options] == ["option_1", "option_2", "option_3"]
    assert "- SJE/JL/GK-09-07" in (bundled_copy / "procedures/GK-09.md").read_text(encoding="utf-8")


def libreoffice(soffice: str, source: Path, out: Path) -> Path:
    """`source` opened and saved by LibreOffice: to .odt, and back to .docx."""
    out.mkdir()
    profile = f"-env:UserInstallation=file://{out / 'lo-profile'}"
    for target, path in (("odt", source), ("docx", out / f"{source.stem}.odt")):
        subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir", str(out), str(path)],
                       check=True, capture_output=True, timeout=180)
    return out / f"{source.stem}.docx"


def test_forms_saved_by_libreoffice_are_recovered(soffice: str, project: Project, labels: Labels,
                                                  tmp_path: Path) -> None:
    # A form written without qmsdoc, after LibreOffice: everything the python-docx file gave.
    typed = libreoffice(soffice, python_docx_form(tmp_path / "repair.docx"), tmp_path / "typed")
    draft = _draft(typed, project)
    assert (draft.form_id, draft.procedure, draft.title) == ("SJE/JL/GK-09-07", "SJE/ZY/GK-09", "设备维修记录")
    assert repair_fields(draft) == REPAIR_FIELDS
    # A qmsdoc form after LibreOffice keeps its controls' tags (ids, option values, signatures) but
    # loses their multi-line mark: the rows' height says it instead.
    built = tmp_path / "GK-09-01.docx"
    original = project.forms["SJE/JL/GK-09-01"]
    built.write_bytes(render_document(project, original, labels))
    draft = _draft(libreoffice(soffice, built, tmp_path / "ours"), project)
    assert [(f.id, f.label, f.type) for f in draft.fields()] == [
        (f.id, f.label, f.type.value) for s in original.sections for f in s.fields]
    assert [(c.id, c.type) for c in draft.fields()[11].columns] == [("name", "person"), ("trade", "text"),
                                                                    ("speciality", "text")]


def test_english_labels_give_english_ids(project: Project, tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    for r, label in enumerate(["Customer name", "Date received", "Quantity"]):
        t.cell(r, 0).text = label
    d.save(str(tmp_path / "en.docx"))
    draft = _draft(tmp_path / "en.docx", project)
    assert [(f.id, f.type) for f in draft.fields()] == [("customer_name", "text"), ("date_received", "date"),
                                                         ("quantity", "number")]


# -- refusals ------------------------------------------------------------------------------------

def test_refusals_write_nothing(bundled_copy: Path, tmp_path: Path) -> None:
    source = python_docx_form(tmp_path / "form.docx")
    before = (bundled_copy / "procedures/GK-09.md").read_bytes()
    taken = run("import", "form", "--root", str(bundled_copy), str(source), "--id", "SJE/JL/GK-09-01")
    assert taken.exit_code == 2
    assert "forms/GK-09-01.yaml:1:1: \"SJE/JL/GK-09-01\" exists already" in taken.output
    off_scheme = run("import", "form", "--root", str(bundled_copy), str(source), "--id", "GK-9")
    assert off_scheme.exit_code == 2 and "does not follow the code scheme" in off_scheme.output
    no_procedure = run("import", "form", "--root", str(bundled_copy), str(source), "--procedure", "SJE/ZY/GK-77")
    assert no_procedure.exit_code == 2 and 'no procedure "SJE/ZY/GK-77"' in no_procedure.output
    bare = docx.Document()
    bare.add_table(rows=1, cols=2).cell(0, 0).text = "编号"
    bare.save(str(tmp_path / "bare.docx"))
    no_id = run("import", "form", "--root", str(bundled_copy), str(tmp_path / "bare.docx"))
    assert no_id.exit_code == 2
    assert "bare.docx: no form number found in its header, footer or first lines" in no_id.output
    assert "--id ID" in no_id.output
    unnamed = run("import", "form", "--root", str(bundled_copy), str(tmp_path / "bare.docx"), "--id",
                  "SJE/JL/GK-09-08")
    assert unnamed.exit_code == 2 and "pass it: --procedure ID" in unnamed.output
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    damaged = run("import", "form", "--root", str(bundled_copy), str(broken))
    assert damaged.exit_code == 2 and f"{broken}: not a .docx (zip) file" in damaged.output
    assert not (bundled_copy / "forms/GK-09-07.yaml").exists()
    assert not (bundled_copy / "forms/GK-09-08.yaml").exists()
    assert (bundled_copy / "procedures/GK-09.md").read_bytes() == before
    done = run("import", "form", "--root", str(bundled_copy), str(source))
    assert done.exit_code == 0, done.output
    again = run("import", "form", "--root", str(bundled_copy), str(source))
    assert again.exit_code == 2 and "exists already" in again.output


def test_a_file_with_a_dtd_is_refused(bundled_copy: Path, tmp_path: Path) -> None:
    source = python_docx_form(tmp_path / "form.docx")
    import zipfile

    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
            dst.writestr(item, data)
    result = run("import", "form", "--root", str(bundled_copy), str(hostile), "--id", "SJE/JL/GK-09-08")
    assert result.exit_code == 2
    assert "hostile.docx" in result.output and "Traceback" not in result.output
    assert not (bundled_copy / "forms/GK-09-08.yaml").exists()


def test_labels_with_room_in_their_own_cell(project: Project, tmp_path: Path) -> None:
    """处理意见： over a tall cell, and 负责人签字： 日期： written in the cells, as many Chinese forms do."""
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "处理意见：\n\n"
    t.cell(1, 0).text = "部门负责人签字："
    t.cell(1, 1).text = "日期："
    t.cell(2, 0).text = "结论"
    t.cell(2, 1).text = "☐ 合格　☐ 不合格"
    d.save(str(tmp_path / "own.docx"))
    draft = _draft(tmp_path / "own.docx", project)
    assert [(f.label, f.type, f.role) for f in draft.fields()] == [
        ("处理意见", "multiline", None), ("部门负责人签字", "signature", "部门负责人"), ("结论", "choice", None)]
    assert draft.fields()[2].options == [("option_1", "合格"), ("option_2", "不合格")]
