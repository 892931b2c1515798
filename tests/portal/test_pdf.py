"""`qmsdoc build --pdf`: one LibreOffice batch, only what changed, PDFs linked from the site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.conftest import select
from qmsdoc.cli import main
from qmsdoc.outputs import Built
from qmsdoc.portal.pdf import needing_pdf

pytestmark = pytest.mark.libreoffice


def test_needing_pdf_is_changed_missing_or_older(tmp_path: Path) -> None:
    files = {}
    for name in ("changed", "missing", "older", "fresh"):
        files[name] = tmp_path / f"{name}.docx"
        files[name].write_bytes(b"docx")
    for name in ("changed", "older", "fresh"):
        files[name].with_suffix(".pdf").write_bytes(b"pdf")
    then = files["older"].stat().st_mtime_ns
    os.utime(files["older"].with_suffix(".pdf"), ns=(then - 10**9, then - 10**9))
    built = [Built(n, "form", p, n == "changed") for n, p in files.items()]
    assert needing_pdf(built) == [files["changed"], files["missing"], files["older"]]


def test_build_pdf_converts_once_then_only_what_changed(mixed_root: Path, soffice: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(mixed_root, root, ignore=shutil.ignore_patterns("output"))
    out = root / "output"
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--root", str(root), "--pdf"])
    assert first.exit_code == 0, first.output
    assert "8 PDF(s) made with LibreOffice (0 up to date)." in first.output
    docx = sorted(p for p in out.rglob("*.docx") if "site" not in p.relative_to(out).parts)
    assert len(docx) == 8 and all(p.with_suffix(".pdf").read_bytes().startswith(b"%PDF") for p in docx)

    again = runner.invoke(main, ["build", "--root", str(root), "--pdf"])
    assert "0 PDF(s) made with LibreOffice (8 up to date)." in again.output

    form = root / "forms" / "GK-90-01.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("顾客名称", "用户名称"), encoding="utf-8")
    changed = runner.invoke(main, ["build", "--root", str(root), "--pdf"])
    assert "1 PDF(s) made with LibreOffice (7 up to date)." in changed.output, changed.output

    import lxml.html
    home = lxml.html.fromstring((out / "site" / "index.html").read_bytes())
    pdf_links = [a.get("href") for a in select(home, "a.dl-pdf")]
    assert "files/forms/SJE-JL-GK-90-01_A-0.pdf" in pdf_links and len(pdf_links) == 3
    assert (out / "site" / "files" / "forms" / "SJE-JL-GK-90-01_A-0.pdf").read_bytes() == \
        (out / "forms" / "SJE-JL-GK-90-01_A-0.pdf").read_bytes()
