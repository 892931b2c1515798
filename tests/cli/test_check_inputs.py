"""`qmsdoc check` at the edges of a run: nothing to check is an error (exit 2) unless --allow-empty,
patterns the shell did not expand are expanded, and files that are not records are counted once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checker.conftest import BASE, FORM
from checker.project_files import FILES
from click.testing import CliRunner, Result

from qmsdoc.cli import main

from conftest import make_project

GOOD = {"form": FORM, "revision": "B/0", "fields": BASE}
"""A record of the small project that passes every rule."""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    return make_project(tmp_path / "site", FILES)


def check(site: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--root", str(site), "--as-of", "2025-10-01", "-j", "1", *args],
                              catch_exceptions=False)


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def good(path: Path) -> Path:
    return write(path, json.dumps(GOOD, ensure_ascii=False))


def test_an_empty_folder_is_an_error_unless_allowed(site: Path) -> None:
    (site / "records").mkdir()
    result = check(site, str(site / "records"))
    assert result.exit_code == 2
    assert f"error: no records found under {site / 'records'}" in result.stderr
    assert "--allow-empty" in result.stderr
    allowed = check(site, str(site / "records"), "--allow-empty", "--format", "json")
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["counts"]["records"] == 0


def test_files_that_are_not_records_are_counted_once(site: Path) -> None:
    folder = site / "records"
    for name in ("notes.txt", "sub/readme.txt", "scan.PDF", "~$draft.docx", "Makefile"):
        write(folder / name, "x")
    write(folder / ".hidden.txt", "x")  # hidden names are never looked at
    result = check(site, str(folder))
    assert result.exit_code == 2
    notes = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert notes == ["note: skipped 5 files that are not records (.txt ×2, .pdf, no suffix, ~$ lock file): "
                     "only .docx, .json, .jsonl, .yaml, .csv are read"]
    assert f"no records found under {folder}" in result.stderr


def test_skipped_files_beside_records_do_not_stop_the_run(site: Path) -> None:
    folder = site / "records"
    good(folder / "r1.json")
    write(folder / "photo.jpg", "x")
    result = check(site, str(folder), "--format", "json", "--exit-zero")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["records"] == 1
    assert result.stderr.count("skipped 1 file that is not a record (.jpg)") == 1


def test_a_pattern_the_shell_left_alone_is_expanded(site: Path) -> None:
    folder = site / "exports"
    good(folder / "a.json")
    good(folder / "b.json")
    write(folder / "c.csv", "form,revision\n")
    result = check(site, str(folder / "*.json"), "--format", "json", "--exit-zero")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["records"] == 2


def test_a_pattern_that_matches_nothing_is_an_error_unless_allowed(site: Path) -> None:
    good(site / "records" / "r1.json")
    pattern = str(site / "exports" / "*.jsonl")
    result = check(site, str(site / "records"), pattern)
    assert result.exit_code == 2
    assert f"error: {pattern}: matches no file" in result.stderr
    assert check(site, str(site / "records"), pattern, "--allow-empty", "--exit-zero").exit_code == 0


def test_a_path_that_does_not_exist_is_a_usage_error_even_when_empty_runs_are_allowed(site: Path) -> None:
    result = check(site, str(site / "recrods"), "--allow-empty")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_each_named_path_must_hold_records(site: Path) -> None:
    good(site / "records" / "r1.json")
    (site / "empty").mkdir()
    result = check(site, str(site / "records"), str(site / "empty"))
    assert result.exit_code == 2
    assert f"error: no records found under {site / 'empty'}" in result.stderr
    assert f"under {site / 'records'}" not in result.stderr


def test_a_named_file_that_is_not_a_record(site: Path) -> None:
    notes = write(site / "notes.txt", "x")
    result = check(site, str(notes))
    assert result.exit_code == 2
    assert "note: skipped 1 file that is not a record (.txt)" in result.stderr
    assert f"error: no records found under {notes}" in result.stderr


def test_files_without_a_single_record_are_an_empty_run(site: Path) -> None:
    write(site / "records" / "empty.jsonl", "")
    write(site / "records" / "header-only.csv", "form,revision,id\n")
    result = check(site, str(site / "records"))
    assert result.exit_code == 2
    assert "the 2 files hold no record" in result.stderr
    assert check(site, str(site / "records"), "--allow-empty").exit_code == 0


def test_an_unreadable_file_is_a_finding_not_an_empty_run(site: Path) -> None:
    write(site / "records" / "broken.json", "{not json")
    result = check(site, str(site / "records"), "--format", "json")
    assert result.exit_code == 1, result.output
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["QMS-RECORD"]
