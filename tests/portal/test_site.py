"""The static site: what is listed where, links that resolve, reproducible bytes, the CLI."""

from __future__ import annotations

import dataclasses
import filecmp
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from portal.conftest import docx_identity, select
from portal.project_files import ARCHIVED_IDS, CURRENT_IDS, PENDING_IDS
from qmsdoc.cli import main
from qmsdoc.load.labels import load_labels
from qmsdoc.model.project import Project
from qmsdoc.portal.catalogue import ARCHIVED, CURRENT, PENDING, build_catalogue, standing_of
from qmsdoc.portal.write import site_dir, write_site


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def listed(path: Path) -> dict[str, dict[str, str]]:
    """The document rows of a list page: id → revision, status, download hrefs."""
    rows = {}
    for tr in select(page(path), "tr[data-doc]"):
        code = select(tr, ".c-code .code")[0].text_content()
        rows[code] = {
            "revision": select(tr, ".c-rev .v")[0].text_content(),
            "effective": select(tr, ".c-date .v")[0].text_content(),
            "docx": next((a.get("href") for a in select(tr, "a.dl-docx")), ""),
            "title": select(tr, "a.title-link")[0].text_content(),
        }
    return rows


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


# -- what is listed where ---------------------------------------------------------------

def test_home_lists_every_effective_document_of_the_bundle(project: Project, bundled_site: Path) -> None:
    rows = listed(bundled_site / "index.html")
    docs = [d for d in [*project.procedures.values(), *project.forms.values()] if d.status == "effective"]
    assert set(rows) == {d.id for d in docs}
    for doc in docs:
        row = rows[doc.id]
        assert (row["title"], row["revision"], row["effective"]) == (doc.title, doc.revision, str(doc.effective))


def test_home_groups_by_department_then_procedure(project: Project, bundled_site: Path) -> None:
    html = page(bundled_site / "index.html")
    departments = [h.text_content() for h in select(html, "section.dept h2 .dept-name")]
    assert departments == sorted(set(departments), key=project.site.departments.index)
    for section in select(html, "section.dept"):
        dept = section.get("data-dept-section")
        for group in select(section, "tbody[data-group]"):
            codes = [c.text_content() for c in select(group, "tr[data-doc] .c-code .code")]
            proc = project.procedures[codes[0]]
            assert proc.owner == dept
            assert codes == [proc.id, *proc.forms], "a procedure, then its forms in its own order"


def test_each_standing_has_its_own_page(mixed_site: Path) -> None:
    assert set(listed(mixed_site / "index.html")) == CURRENT_IDS
    assert set(listed(mixed_site / "pending.html")) == PENDING_IDS
    assert set(listed(mixed_site / "archive.html")) == ARCHIVED_IDS


def test_archive_and_pending_pages_are_marked(mixed_site: Path) -> None:
    archive = page(mixed_site / "archive.html")
    assert "不得用于实施" in select(archive, ".notice-archived")[0].text_content()
    assert {s.text_content() for s in select(archive, "tr[data-doc] .status")} == {"已作废"}
    pending = page(mixed_site / "pending.html")
    assert "尚未生效" in select(pending, ".notice-pending")[0].text_content()
    assert {s.text_content() for s in select(pending, "tr[data-doc] .status")} == {"草稿", "已批准，待生效"}
    obsolete = page(mixed_site / "documents" / "SJE-ZY-GK-91_A-0.html")
    assert "不是现行有效版本" in select(obsolete, ".notice-archived")[0].text_content()
    assert not (mixed_site / "documents" / "SJE-ZY-GK-91.html").exists(), "only current pages are named by id"


def test_home_never_links_to_a_document_not_in_force(mixed_site: Path) -> None:
    html = (mixed_site / "index.html").read_text(encoding="utf-8")
    for doc_id in PENDING_IDS | ARCHIVED_IDS:
        assert f'{doc_id.replace("/", "-")}_' not in html, f"a link to a page or file of {doc_id}"
    # A current form of a procedure that is not yet in force is listed under it, marked.
    head = select(page(mixed_site / "index.html"), "tr.group-head")[0]
    assert "SJE/ZY/GK-93" in head.text_content() and "已批准，待生效" in head.text_content()


