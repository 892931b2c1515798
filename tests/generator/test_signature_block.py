"""Electronic signatures on a procedure: the signature block, and the signing digest that leaves it out."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import cast

import docx
import pytest
from lxml import etree

from qmsdoc.generator.ooxml.signatures import SignatureMarkupError, manifestations, signature_tag, signing_digest
from qmsdoc.generator.render import RenderJob, render, render_document, render_documents
from qmsdoc.lifecycle.digest import canonical_digest
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.signatures import MEANINGS, Manifestation

from conftest import make_project, to_pdf
from support.ooxml_schema import validate_docx
from support.sources import procedure_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PROC_ID = "SJE/ZY/GK-09"
DOCUMENT = "word/document.xml"

PREPARED = Manifestation("prepared", "张 伟", "2026-11-28 09:05 UTC+08:00", "3F2A-9C01")
REVIEWED = Manifestation("reviewed", "欧阳 明华", "2026-11-30 16:42 UTC+08:00", "0B7D-E415")
APPROVED = Manifestation("approved", "Zhao Qiang", "2026-12-01 20:30 UTC-05:30", "C0DE-0042")
UNSIGNED: Mapping[str, Manifestation | None] = dict.fromkeys(MEANINGS)
PARTLY: Mapping[str, Manifestation | None] = {"prepared": PREPARED, "reviewed": REVIEWED, "approved": None}
SIGNED: Mapping[str, Manifestation | None] = {"prepared": PREPARED, "reviewed": REVIEWED, "approved": APPROVED}


def rendered(project: Project, labels: Labels, approvals: Mapping[str, Manifestation | None] | None,
             doc_id: str = PROC_ID) -> bytes:
    doc = project.procedures.get(doc_id) or project.forms[doc_id]
    return render_document(project, doc, labels, approvals=approvals)


def part(data: bytes, name: str = DOCUMENT) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def with_part(data: bytes, edit: Callable[[etree._Element], None], name: str = DOCUMENT) -> bytes:
    """The package with part `name` parsed, changed by `edit` and written back; every other part as it was."""
    root = etree.fromstring(part(data, name))
    edit(root)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == name:
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, content)
    return out.getvalue()


def control(root: etree._Element, meaning: str, field: str) -> etree._Element:
    found = root.xpath(f"//w:sdt[w:sdtPr/w:tag/@w:val='{signature_tag(meaning, field)}']", namespaces=NS)
    [sdt] = cast(list[etree._Element], found)
    return sdt


def text_of(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext())


def block_text(data: bytes) -> str:
    """The text of the first table of the body (the signature block), cells separated by |."""
    table = etree.fromstring(part(data)).find(f"{{{W}}}body/{{{W}}}tbl")
    assert table is not None
    return "|".join(text_of(tc) for tc in table.iter(f"{{{W}}}tc"))


# -- the block ------------------------------------------------------------------------------

def test_the_block_shows_name_time_and_code_under_each_meaning(project: Project, labels: Labels) -> None:
    data = rendered(project, labels, SIGNED)
    cells = block_text(data).split("|")
    assert cells == ["签名含义", "编制", "审核", "批准",
                     "姓名", "张 伟", "欧阳 明华", "Zhao Qiang",
                     "签署时间", "2026-11-28 09:05 UTC+08:00", "2026-11-30 16:42 UTC+08:00", "2026-12-01 20:30 UTC-05:30",
                     "验证码", "3F2A-9C01", "0B7D-E415", "C0DE-0042"]
    body = text_of(etree.fromstring(part(data)))
    assert "以上为电子签名" in body
    proc = project.procedures[PROC_ID]
    assert proc.approved is not None and proc.approved.name not in block_text(data)  # the typed sign-offs are not shown


def test_a_meaning_not_signed_yet_has_its_controls_empty(project: Project, labels: Labels) -> None:
    data = rendered(project, labels, PARTLY)
    root = etree.fromstring(part(data))
    for field in ("name", "time", "code"):
        assert text_of(control(root, "approved", field)) == ""
        assert text_of(control(root, "prepared", field)) != ""
    assert block_text(data).split("|")[4:8] == ["姓名", "张 伟", "欧阳 明华", ""]


def test_each_value_is_in_its_own_locked_plain_text_control(project: Project, labels: Labels) -> None:
    root = etree.fromstring(part(rendered(project, labels, PARTLY)))
    tags = [str(v) for v in cast(list[str], root.xpath("//w:sdt/w:sdtPr/w:tag/@w:val", namespaces=NS))]
    assert sorted(tags) == sorted(signature_tag(m, f) for m in MEANINGS for f in ("name", "time", "code"))
    ids = [str(v) for v in cast(list[str], root.xpath("//w:sdt/w:sdtPr/w:id/@w:val", namespaces=NS))]
    assert len(set(ids)) == len(ids)
    for sdt in root.iter(f"{{{W}}}sdt"):
        pr = sdt.find(f"{{{W}}}sdtPr")
        assert pr is not None
        assert pr.xpath("w:lock/@w:val", namespaces=NS) == ["sdtContentLocked"]
        assert pr.find(f"{{{W}}}showingPlcHdr") is None
        assert pr.find(f"{{{W}}}text") is not None
        assert sdt.getparent().tag == f"{{{W}}}p"  # type: ignore[union-attr]  # inline in the cell's paragraph


def test_the_english_block_has_its_own_labels(project: Project) -> None:
    en = load_labels("en")
    data = rendered(project, en, PARTLY)
    cells = block_text(data).split("|")
    assert en["signature_note"] in text_of(etree.fromstring(part(data)))
    assert [cells[0], *cells[1:4], cells[4], cells[8], cells[12]] == [
        "Meaning", "Prepared", "Reviewed", "Approved", "Name", "Signed at", "Verification code"]


def test_in_signature_mode_no_signer_is_named_in_the_properties(project: Project, labels: Labels) -> None:
    signed, unsigned = rendered(project, labels, SIGNED), rendered(project, labels, UNSIGNED)
    props = docx.Document(io.BytesIO(signed)).core_properties
    assert props.author == props.last_modified_by == project.site.organisation
    assert part(signed, "docProps/core.xml") == part(unsigned, "docProps/core.xml")
    with zipfile.ZipFile(io.BytesIO(signed)) as z:
        differing = {n for n in z.namelist() if z.read(n) != part(unsigned, n)}
    assert differing == {DOCUMENT}


def test_a_form_is_the_same_in_signature_mode(project: Project, labels: Labels) -> None:
    form_id = project.procedures[PROC_ID].forms[0]
    data = rendered(project, labels, SIGNED, form_id)
    assert data == rendered(project, labels, None, form_id)
    assert signing_digest(data) == canonical_digest(data)
    assert manifestations(data) == {}


def test_worker_jobs_carry_the_approvals(project: Project, labels: Labels) -> None:
    proc = project.procedures[PROC_ID]
    [data] = render_documents(project, labels, [RenderJob(proc, approvals=SIGNED)], workers=1)
    assert data == rendered(project, labels, SIGNED)
    assert render(project, proc, labels, approvals=SIGNED).data == data


# -- the signing digest ---------------------------------------------------------------------

def test_showing_the_signatures_leaves_the_signing_digest_as_it_was(project: Project, labels: Labels) -> None:
    unsigned, partly, signed = (rendered(project, labels, a) for a in (UNSIGNED, PARTLY, SIGNED))
    assert canonical_digest(unsigned) != canonical_digest(signed)
    assert signing_digest(unsigned) == signing_digest(partly) == signing_digest(signed)
    assert re.fullmatch(r"[0-9a-f]{64}", signing_digest(signed))


def test_the_signing_digest_covers_the_revision(project: Project, labels: Labels) -> None:
    proc = project.procedures[PROC_ID]
    bumped = render_document(project, dataclasses.replace(proc, revision="A/1"), labels, approvals=SIGNED)
    assert signing_digest(bumped) != signing_digest(rendered(project, labels, SIGNED))


def test_the_signing_digest_covers_every_character_of_the_body(tmp_path: Path) -> None:
    digests = []
    for k, body in enumerate(("第一条 记录保存三年。\n", "第一条 记录保存五年。\n")):
        (tmp_path / str(k)).mkdir()
        root = make_project(tmp_path / str(k), {"procedures/T.md": procedure_text(body)})
        project = load_project(root)
        labels = load_labels(project.site.language)
        [proc] = project.procedures.values()
        digests.append(signing_digest(render_document(project, proc, labels, approvals=SIGNED)))
    assert digests[0] != digests[1]


def test_a_name_written_outside_the_controls_changes_the_signing_digest(project: Project, labels: Labels) -> None:
    unsigned, signed = rendered(project, labels, UNSIGNED), rendered(project, labels, SIGNED)

    def add_paragraph(root: etree._Element) -> None:
        body = root.find(f"{{{W}}}body")
        assert body is not None
        p = etree.SubElement(body, f"{{{W}}}p")
        etree.SubElement(etree.SubElement(p, f"{{{W}}}r"), f"{{{W}}}t").text = "批准：赵 强"
        body.insert(0, p)

    def name_beside_its_control(root: etree._Element) -> None:  # the approver's name moved out of its control
        sdt = control(root, "approved", "name")
        [t] = sdt.iter(f"{{{W}}}t")
        run = etree.Element(f"{{{W}}}r")
        etree.SubElement(run, f"{{{W}}}t").text = t.text
        t.text = ""
        sdt.addnext(run)

    assert signing_digest(with_part(unsigned, add_paragraph)) != signing_digest(unsigned)
    moved = with_part(signed, name_beside_its_control)
    assert manifestations(moved)["approved"]["name"] == ""
    assert signing_digest(moved) != signing_digest(signed)


def test_hiding_a_signature_changes_the_signing_digest(project: Project, labels: Labels) -> None:
    signed = rendered(project, labels, SIGNED)

    def hide(root: etree._Element) -> None:
        rpr = control(root, "approved", "name").find(f".//{{{W}}}rPr")
        assert rpr is not None
        etree.SubElement(rpr, f"{{{W}}}vanish")

    assert signing_digest(with_part(signed, hide)) != signing_digest(signed)


def test_manifestations_read_back_what_was_rendered(project: Project, labels: Labels) -> None:
    assert manifestations(rendered(project, labels, PARTLY)) == {
        "prepared": {"name": "张 伟", "time": "2026-11-28 09:05 UTC+08:00", "code": "3F2A-9C01"},
        "reviewed": {"name": "欧阳 明华", "time": "2026-11-30 16:42 UTC+08:00", "code": "0B7D-E415"},
        "approved": {"name": "", "time": "", "code": ""},
    }
    assert manifestations(rendered(project, labels, UNSIGNED)) == {
        m: {"name": "", "time": "", "code": ""} for m in MEANINGS}


def test_a_name_changed_inside_its_control_is_for_verify_to_find(project: Project, labels: Labels) -> None:
    """The signing digest leaves out what the controls show; manifestations() reads it for verify to compare."""
    signed = rendered(project, labels, SIGNED)

    def rename(root: etree._Element) -> None:
        [t] = control(root, "approved", "name").iter(f"{{{W}}}t")
        t.text = "Somebody Else"

    tampered = with_part(signed, rename)
    assert manifestations(tampered)["approved"]["name"] == "Somebody Else"
    assert manifestations(tampered)["prepared"] == manifestations(signed)["prepared"]
    assert signing_digest(tampered) == signing_digest(signed)


def test_a_field_shown_twice_is_refused(project: Project, labels: Labels) -> None:
    signed = rendered(project, labels, SIGNED)

    def duplicate(root: etree._Element) -> None:
        sdt = control(root, "approved", "code")
        sdt.addnext(etree.fromstring(etree.tostring(sdt)))

    with pytest.raises(SignatureMarkupError, match="shows code of the approved signature twice") as info:
        manifestations(with_part(signed, duplicate))
    assert info.value.key == "signature_controls"


@pytest.mark.parametrize("data, key", [
    (b"not a zip at all", "not_docx"),
    (b"", "not_docx"),
])
def test_bytes_that_are_not_a_docx_are_refused(data: bytes, key: str) -> None:
    for read in (signing_digest, manifestations):
        with pytest.raises(SignatureMarkupError) as info:
            read(data)
        assert info.value.key == key


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(SignatureMarkupError, match="not a Word document") as info:
        signing_digest(out.getvalue())
    assert info.value.key == "not_wordprocessing"


# -- valid, and the same as before when not signing -----------------------------------------

def test_the_signed_document_validates_against_the_ooxml_schemas(project: Project, labels: Labels) -> None:
    assert validate_docx(rendered(project, labels, PARTLY)) == []
    assert validate_docx(rendered(project, load_labels("en"), SIGNED)) == []


TITLE_REFITTED = {("SJE/ZY/GK-01", "A/0"), ("SJE/ZY/GK-05", "A/0"), ("SJE/ZY/GK-09", "A/0")}
"""Released before the header's title was fitted to its cell (`typography.fit_title`): their
header1.xml has the title at another size; every other part is as released."""


def test_without_approvals_the_bundled_releases_render_as_released(project: Project, labels: Labels) -> None:
    """Signature mode is opt-in: rendered without approvals, a released procedure is its released file."""
    checked = 0
    for doc_id, releases in project.releases.items():
        if doc_id not in project.procedures:
            continue
        for release in releases:
            data = render_document(project, load_snapshot(project, release), labels, frozen=release.inputs)
            released = (project.root / release.docx_path).read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as now, zipfile.ZipFile(io.BytesIO(released)) as then:
                assert now.namelist() == then.namelist()
                differing = {n for n in now.namelist() if now.read(n) != then.read(n)}
            if (doc_id, release.revision) in TITLE_REFITTED:
                assert differing == {"word/header1.xml"}, (doc_id, release.revision)
            else:
                assert canonical_digest(data) == release.docx.digest, (doc_id, release.revision)
                assert differing == set()
            checked += 1
    assert checked >= 16


@pytest.mark.libreoffice
def test_libreoffice_renders_the_signature_block(project: Project, soffice: str, tmp_path: Path) -> None:
    for lang, meaning_label in (("zh-CN", "签名含义"), ("en", "Meaning")):
        path = tmp_path / f"signed-{lang}.docx"
        path.write_bytes(rendered(project, load_labels(lang), PARTLY))
        to_pdf(soffice, [path], tmp_path)
        text = subprocess.run(["pdftotext", "-layout", str(path.with_suffix(".pdf")), "-"],
                              capture_output=True, text=True, check=True).stdout
        squeezed = re.sub(r"\s+", "", text)
        for shown in (meaning_label, "张伟", "欧阳明华", "2026-11-2809:05UTC+08:00", "3F2A-9C01", "0B7D-E415"):
            assert shown in squeezed, (lang, shown)
        # one line each: the time and the code are not broken across lines in their cells
        assert re.search(r"2026-11-28 09:05 UTC\+08:00 +2026-11-30 16:42 UTC\+08:00", text), lang
