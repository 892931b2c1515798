"""The quick reading of a plain document (`docx_controls._plain_controls`) gives the controls the
walk gives, and is taken only where nothing could make the two differ.

The walk (`_walked_controls`) reads every document; the quick reading is taken when the document
holds no tracked deletion, hidden formatting, mc:AlternateContent or control in another control,
and its styles hide nothing. These tests read the same documents both ways and compare.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from qmsdoc.load.project import load_project
from qmsdoc.model.project import Project
from qmsdoc.outputs import output_name
from qmsdoc.records.docx_controls import (
    _by_tag,
    _plain_controls,
    _Styles,
    _walked_controls,
    shown_controls,
)
from qmsdoc.records.safezip import SafePackage

from conftest import REPO
from support.fill import fill_docx, fill_plan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
FORMS = sorted(load_project(REPO).forms)


def _walked(document: etree._Element, styles: etree._Element | None) -> dict[str, object]:
    return dict(_by_tag(_walked_controls(document, _Styles(styles))))


@pytest.mark.parametrize("form_id", FORMS)
def test_every_filled_form_is_read_quickly_and_the_same(form_id: str, project: Project, built: Path) -> None:
    """The forms `build` makes, filled, take the quick reading, and it gives what the walk gives."""
    form = project.forms[form_id]
    blank = (built / "forms" / output_name(form.id, form.revision)).read_bytes()
    for data in (blank, fill_docx(blank, fill_plan(form)[0])):
        pkg = SafePackage(data)
        document, styles = pkg.main_document(), pkg.styles(pkg.main_part())
        assert _plain_controls(document) is not None
        controls = shown_controls(document, styles)
        assert controls, form_id
        assert controls == _walked(document, styles)
        assert list(controls) == list(_walked(document, styles))


def _document(body: str) -> etree._Element:
    return etree.fromstring(f'<w:document xmlns:w="{W}" xmlns:w14="{W14}" xmlns:mc="{MC}"><w:body>{body}'
                            "</w:body></w:document>")


def _sdt(tag: str | None, content: str, props: str = "") -> str:
    tag_xml = f'<w:tag w:val="{tag}"/>' if tag is not None else ""
    return f"<w:sdt><w:sdtPr>{tag_xml}{props}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def _run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


PLAIN = [
    _sdt("a", _run("one") + _run("two")),
    _sdt("b", "<w:p>" + _run("one") + "</w:p><w:p/><w:p>" + _run("three") + "</w:p>"),
    _sdt("c", '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
              "<w:r><w:t>x</w:t><w:tab/><w:t>y</w:t><w:br/><w:t>z</w:t><w:cr/></w:r></w:p>"),
    _sdt("d", "<w:r><w:t/></w:r><w:proofErr/>" + _run(" spaced ")),
    _sdt("e", _run("click here"), "<w:showingPlcHdr/>"),
    _sdt("f", _run("2025-05-01"), '<w:date w:fullDate="2025-05-01T00:00:00Z"><w:dateFormat w:val="yyyy-MM-dd"/></w:date>'),
    _sdt("g", _run("\u2612"), '<w14:checkbox><w14:checked w14:val="1"/><w14:checkedState w14:val="2612"/>'
                              '<w14:uncheckedState w14:val="zz"/></w14:checkbox>'),
    _sdt("h", _run("x"), "<w14:checkbox/>"),
    _sdt(None, _run("untagged")),
    "<w:sdt><w:sdtPr><w:tag/></w:sdtPr><w:sdtContent>" + _run("no value") + "</w:sdtContent></w:sdt>",
    "<w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtPr><w:tag w:val=\"second-pr\"/></w:sdtPr>"
    "<w:sdtContent>" + _run("hidden tag") + "</w:sdtContent></w:sdt>",
    "<w:sdt><w:sdtPr><!-- a comment --><w:tag w:val=\"i\"/><w:tag w:val=\"other\"/></w:sdtPr>"
    "<w:sdtContent>" + _run("first") + "</w:sdtContent><w:sdtContent>" + _run("second") + "</w:sdtContent></w:sdt>",
    '<w:sdt><w:sdtPr><w:tag w:val="no-content"/></w:sdtPr></w:sdt>',
    _sdt("dup", _run("1")), _sdt("dup", _run("2")),
    "<w:tbl><w:tr><w:tc>" + _sdt("cell", "<w:p><w:ins>" + _run("inserted") + "</w:ins></w:p>") + "</w:tc></w:tr></w:tbl>",
    "<w:p>" + _run("outside") + "</w:p>",
]


def test_plain_documents_read_quickly_as_the_walk_reads_them() -> None:
    """Paragraphs, tabs (in a run, not in the tab stops), breaks, empty texts, placeholders,
    dates, check box marks, untagged controls, a tag without a value, a second w:sdtPr or
    w:sdtContent, a control without content, a tag used twice: the same controls both ways."""
    document = _document("".join(PLAIN))
    assert _plain_controls(document) is not None
    controls = shown_controls(document, None)
    assert controls == _walked(document, None)
    assert controls["b"].text == "one\n\nthree"
    assert controls["c"].text == "x\ty\nz\n"
    assert controls["g"].marks == ("\u2612", "") and controls["g"].checked is True
    assert controls["i"].text == "first" and "second-pr" not in controls
    assert controls["dup"].conflict is not None and controls[""].text == "no value"


@pytest.mark.parametrize("extra", [
    _sdt("outer", _sdt("inner", _run("x"))),
    '<w:sdt><w:sdtPr><w:tag w:val="outer"/><w:placeholder>' + _sdt("inner", _run("x")) + "</w:placeholder>"
    "</w:sdtPr><w:sdtContent>" + _run("y") + "</w:sdtContent></w:sdt>",
    _sdt(None, _sdt("inner", _run("x"))),
])
def test_a_control_in_another_is_left_to_the_walk(extra: str) -> None:
    document = _document("".join(PLAIN) + extra)
    assert _plain_controls(document) is None
    assert shown_controls(document, None) == _walked(document, None)


@pytest.mark.parametrize("extra", [
    "<w:p><w:del>" + _run("x").replace("w:t>", "w:delText>") + "</w:del></w:p>",
    "<w:p><w:moveFrom/></w:p>",
    '<w:p><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>x</w:t></w:r></w:p>',
    "<w:p><w:r><w:rPr><w:specVanish/></w:rPr><w:t>x</w:t></w:r></w:p>",
    "<w:p><mc:AlternateContent><mc:Choice Requires=\"w14\">" + _run("x") + "</mc:Choice></mc:AlternateContent></w:p>",
    "<w:p><mc:Fallback/></w:p>",
])
def test_documents_with_what_could_differ_are_walked(extra: str) -> None:
    """Anywhere in the document, not only in a control: the walk reads it, and so the same."""
    document = _document("".join(PLAIN) + _sdt("z", "<w:p>" + extra + "</w:p>"))
    walked = _walked(document, None)
    assert shown_controls(document, None) == walked


def test_styles_that_hide_text_are_walked() -> None:
    """A style that hides text makes the document walked; styles that hide nothing do not change
    what is read."""
    styles = etree.fromstring(
        f'<w:styles xmlns:w="{W}"><w:style w:type="character" w:styleId="H"><w:rPr><w:vanish/></w:rPr>'
        '</w:style><w:style w:type="paragraph" w:styleId="N" w:default="1"/></w:styles>')
    body = _sdt("h", '<w:r><w:rPr><w:rStyle w:val="H"/></w:rPr><w:t>secret</w:t></w:r>') + _sdt("s", _run("shown"))
    document = _document(body)
    assert _Styles(styles).hiding == frozenset({"H"})
    controls = shown_controls(document, styles)
    assert controls == _walked(document, styles)
    assert controls["h"].conflict is not None and controls["s"].conflict is None
    plain_styles = etree.fromstring(f'<w:styles xmlns:w="{W}"><w:style w:type="character" w:styleId="H"/></w:styles>')
    assert not _Styles(plain_styles).hiding and not _Styles(plain_styles).everything
    assert shown_controls(document, plain_styles) == shown_controls(document, None)
