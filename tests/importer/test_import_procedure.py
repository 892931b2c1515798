"""`qmsdoc import procedure`: Word procedures → sources that build back to the same text and clause numbers.

The round trip imports every bundled procedure's generated .docx and builds the import again;
the other tests import Word files qmsdoc did not make (pandoc from Markdown, LibreOffice from its
own format, python-docx with numbers typed as text) and assert what is recovered.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from qmsdoc.cli import main
from qmsdoc.generator.render import render_document
from qmsdoc.importer.procedure_numbers import chinese_value, typed_number
from qmsdoc.importer.word import WordDocument, WordParagraph, read_word
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.project import Project

from conftest import REPO

NEW_ID = "SJE/ZY/GK-90"
FORMS_CAPTION = "相关表单记录"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def copy_project(root: Path) -> Path:
    """The bundled sources in `root` (nothing else: no output, no store)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("qmsdoc.yaml",):
        shutil.copy(REPO / name, root / name)
    for name in ("procedures", "forms", "rules", "releases"):
        shutil.copytree(REPO / name, root / name)
    return root


def body(doc: WordDocument) -> list[tuple[str, object]]:
    """The body as a reader compares it: (shown number, text) per non-empty paragraph, a table's text grid."""
    out: list[tuple[str, object]] = []
    for block in doc.body:
        if isinstance(block, WordParagraph):
            if block.text.strip():
                out.append((block.number.text if block.number else "", block.text.strip()))
        else:
            out.append(("table", [tuple(row) for row in block.grid()]))
    return out


def lint_summary(result: Result) -> str:
    return next(line for line in reversed(result.output.splitlines()) if "procedures," in line)


@pytest.fixture(scope="module")
def bundled() -> Project:
    return load_project(REPO)


@pytest.mark.parametrize("stem", [f"GK-{n:02d}" for n in range(1, 17)])
def test_round_trip_of_every_bundled_procedure(bundled: Project, tmp_path: Path, stem: str) -> None:
    original = next(p for p in bundled.procedures.values() if p.path == f"procedures/{stem}.md")
    labels = load_labels("zh-CN")
    source_docx = tmp_path / f"{stem}.docx"
    source_docx.write_bytes(render_document(bundled, original, labels))
    root = copy_project(tmp_path / "project")

    made = run("import", "procedure", "--root", str(root), str(source_docx), "--id", NEW_ID)
    assert made.exit_code == 0, made.output
    assert "no problems" in lint_summary(made)
    project = load_project(root)
    imported = project.procedures[NEW_ID]

    # the control data came back, as a draft
    assert imported.status == "draft"
    assert (imported.title, imported.revision, imported.owner, imported.effective) == (
        original.title, original.revision, original.owner, original.effective)
    assert (imported.prepared, imported.reviewed, imported.approved) == (
        original.prepared, original.reviewed, original.approved)
    assert [(h.revision, h.date, h.by, h.description) for h in imported.history] == [
        (h.revision, h.date, h.by, h.description) for h in original.history]
    assert imported.related == original.related
    # every clause has the same label and shown number
    assert [(c.label, c.shown) for c in imported.clauses.values()] == [
        (c.label, c.shown) for c in original.clauses.values()]

    before = body(read_word(source_docx.read_bytes()))
    after = body(read_word(render_document(project, imported, labels)))
    # The one listed difference: the list of forms. The bundled forms name their own procedure, so
    # the import lists them for review ("add it to forms: …") instead of claiming them.
    if original.forms:
        k = before.index(("", FORMS_CAPTION))
        assert before[k + 1][0] == "table"
        listed = before[k + 1][1]
        assert isinstance(listed, list) and [row[0] for row in listed[1:]] == list(original.forms)
        del before[k:k + 2]
        for form_id in original.forms:
            assert f"the file lists form {form_id}" in made.output
    assert after == before


