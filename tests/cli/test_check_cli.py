"""`qmsdoc check` on the command line: the audit date, formats, exit codes, a filled .docx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checker.conftest import BASE, FORM, TRIP
from checker.project_files import FILES
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


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    root = make_project(tmp_path / "site", FILES)
    records = root / "records"
    records.mkdir()
    good = {"form": FORM, "revision": "B/0", "fields": BASE}
    (records / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    minor = {"form": FORM, "revision": "B/0", "fields": {**BASE, "record_no": "R-2", "note": ""}}  # T-01, minor
    (records / "minor.json").write_text(json.dumps(minor, ensure_ascii=False), encoding="utf-8")
    trip = {"form": TRIP, "revision": "A/0",
            "fields": {"record_no": "TR-1", "salesperson": "张三", "returned_on": "2025-09-03"}}
    (records / "trip.json").write_text(json.dumps(trip, ensure_ascii=False), encoding="utf-8")
    return root


def test_check_prints_the_audit_date_and_fails_on_minor(site: Path) -> None:
    result = run("check", "--root", str(site), str(site / "records"), "--as-of", "2025-10-01", "-j", "1")
    assert result.exit_code == 1
    assert "2025-10-01" in result.output.splitlines()[0]
    assert "T-01" in result.output and "minor.json" in result.output


def test_fail_on_and_exit_zero(site: Path) -> None:
    common = ["check", "--root", str(site), str(site / "records"), "--as-of", "2025-10-01", "-q"]
    assert run(*common, "--fail-on", "major").exit_code == 0
    assert run(*common, "--fail-on", "observation").exit_code == 1
    assert run(*common, "--exit-zero").exit_code == 0


def test_several_reports_in_one_run(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("check", "--root", str(site), str(site / "records"), "--as-of", "2025-10-01", "-q",
                 "-o", str(out / "r.json"), "-o", str(out / "r.sarif"), "-o", f"junit:{out / 'junit.txt'}",
                 "-o", str(out / "r.html"), "-o", str(out / "r.docx"), "--exit-zero")
    assert result.exit_code == 0
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert report["as_of"] == "2025-10-01"
    assert [f["rule"] for f in report["findings"]] == ["T-01"]
    assert json.loads((out / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert (out / "junit.txt").read_text(encoding="utf-8").startswith("<?xml")
    assert "2025-10-01" in (out / "r.html").read_text(encoding="utf-8")
    assert (out / "r.docx").read_bytes()[:2] == b"PK"


def test_usage_and_rule_errors_exit_2(site: Path) -> None:
    records = str(site / "records")
    assert run("check", "--root", str(site), records, "--as-of", "2025-13-01").exit_code == 2
    assert run("check", "--root", str(site), records, "-o", "report.unknown").exit_code == 2
    (site / "rules" / "T.yaml").write_text("procedure: SJE/ZY/GK-90\nrules: [{code: bad}]\n", encoding="utf-8")
    result = run("check", "--root", str(site), records)
    assert result.exit_code == 2
    assert "rules/T.yaml:2:9:" in result.output


def test_a_filled_docx_form_is_checked(built: Path, tmp_path: Path) -> None:
    blank = built / "forms" / output_name("SJE/JL/GK-09-01", CURRENT_0901)
    filled = tmp_path / "in" / "feedback.docx"
    filled.parent.mkdir()
    filled.write_bytes(fill_docx(blank.read_bytes(), {
        "record_no": "FK-2025-031", "marketing_dept": "营销部", "customer": "华东电力公司", "product": "变压器",
        "issued_on": "2025-09-20", "departed_on": "2025-09-21", "returned_on": "2025-09-25",
        "staff.1.name": "张三", "problem_description": "渗油", "problem_nature": "质量问题",
        "handled_on": "2025-09-23", "problem_cause": "密封圈老化", "handling": "更换密封圈",
        "handling_result": "已解决", "marketing_leader.name": "刘洋", "marketing_leader.date": "2025-09-26",
        "copy_to_qm_on": "2025-10-10", "qm_receiver.name": "周敏", "qm_receiver.date": "2025-10-10",
        "original_filed_on": "2025-10-11", "original_filed_by": "刘洋"}))
    result = run("check", "--root", str(REPO), str(tmp_path / "in"), "--as-of", "2025-12-31", "--format", "json",
                 "-j", "1")
    report = json.loads(result.stdout)
    late = [f for f in report["findings"] if f["rule"] == "GK09-05"]
    assert [(f["record"]["source"], f["outcome"], f["expected"]) for f in late] == [
        (str(filled), "fail", "≤ 2025-10-09")]  # 10 days from 09-26 end in the holiday: moved to 10-09


def test_an_unexpected_error_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    import qmsdoc.cli

    def broken(root: Path) -> None:
        raise RuntimeError("boom")
    monkeypatch.setattr(qmsdoc.cli, "load_project", broken)
    monkeypatch.delenv("QMSDOC_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["lint", "--root", str(REPO)])
    assert result.exit_code == 2
    assert "qmsdoc: internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output
