"""The portal in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium).

Screenshots go to the test's temporary folder (desktop and phone home page, search, a document
page, the archive); their paths are printed with -s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portal.conftest import docx_identity, serving
from portal.project_files import ARCHIVED_IDS, CURRENT_IDS
from qmsdoc.model.project import Project

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
MATCHES = "tr[data-doc]:not(.is-context):visible"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is required: pip install -e '.[test]'")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is required: run scripts/install-system-deps (Debian package chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base(bundled_site: Path) -> Iterator[str]:
    with serving(bundled_site) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, errors


def codes(page: Any, selector: str = MATCHES) -> list[str]:
    return page.locator(f"{selector} .c-code .code").all_inner_texts()


def current_ids(project: Project) -> set[str]:
    return {d.id for d in [*project.procedures.values(), *project.forms.values()] if d.status == "effective"}


def shot(page: Any, shots: Path, name: str, *, full_page: bool = False) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")


def test_home_lists_every_current_document(desktop: Any, base: str, project: Project, shots: Path) -> None:
    desktop.goto(f"{base}/")
    assert desktop.title().startswith("现行文件")
    listed = codes(desktop)
    assert sorted(listed) == sorted(current_ids(project)), "each current document once"
    assert desktop.locator("#count").inner_text() == f"共 {len(listed)} 份文件"
    shot(desktop, shots, "home-desktop")


def test_search_narrows_the_list_as_typed(desktop: Any, base: str, project: Project, shots: Path) -> None:
    desktop.goto(f"{base}/index.html")
    search = desktop.locator("#q")
    everything = len(codes(desktop))
    search.press_sequentially("反")
    after_one = codes(desktop)
    search.press_sequentially("馈")
    after_two = codes(desktop)
    docs = [*project.procedures.values(), *project.forms.values()]
    expected = {d.id for d in docs if d.status == "effective" and "反馈" in d.title}
    assert everything > len(after_one) >= len(after_two) > 0
    assert set(after_two) == expected
    assert desktop.locator("#count").inner_text() == f"找到 {len(expected)} 份文件"
    context = desktop.locator("tr.is-context:visible .c-code .code").all_inner_texts()
    owners = {project.forms[d].procedure for d in expected if d in project.forms} - expected
    assert owners, "the search must match a form whose procedure does not match itself"
    assert sorted(context) == sorted(owners), "the procedures of matching forms, and only they, stay as context"
    shot(desktop, shots, "search-active")

    search.fill("")
    search.press_sequentially("GK-09")
    gk09 = {"SJE/ZY/GK-09", *project.procedures["SJE/ZY/GK-09"].forms}
    assert set(codes(desktop)) == gk09
    search.fill("gk09")
    assert set(codes(desktop)) == gk09, "case and separators do not matter"
    search.fill("没有这样的文件")
    assert codes(desktop) == [] and desktop.locator("#no-matches").is_visible()


def test_department_and_type_filters(desktop: Any, base: str, project: Project) -> None:
    desktop.goto(f"{base}/index.html")
    desktop.select_option("#dept", "市场部")
    desktop.get_by_role("button", name="表单", exact=True).click()
    shown = set(codes(desktop))
    market = {f for p in project.procedures.values() if p.owner == "市场部" for f in p.forms}
    assert shown == market and shown
    assert desktop.get_by_role("button", name="表单", exact=True).get_attribute("aria-pressed") == "true"
    desktop.get_by_role("button", name="清除").click()
    assert len(codes(desktop)) == len(current_ids(project))


def test_each_download_is_the_document_the_page_shows(desktop: Any, base: str, project: Project,
                                                      tmp_path: Path) -> None:
    desktop.goto(f"{base}/index.html")
    rows = desktop.locator("tr[data-doc]")
    assert rows.count() == len(current_ids(project))
    for i in range(rows.count()):
        row = rows.nth(i)
        code = row.locator(".c-code .code").inner_text()
        revision = row.locator(".c-rev .v").inner_text()
        href = row.locator("a.dl-docx").get_attribute("href")
        response = desktop.request.get(f"{base}/{href}")
        assert response.ok and response.headers["content-type"].endswith("wordprocessingml.document")
        identity = docx_identity(response.body())
        assert (identity["identifier"], identity["version"]) == (code, revision), href
        if code in project.forms:
            assert (identity["qmsdoc.id"], identity["qmsdoc.revision"]) == (code, revision), href
    # and a real click on a link saves the same file
    row = desktop.locator("tr[data-doc]", has_text="SJE/JL/GK-09-01")
    with desktop.expect_download() as info:
        row.locator("a.dl-docx").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "SJE-JL-GK-09-01_A-2.docx"
    identity = docx_identity(saved.read_bytes())
    assert (identity["identifier"], identity["version"]) == ("SJE/JL/GK-09-01", "A/2")


def test_document_page(desktop: Any, base: str, project: Project, shots: Path) -> None:
    desktop.goto(f"{base}/index.html")
    desktop.get_by_role("link", name=project.procedures["SJE/ZY/GK-09"].title, exact=True).click()
    desktop.wait_for_url(re.compile(r"/documents/SJE-ZY-GK-09\.html$"))
    proc = project.procedures["SJE/ZY/GK-09"]
    assert desktop.locator("h1").inner_text() == proc.title
    assert desktop.locator("table.links .c-code .code").all_inner_texts() == list(proc.forms)
    shot(desktop, shots, "document-desktop", full_page=True)
    desktop.locator("table.links a", has_text=project.forms["SJE/JL/GK-09-01"].title).click()
    assert "第二条" in desktop.locator("dl.facts").inner_text()


def test_phone_has_no_horizontal_scroll(browser: Any, base: str, shots: Path) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path, name in (("/index.html", "home-phone"), ("/documents/SJE-ZY-GK-14.html", "document-phone"),
                       ("/documents/SJE-JL-GK-14-09.html", None)):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
        if name:
            shot(page, shots, name)
    page.goto(f"{base}/index.html")
    page.locator("#q").fill("反馈")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, shots, "search-phone")
    context.close()


def test_archive_is_separate_from_current(browser: Any, released_site: Path, shots: Path) -> None:
    """A project with a superseded revision (released A/0, now A/1), obsolete, draft and approved ones."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((released_site / "index.html").as_uri())
    rows = page.locator("tr[data-doc]")
    shown = {(r.locator(".c-code .code").inner_text(), r.locator(".c-rev .v").inner_text()) for r in rows.all()}
    assert {code for code, _ in shown} == CURRENT_IDS and ("SJE/ZY/GK-90", "A/1") in shown
    assert page.locator("text=已被替代").count() == 0 and page.locator("text=已作废").count() == 0
    page.get_by_role("link", name=re.compile("^历史文件")).click()
    assert set(codes(page, "tr[data-doc]")) == ARCHIVED_IDS | {"SJE/ZY/GK-90"}
    assert "仅供查阅，不得用于实施" in page.locator(".notice-archived").inner_text()
    assert set(page.locator("tr[data-doc] .status").all_inner_texts()) == {"已作废", "已被替代"}
    shot(page, shots, "archive-desktop")
    page.locator("tr.doc-procedure", has_text="SJE/ZY/GK-90").get_by_role("link").first.click()
    assert page.get_by_role("alert").inner_text().startswith("已被替代")
    page.get_by_role("link", name="查看现行版本 A/1").click()
    assert page.locator(".doc-id").inner_text().startswith("SJE/ZY/GK-90")
    assert "A/1" in page.locator(".doc-id").inner_text()
    page.close()


def test_works_offline_from_file_urls(browser: Any, bundled_site: Path) -> None:
    page = browser.new_page(viewport=DESKTOP)
    outside: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.goto((bundled_site / "index.html").as_uri())
    page.locator("#q").press_sequentially("GK-09")
    assert len(codes(page)) == 4
    page.goto((bundled_site / "documents" / "SJE-ZY-GK-09.html").as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert outside == [], "the site loads nothing from outside its folder"
    page.close()