def _typed_docx(path: Path) -> None:
    """A Chinese procedure written the old way: header table, approval lines, numbers typed as text."""
    d = docx.Document()
    header = d.sections[0].header
    table = header.add_table(rows=2, cols=4, width=docx.shared.Cm(16))
    for (r, c), text in {(0, 0): "文件编号", (0, 1): "SJE/ZY/GK-33", (0, 2): "版本", (0, 3): "A/2",
                         (1, 0): "实施日期", (1, 1): "2024年5月1日", (1, 2): "归口部门", (1, 3): "质量部"}.items():
        table.cell(r, c).text = text
    d.add_paragraph("不合格品管理制度", style="Title")
    d.add_paragraph("编制：王伟 2024-04-01    审核：李娜 2024-04-10    批准：赵强 2024-04-20")
    d.add_paragraph("第一条 为控制不合格品，特制定本制度。")
    p = d.add_paragraph("第二条　")
    p.add_run("质量部").bold = True
    p.add_run("负责不合格品的评审：")
    d.add_paragraph("（一）确定不合格的性质；")
    d.add_paragraph("（二）提出处置意见：")
    d.add_paragraph("1、返工；")
    d.add_paragraph("2、报废。")
    d.add_paragraph("评审结论记入《不合格品评审单》。")
    d.add_paragraph("第三条 本制度自{{发布}}之日起施行，见页码")
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    d.paragraphs[-1]._p.append(field)
    d.save(str(path))


def test_python_docx_with_typed_numbers(tmp_path: Path) -> None:
    source = tmp_path / "不合格品管理制度.docx"
    _typed_docx(source)
    root = copy_project(tmp_path / "project")
    made = run("import", "procedure", "--root", str(root), str(source))
    assert made.exit_code == 0, made.output
    assert "wrote" in made.output and "GK-33.md" in made.output
    text = (root / "procedures" / "GK-33.md").read_text(encoding="utf-8")
    assert "id: SJE/ZY/GK-33\n" in text and "revision: A/2\n" in text and "owner: 质量部\n" in text
    assert "effective: 2024-05-01\n" in text and "approved: {name: 赵强, date: 2024-04-20}" in text
    assert "lists: [article, cn-paren, arabic-dun]" in text
    assert "第一条" not in text and "（一）" not in text and "1、" not in text  # typed numbers removed
    assert "**质量部**负责" in text
    assert "{{ \"{\" }}{发布}}" in text  # template braces kept as text
    assert "paragraph 10: a field (PAGE): its shown text is kept" in made.output
    project = load_project(root)
    proc = project.procedures["SJE/ZY/GK-33"]
    assert proc.title == "不合格品管理制度"
    assert list(proc.clauses) == ["第一条", "第二条", "第二条（一）", "第二条（二）", "第二条（二）1", "第二条（二）2",
                                  "第三条"]
    built = body(read_word(render_document(project, proc, load_labels("zh-CN"))))
    assert ("第二条", "质量部负责不合格品的评审：") in built
    assert ("", "评审结论记入《不合格品评审单》。") in built
    assert ("第三条", "本制度自{{发布}}之日起施行，见页码1") in built