@pytest.mark.parametrize("status,standing", [
    ("effective", CURRENT), ("draft", PENDING), ("approved", PENDING),
    ("obsolete", ARCHIVED), ("superseded", ARCHIVED), ("withdrawn", ARCHIVED),
])
def test_standing_of_every_status(status: str, standing: str) -> None:
    assert standing_of(status) == standing


def test_a_superseded_revision_goes_to_the_archive(mixed_project: Project) -> None:
    proc = mixed_project.procedures["SJE/ZY/GK-90"]
    project = dataclasses.replace(mixed_project, procedures={
        **mixed_project.procedures, proc.id: dataclasses.replace(proc, status="superseded")})
    catalogue = build_catalogue(project, {})
    assert proc.id not in {e.id for e in catalogue.listed(CURRENT)}
    assert proc.id in {e.id for e in catalogue.listed(ARCHIVED)}


def test_a_superseded_release_is_archived_and_linked_both_ways(released_site: Path) -> None:
    assert listed(released_site / "index.html")["SJE/ZY/GK-90"]["revision"] == "A/1"
    archive = listed(released_site / "archive.html")
    assert set(archive) == ARCHIVED_IDS | {"SJE/ZY/GK-90"}
    old = archive["SJE/ZY/GK-90"]
    assert old["revision"] == "A/0" and old["docx"] == "files/archive/procedures/SJE-ZY-GK-90_A-0.docx"
    identity = docx_identity((released_site / old["docx"]).read_bytes())
    assert (identity["identifier"], identity["version"]) == ("SJE/ZY/GK-90", "A/0")
    html = page(released_site / "archive.html")
    row = select(html, "tr.doc-procedure")[0]
    assert select(row, ".status")[0].text_content() == "已被替代"
    superseded = page(released_site / "documents" / "SJE-ZY-GK-90_A-0.html")
    assert select(superseded, ".notice-archived a")[0].get("href") == "../documents/SJE-ZY-GK-90.html"
    current = page(released_site / "documents" / "SJE-ZY-GK-90.html")
    assert [a.get("href") for a in select(current, "table.history a")] == ["../documents/SJE-ZY-GK-90_A-0.html"]


# -- pages, links, files ------------------------------------------------------------------

def test_every_link_and_asset_resolves_inside_the_site(bundled_site: Path, mixed_site: Path,
                                                       released_site: Path) -> None:
    for site in (bundled_site, mixed_site, released_site):
        pages = sorted(site.rglob("*.html"))
        assert len(pages) > 3
        for html_path in pages:
            html = page(html_path)
            for el in html.xpath("//*[@href or @src]"):
                ref = el.get("href") or el.get("src")
                if ref.startswith(("#", "data:")):
                    continue
                parts = urlsplit(ref)
                assert not parts.scheme and not parts.netloc, f"{html_path.name}: external {ref}"
                target = (html_path.parent / unquote(parts.path)).resolve()
                assert target.is_relative_to(site.resolve()) and target.is_file(), f"{html_path}: {ref}"


def test_downloads_are_the_built_files_named_by_id_and_revision(project: Project, bundled_out: Path) -> None:
    site = site_dir(bundled_out)
    rows = listed(site / "index.html")
    for doc in [*project.procedures.values(), *project.forms.values()]:
        href = rows[doc.id]["docx"]
        folder = "procedures" if doc.kind == "procedure" else "forms"
        name = f"{doc.id.replace('/', '-')}_{doc.revision.replace('/', '-')}.docx"
        assert href == f"files/{folder}/{name}"
        data = (site / href).read_bytes()
        assert data == (bundled_out / folder / name).read_bytes()
        identity = docx_identity(data)
        assert (identity["identifier"], identity["version"]) == (doc.id, doc.revision)


def test_document_pages_show_history_approvals_and_relations(project: Project, bundled_site: Path) -> None:
    proc = project.procedures["SJE/ZY/GK-09"]
    html = page(bundled_site / "documents" / "SJE-ZY-GK-09.html")
    text = html.text_content()
    assert proc.title in text and proc.history[0].description in text
    signers = [s.name for s in (proc.prepared, proc.reviewed, proc.approved) if s]
    assert len(signers) == 3 and all(name in text for name in signers)
    assert [c.text_content() for c in select(html, "table.links .c-code .code")] == list(proc.forms)
    form = page(bundled_site / "documents" / "SJE-JL-GK-09-01.html")
    facts = select(form, "dl.facts")[0].text_content()
    assert "SJE/ZY/GK-09" in facts and "第二条" in facts
    assert select(form, "dl.facts a")[0].get("href") == "../documents/SJE-ZY-GK-09.html"


