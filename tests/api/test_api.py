"""The Python API (qmsdoc.api), used the way a script would: nothing else from the package is imported.

What the API gives must be what the command line gives: the bundled document set lints clean, builds
the same documents, reads the same records and finds exactly the findings the example records declare
(tests/checker/examples_expected.json, the file the checker's own example test uses).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from qmsdoc import api

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "records" / "examples"
EXPECTED = REPO / "tests" / "checker" / "examples_expected.json"
AS_OF = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def project() -> api.Project:
    return api.load_project(REPO)


def test_load_project_gives_the_documents(project: api.Project) -> None:
    assert "SJE/ZY/GK-09" in project.procedures
    form = project.forms["SJE/JL/GK-09-01"]
    assert isinstance(form, api.Form) and form.procedure == "SJE/ZY/GK-09"
    assert all(isinstance(p, api.Procedure) for p in project.procedures.values())


def test_a_broken_project_raises_with_every_problem_placed(tmp_path: Path) -> None:
    (tmp_path / "qmsdoc.yaml").write_text((REPO / "qmsdoc.yaml").read_text(encoding="utf-8")
                                          + "\nunheard_of_key: 1\n", encoding="utf-8")
    with pytest.raises(api.ProjectError) as caught:
        api.load_project(tmp_path)
    problems = caught.value.problems
    assert problems and all(isinstance(p, api.Diagnostic) for p in problems)
    unknown = [p for p in problems if "unheard_of_key" in p.message]
    assert len(unknown) == 1
    assert unknown[0].location.path == "qmsdoc.yaml" and unknown[0].location.line > 1
    assert api.lint(tmp_path) == problems


def test_no_project_is_a_project_error(tmp_path: Path) -> None:
    with pytest.raises(api.ProjectError) as caught:
        api.load_project(tmp_path)
    assert "qmsdoc.yaml not found" in caught.value.problems[0].message


def test_the_bundled_set_lints_clean() -> None:
    assert api.lint(REPO) == []


def test_build_writes_the_documents_in_force_and_is_idempotent(project: api.Project, tmp_path: Path) -> None:
    day = dt.date(2026, 12, 1)
    first = api.build(project, tmp_path, as_of=day)
    kinds = Counter(b.kind for b in first)
    assert kinds["procedure"] >= len(project.procedures) and kinds["form"] >= len(project.forms)
    assert all(b.changed and b.path.is_file() and b.path.suffix == ".docx" for b in first)
    assert all(b.path.read_bytes()[:2] == b"PK" for b in first)
    again = api.build(project, tmp_path, as_of=day)
    assert [(b.id, b.path) for b in again] == [(b.id, b.path) for b in first]
    assert not any(b.changed for b in again)


def test_extract_reads_a_filled_form(project: api.Project) -> None:
    path = EXAMPLES / "docx" / "gk09-01_fk-2025-012.docx"
    record = api.extract(project, path)
    assert isinstance(record, api.Record)
    assert record.form == "SJE/JL/GK-09-01" and record.revision
    assert any(isinstance(v, dt.date) for v in record.fields.values())


def test_extract_refuses_what_is_not_a_form(project: api.Project, tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(api.RecordError) as caught:
        api.extract(project, bad)
    assert caught.value.message


def _keys(report: api.Report) -> Counter[tuple[str, str, str, str]]:
    return Counter((f.record.source, f.record.location, f.rule, f.outcome) for f in report.findings)


def test_check_finds_exactly_the_declared_findings(project: api.Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    report = api.check(project, ["records/examples"], as_of=AS_OF)
    expected = Counter(tuple(row) for row in json.loads(EXPECTED.read_text(encoding="utf-8")))
    assert _keys(report) == expected
    assert report.as_of == AS_OF and report.records > 0
    major = [f for f in report.nonconformities if f.severity is api.Severity.MAJOR]
    assert major and all(isinstance(f.criterion, api.Citation) and f.criterion.document for f in major)


def test_check_records_agrees_with_check_on_files(project: api.Project, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "gk09"
    folder.mkdir()
    for path in sorted((EXAMPLES / "docx").glob("gk09-01_*.docx")):
        try:
            api.extract(project, path)
        except api.RecordError:  # an unreadable file is a finding on files and no record in memory
            continue
        shutil.copy(path, folder / path.name)
    monkeypatch.chdir(tmp_path)
    on_files = api.check(project, ["gk09"], as_of=AS_OF)
    records = [api.extract(project, Path("gk09") / p.name) for p in sorted(folder.iterdir())]
    in_memory = api.check_records(project, records, as_of=AS_OF)
    assert on_files.findings, "the GK-09-01 examples include nonconforming records"
    assert [(f.record.source, f.rule, f.outcome, f.message) for f in in_memory.findings] == \
           [(f.record.source, f.rule, f.outcome, f.message) for f in on_files.findings]
    assert in_memory.records == on_files.records == len(records)


def test_render_report_in_every_format(project: api.Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    report = api.check(project, ["records/examples/json"], as_of=AS_OF)
    data = json.loads(api.render_report(report, project, "json"))
    assert len(data["findings"]) == len(report.findings)
    assert api.render_report(report, project, "docx")[:2] == b"PK"
    with pytest.raises(ValueError, match="unknown report format"):
        api.render_report(report, project, "pdf")


def test_the_api_names_what_it_exports() -> None:
    for name in api.__all__:
        assert hasattr(api, name), name
