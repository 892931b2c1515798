"""The command line: exit codes, messages, and the main jobs on the bundled content."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qmsdoc.cli import main
from qmsdoc.load.project import load_project
from qmsdoc.outputs import output_name

from conftest import REPO, make_project
from support.fill import fill_docx

CURRENT_0901 = load_project(REPO).forms["SJE/JL/GK-09-01"].revision
"""The revision of the 外部质量信息反馈单 in force in the bundled content (what `build` publishes)."""


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_lint_clean_content_exits_0() -> None:
    result = run("lint", "--root", str(REPO))
    assert result.exit_code == 0
    assert "no problems" in result.output


def test_lint_problems_exit_1_with_positions(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"procedures/X.md": "---\nid: SJE/ZY/GK-90\ntitle: x\n---\n"})
    result = run("lint", "--root", str(root))
    assert result.exit_code == 1
    assert 'procedures/X.md:2:1: procedure: missing required key "revision"' in result.output


def test_build_refuses_sources_that_do_not_lint(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"procedures/X.md": "no front matter\n"})
    result = run("build", "--root", str(root))
    assert result.exit_code == 1
    assert "procedures/X.md:1:1: missing front matter" in result.output
    assert not (root / "output").exists()


def test_usage_error_exits_2() -> None:
    assert run("lint", "--no-such-option").exit_code == 2


def test_extract_reads_good_files_and_reports_bad_ones(built: Path, tmp_path: Path) -> None:
    blank = built / "forms" / output_name("SJE/JL/GK-09-01", CURRENT_0901)
    good = tmp_path / "good.docx"
    good.write_bytes(fill_docx(blank.read_bytes(), {"customer": "华东电力公司"}))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"garbage")
    result = CliRunner().invoke(main, ["extract", "--root", str(REPO), str(bad), str(good)])
    assert result.exit_code == 1
    assert f"{bad}: error: not a .docx (zip) file" in result.stderr
    [record] = json.loads(result.stdout)
    assert record["form"] == "SJE/JL/GK-09-01" and record["fields"]["customer"] == "华东电力公司"


def test_clauses_lists_citable_labels() -> None:
    result = run("clauses", "--root", str(REPO), "SJE/ZY/GK-14")
    assert "SJE/ZY/GK-14 4.2.3.1 c)" in result.output


def test_serve_bounds_its_timeout_and_workers() -> None:
    help_text = run("serve", "--help").output
    assert "--timeout" in help_text and "--workers" in help_text
    assert run("serve", "--timeout", "0").exit_code == 2
    assert run("serve", "--workers", "0").exit_code == 2
