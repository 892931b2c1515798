"""A real client: LibreOffice renders every generated document, with page X of Y and CJK fonts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from qmsdoc.model.project import Project

from conftest import to_pdf

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def pdfs(built: Path, soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    to_pdf(soffice, sorted(built.glob("*/*.docx")), out)
    return out


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_every_procedure_renders_with_title_number_and_page_count(project: Project, built: Path, pdfs: Path) -> None:
    for proc in project.procedures.values():
        pdf = pdfs / (built / "procedures").glob(f"{proc.id.replace('/', '-')}_*.docx").__next__().with_suffix(".pdf").name
        assert pdf.exists(), proc.id
        n = pdf_pages(pdf)
        text = pdf_text(pdf)
        squeezed = re.sub(r"\s+", "", text)
        assert re.sub(r"\s+", "", proc.title) in squeezed, proc.id
        assert proc.id in text
        assert f"第1页共{n}页" in squeezed, (proc.id, n)
        if n > 1:
            assert f"第{n}页共{n}页" in squeezed


def test_cjk_fonts_are_embedded(project: Project, built: Path, pdfs: Path) -> None:
    pdf = pdfs / "SJE-ZY-GK-09_A-0.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if re.search(r"CJK|Sim|Song|Hei|Ming|Gothic", line)]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk), fonts


def test_every_blank_form_renders(project: Project, built: Path, pdfs: Path) -> None:
    for form in project.forms.values():
        pdf = pdfs / f"{form.id.replace('/', '-')}_{form.revision.replace('/', '-')}.pdf"
        assert pdf.exists() and pdf_pages(pdf) >= 1, form.id
        assert form.title.replace(" ", "") in re.sub(r"\s+", "", pdf_text(pdf))