def test_labels_of_the_portal_exist_in_both_languages() -> None:
    zh, en = load_labels("zh-CN").texts, load_labels("en").texts
    assert {k for k in zh if k.startswith("site_")} == {k for k in en if k.startswith("site_")}


def test_english_site(mixed_project: Project, mixed_site: Path, tmp_path: Path) -> None:
    site = dataclasses.replace(mixed_project.site, language="en")
    out = tmp_path / "out"
    shutil.copytree(mixed_site.parent, out, ignore=shutil.ignore_patterns("site"))
    write_site(dataclasses.replace(mixed_project, site=site), load_labels("en"), out)
    html = (out / "site" / "archive.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and '<span class="status status-obsolete">Obsolete</span>' in html
    assert "历史文件" not in html and "Archive (obsolete and superseded)" in html


# -- reproducible, incremental ------------------------------------------------------------

def test_same_sources_give_byte_identical_sites(project: Project, built: Path, bundled_site: Path,
                                                tmp_path: Path) -> None:
    out = tmp_path / "again"
    shutil.copytree(built, out)
    write_site(project, load_labels(project.site.language), out)
    assert site_files(site_dir(out)) == site_files(bundled_site)


def test_rewrite_changes_nothing_and_prunes_stale_files(mixed_project: Project, mixed_site: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(mixed_site.parent, out)
    stray = out / "site" / "files" / "forms" / "SJE-JL-GK-90-01_0-9.docx"
    stray.write_bytes(b"an old revision")
    summary = write_site(mixed_project, load_labels("zh-CN"), out)
    assert (summary.changed, summary.removed) == (0, 1)
    assert not stray.exists()
    assert not filecmp.dircmp(out / "site", mixed_site).diff_files


def test_a_fresh_pdf_is_linked_and_a_stale_one_is_not(mixed_project: Project, mixed_site: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(mixed_site.parent, out)
    docx = out / "forms" / "SJE-JL-GK-90-01_A-0.docx"
    fresh, stale = docx.with_suffix(".pdf"), out / "procedures" / "SJE-ZY-GK-90_A-0.pdf"
    fresh.write_bytes(b"%PDF-1.7 fresh")
    stale.write_bytes(b"%PDF-1.7 stale")
    then = docx.stat().st_mtime_ns
    os.utime(fresh, ns=(then + 10**9, then + 10**9))
    os.utime(stale, ns=(then - 10**9, then - 10**9))
    write_site(mixed_project, load_labels("zh-CN"), out)
    rows = listed(out / "site" / "index.html")
    html = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="files/forms/SJE-JL-GK-90-01_A-0.pdf"' in html
    assert (out / "site" / "files" / "forms" / "SJE-JL-GK-90-01_A-0.pdf").read_bytes() == b"%PDF-1.7 fresh"
    assert "SJE-ZY-GK-90_A-0.pdf" not in html and rows["SJE/ZY/GK-90"]["docx"]
    assert not (out / "site" / "files" / "procedures" / "SJE-ZY-GK-90_A-0.pdf").exists()


# -- command line -------------------------------------------------------------------------

def test_build_writes_the_site(mixed_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--root", str(mixed_root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"portal: {out / 'site' / 'index.html'} lists 3 current, 2 pending and 3 archived" in result.output
    assert set(listed(out / "site" / "index.html")) == CURRENT_IDS


def test_build_pdf_without_libreoffice_is_a_clear_error(mixed_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--root", str(mixed_root), "--out", str(out), "--pdf"],
                                env={"PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert "error: --pdf needs LibreOffice, and soffice is not on PATH" in result.output
    assert not out.exists(), "nothing is built when the PDF step cannot run"


def test_serve_without_a_site_says_to_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'output' / 'site' / 'index.html'} not found; run `qmsdoc build` first" in result.output

