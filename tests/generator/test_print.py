"""Every blank form and procedure as it prints: rendered by LibreOffice and read back from the PDF.

What a document controller checks by eye, checked on every document: the last page is never
empty, a form's labels come in the order of its definition, each choice shows its options as
tick boxes, and a form without repeating tables fits on one A4 page. The page count of every
form is printed, so a change in how forms paginate is seen in the test output.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from qmsdoc.generator.form import instructions_text
from qmsdoc.generator.form_layout import MULTILINE_TWIPS, FormPlan, Rows, plan_form
from qmsdoc.generator.render import render_document
from qmsdoc.load.labels import load_labels
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

from conftest import to_pdf

BODY_TOP_PT, FOOTER_PT = 100.0, 60.0
"""The page header ends about 100 pt from the top of the page; the footer sits in the last 60 pt."""


@dataclass(frozen=True)
class Printed:
    pages: int
    text: str
    """The whole text in content order, without white space."""
    last_page_body: str
    """The text between the page header and the footer on the last page."""
    lines: tuple[str, ...]
    """Each line of text, without white space."""


def _read(pdf: Path) -> Printed:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]
    height = float(re.search(r"^Page size:\s+[\d.]+ x ([\d.]+)", info, re.M)[1])  # type: ignore[index]
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', bbox)
    body = "".join(w for y, w in words if BODY_TOP_PT < float(y) < height - FOOTER_PT)
    lines = tuple(re.sub(r"\s+", "", line) for line in raw.splitlines())
    return Printed(pages, re.sub(r"\s+", "", raw), body, lines)


@pytest.fixture(scope="module")
def printed(project: Project, labels: Labels, soffice: str,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    out = tmp_path_factory.mktemp("print")
    files = []
    for doc in [*project.procedures.values(), *project.forms.values()]:
        path = out / (doc.id.replace("/", "-") + ".docx")
        path.write_bytes(render_document(project, doc, labels))
        files.append(path)
    to_pdf(soffice, files, out)
    return {p.stem: _read(p) for p in sorted(out.glob("*.pdf"))}


def _key(doc_id: str) -> str:
    return doc_id.replace("/", "-")


def _has_tables(form: Form) -> bool:
    return any(f.type == FieldType.TABLE for s in form.sections for f in s.fields)


def test_no_document_ends_with_an_empty_page(printed: dict[str, Printed]) -> None:
    empty = [name for name, p in printed.items() if p.pages > 1 and not p.last_page_body.strip()]
    assert not empty, empty


def test_the_page_count_of_every_form(project: Project, printed: dict[str, Printed],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    rows = [(form.id, printed[_key(form.id)].pages, "tables" if _has_tables(form) else "")
            for form in sorted(project.forms.values(), key=lambda f: f.id)]
    with capsys.disabled():
        print("\nPages per blank form (LibreOffice, A4):")
        for form_id, pages, tables in rows:
            print(f"  {form_id:<18} {pages}  {tables}")
        one = sum(1 for _, pages, _ in rows if pages == 1)
        print(f"  {one} of {len(rows)} forms on one page")
    meant = {f.id for f in project.forms.values() if _plan(project, f).one_page}
    assert {f.id for f in project.forms.values() if not _has_tables(f)} <= meant  # single entries: always one sheet
    long = [form_id for form_id, pages, _ in rows if pages > 1 and form_id in meant]
    assert not long, "a form the layout keeps to one page takes more: " + str(long)


def test_a_form_longer_than_a_page_keeps_full_room_to_write(project: Project) -> None:
    """Rows are squeezed only to bring a form onto one page, never on a form that runs on anyway."""
    for form in project.forms.values():
        plan = _plan(project, form)
        if not plan.one_page:  # (the estimate is cautious: such a form may still print on one page)
            assert plan.rows == Rows() and plan.multiline_twips == MULTILINE_TWIPS, form.id


def _plan(project: Project, form: Form) -> FormPlan:
    """The layout `build` gives the form (under its instructions as printed)."""
    m = project.site.margins
    instructions = instructions_text(form, load_labels(project.site.language))
    return plan_form(form, project.site.paper, (m.top, m.bottom, m.left, m.right), instructions)


def _labels(f: Field) -> list[str]:
    return [f.label] + ([c.label for c in f.columns] if f.type == FieldType.TABLE else [])


@pytest.mark.parametrize("form_id", ["SJE/JL/GK-09-03", "SJE/JL/GK-11-01", "SJE/JL/GK-14-01", "SJE/JL/GK-15-01"])
def test_the_labels_print_in_the_order_of_the_definition(project: Project, printed: dict[str, Printed],
                                                         form_id: str) -> None:
    form = project.forms[form_id]
    text, at = printed[_key(form_id)].text, 0
    for section in form.sections:
        for f in section.fields:
            for label in _labels(f):
                found = text.find(re.sub(r"\s+", "", label), at)
                assert found >= 0, f"{form_id}: {label!r} is missing or out of order"
                at = found
    assert at > 0


def test_every_form_prints_its_labels_in_order(project: Project, printed: dict[str, Printed]) -> None:
    wrong = []
    for form in project.forms.values():
        text, at = printed[_key(form.id)].text, 0
        for section in form.sections:
            for f in section.fields:
                found = text.find(re.sub(r"\s+", "", f.label), at)
                if found < 0:
                    wrong.append(f"{form.id}: {f.label}")
                    break
                at = found
    assert not wrong, wrong


def test_every_choice_prints_a_tick_box_per_option(project: Project, printed: dict[str, Printed]) -> None:
    missing = []
    for form in project.forms.values():
        text = printed[_key(form.id)].text
        for f in (x for s in form.sections for x in s.fields):
            choices = [f] if f.type == FieldType.CHOICE else [c for c in f.columns if c.type == FieldType.CHOICE]
            missing += [f"{form.id}: {c.label}: {o.label}" for c in choices for o in c.options
                        if "☐" + re.sub(r"\s+", "", o.label) not in text]
    assert not missing, missing[:20]


def test_the_title_is_printed_once_on_a_form(project: Project, printed: dict[str, Printed]) -> None:
    """In the header table of each page, and not again as a heading under it."""
    twice = [form.id for form in project.forms.values()
             if printed[_key(form.id)].lines.count(re.sub(r"\s+", "", form.title)) > printed[_key(form.id)].pages]
    assert not twice, twice
