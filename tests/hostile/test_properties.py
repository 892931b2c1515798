"""Property-based: whatever a submitted record holds, a run completes and every good record is checked.

Hypothesis generates JSON Lines records with arbitrary values and structures on the bundled
forms, CSV text, and byte damage to a real filled form. For each, the run must finish without
an exception, a good record placed beside the hostile input must still be checked, and time
and memory stay bounded. Example counts are small so the suite stays within CI's time.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import resource
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qmsdoc.checker.engine import Checker
from qmsdoc.checker.run import check_paths
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import Report
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record, RecordError
from qmsdoc.records.docx_form import read_docx_form

from support.hang import HANG_SECONDS

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "records" / "examples"
GOOD_JSON = EXAMPLES / "json" / "gk01-01_tz-2025-014.json"
GOOD_DOCX = EXAMPLES / "docx" / "gk09-01_fk-2025-012.docx"
AS_OF = dt.date(2026, 1, 15)
FORMS = ("SJE/JL/GK-09-01", "SJE/JL/GK-10-05", "SJE/JL/GK-16-05", "SJE/JL/GK-03-02", "SJE/JL/GK-15-01")
SECONDS_PER_RUN = HANG_SECONDS
MAX_RSS_GROWTH_KIB = 400 * 1024

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])

# -- values ---------------------------------------------------------------------------------

class Raw(str):
    """A JSON literal written as is (a 5,000-digit integer, 1e5000, NaN), which json.dumps cannot make."""


RAW_LITERALS = st.sampled_from(["9" * 5000, "-" + "1" * 4400, "1e5000", "1e999999", "-1e-400", "NaN",
                                "Infinity", "-Infinity", "1" + "0" * 40]).map(Raw)


NUMBER_TEXTS = st.sampled_from(["1e5000", "1e999999", "-1e-400", "NaN", "Infinity", "-Infinity",
                                "9" * 5000, "0x10", "１２", "1_000", "٣"])
DATE_TEXTS = st.sampled_from(["9999-12-31", "0001-01-01", "10000-01-01", "2025-02-30", "2025-13-01",
                              "2025-04-03T25:00", "2025-04-03 14:30+99:00", "二〇二五年四月三十一日",
                              "2025/4/3", "2025-04-03"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**60), max_value=10**60),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                    NUMBER_TEXTS, DATE_TEXTS, RAW_LITERALS)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)


@st.composite
def raw_records(draw: st.DrawFn) -> Any:
    """A record in the export shape with arbitrary field values, or any JSON value at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(VALUES)
    form = _project().forms[draw(st.sampled_from(FORMS))]
    ids = [*form.fields(), "record_no", "unknown_key"]
    fields = draw(st.dictionaries(st.sampled_from(ids), VALUES, max_size=6))
    record: dict[str, Any] = {"form": form.id, "revision": draw(st.sampled_from([form.revision, "Z/9", None])),
                              "fields": fields}
    if draw(st.booleans()):
        record["id"] = draw(SCALARS)
    return record


def _line(value: Any) -> str:
    raws: list[str] = []
    token = uuid.uuid4().hex

    def mark(v: Any) -> Any:
        if isinstance(v, Raw):
            raws.append(str(v))
            return f"{token}{len(raws) - 1}."
        if isinstance(v, list):
            return [mark(i) for i in v]
        if isinstance(v, dict):
            return {k: mark(i) for k, i in v.items()}
        return v

    text = json.dumps(mark(value), ensure_ascii=False, allow_nan=True)
    for i, literal in enumerate(raws):
        text = text.replace(f'"{token}{i}."', literal)
    return text


# -- the run ------------------------------------------------------------------------------


@functools.cache
def _project() -> Project:
    """The bundled project, loaded once (not a fixture: Hypothesis would print it with every example)."""
    return load_project(REPO)


def _run(folder: Path) -> tuple[Report, float]:
    project = _project()
    checker = Checker(project, load_labels(project.site.language), AS_OF, scope="records")
    start = time.perf_counter()
    report = check_paths(checker, [folder], jobs=1, root=folder)
    return report, time.perf_counter() - start


