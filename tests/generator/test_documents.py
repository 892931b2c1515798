"""Generated documents: valid OOXML, reproducible bytes, properties from the sources."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from qmsdoc.model.project import Project
from qmsdoc.outputs import output_name
from qmsdoc.publish import build_all

from support.ooxml_schema import validate_docx


def all_outputs(built: Path) -> list[Path]:
    return sorted(built.glob("*/*.docx"))


def test_one_file_per_document_named_by_id_and_revision(project: Project, built: Path) -> None:
    names = {p.name for p in all_outputs(built)}
    expected = {output_name(d.id, d.revision) for d in [*project.procedures.values(), *project.forms.values()]}
    assert names == expected
    assert "SJE-ZY-GK-09_A-0.docx" in names


def test_every_part_validates_against_the_ooxml_schemas(built: Path) -> None:
    failures = {p.name: errs[:3] for p in all_outputs(built) if (errs := validate_docx(p.read_bytes()))}
    assert failures == {}


def test_building_twice_gives_identical_bytes(project: Project, built: Path, tmp_path: Path) -> None:
    build_all(project, tmp_path)
    for first in all_outputs(built):
        second = tmp_path / first.parent.name / first.name
        assert first.read_bytes() == second.read_bytes(), first.name


def test_zip_members_have_fixed_timestamps(built: Path) -> None:
    with zipfile.ZipFile(all_outputs(built)[0]) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


def test_core_properties_come_from_the_front_matter(project: Project, built: Path) -> None:
    proc = project.procedures["SJE/ZY/GK-09"]
    props = docx.Document(str(built / "procedures" / output_name(proc.id, proc.revision))).core_properties
    assert (props.title, props.identifier, props.version, props.content_status, props.language) == (
        proc.title, proc.id, proc.revision, "effective", "zh-CN")
    assert props.created.date() == proc.history[0].date
    assert props.modified.date() == proc.effective


def _styles_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/styles.xml"))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_east_asian_fonts_are_explicit_everywhere(project: Project, built: Path) -> None:
    styles = _styles_xml(all_outputs(built)[0])
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = defaults.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == project.site.body_font.east_asian
    assert fonts.get(f"{W}eastAsiaTheme") is None
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    for rfonts in styles.iter(f"{W}rFonts"):
        assert not any(k.endswith(("Theme", "theme")) for k in rfonts.attrib), etree.tostring(rfonts)
    heading = styles.xpath("//w:style[@w:styleId='Heading1']/w:rPr/w:rFonts",
                           namespaces={"w": W[1:-1]})[0]
    assert heading.get(f"{W}eastAsia") == project.site.heading_font.east_asian


def _document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_clauses_are_real_word_numbering_not_text(project: Project, built: Path) -> None:
    path = built / "procedures" / output_name("SJE/ZY/GK-09", "A/0")
    with zipfile.ZipFile(path) as z:
        numbering = z.read("word/numbering.xml").decode()
    starts = [p.text[:3] for p in docx.Document(str(path)).paragraphs]
    assert 'w:val="chineseCounting"' in numbering and 'w:val="第%1条"' in numbering
    assert not [s for s in starts if re.match(r"第.条", s)]
    assert _document_xml(path).find(f".//{W}numPr") is not None


def test_outline_numbering_continues_headings(built: Path) -> None:
    with zipfile.ZipFile(built / "procedures" / output_name("SJE/ZY/GK-14", "A/0")) as z:
        numbering = z.read("word/numbering.xml").decode()
    assert 'w:val="%1.%2.%3.%4"' in numbering


def test_procedure_lists_its_forms_by_code_and_title(project: Project, built: Path) -> None:
    doc = docx.Document(str(built / "procedures" / output_name("SJE/ZY/GK-09", "A/0")))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    for form in project.forms_of("SJE/ZY/GK-09"):
        assert form.id in cells and form.title in cells


def test_draft_documents_carry_a_banner(project: Project, tmp_path: Path, labels) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from qmsdoc.generator.render import render_document

    proc = replace(project.procedures["SJE/ZY/GK-01"], status="draft")
    header_text = "".join(
        docx.Document(io.BytesIO(render_document(project, proc, labels))).sections[0].header._element.itertext())
    assert labels["draft_banner"] in header_text
    effective = docx.Document(io.BytesIO(render_document(project, project.procedures["SJE/ZY/GK-01"], labels)))
    assert labels["draft_banner"] not in "".join(effective.sections[0].header._element.itertext())


def test_header_has_page_x_of_y_fields(built: Path) -> None:
    with zipfile.ZipFile(built / "procedures" / output_name("SJE/ZY/GK-09", "A/0")) as z:
        header = next(n for n in z.namelist() if n.startswith("word/header"))
        xml = z.read(header).decode()
    assert " PAGE " in xml and " NUMPAGES " in xml and "第 " in xml


@pytest.mark.parametrize("language,label", [("en", "Page "), ("zh-CN", "第 ")])
def test_labels_follow_the_site_language(project: Project, language: str, label: str) -> None:
    from dataclasses import replace

    from qmsdoc.generator.render import render_document
    from qmsdoc.load.labels import load_labels

    site = replace(project.site, language=language)
    proj = replace(project, site=site)
    data = render_document(proj, project.procedures["SJE/ZY/GK-01"], load_labels(language))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        header = next(n for n in z.namelist() if n.startswith("word/header"))
        assert label in z.read(header).decode()


def test_workers_build_the_same_bytes(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qmsdoc.publish import build_all

    one = {r.path.name: r.path.read_bytes() for r in build_all(project, tmp_path / "one", jobs=1)}
    two = {r.path.name: r.path.read_bytes() for r in build_all(project, tmp_path / "two", jobs=2)}
    assert one == two and len(one) == 16 + 77 * 2 + 18  # the forms' A/0 (and 18 A/1) archived
