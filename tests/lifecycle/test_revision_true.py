"""Revision-true control: what was released is what is published, archived, compared and checked.

The scenario: GK-09 prints its param copy_to_qm_days (10 天) in the instructions of two of its
forms. A/0 of all four is released; B/0 of the procedure lowers the limit to 5 days from
2025-12-01. Everything is run through the command line, as a document controller would.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest

from lifecycle.walk import Walk, edit, first_release, run
from qmsdoc.generator.ooxml.tracked import tracked_text

from conftest import REPO, make_project

PROC, PROC_PATH = "SJE/ZY/GK-09", "procedures/GK-09.md"
FORM1, FORM3 = "SJE/JL/GK-09-01", "SJE/JL/GK-09-03"
FORMS = ("forms/GK-09-01.yaml", "forms/GK-09-02.yaml", "forms/GK-09-03.yaml")
PARAM_LINE = "  copy_to_qm_days: 10          # 第四条：反馈单复印件上交企管部门的期限（天）"
APPROVALS_A = ("prepared: {name: 王伟, date: 2025-03-03}\nreviewed: {name: 李娜, date: 2025-03-10}\n"
               "approved: {name: 赵强, date: 2025-03-20}\neffective: 2025-04-01")
APPROVALS_B = ("prepared: {name: 王伟, date: 2025-11-01}\nreviewed: {name: 李娜, date: 2025-11-10}\n"
               "approved: {name: 赵强, date: 2025-11-20}\neffective: 2025-12-01")
HISTORY_A = "  - {revision: A/0, date: 2025-04-01, by: 王伟, description: 首次发布。}\n"
HISTORY_B = "  - {revision: B/0, date: 2025-12-01, by: 李娜, description: 复印件上交期限改为5天。}\n"
BEFORE, AFTER = "2025-11-15", "2025-12-01"


def copy_gk09(tmp: Path) -> Path:
    files = {name: (REPO / name).read_text(encoding="utf-8") for name in (PROC_PATH, "rules/GK-09.yaml")}
    files |= {name: first_release((REPO / name).read_text(encoding="utf-8")) for name in FORMS}
    return make_project(tmp, files)


def bump_procedure(root: Path) -> None:
    text = (root / PROC_PATH).read_text(encoding="utf-8")
    first_entry = text[text.index("history:\n") + len("history:\n"):text.index("forms:\n")]
    edit(root, PROC_PATH, ("revision: A/0", "revision: B/0"), (APPROVALS_A, APPROVALS_B),
         (first_entry, first_entry + HISTORY_B), (PARAM_LINE, PARAM_LINE.replace("10", "5", 1)))


def bump_form(root: Path, rel: str) -> None:
    edit(root, rel, ("revision: A/0", "revision: B/0"), (APPROVALS_A, APPROVALS_B), (HISTORY_A, HISTORY_A + HISTORY_B))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Walk:
    tmp = tmp_path_factory.mktemp("revision-true")
    (tmp / "project").mkdir()
    s = Walk(copy_gk09(tmp / "project"))
    s.step("release A", "release", "--all", "--date", "2025-03-25", "--no-pdf", "--by", "陈静")
    bump_procedure(s.root)
    s.step("lint param changed", "lint")
    for rel in (FORMS[0], FORMS[2]):
        bump_form(s.root, rel)
    s.step("lint forms bumped", "lint")
    s.step("release B", "release", "--all", "--date", "2025-11-25", "--no-pdf", "--by", "陈静")
    for day in (BEFORE, AFTER):
        s.step(f"build {day}", "build", "--as-of", day, "--out", str(tmp / day))
        s.step(f"verify {day}", "verify", "--as-of", day, "--out", str(tmp / day))
    s.step("build again", "build", "--as-of", BEFORE, "--out", str(tmp / "again"))
    s.step("redline form", "redline", FORM1, "--from", "A/0", "--to", "B/0", "-o", str(tmp / "redline.docx"))
    records = tmp / "records"
    records.mkdir()
    for name, revision, month in (("july", "A/0", "2025-07"), ("december", "B/0", "2025-12")):
        record = json.loads((REPO / "records/examples/json/gk09-01_fk-2025-023.json").read_text(encoding="utf-8"))
        record["revision"] = revision
        fields = record["fields"]
        fields["record_no"] = f"FK-{name}"
        for key, day in (("issued_on", 2), ("departed_on", 3), ("arrived_on", 3), ("handled_on", 4),
                         ("returned_on", 5), ("original_filed_on", 7)):
            fields[key] = f"{month}-{day:02}"
        fields["marketing_leader"]["date"] = f"{month}-06"
        fields["copy_to_qm_on"] = fields["qm_receiver"]["date"] = f"{month}-14"  # eight days after signing
        (records / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    s.step("check", "check", str(records), "--as-of", "2026-01-15", "-o", f"json:{tmp / 'findings.json'}",
           "--exit-zero")
    return s


def out(s: Walk, day: str) -> Path:
    return s.root.parent / day


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "".join(document.element.body.itertext())


def test_a_param_change_fails_lint_at_its_line_naming_the_released_forms_that_print_it(scenario: Walk) -> None:
    result = scenario.steps["lint param changed"]
    assert result.exit_code == 1, result.output
    line = next(n for n, text in enumerate((scenario.root / PROC_PATH).read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("  copy_to_qm_days:"))
    assert (f"{PROC_PATH}:{line}:20: params.copy_to_qm_days of {PROC} is now 5, but 2 released revisions were "
            f"rendered with 10: {FORM1} A/0, {FORM3} A/0") in result.output
    assert f"give each of them a new revision (e.g. {FORM1} A/1)" in result.output
    assert "SJE/JL/GK-09-02" not in result.output  # it does not print the param


def test_after_bumping_the_forms_lint_is_clean_and_b0_is_released(scenario: Walk) -> None:
    assert scenario.steps["lint forms bumped"].exit_code == 0, scenario.steps["lint forms bumped"].output
    assert scenario.steps["release B"].exit_code == 0, scenario.steps["release B"].output
    record = json.loads((scenario.root / "releases/SJE-JL-GK-09-01/B-0/release.json").read_text(encoding="utf-8"))
    assert record["inputs"][f"param:{PROC}:copy_to_qm_days"] == 5
    assert record["inputs"]["site:organisation.name"] == "示例机械制造有限公司"
    assert record["inputs"][f"title:{PROC}"] == "售后服务问题反馈调查的管理制度"


def test_before_the_effective_date_a0_stays_current_and_b0_is_pending(scenario: Walk) -> None:
    result = scenario.steps[f"build {BEFORE}"]
    assert result.exit_code == 0, result.output
    folder = out(scenario, BEFORE)
    assert {p.name for p in (folder / "forms").glob("SJE-JL-GK-09-01_*.docx")} == {
        "SJE-JL-GK-09-01_A-0.docx", "SJE-JL-GK-09-01_B-0.docx"}
    assert not (folder / "archive").exists()
    assert "1 current, 0 pending" not in result.output
    assert "lists 4 current, 3 pending and 0 archived documents" in result.output
    index = (folder / "site" / "index.html").read_text(encoding="utf-8")
    pending = (folder / "site" / "pending.html").read_text(encoding="utf-8")
    assert "SJE-JL-GK-09-01.html" in index and "SJE-JL-GK-09-01_B-0.html" in pending
    assert f"文件状态截至 {BEFORE}" in index and f"文件状态截至 {BEFORE}" in pending
    current = (folder / "site" / "documents" / "SJE-JL-GK-09-01.html").read_text(encoding="utf-8")
    assert "A/0" in current


def test_on_the_effective_date_b0_is_current_and_a0_archived(scenario: Walk) -> None:
    assert scenario.steps[f"build {AFTER}"].exit_code == 0
    folder = out(scenario, AFTER)
    assert {p.name for p in (folder / "forms").glob("SJE-JL-GK-09-01_*.docx")} == {"SJE-JL-GK-09-01_B-0.docx"}
    assert (folder / "archive" / "forms" / "SJE-JL-GK-09-01_A-0.docx").is_file()
    assert "lists 4 current, 0 pending and 3 archived documents" in scenario.steps[f"build {AFTER}"].output


def test_published_released_revisions_are_the_released_bytes(scenario: Walk) -> None:
    for day, name, rev in ((BEFORE, "SJE-JL-GK-09-01_A-0.docx", "A-0"), (BEFORE, "SJE-JL-GK-09-01_B-0.docx", "B-0"),
                           (AFTER, "SJE-JL-GK-09-01_B-0.docx", "B-0")):
        released = scenario.root / "releases" / "SJE-JL-GK-09-01" / rev / name
        assert (out(scenario, day) / "forms" / name).read_bytes() == released.read_bytes(), (day, name)


def test_the_printed_value_follows_the_revision(scenario: Walk) -> None:
    assert "在10天内上交企管部门" in docx_text(out(scenario, BEFORE) / "forms" / "SJE-JL-GK-09-01_A-0.docx")
    assert "在5天内上交企管部门" in docx_text(out(scenario, AFTER) / "forms" / "SJE-JL-GK-09-01_B-0.docx")
    archived = out(scenario, AFTER) / "archive" / "forms" / "SJE-JL-GK-09-01_A-0.docx"
    assert "在10天内上交企管部门" in docx_text(archived)


def test_the_archive_copy_is_the_released_file_with_its_banner(scenario: Walk) -> None:
    archived = out(scenario, AFTER) / "archive" / "forms" / "SJE-JL-GK-09-01_A-0.docx"
    released = scenario.root / "releases" / "SJE-JL-GK-09-01" / "A-0" / "SJE-JL-GK-09-01_A-0.docx"
    with zipfile.ZipFile(archived) as a, zipfile.ZipFile(released) as r:
        assert a.read("word/document.xml") == r.read("word/document.xml")
        assert sorted(a.namelist()) == sorted(r.namelist())
    document = docx.Document(str(archived))
    assert "作废 — 已被 B/0 版替代" in "".join(document.sections[0].header._element.itertext())
    assert document.core_properties.content_status == "superseded"


def test_the_redline_of_the_form_shows_the_old_and_the_new_value(scenario: Walk, ) -> None:
    assert scenario.steps["redline form"].exit_code == 0, scenario.steps["redline form"].output
    path = scenario.root.parent / "redline.docx"
    body = docx.Document(str(path)).element.body
    inserted, deleted = tracked_text(body, "ins"), tracked_text(body, "del")
    assert "5" in "".join(inserted) and "10" in "".join(deleted), (inserted, deleted)


def test_two_builds_for_the_same_day_are_byte_identical(scenario: Walk) -> None:
    def digests(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert digests(out(scenario, BEFORE)) == digests(out(scenario, "again"))


def test_verify_passes_for_what_each_build_published(scenario: Walk) -> None:
    for day in (BEFORE, AFTER):
        result = scenario.steps[f"verify {day}"]
        assert result.exit_code == 0 and "OK." in result.output, (day, result.output)


def test_building_for_an_earlier_day_into_the_same_folder_moves_the_files_back(scenario: Walk,
                                                                                tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "out"
    shutil.copytree(out(scenario, AFTER), folder)
    result = run("build", "--as-of", BEFORE, "--out", str(folder), "--root", str(scenario.root))
    assert result.exit_code == 0, result.output
    assert not list((folder / "archive").rglob("*.docx"))
    assert (folder / "forms" / "SJE-JL-GK-09-01_A-0.docx").read_bytes() == (
        out(scenario, BEFORE) / "forms" / "SJE-JL-GK-09-01_A-0.docx").read_bytes()


def test_each_record_is_judged_by_the_revision_in_force_on_its_date(scenario: Walk) -> None:
    assert scenario.steps["check"].exit_code == 0, scenario.steps["check"].output
    report = json.loads((scenario.root.parent / "findings.json").read_text(encoding="utf-8"))
    late = [f for f in report["findings"] if f["rule"] == "GK09-05"]
    # eight days from signature to copy: within A/0's 10 days in July, beyond B/0's 5 in December
    assert [f["record"]["record_id"] for f in late] == ["FK-december"], late
    assert late[0]["title"] == "签字后的反馈单复印件 5 天内报企管部门"  # the title prints the revision's param
    citation = late[0]["criterion"]
    assert (citation["document"], citation["revision"], citation["clause"]) == (PROC, "B/0", "第四条")
    assert "2025-12-11" in late[0]["expected"], late[0]
    assert not [f for f in report["findings"] if f["rule"] == "QMS-REVISION"], report["findings"]


def test_an_archived_procedure_is_no_longer_marked_as_a_controlled_copy(scenario: Walk) -> None:
    archived = docx.Document(str(out(scenario, AFTER) / "archive" / "procedures" / "SJE-ZY-GK-09_A-0.docx"))
    footer = "".join(archived.sections[0].footer._element.itertext())
    assert "作废文件，仅供查阅" in footer and "受控文件" not in footer
    current = docx.Document(str(out(scenario, AFTER) / "procedures" / "SJE-ZY-GK-09_B-0.docx"))
    assert "受控文件" in "".join(current.sections[0].footer._element.itertext())


def test_the_form_redline_names_field_types_in_the_document_language(scenario: Walk) -> None:
    text = "".join(docx.Document(str(scenario.root.parent / "redline.docx")).element.body.itertext())
    assert "编号（文本，必填）" in text
    assert not re.search(r"（(text|multiline|date|choice|checkbox|signature|table|person)\b", text)
