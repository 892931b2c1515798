"""Shared fixtures: the bundled project, one build of it, and small projects made on the fly."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.project import Project
from qmsdoc.publish import build_all

from support.offline import offline

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "data" / "source-zh-Hans.txt"
"""The cleaned source text of the bundled procedures, which the fidelity test compares against."""


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[None]:
    """No test reaches the network: what the tests need is in the repository or fetched before pytest."""
    with offline():
        yield


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def project() -> Project:
    return load_project(REPO)


@pytest.fixture(scope="session")
def labels(project: Project):  # type: ignore[no-untyped-def]
    return load_labels(project.site.language)


@pytest.fixture(scope="session")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content built once into a temporary output folder."""
    out = tmp_path_factory.mktemp("output")
    build_all(project, out)
    return out


@pytest.fixture(scope="session")
def soffice() -> str:
    exe = shutil.which("soffice")
    if exe is None:
        pytest.fail("LibreOffice (soffice) is required: run scripts/install-system-deps")
    return exe


def to_pdf(soffice: str, files: list[Path], out: Path) -> None:
    """Convert .docx files to PDF with LibreOffice, in one batch with its own profile."""
    profile = out / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=600,
    )


def make_project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the bundled site config plus the given files: a small project for error tests."""
    (tmp_path / "qmsdoc.yaml").write_text((REPO / "qmsdoc.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path
