"""Portal fixtures: the bundled site, a small site with every standing, a server in a thread."""

from __future__ import annotations

import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from lxml import etree

from portal.project_files import FILES
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.project import Project
from qmsdoc.portal.serve import make_server
from qmsdoc.portal.write import site_dir, write_site
from qmsdoc.publish import build_all

from conftest import make_project

CORE = {"dc": "http://purl.org/dc/elements/1.1/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


@pytest.fixture(scope="session")
def bundled_out(project: Project, built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled build output with its site written."""
    out = tmp_path_factory.mktemp("portal") / "output"
    shutil.copytree(built, out)
    write_site(project, load_labels(project.site.language), out)
    return out


@pytest.fixture(scope="session")
def bundled_site(bundled_out: Path) -> Path:
    return site_dir(bundled_out)


@pytest.fixture(scope="session")
def mixed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project: current, draft, approved-not-yet-effective and obsolete documents."""
    return make_project(tmp_path_factory.mktemp("mixed"), FILES)


@pytest.fixture(scope="session")
def mixed_project(mixed_root: Path) -> Project:
    return load_project(mixed_root)


@pytest.fixture(scope="session")
def mixed_site(mixed_root: Path, mixed_project: Project) -> Path:
    out = mixed_root / "output"
    build_all(mixed_project, out)
    write_site(mixed_project, load_labels(mixed_project.site.language), out)
    return site_dir(out)


@pytest.fixture(scope="session")
def released_site(mixed_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project after SJE/ZY/GK-90 A/0 was released and A/1 replaced it: A/0 is superseded."""
    from click.testing import CliRunner

    from qmsdoc.cli import main

    root = tmp_path_factory.mktemp("released") / "project"
    shutil.copytree(mixed_root, root, ignore=shutil.ignore_patterns("output"))
    runner = CliRunner()
    done = runner.invoke(main, ["release", "--root", str(root), "SJE/ZY/GK-90", "--date", "2025-04-01", "--no-pdf", "--by", "陈静"])
    assert done.exit_code == 0, done.output
    source = root / "procedures" / "GK-90.md"
    source.write_text(
        source.read_text(encoding="utf-8")
        .replace("revision: A/0", "revision: A/1", 1)
        .replace("approved: {name: 赵强, date: 2025-03-20}", "approved: {name: 赵强, date: 2025-08-20}")
        .replace("effective: 2025-04-01", "effective: 2025-09-01")
        .replace("description: 首次发布。}\n", "description: 首次发布。}\n"
                 "  - {revision: A/1, date: 2025-09-01, by: 王伟, description: 修订第一条。}\n", 1),
        encoding="utf-8")
    built = runner.invoke(main, ["build", "--root", str(root)])
    assert built.exit_code == 0, built.output
    return site_dir(root / "output")


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """`qmsdoc serve` of `site` in a thread on a free port; yields the base URL."""
    server = make_server(site, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def docx_identity(data: bytes) -> dict[str, str]:
    """What a .docx says it is: core identifier and version, and the qmsdoc manifest if any."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = etree.fromstring(z.read("docProps/core.xml"))
        found = {
            "identifier": core.findtext("dc:identifier", namespaces=CORE) or "",
            "version": core.findtext("cp:version", namespaces=CORE) or "",
        }
        if "docProps/custom.xml" in z.namelist():
            for prop in etree.fromstring(z.read("docProps/custom.xml")).iter(f"{CUSTOM}property"):
                found[prop.get("name", "")] = "".join(prop.itertext())
    return found


def select(el: etree._Element, css: str) -> list[etree._Element]:
    """Elements matching a simple CSS selector: descendant steps of tag, .class and [attr]."""
    steps = []
    for compound in css.split():
        tag = re.match(r"[a-z0-9]*", compound)[0] or "*"  # type: ignore[index]
        tests = [f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
                 for c in re.findall(r"\.([\w-]+)", compound)]
        tests += [f"@{a}" for a in re.findall(r"\[([\w-]+)\]", compound)]
        steps.append(tag + "".join(f"[{t}]" for t in tests))
    return el.xpath(".//" + "//".join(steps))
