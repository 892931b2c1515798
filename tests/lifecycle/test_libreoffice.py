"""A real client: the 作废 stamp on every page, the redline through LibreOffice, releases with PDFs."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from records.test_libreoffice_roundtrip import resave

from lifecycle.walk import DELETED, INSERTED, Walk, copy_gk08, run
from qmsdoc.generator.ooxml.tracked import tracked_text

from conftest import to_pdf

pytestmark = pytest.mark.libreoffice
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def page_texts(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    return [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                              capture_output=True, text=True, check=True).stdout)
            for n in range(1, pages + 1)]


def test_the_superseded_revision_is_stamped_on_every_page(walked: Walk, soffice: str, tmp_path: Path) -> None:
    archived = walked.out / "archive" / "procedures" / "SJE-ZY-GK-08_A-0.docx"
    to_pdf(soffice, [archived], tmp_path)
    pages = page_texts(tmp_path / "SJE-ZY-GK-08_A-0.pdf")
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert "作废—已被B/0版替代，仅供查阅，不得使用" in text, n
        assert f"第{n}页共{len(pages)}页" in text
    current = walked.out / "procedures" / "SJE-ZY-GK-08_B-0.docx"
    to_pdf(soffice, [current], tmp_path)
    current_pages = page_texts(tmp_path / "SJE-ZY-GK-08_B-0.pdf")
    assert len(current_pages) >= 2 and all(text for text in current_pages)
    assert all("作废" not in text for text in current_pages)


def _body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_libreoffice_keeps_the_redlines_insertions_and_deletions(walked: Walk, soffice: str, tmp_path: Path) -> None:
    source = walked.root / "redline.docx"
    resave(soffice, [source], tmp_path / "lo")
    before, after = _body(source), _body(tmp_path / "lo" / source.name)
    for change, expected in (("ins", INSERTED), ("del", DELETED)):
        kept = tracked_text(after, change)
        assert set(expected) <= set(kept), (change, kept)
        assert sorted(t for t in tracked_text(before, change) if t) == sorted(t for t in kept if t), change
    marks = [m for tag in ("ins", "del") for m in after.iter(f"{W}{tag}")]
    assert {m.get(f"{W}author") for m in marks} == {"李娜"}
    assert {m.get(f"{W}date")[:10] for m in marks} == {"2025-09-01"}


def test_a_release_with_libreoffice_keeps_the_pdf_and_verify_checks_it(soffice: str, tmp_path: Path) -> None:
    root = copy_gk08(tmp_path)
    result = run("release", "SJE/ZY/GK-08", "--date", "2025-03-25", "--by", "陈静", "--root", str(root))
    assert result.exit_code == 0, result.output
    folder = root / "releases" / "SJE-ZY-GK-08" / "A-0"
    pdf = folder / "SJE-ZY-GK-08_A-0.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert run("verify", "--root", str(root)).exit_code == 0
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    broken = run("verify", "--root", str(root))
    assert broken.exit_code == 1
    assert "releases/SJE-ZY-GK-08/A-0/SJE-ZY-GK-08_A-0.pdf: altered" in broken.output
    assert "releases/SJE-ZY-GK-08/A-0/notes.txt: not part of the release of SJE/ZY/GK-08 A/0" in broken.output
