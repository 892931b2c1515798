"""Hostile runs: whatever one file, folder, link, line or rule does, `qmsdoc check` finishes with a report.

Rules over the set that fail, file names that are not UTF-8, FIFOs named on the command line or
met in a folder, folders and files that cannot be read, symbolic links out of the folder and
link loops, a JSON Lines file full of bad lines cut over several workers, numbers and years
typed into a filled form for `extract`: each is a finding (or, for `extract`, one line on
standard error) about that unit, the good records beside it are checked, and the exit codes are
the documented ones (2 only for usage errors and rules that do not load).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from checker.conftest import BASE, FORM, TRIP
from checker.project_files import FILES, RULES
from click.testing import CliRunner

from hostile.test_exports import (
    AS_OF,
    LABELS,
    SECONDS,
    check,
    good,
    jsonl,
    limited,
    reason,
    record,
    records,
    unreadable,
)
from qmsdoc.checker import engine, kinds, quick
from qmsdoc.checker import run as run_module
from qmsdoc.cli import main
from qmsdoc.generator.render import render_document
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.records import Record
from qmsdoc.model.rules import Env

from conftest import REPO, make_project
from support.fill import fill_docx

TRIP_RECORD = {"form": TRIP, "revision": "A/0",
               "fields": {"record_no": "TR-1", "salesperson": "张三", "returned_on": "2025-09-03"}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("site"), FILES)


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: a FIFO opened by mistake would block it, and the timeout
    would say so instead of hanging the suite."""
    code = "import sys; from qmsdoc.cli import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(REPO), os.environ.get("PYTHONPATH", "")))}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


# -- the set phase ---------------------------------------------------------------------------


def test_a_year_9999_record_on_a_form_with_a_frequency_rule_is_a_finding(site: Path, tmp_path: Path) -> None:
    hostile = record("Y9999", issued_on="9999-12-30")
    folder = records(site, tmp_path.name, {"y.json": json.dumps(hostile, ensure_ascii=False)})
    run = check(site, folder, options=("--since", "2025-01-01"))
    found = run.findings(f"{tmp_path.name}/y.json", "QMS-VALUE")
    assert [(f["fields"], f["outcome"]) for f in found] == [(["issued_on"], "impossible")]
    assert reason("year_out_of_range", year=9999, min=1900, max=2200) in found[0]["message"]
    assert [f["record"]["location"] for f in run.report["findings"] if f["rule"] == "T-13"] == ["2025-Q1", "2025-Q2"]
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.exit_code == 1