def test_english_outline_numbers_and_letters(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Document No.: SJE/ZY/GK-34    Revision: B/0")
    d.add_paragraph("Control of Records", style="Title")
    d.add_paragraph("1 Purpose")
    d.add_paragraph("1.1 This procedure states how records are kept.")
    d.add_paragraph("2 Procedure")
    d.add_paragraph("2.1 Filing")
    d.add_paragraph("2.1.1 Records are filed within three days.")
    d.add_paragraph("a) paper records in the archive;")
    d.add_paragraph("b) electronic records on the server.")
    source = tmp_path / "records.docx"
    d.save(str(source))
    root = copy_project(tmp_path / "project")
    made = run("import", "procedure", "--root", str(root), str(source))
    assert made.exit_code == 0, made.output
    text = (root / "procedures" / "GK-34.md").read_text(encoding="utf-8")
    assert "headings: [decimal]" in text and "# Purpose\n" in text and "## Filing\n" in text
    proc = load_project(root).procedures["SJE/ZY/GK-34"]
    assert list(proc.clauses) == ["1", "1.1", "2", "2.1", "2.1.1", "2.1.1 a)", "2.1.1 b)"]


@pytest.fixture(scope="module")
def pandoc() -> str:
    exe = shutil.which("pandoc")
    if exe is None:
        pytest.fail("pandoc is required: run scripts/install-system-deps")
    return exe


PANDOC_SOURCE = """---
title: 顾客投诉处理程序
---

文件编号：SJE/ZY/GK-31　　版本：B/1

编制：王伟 2025-01-05　审核：李娜 2025-01-08　批准：赵强 2025-01-10

生效日期：2025-02-01

# 目的

为及时处理顾客投诉，**特制定本程序**。

# 职责

1. 顾客服务部负责投诉的登记。
2. 技术部负责原因分析。
    1. 分析在 5 天内完成。
    2. 结论报**顾客服务部**。
3. 质量部负责验证。

| 项目 | 期限 |
|---|---|
| 登记 | 1 天 |
| 答复 | 7 天 |
"""


def test_pandoc_document(tmp_path: Path, pandoc: str) -> None:
    (tmp_path / "in.md").write_text(PANDOC_SOURCE, encoding="utf-8")
    source = tmp_path / "pandoc.docx"
    subprocess.run([pandoc, str(tmp_path / "in.md"), "-o", str(source)], check=True, timeout=120)
    root = copy_project(tmp_path / "project")
    made = run("import", "procedure", "--root", str(root), str(source))
    assert made.exit_code == 0, made.output
    text = (root / "procedures" / "GK-31.md").read_text(encoding="utf-8")
    assert "title: 顾客投诉处理程序\nrevision: B/1\n" in text
    assert "prepared: {name: 王伟, date: 2025-01-05}" in text and "effective: 2025-02-01" in text
    assert "文件编号" not in text.split("---")[2]  # read as data, not body
    assert "lists: [arabic-dot]" in text
    assert "\n2. 技术部负责原因分析。\n\n   1. 分析在 5 天内完成。\n\n   2. 结论报**顾客服务部**。\n" in text
    assert "| 项目 | 期限 |\n|---|---|\n| 登记 | 1 天 |\n| 答复 | 7 天 |" in text
    proc = load_project(root).procedures["SJE/ZY/GK-31"]
    assert [c.shown for c in proc.clauses.values()] == ["1.", "2.", "1.", "2.", "3."]
    assert "paragraph 3: read as approved: 赵强, 2025-01-10" in made.output


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="B" style:family="text">
   <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <text:list-style style:name="L1">
   <text:list-level-style-number text:level="1" style:num-prefix="第" style:num-suffix="条" style:num-format="一, 二, 三, ..."/>
   <text:list-level-style-number text:level="2" style:num-prefix="（" style:num-suffix="）" style:num-format="一, 二, 三, ..."/>
   <text:list-level-style-number text:level="3" style:num-suffix="、" style:num-format="1"/>
  </text:list-style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:p>文件编号：SJE/ZY/GK-32</text:p>
  <text:list text:style-name="L1">
   <text:list-item><text:p>本制度适用于<text:span text:style-name="B">全部</text:span>售后服务。</text:p></text:list-item>
   <text:list-item><text:p>售后服务人员应当：</text:p>
    <text:list><text:list-item><text:p>携带反馈单；</text:p></text:list-item>
     <text:list-item><text:p>填写处理结果：</text:p>
      <text:list><text:list-item><text:p>问题性质；</text:p></text:list-item>
       <text:list-item><text:p>处理办法。</text:p></text:list-item></text:list>
     </text:list-item></text:list>
   </text:list-item>
   <text:list-item><text:p>本制度自发布之日起施行。</text:p></text:list-item>
  </text:list>
 </office:text></office:body>
</office:document>
"""


@pytest.mark.libreoffice
def test_libreoffice_document_with_word_numbering(tmp_path: Path, soffice: str) -> None:
    (tmp_path / "lo.fodt").write_text(FODT, encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "docx", "--outdir", str(tmp_path), str(tmp_path / "lo.fodt")],
                   check=True, capture_output=True, timeout=300)
    root = copy_project(tmp_path / "project")
    made = run("import", "procedure", "--root", str(root), str(tmp_path / "lo.docx"))
    assert made.exit_code == 0, made.output
    text = (root / "procedures" / "GK-32.md").read_text(encoding="utf-8")
    assert "lists: [article, cn-paren, arabic-dun]" in text
    assert "title: lo\n" in text and "no title found" in made.output  # the file name, flagged for review
    assert "**全部**" in text
    proc = load_project(root).procedures["SJE/ZY/GK-32"]
    assert list(proc.clauses) == ["第一条", "第二条", "第二条（一）", "第二条（二）", "第二条（二）1", "第二条（二）2",
                                  "第三条"]


def test_typed_number_detection() -> None:
    cases = {"第十二条 内容": ("article", 12, "内容"), "（三）内容": ("cn-paren", 3, "内容"),
             "二十一、内容": ("cn-dun", 21, "内容"), "3、内容": ("arabic-dun", 3, "内容"),
             "4.2.3.1 合同评审": ("decimal", 1, "合同评审"), "c) item": ("letter-paren", 3, "item"),
             "（2）内容": ("arabic-fullparen", 2, "内容"), "⑶内容": ("arabic-parens", 3, "内容"),
             "5. 内容": ("arabic-dot", 5, "内容")}
    for text, (fmt, value, rest) in cases.items():
        found = typed_number(text)
        assert found is not None, text
        assert (found[0].fmt, found[0].value, found[1]) == (fmt, value, rest), text
    for text in ("2025年3月", "3.5米长", "第一条", "一般规定", "1.5倍"):
        assert typed_number(text) is None, text
    assert chinese_value("一百零五") == 105 and chinese_value("二十") == 20 and chinese_value("abc") is None


def test_refusals_write_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    d = docx.Document()
    d.add_paragraph("第一条 内容。")
    plain = tmp_path / "plain.docx"
    d.save(str(plain))
    before = sorted((root / "procedures").iterdir())

    no_id = run("import", "procedure", "--root", str(root), str(plain))
    assert no_id.exit_code == 2 and "no document number found" in no_id.output and "--id" in no_id.output
    exists = run("import", "procedure", "--root", str(root), str(plain), "--id", "SJE/ZY/GK-09")
    assert exists.exit_code == 2 and "exists already" in exists.output
    off_scheme = run("import", "procedure", "--root", str(root), str(plain), "--id", "XX-1")
    assert off_scheme.exit_code == 2 and "codes.procedure" in off_scheme.output
    two = run("import", "procedure", "--root", str(root), str(plain), str(plain), "--id", NEW_ID)
    assert two.exit_code == 2 and "more than one file" in two.output
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    bad = run("import", "procedure", "--root", str(root), str(broken), "--id", NEW_ID)
    assert bad.exit_code == 2 and re.search(r"broken\.docx: not a \.docx", bad.output) and "Traceback" not in bad.output
    assert sorted((root / "procedures").iterdir()) == before


PANDOC_ENGLISH = """# Control of Nonconforming Product

Document No.: QP-07 Revision: B/1 Effective date: 2026-03-01

## Purpose

To make sure that product which does not conform is identified and controlled.

## Procedure

1. The inspector **marks** the product with a red tag.
2. Records are kept for 3 years.
"""


def test_pandoc_title_heading_and_a_line_of_english_pairs(tmp_path: Path, pandoc: str) -> None:
    """pandoc writes "# Title" as the one top-level heading; the data line holds three pairs, their labels
    of two words and ASCII colons."""
    (tmp_path / "in.md").write_text(PANDOC_ENGLISH, encoding="utf-8")
    source = tmp_path / "qp07.docx"
    subprocess.run([pandoc, str(tmp_path / "in.md"), "-o", str(source)], check=True, timeout=120)
    root = copy_project(tmp_path / "project")
    made = run("import", "procedure", "--root", str(root), "--id", "SJE/ZY/GK-33", str(source))
    assert made.exit_code == 0, made.output
    text = (root / "procedures" / "GK-33.md").read_text(encoding="utf-8")
    assert "title: Control of Nonconforming Product\nrevision: B/1\n" in text
    assert "effective: 2026-03-01" in text
    body = text.split("---")[2]
    assert "Document No." not in body and "# Control of Nonconforming Product" not in body
    assert "# Purpose" in body and "1. The inspector **marks** the product with a red tag." in body
