"""Date-times typed by hand into a filled form: read in the site's time zone, or reported as a problem."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from lifecycle.walk import run

from qmsdoc.generator.render import render_document
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.project import Project
from qmsdoc.model.records import DateOnly, Record
from qmsdoc.records.docx_form import read_docx_form

from conftest import REPO, make_project
from support.fill import fill_docx
from support.sources import form_text, procedure_text

FORM = "SJE/JL/GK-90-01"

PROCEDURE = procedure_text("1. 顾客来电在72小时内答复。\n", forms=[FORM])

FORM_YAML = form_text("""\
- {id: received_at, label: 来电时间, type: datetime}
- {id: replied_at, label: 答复时间, type: datetime}
- id: visits
  label: 回访
  type: table
  max_rows: 3
  columns:
    - {id: at, label: 回访时间, type: datetime}
    - {id: by, label: 回访人, type: person}
""", title="来电答复记录", section="来电")

SHANGHAI = dt.timedelta(hours=8)


def site(tmp: Path, timezone: str = "Asia/Shanghai") -> Project:
    """The small project with the bundled site config, in `timezone`."""
    root = make_project(tmp, {"procedures/T.md": PROCEDURE, "forms/F.yaml": FORM_YAML})
    config = (REPO / "qmsdoc.yaml").read_text(encoding="utf-8")
    assert "timezone: Asia/Shanghai" in config
    (root / "qmsdoc.yaml").write_text(config.replace("timezone: Asia/Shanghai", f"timezone: {timezone}"),
                                      encoding="utf-8")
    return load_project(root)


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return site(tmp_path_factory.mktemp("shanghai"))


def filled(project: Project, tmp: Path, values: dict[str, object], name: str = "filled.docx") -> Path:
    """The blank form, typed into as Word stores it (runs split by a proofing mark)."""
    blank = render_document(project, project.forms[FORM], load_labels(project.site.language))
    path = tmp / name
    path.write_bytes(fill_docx(blank, values))
    return path


def extract(project: Project, tmp: Path, values: dict[str, object]) -> Record:
    return read_docx_form(filled(project, tmp, values), project)


@pytest.mark.parametrize("typed,expected", [
    ("2025-04-03 14:30", dt.datetime(2025, 4, 3, 14, 30)),
    ("2025-04-03T14:30", dt.datetime(2025, 4, 3, 14, 30)),
    ("2025/4/3 14:30", dt.datetime(2025, 4, 3, 14, 30)),
    ("2025.4.3 9:05:30", dt.datetime(2025, 4, 3, 9, 5, 30)),
    ("2025年4月3日 14时30分", dt.datetime(2025, 4, 3, 14, 30)),
    ("2025年4月3日14点30分", dt.datetime(2025, 4, 3, 14, 30)),
    ("2025年4月3日 14时30分15秒", dt.datetime(2025, 4, 3, 14, 30, 15)),
    ("二〇二五年四月三日 十四时三十分", dt.datetime(2025, 4, 3, 14, 30)),
    ("２０２５－０４－０３　１４：３０", dt.datetime(2025, 4, 3, 14, 30)),  # full-width, as a Chinese IME types
])
def test_a_hand_typed_date_time_is_read_in_the_sites_time_zone(typed: str, expected: dt.datetime,
                                                                shanghai: Project, tmp_path: Path) -> None:
    record = extract(shanghai, tmp_path, {"received_at": typed})
    assert list(record.problems) == []
    value = record.fields["received_at"]
    assert isinstance(value, dt.datetime)
    assert value.replace(tzinfo=None) == expected  # the wall-clock time as typed …
    assert value.utcoffset() == SHANGHAI  # … at the site's offset, not UTC and not naive
    assert record.fields["replied_at"] is None


def test_an_explicit_offset_is_kept(shanghai: Project, tmp_path: Path) -> None:
    value = extract(shanghai, tmp_path, {"received_at": "2025-04-03 14:30+09:00"}).fields["received_at"]
    assert (value.replace(tzinfo=None), value.utcoffset()) == (dt.datetime(2025, 4, 3, 14, 30), dt.timedelta(hours=9))


@pytest.mark.parametrize("typed,offset", [
    ("2025-04-03 14:30", dt.timedelta(hours=-4)),  # summer time in New York
    ("2025年1月15日 9时05分", dt.timedelta(hours=-5)),
])
def test_the_offset_is_the_configured_zones_on_that_day(typed: str, offset: dt.timedelta, tmp_path: Path) -> None:
    project = site(tmp_path, "America/New_York")
    value = extract(project, tmp_path, {"received_at": typed}).fields["received_at"]
    assert value.utcoffset() == offset


def test_a_date_time_in_a_table_cell_is_read_too(shanghai: Project, tmp_path: Path) -> None:
    record = extract(shanghai, tmp_path, {"visits.1.at": "2025/4/5 10:00", "visits.1.by": "张三",
                                          "visits.2.at": "2025年4月6日 25时00分", "visits.2.by": "李四"})
    tz = dt.timezone(SHANGHAI)
    assert record.fields["visits"] == [{"at": dt.datetime(2025, 4, 5, 10, 0, tzinfo=tz), "by": "张三"},
                                       {"at": None, "by": "李四"}]
    assert [(p.field, p.found, p.kind, p.key) for p in record.problems] == [
        ("visits.2.at", "2025年4月6日 25时00分", "impossible", "impossible_time")]


@pytest.mark.parametrize("typed,kind,key,message", [
    ("2025-04-03 25:00", "impossible", "impossible_time", 'impossible time "2025-04-03 25:00"'),
    ("2025/4/3 24:00", "impossible", "impossible_time", "impossible time"),
    ("2025年4月3日 14时60分", "impossible", "impossible_time", "impossible time"),
    ("2025-02-30 10:00", "impossible", "impossible_date", 'impossible date "2025-02-30"'),
    ("下午两点", "unreadable", "not_a_datetime", 'not a date and time: "下午两点"'),
    ("2025年4月3日 下午2点", "unreadable", "not_a_time", 'not a time of day: "下午2点"'),
    ("2025-04-03 2:30 PM", "unreadable", "not_a_time", "not a time of day"),
    ("2025-02-30", "impossible", "impossible_date", 'impossible date "2025-02-30"'),  # a date alone, no such day
    ("四月三日", "unreadable", "not_a_datetime", "not a date and time"),  # no year: not a date either
])
def test_an_impossible_or_unreadable_date_time_is_a_problem_not_a_value(
        typed: str, kind: str, key: str, message: str, shanghai: Project, tmp_path: Path) -> None:
    record = extract(shanghai, tmp_path, {"received_at": typed, "replied_at": "2025-04-03 16:00"})
    assert record.fields["received_at"] is None
    [problem] = record.problems
    assert (problem.field, problem.found, problem.kind, problem.key) == ("received_at", typed, kind, key)
    assert message in problem.message
    assert record.fields["replied_at"] == dt.datetime(2025, 4, 3, 16, 0, tzinfo=dt.timezone(SHANGHAI))


@pytest.mark.parametrize("typed", ["2025-04-03", "2025年4月3日", "2025/4/3", "２０２５－０４－０３"])
def test_a_date_without_a_time_is_kept_as_that_date_never_as_midnight(
        typed: str, shanghai: Project, tmp_path: Path) -> None:
    # the day is known and the time is not: no time is made up (a bare ISO date used to become 00:00)
    record = extract(shanghai, tmp_path, {"received_at": typed, "replied_at": "2025-04-03 16:00"})
    assert list(record.problems) == []
    value = record.fields["received_at"]
    assert isinstance(value, DateOnly) and not isinstance(value, dt.datetime)
    assert value == dt.date(2025, 4, 3) and value.as_date() == dt.date(2025, 4, 3)
    assert record.fields["replied_at"] == dt.datetime(2025, 4, 3, 16, 0, tzinfo=dt.timezone(SHANGHAI))


def test_extract_shows_a_date_without_a_time_as_the_date_it_is(shanghai: Project, tmp_path: Path) -> None:
    path = filled(shanghai, tmp_path, {"received_at": "2025-04-03", "replied_at": "2025年4月3日 16时",
                                       "visits.1.at": "2025/4/4"})
    result = run("extract", str(path), "--root", str(shanghai.root))
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert record["fields"]["received_at"] == "2025-04-03"  # not 2025-04-03T00:00:00+08:00
    assert record["fields"]["visits"] == [{"at": "2025-04-04", "by": None}]
    assert [(p["field"], p["found"]) for p in record["problems"]] == [("replied_at", "2025年4月3日 16时")]


def test_extract_prints_date_times_with_the_sites_offset_and_problems_with_what_was_found(
        shanghai: Project, tmp_path: Path) -> None:
    path = filled(shanghai, tmp_path, {"received_at": "2025/4/3 14:30", "replied_at": "2025-04-03 25:00",
                                       "visits.1.at": "2025年4月4日 9时05分"})
    result = run("extract", str(path), "--root", str(shanghai.root))
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert record["fields"] == {"received_at": "2025-04-03T14:30:00+08:00", "replied_at": None,
                                "visits": [{"at": "2025-04-04T09:05:00+08:00", "by": None}]}
    assert [(p["field"], p["found"]) for p in record["problems"]] == [("replied_at", "2025-04-03 25:00")]
