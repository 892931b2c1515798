"""The repository alone passes its tests: nothing reads the reference folder beside a checkout,
and no test reaches the network (what the tests need is in tests/ or fetched before pytest)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from support.offline import NetworkUsed

REPO = Path(__file__).resolve().parents[1]
SIBLING = "../" + "sha" + "red"  # spelled in pieces so this file does not name the folder itself
SKIP_DIRS = frozenset({".git", ".venv", ".cache", "output", "node_modules", "__pycache__", "build", "dist"})
TEXT_SUFFIXES = frozenset({".py", ".md", ".yaml", ".yml", ".toml", ".txt", ".json", ".html", ".js", ".css", ""})


def _repository_files() -> list[Path]:
    files = []
    for path in REPO.rglob("*"):
        rel = path.relative_to(REPO)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            files.append(path)
    return files


def test_no_file_reads_the_sibling_reference_folder() -> None:
    files = _repository_files()
    assert any(p.name == ".ci" or p.parent.name == ".ci" for p in files), "the walk must see .ci/run"
    assert len(files) > 100
    offenders = [str(p.relative_to(REPO)) for p in files
                 if SIBLING in p.read_text(encoding="utf-8", errors="replace")]
    assert offenders == []


def test_what_the_tests_need_is_in_the_repository() -> None:
    here = REPO / "tests"
    assert (here / "data" / "source-zh-Hans.txt").stat().st_size > 10_000
    for entry in ("microsoft/wml-2010.xsd", "ISO-IEC29500-4_2016/wml.xsd", "ecma/fouth-edition/opc-contentTypes.xsd"):
        assert (here / "schemas" / "ooxml" / entry).is_file(), entry
    assert "MIT" in (here / "schemas" / "ooxml" / "LICENSE").read_text(encoding="utf-8")


def test_a_test_cannot_reach_the_network() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(NetworkUsed, match=r"192\.0\.2\.1"):
        s.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed


def test_loopback_stays_open() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
