"""`qmsdoc init`: a starter project that lints, builds and checks cleanly, in both languages."""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmsdoc.cli import main
from qmsdoc.model.limits import DEFAULT_LIMITS, Limits
from qmsdoc.scaffold.init import starter_files

from conftest import REPO

TEMPLATES = REPO / "qmsdoc" / "scaffold" / "templates"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_init_lints_builds_and_checks_clean(tmp_path: Path, language: str) -> None:
    root = tmp_path / "qms"
    made = run("init", str(root), "--language", language, "--organisation", "Northfield 机械有限公司")
    assert made.exit_code == 0, made.output
    assert {"output/", ".qmsdoc/"} <= set((root / ".gitignore").read_text(encoding="utf-8").splitlines())
    assert 'name: "Northfield 机械有限公司"' in (root / "qmsdoc.yaml").read_text(encoding="utf-8")

    lint = run("lint", "--root", str(root))
    assert lint.exit_code == 0, lint.output
    assert "1 procedures, 1 forms, 4 rules: no problems" in lint.output

    build = run("build", "--root", str(root), "--as-of", "2026-01-15", "--jobs", "1")
    assert build.exit_code == 0, build.output
    assert len(list((root / "output" / "procedures").glob("*.docx"))) == 1
    assert len(list((root / "output" / "forms").glob("*.docx"))) == 1

    check = run("check", "--root", str(root), str(root / "records"), "--as-of", "2026-01-15", "--format", "json")
    assert check.exit_code == 0, check.output
    report = json.loads(check.stdout)
    assert report["counts"] == {"sources": 1, "records": 1, "rules": 4, "findings": 0, "cannot_evaluate": 0, "open": 0}


def test_init_uses_the_chosen_language(tmp_path: Path) -> None:
    run("init", str(tmp_path / "zh"))
    run("init", str(tmp_path / "en"), "--language", "en")
    assert "language: zh-CN" in (tmp_path / "zh" / "qmsdoc.yaml").read_text(encoding="utf-8")
    assert "顾客投诉处理程序" in (tmp_path / "zh" / "procedures" / "CX-01.md").read_text(encoding="utf-8")
    assert "language: en" in (tmp_path / "en" / "qmsdoc.yaml").read_text(encoding="utf-8")
    assert "Handling of Customer Complaints" in (tmp_path / "en" / "procedures" / "QP-01.md").read_text(encoding="utf-8")


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures" / "CX-01.md").write_text("mine\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'procedures' / 'CX-01.md'}: already exists" in result.output
    assert (tmp_path / "procedures" / "CX-01.md").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "qmsdoc.yaml").exists()


def test_init_twice_names_qmsdoc_yaml_first(tmp_path: Path) -> None:
    assert run("init", str(tmp_path)).exit_code == 0
    again = run("init", str(tmp_path))
    assert again.exit_code == 2
    assert f"error: {tmp_path / 'qmsdoc.yaml'}: already exists; qmsdoc init never overwrites a file" in again.output


def test_init_refuses_a_file_as_folder(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    result = run("init", str(tmp_path / "x"))
    assert result.exit_code == 2 and "is not a folder" in result.output


def test_organisation_names_are_quoted_for_yaml(tmp_path: Path) -> None:
    text = starter_files("en", 'ACME: "Tools" # Ltd')["qmsdoc.yaml"].decode()
    assert 'name: "ACME: \\"Tools\\" # Ltd"' in text
    assert run("init", str(tmp_path), "--language", "en", "--organisation", 'ACME: "Tools" # Ltd').exit_code == 0
    assert run("lint", "--root", str(tmp_path)).exit_code == 0


def test_every_template_is_package_data() -> None:
    """pyproject.toml's package-data globs take every template file into the wheel."""
    globs = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["qmsdoc"]
    for path in TEMPLATES.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(REPO / "qmsdoc").as_posix()
            assert any(fnmatch.fnmatch(rel, g) and rel.count("/") == g.count("/") for g in globs), rel


def test_both_languages_have_the_same_files() -> None:
    zh, en = starter_files("zh-CN", None), starter_files("en", None)
    assert len(zh) == len(en) == 6
    assert {".gitignore", "qmsdoc.yaml"} <= set(zh) & set(en)


def test_config_format_names_every_key() -> None:
    doc = (REPO / "docs" / "config-format.md").read_text(encoding="utf-8")
    keys = ["organisation", "organisation.name", "organisation.short", "language", "timezone", "date_format",
            "paper", "paper.size", "paper.margins_mm", "fonts", "fonts.body", "fonts.heading", "revision_scheme",
            "revision_scheme.pattern", "revision_scheme.example", "codes", "codes.procedure", "codes.form",
            "departments", "roles", "closures", "limits", "store", "store.path", *Limits.names()]
    for key in keys:
        assert f"| `{key}` |" in doc, key
    for field in dataclasses.fields(Limits):
        assert f"| `{field.name}` | {getattr(DEFAULT_LIMITS, field.name)}" in doc, field.name


def test_the_starter_config_writes_every_top_level_key() -> None:
    for language in ("zh-CN", "en"):
        text = starter_files(language, None)["qmsdoc.yaml"].decode()
        for key in ("organisation", "language", "timezone", "date_format", "paper", "fonts", "revision_scheme",
                    "codes", "departments", "roles", "closures", "limits", "store"):
            assert f"\n{key}:" in text or f"\n# {key}:" in text, (language, key)