def test_a_set_rule_that_fails_is_a_finding_and_the_other_set_rules_run(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> list[Any]:
        raise RuntimeError("boom")
    monkeypatch.setitem(engine.CHECKS, "frequency", broken)
    folder = records(site, tmp_path.name, {"again.json": json.dumps(good(), ensure_ascii=False)})
    run = check(site, folder, options=("--since", "2025-01-01"))
    failed = [f for f in run.report["findings"] if f["rule"] == "T-13"]
    assert [(f["outcome"], f["message"]) for f in failed] == [
        ("cannot_evaluate", LABELS.format("check_cannot_evaluate",
                                          reason=reason("rule_error", error="RuntimeError: boom")))]
    assert [f["rule"] for f in run.report["findings"] if f["rule"] == "T-14"] == ["T-14"]  # the same record twice
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.exit_code == 1


def test_a_matched_rule_that_fails_on_one_pair_is_a_finding_on_that_record(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.CHECKS["deadline"]

    def broken(rule: Any, spec: Any, view: kinds.View, ctx: kinds.Context) -> list[kinds.Issue]:
        if view.match is not None and view.fields.get("record_no") == "BAD":
            raise ValueError("year 10000 is out of range")
        return real(rule, spec, view, ctx)
    monkeypatch.setitem(engine.CHECKS, "deadline", broken)
    # every pair goes to the full check: a pair the compiled rule passes (checker/quick.py) never reaches it
    monkeypatch.setattr(quick, "compile_pair_quick", lambda *args: None)
    folder = records(site, tmp_path.name, {
        "bad.json": json.dumps(record("BAD"), ensure_ascii=False),
        "late.json": json.dumps(record("LATE", copy_on="2025-09-20"), ensure_ascii=False),
        "trip.json": json.dumps(TRIP_RECORD, ensure_ascii=False)})
    run = check(site, folder)
    assert run.outcomes(f"{tmp_path.name}/bad.json", "T-15") == [("", "cannot_evaluate")]
    assert reason("rule_error", error="ValueError: year 10000 is out of range") in \
        run.findings(f"{tmp_path.name}/bad.json", "T-15")[0]["message"]
    assert run.outcomes(f"{tmp_path.name}/late.json", "T-15") == [("", "fail")]  # the other pair was judged
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.exit_code == 1


def test_an_amount_beyond_a_hundred_years_cannot_be_evaluated(tmp_path: Path) -> None:
    extra = ("  - code: T-90\n    title: 按批次计的期限\n    form: SJE/JL/GK-90-01\n    clause: 第一条\n"
             "    severity: minor\n    deadline: {from: returned_on, to: copy_on, within: batch * 1000}\n")
    (tmp_path / "site").mkdir()
    root = make_project(tmp_path / "site", {**FILES, "rules/T.yaml": RULES + extra})
    folder = records(root, "in", {"huge.json": json.dumps(record("HUGE", batch="1e29"), ensure_ascii=False),
                                  "fine.json": json.dumps(record("FINE", batch="2"), ensure_ascii=False)})
    run = check(root, folder)
    huge = run.findings("in/huge.json", "T-90")
    assert [(f["outcome"], f["fields"]) for f in huge] == [("cannot_evaluate", ["returned_on"])]
    assert "beyond ±36500 calendar days" in huge[0]["message"]
    assert run.findings("in/fine.json", "T-90") == []
    run.assert_good_checked("in/good.json")
    assert run.seconds < SECONDS
    with pytest.raises(kinds.CannotEvaluate):
        kinds.amount(10**30, Env({}, None, dt.date(2025, 12, 31)))
    assert kinds.amount(36_500, Env({}, None, dt.date(2025, 12, 31))) == 36_500
    assert kinds.amount(36_500 * 24, Env({}, None, dt.date(2025, 12, 31)), "hours") == 36_500 * 24


# -- names, special files, folders and links -------------------------------------------------


def test_file_names_that_are_not_utf8_are_shown_escaped_in_every_report(site: Path, tmp_path: Path) -> None:
    folder = records(site, tmp_path.name, {})
    (folder / os.fsdecode(b"bad\xff.json")).write_text(json.dumps(good(record_no="NAME"), ensure_ascii=False),
                                                      encoding="utf-8")
    out = tmp_path / "out"
    reports = ["-o", str(out / "r.txt"), "-o", str(out / "r.jsonl"), "-o", str(out / "r.xml"),
               "-o", str(out / "r.sarif"), "-o", str(out / "r.html"), "-o", str(out / "r.docx")]
    run = check(site, folder, options=tuple(reports))
    run.assert_good_checked(f"{tmp_path.name}/bad\\xff.json")
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert "bad\\xff.json" in (out / "r.txt").read_text(encoding="utf-8")
    assert all((out / name).stat().st_size > 0 for name in ("r.jsonl", "r.xml", "r.sarif", "r.html", "r.docx"))
    assert run.exit_code == 1


def test_fifos_are_findings_never_opened(site: Path, tmp_path: Path) -> None:
    folder = records(site, tmp_path.name, {})
    for name in ("direct.jsonl", "direct.docx", "inside.json"):
        os.mkfifo(folder / name)
    os.mkfifo(tmp_path / "no-suffix")
    start = time.perf_counter()
    done = cli("check", "--root", str(site), str(folder), str(folder / "direct.jsonl"), str(folder / "direct.docx"),
               str(tmp_path / "no-suffix"), "--as-of", "2025-12-31", "-j", "1", "--format", "json", cwd=site)
    assert time.perf_counter() - start < 30
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    name = tmp_path.name
    refused = sorted((f["record"]["source"], f["message"]) for f in report["findings"] if f["rule"] == "QMS-RECORD")
    assert refused == sorted([(f"{name}/direct.docx", unreadable("not_regular")),
                              (f"{name}/direct.jsonl", unreadable("not_regular")),
                              (f"{name}/inside.json", unreadable("not_regular")),
                              (str(tmp_path / "no-suffix"), unreadable("not_regular"))])
    assert [f["rule"] for f in report["findings"] if f["record"]["source"] == f"{name}/good.json"
            and f["rule"] == "T-01"] == ["T-01"]


def test_an_unreadable_folder_or_file_is_a_finding(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = records(site, tmp_path.name, {"secret.json": json.dumps(record("SECRET"), ensure_ascii=False)})
    (folder / "locked").mkdir()
    (folder / "locked" / "hidden.json").write_text(json.dumps(record("LOCKED")), encoding="utf-8")
    real_scandir, real_open = os.scandir, os.open

    def scandir(path: Any) -> Any:  # as for a folder without read permission (the tests may run as root)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(os.fsdecode(path)).name == "secret.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", open_)
    run = check(site, folder)
    monkeypatch.undo()
    name = tmp_path.name
    assert [f["message"] for f in run.findings(f"{name}/locked")] == [
        unreadable("folder_unreadable", reason="permission denied")]
    assert [f["message"] for f in run.findings(f"{name}/secret.json")] == [
        unreadable("cannot_read", reason="permission denied")]
    run.assert_good_checked(f"{name}/good.json")
    assert run.report["counts"]["records"] == 1
    assert run.exit_code == 1


def test_links_out_of_the_folder_are_followed_only_when_asked_and_loops_end(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "out.json").write_text(json.dumps(good(record_no="OUT"), ensure_ascii=False), encoding="utf-8")
    folder = records(site, tmp_path.name, {})
    (folder / "sub").mkdir()
    (folder / "sub" / "in.json").write_text(json.dumps(good(record_no="IN"), ensure_ascii=False), encoding="utf-8")
    (folder / "to-outside").symlink_to(outside)
    (folder / "out-file.json").symlink_to(outside / "out.json")
    (folder / "alias").symlink_to(folder / "sub")  # inside: its records are checked once
    (folder / "sub" / "up").symlink_to(folder)  # a loop back to the top
    (folder / "loop.json").symlink_to(folder / "loop.json")  # a link to itself
    name = tmp_path.name
    plain = check(site, folder)
    assert sorted((f["record"]["source"], f["message"]) for f in plain.report["findings"]
                  if f["rule"] == "QMS-RECORD") == sorted([
        (f"{name}/loop.json", unreadable("cannot_read", reason="Too many levels of symbolic links")),
        (f"{name}/out-file.json", unreadable("link_outside", target=str((outside / "out.json").resolve()))),
        (f"{name}/to-outside", unreadable("link_outside", target=str(outside.resolve())))])
    plain.assert_good_checked(f"{name}/good.json")
    assert plain.report["counts"]["records"] == 2  # good.json and sub/in.json (once, not again through alias)
    followed = check(site, folder, options=("--follow-links",))
    assert [(f["record"]["source"], f["rule"]) for f in followed.report["findings"] if f["rule"] == "QMS-RECORD"] == [
        (f"{name}/loop.json", "QMS-RECORD")]
    followed.assert_good_checked(f"{name}/out-file.json")  # named by the link it was reached through
    assert followed.report["counts"]["records"] == 3  # out.json once, by whichever link came first
    assert plain.seconds < SECONDS and followed.seconds < SECONDS
    assert plain.exit_code == followed.exit_code == 1


# -- JSON Lines cut over workers -------------------------------------------------------------


def test_bad_lines_of_a_large_json_lines_file_are_listed_up_to_the_bound_over_all_its_slices(
        site: Path, tmp_path: Path) -> None:
    broken = "{" + "x" * 1_000  # 5,000 broken lines of 1 KB: 5 MB, three slices
    lines = [json.dumps(good(record_no="FIRST"), ensure_ascii=False), *[broken] * 5_000,
             json.dumps(good(record_no="LAST"), ensure_ascii=False)]
    folder = records(site, tmp_path.name, {"big.jsonl": jsonl(*lines)})
    source = f"{tmp_path.name}/big.jsonl"
    runs = [check(site, folder, options=("-j", str(jobs))) for jobs in (1, 2)]
    assert runs[0].report == runs[1].report
    run = runs[0]
    listed = run.findings(source, "QMS-RECORD")
    assert [f["record"]["location"] for f in listed] == [str(n) for n in range(2, 103)]
    assert {f["message"] for f in listed[:100]} == {unreadable("not_json")}
    assert listed[100]["message"] == unreadable("more_unreadable", count=4_900, limit=100)
    assert run.outcomes(source, "T-01") == [("1", "missing"), ("5002", "missing")]  # line numbers across slices
    assert run.report["counts"]["records"] == 3
    assert all(r.seconds < SECONDS for r in runs)
    assert run.exit_code == 1


def test_each_line_keeps_its_own_outcome_whatever_the_batch_it_is_checked_in(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit reads a batch of records, then checks the batch: good records, broken lines and a record the
    checker fails on, mixed across batch boundaries, each keep their own outcome and place."""
    lines = [json.dumps(good(record_no=f"R{n}"), ensure_ascii=False) if n % 7 else "{" for n in range(1, 301)]
    folder = records(site, tmp_path.name, {"mixed.jsonl": jsonl(*lines)})
    real = engine.Checker.check_record

    def failing(self: engine.Checker, item: Record) -> engine.Checked:
        if item.fields.get("record_no") == "R100":
            raise RuntimeError("boom")
        return real(self, item)
    monkeypatch.setattr(engine.Checker, "check_record", failing)
    checker = engine.Checker(load_project(site), LABELS, dt.date.fromisoformat(AS_OF), scope=site.name)
    reports = []
    for size in (1, 7, 64, run_module.RECORD_BATCH):
        monkeypatch.setattr(run_module, "RECORD_BATCH", size)
        reports.append(run_module.check_paths(checker, [folder], jobs=1, root=site))
    assert all(r == reports[0] for r in reports[1:])
    source = f"{tmp_path.name}/mixed.jsonl"
    report = reports[0]
    said: dict[str, set[tuple[str, str]]] = {}
    for f in report.findings:
        if f.record.source == source:
            said.setdefault(f.record.location, set()).add((f.rule, f.outcome))
    assert set(said) == {str(n) for n in range(1, 301)}
    for n in range(1, 301):
        unread = ("QMS-RECORD", "unreadable_record") in said[str(n)]
        assert unread == (n % 7 == 0 or n == 100), n
        assert (("T-01", "missing") in said[str(n)]) != unread, n
    checked = {ref.location: codes for ref, codes in report.checked if ref.source == source}
    assert len(checked) == 300 and checked["100"] == checked["7"] == ("QMS-RECORD",) and "T-01" in checked["1"]
    assert report.records == 300 - 300 // 7 + 1  # the good lines and the one that failed, and good.json


# -- exit codes ------------------------------------------------------------------------------


def test_exit_codes(site: Path, tmp_path: Path) -> None:
    folder = records(site, tmp_path.name, {"nulls.json": "[null, null]", "nan.jsonl": '{"form": NaN}\n'})
    assert check(site, folder).exit_code == 1
    assert check(site, folder, options=("--exit-zero",)).exit_code == 0
    usage = CliRunner().invoke(main, ["check", "--root", str(site), str(folder), "--as-of", "2025-13-01"])
    assert usage.exit_code == 2
    bad_rules = limited(tmp_path, units_per_file=5)
    (bad_rules / "rules" / "T.yaml").write_text("procedure: SJE/ZY/GK-90\nrules: [{code: bad}]\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["check", "--root", str(bad_rules), str(folder)]).exit_code == 2


# -- extract ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blank_form(site: Path) -> bytes:
    """The small project's form, blank, as `qmsdoc build` makes it."""
    project = load_project(site)
    return render_document(project, project.forms[FORM], load_labels(project.site.language))


def test_extract_reports_numbers_and_years_past_the_bounds_as_problems(
        site: Path, tmp_path: Path, blank_form: bytes) -> None:
    filled = tmp_path / "filled.docx"
    filled.write_bytes(fill_docx(blank_form, {
        **{k: v for k, v in BASE.items() if isinstance(v, str)}, "leader.name": "李四", "leader.date": "2025-09-02",
        "amount": "1e5000", "rate": "1e100000000", "target_year": "1e999999", "batch": "9" * 5000,
        "issued_on": "9999-12-31", "received_at": "0001-01-01 00:00"}))
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["extract", "--root", str(site), str(filled)], catch_exceptions=False)
    assert time.perf_counter() - start < SECONDS
    assert result.exit_code == 0, result.output
    [out] = json.loads(result.stdout)
    problems = {p["field"]: p["message"] for p in out["problems"]}
    assert sorted(problems) == ["amount", "batch", "issued_on", "rate", "received_at", "target_year"]
    assert "limit number_exponent: 30" in problems["amount"] and "limit number_digits: 40" in problems["batch"]
    assert "limit year_max: 2200" in problems["issued_on"] and "limit year_min: 1900" in problems["received_at"]
    assert out["fields"]["amount"] is None and out["fields"]["owner"] == "张三"
    run = check(site, filled)  # the same form checked: T-12's date arithmetic never sees 1e999999
    assert {f["fields"][0] for f in run.findings(str(filled), "QMS-VALUE")} == set(problems)
    assert run.seconds < SECONDS


def test_extract_reads_the_good_files_and_names_each_bad_one(site: Path, tmp_path: Path, blank_form: bytes) -> None:
    good_docx = tmp_path / "good.docx"
    good_docx.write_bytes(fill_docx(blank_form, {"record_no": "X-1", "owner": "张三"}))
    os.mkfifo(tmp_path / "pipe.docx")
    (tmp_path / "text.docx").write_text("not a zip", encoding="utf-8")
    done = cli("extract", "--root", str(site), str(tmp_path / "pipe.docx"), str(good_docx),
               str(tmp_path / "text.docx"), str(tmp_path / "missing.docx"), cwd=site)
    assert done.returncode == 1
    assert [row["fields"]["record_no"] for row in json.loads(done.stdout)] == ["X-1"]
    errors = done.stderr.splitlines()
    assert len(errors) == 3 and [e.split(": error: ")[0] for e in errors] == [
        str(tmp_path / name) for name in ("pipe.docx", "text.docx", "missing.docx")]
    usage = cli("extract", "--root", str(site), cwd=site)
    assert usage.returncode == 2
