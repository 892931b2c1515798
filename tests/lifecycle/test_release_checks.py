"""Releasing needs complete approval data; every gap is reported at its path:line:col, nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from load.test_form_errors import FORM, PROC

from qmsdoc.cli import main
from qmsdoc.errors import SourceError
from qmsdoc.load.project import load_project

from conftest import make_project


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def project(tmp_path: Path, proc: str = PROC, form: str = FORM) -> Path:
    return make_project(tmp_path, {"procedures/T.md": proc, "forms/F.yaml": form})


def release(root: Path, *ids: str, date: str = "2025-03-25"):  # type: ignore[no-untyped-def]
    return run("release", *(ids or ("--all",)), "--date", date, "--no-pdf", "--by", "陈静", "--root", str(root))


def test_a_form_without_approvals_is_refused_at_its_position_and_nothing_is_written(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = release(root)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if not line.startswith(" ")]
    assert lines == [
        'forms/F.yaml:1:1: SJE/JL/GK-90-01 A/0 cannot be released without "approved" (a name and a date)',
        'forms/F.yaml:1:1: SJE/JL/GK-90-01 A/0 cannot be released without "prepared" (a name and a date)',
        'forms/F.yaml:1:1: SJE/JL/GK-90-01 A/0 cannot be released without "reviewed" (a name and a date)',
        "3 problem(s) found.",
        "nothing was released.",
    ]
    assert not (root / "releases").exists()


def test_the_same_person_twice_and_a_release_before_approval_are_refused(tmp_path: Path) -> None:
    proc = PROC.replace("reviewed: {name: 李娜", "reviewed: {name: 王伟")
    form = FORM.replace("status: effective\n", "status: effective\nprepared: {name: 王伟, date: 2025-03-03}\n"
                        "reviewed: {name: 李娜, date: 2025-03-10}\napproved: {name: 李娜, date: 2025-03-20}\n")
    root = project(tmp_path, proc, FORM)
    result = release(root, "SJE/ZY/GK-90", date="2025-03-19")
    assert result.exit_code == 1
    out = result.output
    assert "procedures/T.md:8:11: SJE/ZY/GK-90 A/0: 王伟 is named both as prepared and as reviewed" in out
    assert "hint: prepared, reviewed and approved must be three different people" in out
    assert "procedures/T.md:9:11: SJE/ZY/GK-90 A/0 would be released on 2025-03-19, before it was approved (2025-03-20)" in out
    assert not (root / "releases").exists()
    # an approver who reviewed it is a lint error (the same rule), so lint, build and release all refuse it
    (root / "forms" / "F.yaml").write_text(form, encoding="utf-8")
    for result in (run("lint", "--root", str(root)), release(root, "SJE/JL/GK-90-01")):
        assert result.exit_code == 1
        assert "forms/F.yaml:7:18: 李娜 is named both as reviewed and as approved" in result.output
    assert not (root / "releases").exists()


def test_a_draft_is_not_released_by_name_and_passed_over_by_all(tmp_path: Path) -> None:
    proc = PROC.replace("status: effective", "status: draft")
    root = project(tmp_path, proc, FORM.replace("status: effective", "status: draft"))
    named = release(root, "SJE/ZY/GK-90")
    assert named.exit_code == 1
    assert "procedures/T.md:5:9: SJE/ZY/GK-90 A/0 is draft; only an effective revision can be released" in named.output
    everything = release(root)
    assert everything.exit_code == 0
    assert "SJE/ZY/GK-90 A/0: not released (draft: not ready to release)" in everything.output


def test_releasing_twice_is_a_no_op_and_an_unknown_id_a_usage_error(tmp_path: Path) -> None:
    form = FORM.replace("status: effective\n", "status: effective\nprepared: {name: 王伟, date: 2025-03-03}\n"
                        "reviewed: {name: 李娜, date: 2025-03-10}\napproved: {name: 赵强, date: 2025-03-20}\n")
    root = project(tmp_path, PROC, form)
    assert release(root).exit_code == 0
    again = release(root, "SJE/ZY/GK-90")
    assert again.exit_code == 0 and "already released on 2025-03-25" in again.output
    assert "nothing to release" in release(root).output
    unknown = release(root, "SJE/ZY/GK-91")
    assert unknown.exit_code == 2 and 'no procedure or form SJE/ZY/GK-91; did you mean "SJE/ZY/GK-90"?' in unknown.output


def test_a_damaged_release_record_is_a_lint_error_at_its_position(tmp_path: Path) -> None:
    root = project(tmp_path, PROC, FORM)
    assert release(root, "SJE/ZY/GK-90").exit_code == 0
    record = root / "releases" / "SJE-ZY-GK-90" / "A-0" / "release.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["effective"] = "2025-02-30"
    record.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_project(root)
    assert [d.format().split("\n")[0] for d in info.value.diagnostics.sorted()] == [
        'releases/SJE-ZY-GK-90/A-0/release.json:20:3: release record: "effective": impossible date '
        '(day is out of range for month), got "2025-02-30"']
    record.write_text('{"id": "SJE/ZY/GK-90",\n  "kind": procedure}', encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_project(root)
    assert str(info.value.diagnostics.sorted()[0].location) == "releases/SJE-ZY-GK-90/A-0/release.json:2:11"


def test_a_released_source_may_not_be_deleted_or_taken_back(tmp_path: Path) -> None:
    root = project(tmp_path, PROC, FORM)
    assert release(root, "SJE/ZY/GK-90").exit_code == 0
    (root / "procedures" / "T.md").write_text(PROC.replace("revision: A/0", "revision: B/0").replace(
        "history:\n  - {revision: A/0", "history:\n  - {revision: B/0"), encoding="utf-8")
    lint = run("lint", "--root", str(root))
    assert lint.exit_code == 1
    assert ("procedures/T.md:4:11: SJE/ZY/GK-90 A/0 was released on 2025-03-25, but the source is revision B/0 "
            "and its history does not list A/0") in lint.output


def test_an_effective_revision_without_a_release_is_a_warning_that_names_the_command(tmp_path: Path) -> None:
    form = FORM.replace("status: effective\n", "status: effective\nprepared: {name: 王伟, date: 2025-03-03}\n"
                        "reviewed: {name: 李娜, date: 2025-03-10}\napproved: {name: 赵强, date: 2025-03-20}\n")
    root = project(tmp_path, PROC, form)
    lint = run("lint", "--root", str(root))
    assert lint.exit_code == 0
    assert lint.output.splitlines() == [
        "forms/F.yaml:4:9: warning: SJE/JL/GK-90-01 A/0 is effective but has not been released",
        "    hint: run `qmsdoc release SJE/JL/GK-90-01` to freeze it with its approval data and digests",
        "procedures/T.md:5:9: warning: SJE/ZY/GK-90 A/0 is effective but has not been released",
        "    hint: run `qmsdoc release SJE/ZY/GK-90` to freeze it with its approval data and digests",
        "1 procedures, 1 forms, 0 rules: no problems; 2 effective revision(s) not released.",
    ]
    assert release(root, "SJE/ZY/GK-90").exit_code == 0
    lint = run("lint", "--root", str(root))
    assert lint.exit_code == 0 and "SJE/ZY/GK-90 " not in lint.output and "1 effective revision(s)" in lint.output
    (tmp_path / "draft").mkdir()
    draft = project(tmp_path / "draft", PROC.replace("status: effective", "status: draft"),
                    form.replace("status: effective", "status: approved"))
    assert run("lint", "--root", str(draft)).output.endswith(": no problems.\n")


def test_release_records_who_released_it_from_by_or_the_environment(tmp_path: Path) -> None:
    root = project(tmp_path, PROC, FORM)
    base = ["release", "SJE/ZY/GK-90", "--date", "2025-03-25", "--no-pdf", "--root", str(root)]
    missing = CliRunner().invoke(main, base, env={"QMSDOC_RELEASED_BY": None})
    assert missing.exit_code == 2 and "Missing option '--by'" in missing.output
    blank = CliRunner().invoke(main, [*base, "--by", "  "])
    assert blank.exit_code == 2 and "is not a name" in blank.output
    assert not (root / "releases").exists()
    done = CliRunner().invoke(main, base, env={"QMSDOC_RELEASED_BY": " 陈  静 "})
    assert done.exit_code == 0, done.output
    assert "released SJE/ZY/GK-90 A/0 on 2025-03-25 by 陈 静 → releases/SJE-ZY-GK-90/A-0/" in done.output
    record = json.loads((root / "releases" / "SJE-ZY-GK-90" / "A-0" / "release.json").read_text(encoding="utf-8"))
    assert record["released_by"] == "陈 静"
    assert load_project(root).releases["SJE/ZY/GK-90"][0].released_by == "陈 静"


def test_a_release_record_from_before_released_by_still_loads_and_verifies(tmp_path: Path) -> None:
    from conftest import REPO

    bundled = [json.loads(p.read_text(encoding="utf-8")) for p in (REPO / "releases").glob("*/A-0/release.json")]
    assert bundled and all("released_by" not in r for r in bundled)  # the A/0 releases: before it was recorded
    assert all(r.released_by is None for rs in load_project(REPO).releases.values() for r in rs if r.revision == "A/0")
    root = project(tmp_path, PROC, FORM)
    assert release(root, "SJE/ZY/GK-90").exit_code == 0
    record = root / "releases" / "SJE-ZY-GK-90" / "A-0" / "release.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    del data["released_by"]
    record.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert load_project(root).releases["SJE/ZY/GK-90"][0].released_by is None
    assert run("verify", "--root", str(root)).exit_code == 0
    data["released_by"] = ""
    record.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_project(root)
    assert 'release record: "released_by" must be a text' in info.value.diagnostics.sorted()[0].format()
