"""Hostile exports (JSON, JSON Lines, YAML, CSV): each bad unit is a finding, the good record beside it is checked.

Every case writes a small hostile input (or generates a large one in the test) next to a good
record in the small checker project, runs the real `qmsdoc check` command, and asserts the
finding the bad unit gets (rule, outcome, reason in the report's language), that the good
record was still checked (its own finding is there) and the exit code. Bounds are lowered under
`limits:` in qmsdoc.yaml where that keeps the files small.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from checker.conftest import BASE, FORM
from checker.project_files import FILES
from click.testing import CliRunner

from qmsdoc.cli import main
from qmsdoc.load.labels import load_labels

from conftest import make_project
from support.hang import HANG_SECONDS

AS_OF = "2025-12-31"
LABELS = load_labels("zh-CN")  # the small project's language
SECONDS = HANG_SECONDS
"""A run over one hostile input that takes longer has hung or blown up its work (see support.hang)."""


def reason(key: str, **params: object) -> str:
    """A reason of the catalogue, as findings say it."""
    return LABELS.format(f"reason_{key}", **params)


def unreadable(key: str, **params: object) -> str:
    """The message of a QMS-RECORD finding for a unit that cannot be read for `key`."""
    return LABELS.format("check_unreadable_record", reason=reason(key, **params))


def good(**fields: Any) -> dict[str, Any]:
    """A record that is checked and gets exactly one finding of its own: T-01, its note is blank."""
    return {"form": FORM, "revision": "B/0", "fields": {**BASE, "record_no": "GOOD", "note": "", **fields}}


def record(record_no: str, **fields: Any) -> dict[str, Any]:
    return {"form": FORM, "revision": "B/0", "fields": {**BASE, "record_no": record_no, **fields}}


@dataclass
class Run:
    """One `qmsdoc check` run: exit code, the JSON report, stderr and how long it took."""

    exit_code: int
    report: dict[str, Any]
    seconds: float

    def findings(self, source: str, rule: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.report["findings"] if f["record"]["source"] == source
                and (rule is None or f["rule"] == rule)]

    def outcomes(self, source: str, rule: str) -> list[tuple[str, str]]:
        """(location, outcome) of the findings of `rule` on `source`."""
        return [(f["record"]["location"], f["outcome"]) for f in self.findings(source, rule)]

    def assert_good_checked(self, source: str) -> None:
        """The good record was read and checked: its own finding (blank note) is there."""
        own = [(f["rule"], f["outcome"], f["fields"]) for f in self.findings(source) if f["rule"] == "T-01"]
        assert own == [("T-01", "missing", ["note"])], self.findings(source)
        assert not self.findings(source, "QMS-RECORD")


def check(root: Path, *paths: Path, options: tuple[str, ...] = ()) -> Run:
    """The real command line over `paths`, JSON report on standard output."""
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["check", "--root", str(root), *map(str, paths), "--as-of", AS_OF, "-j", "1",
                                       "--format", "json", *options], catch_exceptions=False)
    seconds = time.perf_counter() - start
    assert result.exit_code in (0, 1), result.output
    return Run(result.exit_code, json.loads(result.stdout), seconds)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("site"), FILES)


def limited(tmp_path: Path, **limits: int) -> Path:
    """The small project with some bounds lowered under `limits:` in its qmsdoc.yaml."""
    (tmp_path / "site").mkdir()
    root = make_project(tmp_path / "site", FILES)
    with (root / "qmsdoc.yaml").open("a", encoding="utf-8") as fh:
        fh.write("limits:\n" + "".join(f"  {key}: {value}\n" for key, value in limits.items()))
    return root


def records(root: Path, name: str, files: dict[str, str | bytes]) -> Path:
    """A records folder `name` inside the project with `files` and good.json; sources are named `name/…`."""
    folder = root / name
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(good(), ensure_ascii=False), encoding="utf-8")
    for file_name, data in files.items():
        path = folder / file_name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return folder


def jsonl(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def line(raw: dict[str, Any], **literals: str) -> str:
    """A record as one JSON line, with `literals` written as is into its fields (5,000 digits, NaN…)."""
    fields = {k: f"@{k}@" for k in literals}
    text = json.dumps({**raw, "fields": {**raw["fields"], **fields}}, ensure_ascii=False)
    for key, literal in literals.items():
        text = text.replace(f'"@{key}@"', literal)
    return text


def value_reasons(run: Run, source: str) -> list[tuple[str, str, str]]:
    """(location, field, outcome) of each QMS-VALUE finding on `source`, with the message checked to say why."""
    return [(f["record"]["location"], f["fields"][0], f["outcome"]) for f in run.findings(source, "QMS-VALUE")]


# -- dates ---------------------------------------------------------------------------------


def test_dates_outside_the_bounded_years_are_impossible_values_and_the_record_is_checked(
        site: Path, tmp_path: Path) -> None:
    hostile = record("Y9999", issued_on="9999-12-30", note="", received_at="0001-01-01T00:00:00+08:00",
                     replied_at="2025-09-02 10:00", supply_at="9999-12-31 23:59")
    folder = records(site, tmp_path.name, {"dates.json": json.dumps(hostile, ensure_ascii=False)})
    run = check(site, folder, options=("--since", "2025-01-01"))  # frequency periods from 2025 (T-13)
    source = f"{tmp_path.name}/dates.json"
    assert value_reasons(run, source) == [("", "issued_on", "impossible"), ("", "received_at", "impossible"),
                                          ("", "supply_at", "impossible")]
    messages = [f["message"] for f in run.findings(source, "QMS-VALUE")]
    assert reason("year_out_of_range", year=9999, min=1900, max=2200) in messages[0]
    assert reason("year_out_of_range", year=1, min=1900, max=2200) in messages[1]
    assert [f["rule"] for f in run.findings(source) if f["rule"] == "T-01"] == ["T-01"]  # the rest was checked
    assert not run.findings(source, "QMS-RECORD")
    assert [f["record"]["location"] for f in run.report["findings"] if f["rule"] == "T-13"] == ["2025-Q1", "2025-Q2"]
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.report["counts"]["records"] == 2
    assert run.exit_code == 1


# -- numbers -------------------------------------------------------------------------------


def test_json_number_literals_are_bounded_before_conversion(site: Path, tmp_path: Path) -> None:
    huge = "9" * 5000
    lines = [
        line(record("L1"), amount=huge),                       # 2: an integer past Python's 4,300 digits
        line(record("L2"), zz=huge),                           # 3: the same under an unknown key
        line(record("L3"), amount="NaN"),                      # 4
        line(record("L4"), amount="Infinity"),                 # 5
        line(record("L5"), output_value="-Infinity"),          # 6
        line(record("L6"), amount="1e5000"),                   # 7
        line(record("L7"), rate="1e100000000"),                # 8
        line(record("L8"), batch="-1e-400"),                   # 9
        line(record("L9"), target_year="1" + "0" * 35),        # 10: 36 digits, past 1e30
    ]
    folder = records(site, tmp_path.name, {"numbers.jsonl": jsonl(json.dumps(good(record_no="G2")), *lines)})
    run = check(site, folder)
    source = f"{tmp_path.name}/numbers.jsonl"
    assert value_reasons(run, source) == [
        ("2", "amount", "unreadable"), ("3", "zz", "unreadable"), ("4", "amount", "unreadable"),
        ("5", "amount", "unreadable"), ("6", "output_value", "unreadable"), ("7", "amount", "unreadable"),
        ("8", "rate", "unreadable"), ("9", "batch", "unreadable"), ("10", "target_year", "unreadable")]
    messages = {f["record"]["location"]: f["message"] for f in run.findings(source, "QMS-VALUE")}
    assert reason("number_digits", digits=5000, limit=40) in messages["2"]
    assert reason("unknown_field", form=FORM) in messages["3"] and "99999999…" in messages["3"]
    assert all(reason("not_a_number") in messages[n] for n in ("4", "5", "6"))
    assert all(reason("number_exponent", limit=30) in messages[n] for n in ("7", "8", "9", "10"))
    assert not run.findings(source, "QMS-RECORD")  # no line was lost to an internal error
    assert run.outcomes(source, "T-01") == [("1", "missing")]  # the good line beside them
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.report["counts"]["records"] == 11
    assert run.seconds < SECONDS
    assert run.exit_code == 1


def test_yaml_csv_and_json_number_texts_are_bounded(site: Path, tmp_path: Path) -> None:
    yaml_text = (f"form: {FORM}\nrevision: B/0\nfields:\n  record_no: Y1\n  issued_on: 2025-09-01\n"
                 "  returned_on: 2025-09-01\n  owner: 张三\n  note: x\n  attached: 'true'\n"
                 "  leader: {name: 李四, date: 2025-09-02}\n  staff: [{name: 王五}]\n"
                 f"  amount: 1e999999\n  target_year: {'9' * 5000}\n")
    header = "form,revision,record_no,issued_on,returned_on,owner,note,attached,leader.name,leader.date," \
             "staff.1.name,amount,batch\n"
    row = f"{FORM},B/0,C1,2025-09-01,2025-09-01,张三,x,是,李四,2025-09-02,王五,1e100000000,NaN\n"
    as_json = line(record("J1"), amount="1E+31")
    folder = records(site, tmp_path.name, {"one.yaml": yaml_text, "rows.csv": header + row, "one.json": as_json})
    run = check(site, folder)
    name = tmp_path.name
    assert value_reasons(run, f"{name}/one.yaml") == [("1", "amount", "unreadable"),
                                                      ("1", "target_year", "unreadable")]
    assert value_reasons(run, f"{name}/rows.csv") == [("2", "amount", "unreadable"), ("2", "batch", "unreadable")]
    assert value_reasons(run, f"{name}/one.json") == [("", "amount", "unreadable")]
    yaml_messages = [f["message"] for f in run.findings(f"{name}/one.yaml", "QMS-VALUE")]
    assert reason("number_exponent", limit=30) in yaml_messages[0]
    assert reason("number_digits", digits=5000, limit=40) in yaml_messages[1]
    run.assert_good_checked(f"{name}/good.json")
    assert run.report["counts"]["records"] == 4
    assert run.seconds < SECONDS
    assert run.exit_code == 1


def test_huge_values_against_limit_and_date_rules_leave_the_rest_of_the_record_checked(
        site: Path, tmp_path: Path) -> None:
    lines = [
        line(record("BIG", note=""), amount='"1e29"', output_value='"1"'),   # within the bounds: a real limit
        line(record("YEAR", note=""), target_year='"1e999999"'),             # T-12: date(target_year - 1, 12, 15)
        line(record("HOURS", note=""), received_at='"9999-12-31T23:00:00+08:00"', replied_at='"2025-09-03 10:00"'),
    ]
    folder = records(site, tmp_path.name, {"values.jsonl": jsonl(*lines)})
    run = check(site, folder)
    source = f"{tmp_path.name}/values.jsonl"
    limit = run.findings(source, "T-09")
    assert [(f["record"]["location"], f["outcome"], f["expected"]) for f in limit] == [("1", "fail", "≤ 0.01")]
    assert "100000000000000000000000000000" in limit[0]["message"]
    assert value_reasons(run, source) == [("2", "target_year", "unreadable"), ("3", "received_at", "impossible")]
    assert run.outcomes(source, "T-01") == [("1", "missing"), ("2", "missing"), ("3", "missing")]
    assert not run.findings(source, "QMS-RECORD") and not run.findings(source, "T-12")
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.seconds < SECONDS
    assert run.exit_code == 1


def test_a_minor_value_problem_alone_passes_fail_on_major(site: Path, tmp_path: Path) -> None:
    folder = records(site, tmp_path.name, {"nan.jsonl": jsonl(line(record("N1"), amount="NaN"))})
    run = check(site, folder, options=("--fail-on", "major"))
    assert value_reasons(run, f"{tmp_path.name}/nan.jsonl") == [("1", "amount", "unreadable")]
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.exit_code == 0  # QMS-VALUE and T-01 are minor


# -- amplification ---------------------------------------------------------------------------


def test_a_wide_csv_header_is_one_finding(site: Path, tmp_path: Path) -> None:
    columns = 100_000
    header = "form,revision,record_no," + ",".join(f"c{i}" for i in range(columns)) + "\n"
    rows = "".join(f"{FORM},B/0,W{n}" + "," * columns + "\n" for n in range(5))
    folder = records(site, tmp_path.name, {"wide.csv": header + rows})
    run = check(site, folder)
    source = f"{tmp_path.name}/wide.csv"
    assert [(f["record"]["location"], f["rule"], f["message"]) for f in run.findings(source)] == [
        ("1", "QMS-RECORD", unreadable("csv_columns", columns=columns + 3, limit=2000))]
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.report["counts"]["records"] == 1
    assert run.seconds < SECONDS
    assert run.exit_code == 1


def test_a_null_array_gives_a_bounded_number_of_findings(site: Path, tmp_path: Path) -> None:
    nulls = 1_000_000  # 5 MB
    folder = records(site, tmp_path.name, {"nulls.json": "[" + ",".join(["null"] * nulls) + "]"})
    run = check(site, folder)
    source = f"{tmp_path.name}/nulls.json"
    found = run.findings(source)
    assert len(found) == 102
    assert {f["message"] for f in found[:100]} == {unreadable("record_shape")}
    assert [f["record"]["location"] for f in found[:100]] == [f"#{n}" for n in range(1, 101)]
    assert [(f["record"]["location"], f["rule"], f["message"]) for f in found[100:]] == [
        ("#101", "QMS-RECORD", unreadable("more_unreadable", count=99_900, limit=100)),
        ("#100001", "QMS-RECORD", unreadable("too_many_units", limit=100_000))]
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.seconds < SECONDS
    assert run.exit_code == 1


def test_a_record_with_many_problems_lists_the_bound_then_counts_the_rest(site: Path, tmp_path: Path) -> None:
    flooded = good(record_no="FLOOD", **{f"k{i}": i for i in range(100_000)})  # 100,000 unknown entries, 1.5 MB
    rows = good(record_no="ROWS", staff=[{"name": "王五", "via": "mail"}] * 20_000)  # a bad option in every row
    folder = records(site, tmp_path.name, {"flood.json": json.dumps(flooded), "rows.json": json.dumps(rows)})
    run = check(site, folder)
    for name, values, more in (("flood.json", 99, 100_000 - 99), ("rows.json", 99, 20_000 - 99)):
        found = run.findings(f"{tmp_path.name}/{name}")
        counted = Counter(f["rule"] for f in found)
        assert counted == {"T-01": 1, "QMS-VALUE": values, "QMS-MORE": 1, "T-15": 1}, counted  # a rule's listed first
        summary = next(f for f in found if f["rule"] == "QMS-MORE")
        assert summary["message"] == LABELS.format("check_more", count=more, limit=100)
        assert (summary["severity"], summary["title"]) == ("minor", LABELS["check_title_more"])
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.seconds < SECONDS
    assert run.exit_code == 1


def test_units_past_units_per_file_end_each_file_with_one_finding(tmp_path: Path) -> None:
    root = limited(tmp_path, units_per_file=5)
    many = [record(f"M{n}") for n in range(1, 9)]
    header = "form,revision,record_no,issued_on,returned_on,owner,note,attached,leader.name,leader.date,staff.1.name\n"
    csv_rows = "".join(f"{FORM},B/0,C{n},2025-09-01,2025-09-01,张三,x,是,李四,2025-09-02,王五\n" for n in range(8))
    yaml_docs = "---\n".join(f"form: {FORM}\nrevision: B/0\nfields: {json.dumps(r['fields'], ensure_ascii=False)}\n"
                             for r in many)
    folder = records(root, "in", {"many.json": json.dumps(many, ensure_ascii=False),
                                  "many.jsonl": jsonl(*(json.dumps(r, ensure_ascii=False) for r in many)),
                                  "many.yaml": yaml_docs, "many.csv": header + csv_rows})
    run = check(root, folder)
    message = unreadable("too_many_units", limit=5)
    for name, where in (("many.json", "#6"), ("many.jsonl", "6"), ("many.yaml", "21"), ("many.csv", "7")):
        assert [(f["record"]["location"], f["message"]) for f in run.findings(f"in/{name}", "QMS-RECORD")] == [
            (where, message)], name
    run.assert_good_checked("in/good.json")
    assert run.report["counts"]["records"] == 4 * 5 + 1
    assert run.exit_code == 1


# -- sizes and shapes ------------------------------------------------------------------------


def test_long_lines_and_large_files_are_refused_before_reading(tmp_path: Path) -> None:
    root = limited(tmp_path, line_bytes=2_000, record_file_bytes=50_000)
    padded = json.dumps(record("LONG", note="x" * 5_000), ensure_ascii=False)
    big = json.dumps(record("BIG", note="x" * 60_000), ensure_ascii=False)
    header = "form,revision,record_no,note\n"
    rows = f"{FORM},B/0,R1,\n{FORM},B/0,R2,{'x' * 5_000}\n{FORM},B/0,R3,\n"
    folder = records(root, "in", {
        "lines.jsonl": jsonl(json.dumps(record("L1", note="")), padded, json.dumps(record("L3", note=""))),
        "rows.csv": header + rows,
        "big.json": big, "big.jsonl": big + "\n", "big.yaml": f"note: {'x' * 60_000}\n", "big.csv": "x" * 60_000})
    run = check(root, folder)
    for name in ("lines.jsonl", "rows.csv"):
        assert [(f["record"]["location"], f["message"]) for f in run.findings(f"in/{name}", "QMS-RECORD")] == [
            ("2" if name == "lines.jsonl" else "3", unreadable("line_too_long", limit=2_000))], name
    assert run.outcomes("in/lines.jsonl", "T-01") == [("1", "missing"), ("3", "missing")]  # the lines around it
    assert {where for where, _ in run.outcomes("in/rows.csv", "T-01")} == {"2", "4"}  # the rows around it
    for name in ("big.json", "big.jsonl", "big.yaml", "big.csv"):
        size = (folder / name).stat().st_size
        assert [f["message"] for f in run.findings(f"in/{name}")] == [
            unreadable("too_large", size=size, limit=50_000)], name
    run.assert_good_checked("in/good.json")
    assert run.exit_code == 1


def test_deep_nesting_is_a_finding_and_shallow_values_are_shown_short(site: Path, tmp_path: Path) -> None:
    deep_value = line(record("DEEP", note=""), zz="[" * 500 + "]" * 500)  # within json's own limit, past 64
    shallow = line(record("SHALLOW", note=""), zz="[" * 60 + "1" * 200 + "]" * 60)  # within nesting_depth
    folder = records(site, tmp_path.name, {
        "deep.jsonl": jsonl("[" * 100_000 + "]" * 100_000, deep_value, shallow),
        "deep.json": "{" + '"a":{' * 50_000 + "}" * 50_001})
    run = check(site, folder)
    source = f"{tmp_path.name}/deep.jsonl"
    assert [(f["record"]["location"], f["message"]) for f in run.findings(source, "QMS-RECORD")] == [
        ("1", unreadable("too_deep")), ("2", unreadable("too_deep"))]
    shown = run.findings(source, "QMS-VALUE")
    assert [(f["record"]["location"], f["fields"]) for f in shown] == [("3", ["zz"])]
    assert len(shown[0]["values"]["zz"]) <= 80
    assert [f["message"] for f in run.findings(f"{tmp_path.name}/deep.json")] == [unreadable("too_deep")]
    run.assert_good_checked(f"{tmp_path.name}/good.json")
    assert run.exit_code == 1
