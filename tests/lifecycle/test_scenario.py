"""The issue's scenario, step by step: release, frozen sources, bump, supersede, register, redline, verify."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import docx
from lxml import etree

from lifecycle.walk import DELETED, FORM, INSERTED, PROC, PROC_PATH, Walk, run
from qmsdoc.generator.ooxml.tracked import tracked_text
from qmsdoc.generator.render import render_document
from qmsdoc.lifecycle.digest import canonical_digest, sha256
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.load.snapshots import load_snapshot

from support.ooxml_schema import validate_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_every_step_succeeds_except_the_unbumped_edit(walked: Walk) -> None:
    codes = {name: r.exit_code for name, r in walked.steps.items()}
    assert codes == {**dict.fromkeys(codes, 0), "lint unbumped": 1}, {n: r.output for n, r in walked.steps.items()}


def test_release_keeps_the_exact_source_the_docx_and_a_record_of_digests(walked: Walk) -> None:
    folder = walked.root / "releases" / "SJE-ZY-GK-08" / "A-0"
    assert sorted(p.name for p in folder.iterdir()) == ["GK-08.md", "SJE-ZY-GK-08_A-0.docx", "release.json"]
    record = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    assert (record["id"], record["kind"], record["revision"], record["status"]) == (PROC, "procedure", "A/0", "effective")
    assert record["approved"] == {"name": "赵强", "date": "2025-03-20"}
    assert (record["effective"], record["released_on"], record["released_by"]) == ("2025-04-01", "2025-03-25", "陈静")
    assert record["files"]["source"]["sha256"] == sha256((folder / "GK-08.md").read_bytes())
    assert record["files"]["docx"]["canonical_sha256"] == canonical_digest((folder / "SJE-ZY-GK-08_A-0.docx").read_bytes())
    assert "pdf" not in record["files"]


def test_an_edit_without_a_new_revision_fails_lint_naming_document_and_revision(walked: Walk) -> None:
    out = walked.steps["lint unbumped"].output
    assert (f"{PROC_PATH}:4:11: {PROC} A/0 was released on 2025-03-25; its source has changed since" in out)
    assert "bump the revision (e.g. A/1) and add a history entry" in out


def test_rebuilding_a_released_revision_reproduces_its_digest(walked: Walk) -> None:
    project = load_project(walked.root)
    labels = load_labels(project.site.language)
    for doc_id in (PROC, FORM):
        for release in project.releases[doc_id]:
            doc = load_snapshot(project, release)
            assert canonical_digest(render_document(project, doc, labels)) == release.docx.digest, (doc_id, release.revision)


def test_the_superseded_revision_is_archived_with_its_banner_and_gone_from_the_current_documents(walked: Walk) -> None:
    out = walked.out
    assert sorted(p.name for p in (out / "procedures").iterdir()) == ["SJE-ZY-GK-08_B-0.docx"]
    assert "SJE-JL-GK-08-01_A-0.docx" not in {p.name for p in (out / "forms").iterdir()}
    for path in (out / "archive" / "procedures" / "SJE-ZY-GK-08_A-0.docx", out / "archive" / "forms" / "SJE-JL-GK-08-01_A-0.docx"):
        document = docx.Document(str(path))
        header = "".join(document.sections[0].header._element.itertext())
        assert "作废 — 已被 B/0 版替代" in header, path.name
        assert document.core_properties.content_status == "superseded"
    current = docx.Document(str(out / "procedures" / "SJE-ZY-GK-08_B-0.docx"))
    assert "作废" not in "".join(current.sections[0].header._element.itertext())


def test_the_register_lists_b0_as_current_and_a0_as_superseded(walked: Walk) -> None:
    text = (walked.out / "register" / "register.csv").read_bytes()
    assert text.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    gk08 = [(r["版本"], r["状态"], r["替代版本"], r["替代／作废日期"]) for r in rows if r["文件编号"] == PROC]
    assert gk08 == [("B/0", "现行有效", "", ""), ("A/0", "已被替代", "B/0", "2025-09-01")]
    current = next(r for r in rows if r["文件编号"] == PROC and r["状态"] == "现行有效")
    assert current["下次复审日期"] == "2027-09-01" and current["复审提示"] == "30 天内到期"
    assert "SJE/JL/GK-08-01 B/0" in current["相关表单"] and "SJE/JL/GK-08-02 A/0" in current["相关表单"]
    assert current["批准人"] == "赵强" and current["归口部门"] == "顾客服务部"


def test_the_register_docx_is_valid_and_lists_only_b0_among_current_procedures(walked: Walk) -> None:
    data = (walked.out / "register" / "register.docx").read_bytes()
    assert validate_docx(data) == []
    document = docx.Document(io.BytesIO(data))
    procedures, forms, archive = document.tables[:3]
    assert [(r.cells[1].text, r.cells[3].text) for r in procedures.rows[1:]] == [(PROC, "B/0")]
    assert [(r.cells[1].text, r.cells[3].text) for r in archive.rows[1:]] == [(FORM, "A/0"), (PROC, "A/0")]
    assert len(forms.rows) == 1 + 5


def test_the_register_xlsx_has_a_sheet_per_section(walked: Walk) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(walked.out / "register" / "register.xlsx")
    assert wb.sheetnames[:3] == ["程序文件", "表单记录", "已作废-已被替代的文件"]
    procedures = [[c.value for c in row] for row in wb["程序文件"].iter_rows(values_only=False)]
    assert procedures[1][:4] == [PROC, "技术服务管理制度", "B/0", "现行有效"]


def _document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_the_redline_shows_exactly_the_edits_as_tracked_changes(walked: Walk) -> None:
    path = walked.root / "redline.docx"
    body = _document_xml(path)
    inserted, deleted = tracked_text(body, "ins"), tracked_text(body, "del")
    assert set(INSERTED) <= set(inserted)
    assert set(DELETED) <= set(deleted)
    # besides the body edits, only the new history row is marked
    assert set(inserted) - set(INSERTED) <= {"B/0", "2025-09-01", "扩大适用范围，删除第四条，增加满意度调查。", "李娜"}
    assert set(deleted) == set(DELETED)
    marks = [m for tag in ("ins", "del") for m in body.iter(f"{W}{tag}")]
    assert {m.get(f"{W}author") for m in marks} == {"李娜"}
    assert {m.get(f"{W}date") for m in marks} == {"2025-09-01T00:00:00Z"}
    ids = [m.get(f"{W}id") for m in marks]
    assert len(ids) == len(set(ids))
    # whole paragraphs: the paragraph mark is marked too
    mark_changes = {m.tag for m in body.iter() if m.getparent() is not None and m.getparent().tag == f"{W}rPr"
                    and m.getparent().getparent().tag == f"{W}pPr" and m.tag in (f"{W}ins", f"{W}del")}
    assert mark_changes == {f"{W}ins", f"{W}del"}
    for t in body.iter(f"{W}t"):
        assert t.getparent().getparent().tag != f"{W}del", "deleted text must be w:delText"


def test_the_redline_is_valid_ooxml_with_the_procedure_layout(walked: Walk) -> None:
    data = (walked.root / "redline.docx").read_bytes()
    assert validate_docx(data) == []
    header = "".join(docx.Document(io.BytesIO(data)).sections[0].header._element.itertext())
    assert "技术服务管理制度" in header and "A/0 → B/0" in header and "修订对照稿" in header


def test_the_redline_summary_names_the_clauses(walked: Walk) -> None:
    out = walked.steps["redline"].output
    assert f"{PROC} A/0 → B/0 (李娜, 2025-09-01): 1 added, 1 removed, 2 changed" in out
    assert "added:   第三条（六）" in out and "removed: 第四条" in out and "changed: 第一条, 第三条（三）" in out
    form = walked.steps["redline form"].output
    assert f"{FORM} A/0 → B/0" in form and "added:   回访结果" in form


def test_verify_passes_then_detects_a_tampered_file(walked: Walk, tmp_path: Path) -> None:
    import shutil

    assert "8 release(s): 16 released file(s), 6 published file(s): OK." in walked.steps["verify"].output
    root = tmp_path / "copy"
    shutil.copytree(walked.root, root)
    snapshot = root / "releases" / "SJE-ZY-GK-08" / "A-0" / "GK-08.md"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("全部承担", "承担"), encoding="utf-8")
    published = root / "output" / "forms" / "SJE-JL-GK-08-02_A-0.docx"
    published.write_bytes(published.read_bytes()[:-10])
    (root / "releases" / "SJE-JL-GK-08-01" / "B-0" / "SJE-JL-GK-08-01_B-0.docx").unlink()
    (root / "output" / "procedures" / "SJE-ZY-GK-08_B-0.docx").unlink()
    (root / "releases" / "SJE-ZY-GK-08" / "A-0" / "notes.txt").write_text("x", encoding="utf-8")
    (root / "releases" / "SJE-ZY-GK-08" / "C-0").mkdir()
    result = run("verify", "--root", str(root))
    assert result.exit_code == 1
    restore = ("restore it from git: a released file never changes (to change the document, bump the revision "
               "and release it)")
    assert result.output.splitlines() == [
        "releases/SJE-JL-GK-08-01/B-0/SJE-JL-GK-08-01_B-0.docx: missing from the release of SJE/JL/GK-08-01 B/0 "
        f"(its release.json lists it); {restore}",
        "releases/SJE-ZY-GK-08/A-0/GK-08.md: altered since SJE/ZY/GK-08 A/0 was released on 2025-03-25 "
        f"(its sha256 is {sha256(snapshot.read_bytes())[:16]}…, not the recorded "
        f"{sha256((walked.root / snapshot.relative_to(root)).read_bytes())[:16]}…); {restore}",
        "releases/SJE-ZY-GK-08/A-0/notes.txt: not part of the release of SJE/ZY/GK-08 A/0 (its release.json does "
        "not list it); remove it: a release folder holds only the files its release.json lists",
        "releases/SJE-ZY-GK-08/C-0: a release folder without release.json, so nothing in it can be verified; "
        "restore release.json from git, or remove the folder if nothing was released",
        "output/procedures/SJE-ZY-GK-08_B-0.docx: missing: SJE/ZY/GK-08 B/0 is released "
        "(releases/SJE-ZY-GK-08/B-0/SJE-ZY-GK-08_B-0.docx) but this published copy is not there; "
        "rebuild with `qmsdoc build`",
        "output/forms/SJE-JL-GK-08-02_A-0.docx: differs from the released file "
        "releases/SJE-JL-GK-08-02/A-0/SJE-JL-GK-08-02_A-0.docx (it cannot be read: not a readable zip package "
        "(File is not a zip file)); rebuild with `qmsdoc build`, or if the sources changed on purpose, "
        "bump the revision and release it",
        "8 release(s): 16 released file(s), 6 published file(s): 6 problem(s).",
    ]


def test_verify_says_how_a_published_copy_differs_from_its_release_and_what_to_do(walked: Walk,
                                                                                   tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(walked.root, root)
    published = root / "output" / "procedures" / "SJE-ZY-GK-08_B-0.docx"
    with zipfile.ZipFile(published) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(published, "w") as z:
        for name, data in parts:
            z.writestr(name, data.replace(b"</w:body>", b"<w:p/></w:body>") if name == "word/document.xml" else data)
    result = run("verify", "--root", str(root))
    assert result.exit_code == 1
    released = "releases/SJE-ZY-GK-08/B-0/SJE-ZY-GK-08_B-0.docx"
    assert (f"output/procedures/SJE-ZY-GK-08_B-0.docx: differs from the released file {released} (its canonical "
            f"digest is {canonical_digest(published.read_bytes())[:16]}…, not the recorded "
            f"{canonical_digest((root / released).read_bytes())[:16]}…); rebuild with `qmsdoc build`, or if the "
            "sources changed on purpose, bump the revision and release it") in result.output


def test_verify_ignores_zip_container_differences_of_a_published_docx(walked: Walk, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(walked.root, root)
    published = root / "output" / "procedures" / "SJE-ZY-GK-08_B-0.docx"
    with zipfile.ZipFile(published) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(published, "w", zipfile.ZIP_STORED) as z:
        for name, data in reversed(parts):
            z.writestr(name, data)
    assert run("verify", "--root", str(root)).exit_code == 0


def test_the_bundled_content_is_released_and_intact(project) -> None:  # type: ignore[no-untyped-def]
    from qmsdoc.lifecycle.verify import verify

    assert set(project.releases) == {*project.procedures, *project.forms}
    assert all(project.release_of(d.id, d.revision) for d in [*project.procedures.values(), *project.forms.values()])
    result = verify(project, None)
    # 16 procedures at A/0; 77 forms at A/0 and A/1 (the print layout of 2026-12-01), 18 of them at A/2
    assert result.problems == () and result.releases == 16 + 77 * 2 + 18 and not result.output_checked