def _assert_good_checked(report: Report, source: str) -> None:
    refs = [ref for ref, _ in report.checked if ref.source == source]
    assert refs, f"the good record {source} was not checked"
    assert all(ref.revision is not None for ref in refs), f"the good record {source} was not read"
    assert not [f for f in report.findings if f.record.source == source and f.rule == "QMS-RECORD"]


@pytest.fixture(scope="module", autouse=True)
def rss_before() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("records")
    shutil.copy(GOOD_JSON, folder / "good.json")
    shutil.copy(GOOD_DOCX, folder / "good.docx")
    return folder


@SETTINGS
@given(data=st.data())
def test_any_json_lines_records_finish_and_the_good_ones_are_checked(
        data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = _fresh(tmp_path_factory)
    records = data.draw(st.lists(raw_records(), min_size=1, max_size=8))
    garbage = data.draw(st.lists(st.text(max_size=30), max_size=2))
    (folder / "hostile.jsonl").write_text("\n".join([*map(_line, records), *garbage]) + "\n", encoding="utf-8")
    (folder / "one.json").write_text(_line(records[0]), encoding="utf-8")
    report, seconds = _run(folder)
    _assert_good_checked(report, "good.json")
    _assert_good_checked(report, "good.docx")
    assert seconds < SECONDS_PER_RUN


@SETTINGS
@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=6), max_size=6))
def test_any_csv_text_finishes(rows: list[list[str]], tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = _fresh(tmp_path_factory)
    header = "form,revision,record_no,customer,returned_on,marketing_leader.date\n"
    body = "\n".join(",".join(row) for row in rows)
    (folder / "hostile.csv").write_text(header + "SJE/JL/GK-09-01,A/0," + body + "\n", encoding="utf-8")
    report, seconds = _run(folder)
    _assert_good_checked(report, "good.json")
    assert seconds < SECONDS_PER_RUN


GOOD_DOCX_BYTES = GOOD_DOCX.read_bytes()
_AT = st.integers(0, len(GOOD_DOCX_BYTES) - 1)
DAMAGE = st.one_of(
    st.lists(st.tuples(_AT, st.integers(1, 255)), min_size=1, max_size=12).map(lambda f: ("flip", f)),
    _AT.map(lambda n: ("truncate", n)),
    st.tuples(_AT, st.binary(min_size=1, max_size=64)).map(lambda i: ("insert", i)),
)
"""Damage to a real filled form: bytes XOR-ed anywhere (compressed parts included), a truncation,
or bytes inserted."""


def _damaged(data: bytes, damage: tuple[str, Any]) -> bytes:
    kind, how = damage
    buf = bytearray(data)
    if kind == "flip":
        for at, mask in how:
            buf[at] ^= mask
    elif kind == "truncate":
        del buf[how:]
    else:
        at, extra = how
        buf[at:at] = extra
    return bytes(buf)


@SETTINGS
@given(damage=DAMAGE)
def test_a_damaged_filled_form_is_a_record_or_a_reason_never_an_exception(
        damage: tuple[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = _fresh(tmp_path_factory)
    bad = folder / "damaged.docx"
    bad.write_bytes(_damaged(GOOD_DOCX_BYTES, damage))
    start = time.perf_counter()
    try:
        item: Record | RecordError = read_docx_form(bad, _project(), "damaged.docx", any_revision=True)
    except RecordError as exc:
        item = exc
    assert isinstance(item, (Record, RecordError))
    assert time.perf_counter() - start < SECONDS_PER_RUN
    report, _ = _run(folder)
    _assert_good_checked(report, "good.docx")
    assert any(ref.source == "damaged.docx" for ref, _ in report.checked), "the damaged file is not reported"


def test_memory_stayed_bounded(rss_before: int) -> None:
    """Runs last in this module: the property runs above did not grow the process without bound."""
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown < MAX_RSS_GROWTH_KIB, f"peak memory grew by {grown // 1024} MiB"
