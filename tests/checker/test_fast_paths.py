"""The checker's fast paths give exactly what the careful paths give.

Reading JSON with orjson, typing a record with the form's compiled function, the rules compiled
into one function that passes those with nothing to say, and the shortcut that passes dates
plainly in order are only allowed to be faster: each test runs the same input through the fast
path and through the path it shortcuts (the standard JSON decoder with its bounding hooks,
`Coercer._fill` interpreting the plan field by field, every rule's full check, the full `order`
check) and asserts equal results, value for value, finding for finding.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from qmsdoc.checker import kinds, quick
from qmsdoc.checker import run as check_run
from qmsdoc.checker.engine import Checker
from qmsdoc.checker.run import check_paths
from qmsdoc.load.labels import load_labels
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.findings import Report
from qmsdoc.model.project import Project
from qmsdoc.model.records import DateOnly, FieldProblem, Record, RecordError
from qmsdoc.records import coerce, exports
from qmsdoc.records.coerce import Coercer, Problems
from qmsdoc.records.exports import ExportReader
from qmsdoc.records.values import RefusedValue, ValueError_

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "records" / "examples"
AS_OF = dt.date(2026, 1, 15)

HOSTILE_LINES = [
    '{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', '{"a": 1e5000}', '{"a": 1.5}', '{"a": 1.50}',
    '{"a": 12345678901234567890123456789012345}', '{"a": -1234567890123456789012345678901}',
    '{"a": 18446744073709551616}', '{"a": 9999999999999999999}', '{"a": -0}', '{"a": 0.1e-40}',
    '{"a": "\\ud800"}', '{"a": "\\udc00\\ud800"}', '{"a": "\\u0000"}', '{"a": 1, "b": 2, "a": 3}',
    "\ufeff{\"a\": 1}", "[" * 70 + "]" * 70, "[" * 2000 + "]" * 2000, "{\"a\": [[[[1]]]]}", "", "{", "[1,]",
    "null", "42", '"text"', "true", '{"a": true, "b": null, "c": [1, "x", {"d": false}]}',
]


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shortcut off: the standard JSON decoder, the interpreted typing, the full order check."""
    monkeypatch.setattr(exports, "orjson", None)
    monkeypatch.setattr(coerce, "compile_fill", _interpreted)
    monkeypatch.setattr(kinds, "_plainly_in_order", lambda *args: False)
    monkeypatch.setattr(quick, "compile_quick", lambda *args: None)
    monkeypatch.setattr(quick, "compile_form_quick", lambda *args: None)
    monkeypatch.setattr(quick, "compile_pair_quick", lambda *args: None)
    check_run._READERS.clear()


def _interpreted(plan: Any, years: tuple[int, int]) -> Any:
    holder = SimpleNamespace(years=years)

    def fill(raw: dict[str, Any], prefix: str, problems: list[FieldProblem]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        Coercer._fill(holder, plan, raw, out, prefix, problems)  # type: ignore[arg-type]
        return out
    return fill


def _read_all(reader: ExportReader, lines: list[bytes]) -> list[Any]:
    return [_plain(reader._json_record(line, "x.jsonl", str(n))) for n, line in enumerate(lines, 1)]


def _plain(item: Record | RecordError) -> Any:
    """A record or error as comparable data (a RefusedValue compares by its text and reason)."""
    if isinstance(item, RecordError):
        return ("error", item.message, item.key, item.location)
    return ("record", item.form, item.revision, _values(item.fields), item.problems, item.record_id)


def _values(value: Any) -> Any:
    if isinstance(value, RefusedValue):
        return ("refused", value.text, str(value.error))
    if isinstance(value, dict):
        return {k: _values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_values(v) for v in value]
    return (type(value).__name__, value)


def _example_lines() -> list[bytes]:
    lines = []
    for path in sorted(EXAMPLES.rglob("*.json")) + sorted(EXAMPLES.rglob("*.jsonl")):
        data = path.read_bytes()
        lines += data.splitlines() if path.suffix == ".jsonl" else [data.replace(b"\n", b" ")]
    return lines


def _example_records(project: Project) -> list[Record]:
    """Every example record that reads without a problem (the compiled rules are for those)."""
    reader = ExportReader(project)
    items = (reader._json_record(line, "x.jsonl", "1") for line in _example_lines())
    return [item for item in items if isinstance(item, Record) and not item.problems]


def test_orjson_reads_every_example_and_hostile_line_as_the_standard_decoder_does(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    fields = {"record_no": "R-1", "problem_cause": "x"}
    wrapped = [json.dumps({"form": "SJE/JL/GK-09-01", "revision": "A/0", "fields": fields})[:-2] + ', "x": ' + h + "}}"
               for h in HOSTILE_LINES if h and h[0] in "[{\"nt4" and "\ufeff" not in h]
    lines = _example_lines() + [h.encode("utf-8", "surrogatepass") for h in HOSTILE_LINES]
    lines += [w.encode("utf-8", "surrogatepass") for w in wrapped]
    lines += [b"\xff\xfe{\x00}\x00", b'{"a": "\xed\xa0\x80"}', b'{"a": "\xff"}']  # UTF-16, a surrogate, bad UTF-8
    assert exports.orjson is not None, "orjson is a dependency: the fast path is what this test is about"
    fast = _read_all(ExportReader(project), lines)
    monkeypatch.setattr(exports, "orjson", None)
    slow = _read_all(ExportReader(project), lines)
    assert len(fast) == len(slow) > 200
    for line, a, b in zip(lines, fast, slow, strict=True):
        assert a == b, line[:120]
    assert any(item[0] == "error" for item in fast) and any(item[0] == "record" for item in fast)


def test_a_lowered_number_bound_sends_long_integers_to_the_bounding_decoder(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses
    limits = dataclasses.replace(project.site.limits, number_digits=6, nesting_depth=3)
    small = dataclasses.replace(project, site=dataclasses.replace(project.site, limits=limits))
    values = [999999, 1000000, -999999, -1000000, 123456789012, [[1]], [[[1]]], {"a": [{"b": 1}]},
              1.5, 2e3, -0.0, "1.5e3 in a text", "12345678901234"]  # screened out by the text, or not
    lines = [json.dumps({"form": "SJE/JL/GK-12-01", "revision": "A/0",
                         "fields": {"promotion_cost": v, "output_value": 5}}).encode() for v in values]
    fast = _read_all(ExportReader(small), lines)
    monkeypatch.setattr(exports, "orjson", None)
    slow = _read_all(ExportReader(small), lines)
    assert fast == slow
    assert fast[1][0] == "record" and any(p.key == "number_digits" for p in fast[1][4])
    assert fast[6][0] == "error" and fast[6][2] == "too_deep"


# -- typing ----------------------------------------------------------------------------------

_TEXTS: list[Any] = ["", " ", "　x　", "text", "2025-04-03", "2025/4/3", "2025年4月3日", "二〇二五年四月三日",
                     "2025-02-30", "1899-12-31", "2201-01-01", "2025-04-03 14:30", "2025-04-03T14:30:00+08:00",
                     "14:30", "12", "1,200.50", "¥1 200", "1e5", "NaN", "true", "否", "☒", "x", "是", "0"]
_OTHERS: list[Any] = [None, True, False, 0, 12, -7, 10**12, Decimal("2.50"), Decimal("1E+3"), [], {}, [1, 2],
                      {"name": "王伟", "date": "2025-06-10"}, {"name": " 李娜 ", "date": "2025-13-01"},
                      {"name": "赵强"}, {"date": "2025-06-10"}, {"name": 5, "date": "2025-06-10"},
                      {"name": "a", "date": "2025-06-10", "x": 1}, {"name": "a", "date": "2025/6/10"},
                      {"name": None, "date": "2025-06-10"}, {"name": "a", "date": "3000-01-01"},
                      RefusedValue("1e5000", ValueError_("not a number", "not_a_number"))]


def _raw_value(f: Field, rng: random.Random) -> Any:
    if f.type == FieldType.TABLE:
        return rng.choice([None, [], "x", [{c.id: _raw_value(c, rng) for c in f.columns if rng.random() < 0.8}
                                           for _ in range(rng.randint(0, 3))], [{"nope": 1}], [1]])
    pool = _TEXTS + _OTHERS + [o.value for o in f.options] + [o.label for o in f.options]
    if f.type == FieldType.MULTICHOICE and f.options:
        pool.append([o.value for o in f.options[:2]])
        pool.append("; ".join(o.label for o in f.options))
    return rng.choice(pool)


def test_compiled_typing_gives_the_values_and_problems_of_the_interpreted_plan(project: Project) -> None:
    rng = random.Random(19)
    forms: list[Form] = list(project.forms.values())
    checked = 0
    for form in forms:
        fast = Coercer(form, project.site.timezone, project.site.limits)
        for _ in range(60):
            raw = {fid: _raw_value(f, rng) for fid, f in form.fields().items() if rng.random() < 0.9}
            got_problems, want_problems = Problems(1000), Problems(1000)
            got = fast.read(raw, got_problems)
            want: dict[str, Any] = {}
            fast._fill(fast.plan, raw, want, "", want_problems)
            # tables: the interpreted path types rows with the same plan, field by field
            for fid, plan in fast.columns.items():
                if isinstance(want.get(fid), list):
                    rows = []
                    for n, row in enumerate(raw[fid], 1):
                        typed: dict[str, Any] = {}
                        fast._fill(plan, row, typed, f"{fid}.{n}.", Problems(1000))
                        rows.append(typed)
                    assert [r for r in rows if any(v is not None and v is not False for v in r.values())] \
                        == want[fid]
            assert _values(got) == _values(want), form.id
            assert list(got_problems) == list(want_problems), form.id
            checked += 1
    assert checked == 60 * len(forms)


# -- order -----------------------------------------------------------------------------------


def test_the_in_order_shortcut_never_hides_a_finding(project: Project, labels: Any) -> None:
    from qmsdoc.checker.calendar import WorkCalendar
    from qmsdoc.model.rules import FieldRef, Order

    ctx = kinds.Context(AS_OF, WorkCalendar(()), project.site.timezone, labels)
    rng = random.Random(5)
    days = [None, AS_OF, AS_OF + dt.timedelta(days=1), AS_OF - dt.timedelta(days=1), AS_OF - dt.timedelta(days=30),
            dt.datetime(2026, 1, 10, 9, 0, tzinfo=ctx.tz), "2025-01-01"]
    shortcut = 0
    for _ in range(3000):
        n = rng.randint(1, 4)
        refs = tuple(FieldRef(f"d{i}", f"d{i}", None, "date", f"D{i}", planned=rng.random() < 0.3) for i in range(n))
        spec = Order(refs, strict=rng.random() < 0.5)
        values = {f"d{i}": rng.choice(days) for i in range(n)}
        view = SimpleNamespace(value=lambda ref, values=values: values[ref.field])
        plain = kinds._plainly_in_order(refs, [values[r.field] for r in refs], spec.strict, AS_OF)
        if plain:
            shortcut += 1
            # the full check, with the shortcut off, has nothing to say either
            original = kinds._plainly_in_order
            try:
                kinds._plainly_in_order = lambda *args: False  # type: ignore[assignment]
                assert kinds.order(None, spec, view, ctx) == []  # type: ignore[arg-type]
            finally:
                kinds._plainly_in_order = original  # type: ignore[assignment]
    assert 300 < shortcut < 3000


# -- a whole run -----------------------------------------------------------------------------


def _run(project: Project, folder: Path, jobs: int) -> Report:
    checker = Checker(project, load_labels(project.site.language), AS_OF, scope="examples")
    return check_paths(checker, [folder], jobs=jobs, root=folder)


def test_a_run_over_the_example_exports_gives_the_same_report_fast_and_slow(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "records"
    for path in EXAMPLES.rglob("*"):
        if path.suffix in (".json", ".jsonl", ".yaml", ".csv"):
            target = folder / path.relative_to(EXAMPLES)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (folder / "hostile.jsonl").write_bytes(b"\n".join(h.encode("utf-8", "surrogatepass") for h in HOSTILE_LINES))
    check_run._READERS.clear()
    fast = _run(project, folder, 1)
    fast_two = _run(project, folder, 2)
    _slow(monkeypatch)
    slow = _run(project, folder, 1)
    assert fast.records == slow.records > 100
    assert fast.checked == slow.checked
    assert fast.findings == slow.findings
    assert fast_two.findings == fast.findings and fast_two.checked == fast.checked


def test_the_json_lines_report_is_the_standard_encoders_text(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson writes the JSON Lines report; every line is the standard encoder's, control characters,
    line separators and a lone surrogate (a file name that is not UTF-8) included; and the bytes written,
    a batch of lines at a time straight from the findings, are those lines."""
    import dataclasses

    from qmsdoc.report import json_

    folder = tmp_path / "records"
    folder.mkdir()
    for path in sorted(EXAMPLES.rglob("*.jsonl")):
        shutil.copyfile(path, folder / path.name)
    report = _run(project, folder, 1)
    odd = "".join(map(chr, range(32))) + '"\\\x7f\u2028\u2029\ufeff中文😀'
    first = report.findings[0]
    extra = (dataclasses.replace(first, message=odd, values={odd: odd}),
             dataclasses.replace(first, record=first.record._replace(source="bad-\udcff.jsonl")))
    report = dataclasses.replace(report, findings=report.findings + extra)
    assert json_.orjson is not None, "orjson is a dependency: the fast path is what this test is about"
    monkeypatch.setattr(json_, "JSONL_BATCH", 7)  # several batches, the last one short
    fast = list(json_.jsonl_lines(report))
    writable = dataclasses.replace(report, findings=report.findings[:-1])  # a lone surrogate cannot be UTF-8
    fast_bytes = b"".join(json_.jsonl_chunks(writable))
    monkeypatch.setattr(json_, "orjson", None)
    slow = list(json_.jsonl_lines(report))
    assert len(fast) == len(report.findings) > 20
    assert fast == slow
    # what `check -o jsonl:…` writes: those lines, as UTF-8, with orjson and without
    assert fast_bytes == b"".join(json_.jsonl_chunks(writable)) == "".join(slow[:-1]).encode("utf-8")


# -- the rules compiled ------------------------------------------------------------------------


def _mutated(f: Field, value: Any, rng: random.Random, tz: Any, anchors: tuple[Any, ...] = ()) -> Any:
    """A typed value of `f` as reading may give it: blank, a date before, on or after the audit date or
    next to one of the record's own dates and date-times (`anchors`: a deadline's or lead time's edge, a
    day or an hour either side), a date-time with seconds, a date-time given as a date alone, a signature
    without its name or date or by one person, another option, a table with a blank cell."""
    days = [AS_OF, AS_OF + dt.timedelta(days=1), AS_OF - dt.timedelta(days=3), dt.date(2025, 6, 1)]
    blank = False if f.type == FieldType.CHECKBOX else None  # what typing gives for an entry left blank
    dates = [a for a in anchors if a.__class__ is dt.date]
    moments = [a for a in anchors if isinstance(a, dt.datetime)]
    if f.type == FieldType.DATE:
        if dates and rng.random() < 0.5:
            return rng.choice(dates) + dt.timedelta(days=rng.choice((-11, -10, -9, -1, 0, 1, 2, 9, 10, 11)))
        return rng.choice([blank, *days])
    if f.type == FieldType.DATETIME:
        if moments and rng.random() < 0.5:
            step = dt.timedelta(hours=rng.choice((-73, -72, -49, -48, -47, -1, 0, 1, 47, 48, 49, 71, 72, 73)),
                                minutes=rng.choice((0, 0, -1, 1)), seconds=rng.choice((0, 0, 30)))
            return rng.choice(moments) + step
        moment = dt.datetime(2025, 6, 1, rng.choice((0, 9, 23)), 30, tzinfo=tz)
        later = dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, tzinfo=tz) + dt.timedelta(minutes=2)
        return rng.choice([blank, moment, later, DateOnly(2025, 6, 2), DateOnly(2025, 6, 1)])
    if f.type == FieldType.SIGNATURE:
        on = rng.choice(days + [d + dt.timedelta(days=rng.choice((-10, 0, 10, 11))) for d in dates[:1]])
        return rng.choice([blank, {"name": None, "date": on}, {"name": "王伟", "date": None},
                           {"name": rng.choice(["王伟", "王 伟", "李娜"]), "date": on}])
    if f.type == FieldType.TABLE and isinstance(value, list) and value:
        rows = [dict(row) for row in value]
        row = rng.choice(rows)
        column = rng.choice(f.columns)
        row[column.id] = _mutated(column, row.get(column.id), rng, tz, anchors)
        return rows
    if f.type in (FieldType.NUMBER, FieldType.MONEY):  # within the form's range, or just past either end
        bounds = [(end, step) for end, step in ((f.minimum, -1), (f.maximum, 1)) if end is not None]
        return rng.choice([blank, value, Decimal(0), Decimal("12.5"), *(end for end, _ in bounds),
                           *(end + step for end, step in bounds)])
    if f.type == FieldType.CHECKBOX:
        return rng.choice([False, True, value])
    if f.type == FieldType.CHOICE and f.options:
        return rng.choice([blank, value, *(o.value for o in f.options)])
    if f.type == FieldType.MULTICHOICE and f.options:
        return rng.choice([blank, value, [o.value for o in f.options if rng.random() < 0.5] or None])
    return rng.choice([blank, value, value])


def _anchors(fields: dict[str, Any]) -> tuple[Any, ...]:
    """The dates and date-times a record holds (a signature's date too): what a mutated date lies next to."""
    found = []
    for value in fields.values():
        if isinstance(value, dict):
            value = value.get("date")
        if isinstance(value, dt.date):
            found.append(value)
    return tuple(found)


def test_the_compiled_rules_pass_only_what_the_full_checks_pass(
        project: Project, labels: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example record, and 40 mutations of each, through the rules and the form's own checks
    compiled into one function each and through every full check: the same findings, rules applied
    and fields claimed."""
    records = _example_records(project)
    fast = Checker(project, labels, AS_OF, scope="examples")
    monkeypatch.setattr(quick, "compile_quick", lambda *args: None)
    monkeypatch.setattr(quick, "compile_form_quick", lambda *args: None)
    slow = Checker(project, labels, AS_OF, scope="examples")
    rng = random.Random(23)
    tz = fast.ctx.tz
    compared = every = some = built_in = 0
    for record in records:
        fields = project.forms[record.form].fields()
        for n in range(41):
            values = dict(record.fields)
            for _ in range(rng.randint(1, 4) if n else 0):
                fid = rng.choice(list(fields))
                values[fid] = _mutated(fields[fid], values.get(fid), rng, tz, _anchors(values))
            one = Record(record.form, record.revision, record.source, values, (), str(n))
            plan = fast.plan_for(one)
            got, want = fast.rule_findings(one, plan), slow.rule_findings(one, slow.plan_for(one))
            assert got == want, (record.form, n, values)
            assert fast.check_record(one) == slow.check_record(one), (record.form, n, values)  # built-ins too
            built_in += plan.checks_quick is not None and plan.checks_quick(values)
            compared += 1
            decided: dict[int, Any] = {}
            slow_ones = plan.quick(values, [], set(), decided) if plan.quick is not None else range(len(plan.checkers))
            every += not slow_ones and not decided
            some += 0 < len(slow_ones) < len(plan.checkers)
    assert compared > 5000 and every > 500 and some > 2000  # all passed quickly; some, the others checked in full
    assert 1000 < built_in < compared  # the form's own checks passed quickly, and not


def test_the_compiled_match_rules_pass_only_what_the_full_checks_pass(
        project: Project, labels: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule with `match:` over 31 mutated copies of each example record of its form, each paired
    with its own mutated copy of an example record of the matched form (now and then with none), the
    pair compiled and checked in full: the same findings and rules applied."""
    from collections import defaultdict

    from qmsdoc.checker.engine import SetScope, _norm

    by_form: dict[str, list[Record]] = defaultdict(list)
    for item in _example_records(project):
        by_form[item.form].append(item)
    fast = Checker(project, labels, AS_OF, scope="examples")
    rules = [r for r in fast.set_rules if r.match is not None]
    compiled = {r.code: quick.compile_pair_quick(r, AS_OF, fast.ctx.tz) for r in rules}
    monkeypatch.setattr(quick, "compile_pair_quick", lambda *args: None)
    slow = Checker(project, labels, AS_OF, scope="examples")
    rng = random.Random(29)
    tz = fast.ctx.tz
    assert len(rules) >= 5 and sum(f is not None for f in compiled.values()) >= 4
    compared = passed = 0
    for rule in rules:
        assert rule.match is not None
        theirs = by_form[rule.match.form]
        ours: list[tuple[int, Record]] = []
        mutated_theirs: list[tuple[int, Record]] = []
        for n in range(31):
            for record in by_form[rule.forms[0]]:
                key = f"K{len(ours)}"
                ours.append((len(ours), Record(record.form, record.revision, record.source,
                                               _paired(project, rule, record, rng.randint(0, 3), key, rng, tz),
                                               (), str(n))))
                if theirs:  # a matched record for it, mutated too; now and then none
                    other = rng.choice(theirs)
                    mutated_theirs.append((len(mutated_theirs), Record(
                        other.form, other.revision, other.source, _paired(project, rule, other, rng.randint(0, 2),
                                                                       key if rng.random() < 0.9 else "none", rng, tz),
                        ())))
        results = []
        for checker in (fast, slow):
            scope = SetScope({rule.match.form: mutated_theirs, rule.forms[0]: ours}, AS_OF, defaultdict(list))
            results.append((checker._matched(rule, rule.match, ours, scope), dict(scope.applied)))
        assert results[0] == results[1], rule.code
        compared += len(ours)
        passes = compiled[rule.code]
        if passes is not None:  # how many pairs the compiled rule passed without the full check
            index = {tuple(_norm(r.get(t.fields)) for r in rule.match.theirs): t for _, t in mutated_theirs}
            pairs = [(record, index.get(tuple(_norm(r.get(record.fields)) for r in rule.match.ours)))
                     for _, record in ours]
            passed += sum(passes(record.fields, match.fields) for record, match in pairs if match is not None)
    assert compared > 500 and passed > 50


def _paired(project: Project, rule: Any, record: Record, times: int, key: str, rng: random.Random,
            tz: Any) -> dict[str, Any]:
    """`record`'s values mutated `times` (the fields `rule` reads most often), with its pairing key for the
    rule's `match:` set to `key`, so that each pair in the test is its own."""
    keys = {r.field for r in (*rule.match.ours, *rule.match.theirs)}
    read = [r.field for r in rule.spec.refs() if r.field not in keys]
    fields = project.forms[record.form].fields()
    values = dict(record.fields)
    for _ in range(times):
        chosen = [f for f in read if f in fields] if rng.random() < 0.7 else list(fields)
        fid = rng.choice(chosen or list(fields))
        if fid not in keys:
            values[fid] = _mutated(fields[fid], values.get(fid), rng, tz, _anchors(values))
    for j, ref in enumerate(rule.match.ours if record.form == rule.forms[0] else rule.match.theirs):
        values[ref.field] = f"{key}-{j}"
    return values


_DAYS = tuple(range(-2, 40))
_HOURS = (-1, 0, 1, 23, 24, 25, 47, 48, 49, 71, 72, 73, 95, 96, 97, 167, 168, 169)


def _reads(rule: Any) -> list[Any]:
    """Every field reference a single-record rule reads: its own, its expressions' and its condition's."""
    refs = [*rule.spec.refs(), *(ref for e in rule.spec.exprs() for ref in e.refs),
            *(rule.when.refs if rule.when is not None else ())]
    return [ref for ref in refs if not ref.in_match and not ref.is_column]


def _put(values: dict[str, Any], ref: Any, value: Any) -> None:
    if ref.part is None:
        values[ref.field] = value
    else:
        old = values.get(ref.field)
        values[ref.field] = {**(old if isinstance(old, dict) else {"name": "王伟", "date": None}), ref.part: value}


def _edges(project: Project, rule: Any, values: dict[str, Any], tz: Any) -> list[dict[str, Any]]:
    """Copies of a record's `values` at the edges where `rule` decides: each pair of its dates (or
    date-times) a day (an hour, a minute, a second) either side of every amount up to 40 days (a week
    of hours), each of its numbers at a few values, and each of its choices and check boxes (its
    condition's too) blank, ticked or not, and at each of its options."""
    fields = project.forms[rule.forms[0]].fields()
    refs = _reads(rule)
    out = []
    for a in refs:
        for b in refs:
            if a is b or a.type != b.type or a.type not in ("date", "datetime"):
                continue
            base = dict(values)
            start = a.get(base)
            if a.type == "date":
                start = start if start.__class__ is dt.date else AS_OF - dt.timedelta(days=20)
                steps: list[Any] = [dt.timedelta(days=k) for k in _DAYS]
            else:
                start = start if isinstance(start, dt.datetime) else dt.datetime(2025, 12, 20, 9, 30, tzinfo=tz)
                steps = [dt.timedelta(hours=h, minutes=m, seconds=s) for h in _HOURS for m in (-1, 0, 1)
                         for s in (0, 30)]
            _put(base, a, start)
            for step in steps:
                one = dict(base)
                _put(one, b, start + step)
                out.append(one)
    for ref in refs:
        if ref.type == "number" and ref.part is None:
            for number in (None, 0, "0.5", "0.8", 1, 5, 100, 10000, -1):
                out.append({**values, ref.field: None if number is None else Decimal(number)})
    for ref in refs:  # the condition's references are among them
        f = fields.get(ref.field)
        if f is None or ref.part is not None or f.type not in (FieldType.CHECKBOX, FieldType.CHOICE,
                                                                FieldType.MULTICHOICE):
            continue
        choices: list[Any] = [False, True] if f.type == FieldType.CHECKBOX else [None, values.get(ref.field)]
        if f.type == FieldType.CHOICE:
            choices += [o.value for o in f.options]
        elif f.type == FieldType.MULTICHOICE:
            choices += [[o.value] for o in f.options]
        for choice in choices:
            out.append({**values, ref.field: choice})
    return out


def _at_the_edges(project: Project, labels: Any, records: list[Record],
                  monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int, set[str], dict[str, int]]:
    """Each record at the edges of each of its rules (`_edges`), compiled and in full: the same findings,
    rules applied and fields claimed. How many were compared, passed and skipped quickly, the kinds
    of the rules passed quickly, and how many times each kind was decided (missed) by the compiled function."""
    fast = Checker(project, labels, AS_OF, scope="examples")
    with monkeypatch.context() as patch:
        patch.setattr(quick, "compile_quick", lambda *args: None)
        slow = Checker(project, labels, AS_OF, scope="examples")
    tz = fast.ctx.tz
    compared = passed = skipped = 0
    kinds_seen: set[str] = set()
    missed: dict[str, int] = {}
    for record in records:
        for rule, _ in fast.plan_for(record).checkers:
            for values in _edges(project, rule, record.fields, tz):
                one = Record(record.form, record.revision, record.source, values, (), "edge")
                plan = fast.plan_for(one)
                assert fast.rule_findings(one, plan) == slow.rule_findings(one, slow.plan_for(one)), \
                    (rule.code, values)
                compared += 1
                if plan.quick is not None:
                    gone: list[int] = []
                    decided: dict[int, Any] = {}
                    left = plan.quick(values, gone, set(), decided)
                    index = next(i for i, (r, _) in enumerate(plan.checkers) if r.code == rule.code)
                    if index in gone:
                        skipped += 1
                    elif index in decided:
                        missed[rule.kind] = missed.get(rule.kind, 0) + 1
                    elif index not in left:
                        passed += 1
                        kinds_seen.add(rule.kind)
    return compared, passed, skipped, kinds_seen, missed


def test_the_compiled_rules_decide_as_the_full_checks_at_their_edges(
        project: Project, labels: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule that compares dates or date-times, or reads numbers, or has a condition, on every example
    record of its form moved to the edges where it decides."""
    records = _example_records(project)
    compared, passed, skipped, kinds_seen, missed = _at_the_edges(project, labels, records, monkeypatch)
    assert compared > 20000 and passed > 2000 and skipped > 200
    assert {"deadline", "lead_time", "expect", "allowed", "required", "order", "limit"} <= kinds_seen
    assert missed.get("lead_time", 0) > 500 and missed.get("deadline", 0) > 200  # worded by the compiled function


_MORE_RULES = """\
  - code: T-90
    title: 下限
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    limit: {value: rate, min: 1, max: 4}
  - code: T-91
    title: 提前 2 天
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    when: present(started_on) and batch > 1
    lead_time: {notice: started_on, event: done_on, at_least: 2, unit: calendar_days}
  - code: T-92
    title: 按月
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    deadline: {from: started_on, to: done_on, within: 1, unit: months}
  - code: T-93
    title: 负数
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    deadline: {from: issued_on, to: returned_on, within: -1}
"""


def test_the_compiled_rules_of_every_kind_decide_as_the_full_checks_at_their_edges(
        tmp_path: Path, labels: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The small project's rules of every kind, and a few more (a lower bound, a lead time in days under a
    condition, a deadline in months, a negative amount), at their edges on records around one that
    passes them all."""
    from checker.conftest import record
    from checker.project_files import FILES, RULES
    from qmsdoc.load.project import load_project

    from conftest import make_project

    mini = load_project(make_project(tmp_path, {**FILES, "rules/T.yaml": RULES + _MORE_RULES}))
    records = [record(mini, {}), record(mini, {"kind": "major", "batch": 2, "rate": "0.8", "amount": 3,
                                               "output_value": 500, "started_on": "2025-09-03",
                                               "done_on": "2025-09-20", "received_at": "2025-09-01 08:00",
                                               "replied_at": "2025-09-03 10:00", "supply_at": "2025-09-04 08:00",
                                               "approver": {"name": "赵六", "date": "2025-09-03"}}),
               record(mini, {"kind": "normal", "batch": 1, "channel": "fax"})]
    compared, passed, skipped, kinds_seen, missed = _at_the_edges(mini, labels, records, monkeypatch)
    assert compared > 3000 and passed > 500 and skipped > 20
    assert missed.get("deadline", 0) > 150 and missed.get("lead_time", 0) > 100  # plainly missed
    assert {"deadline", "lead_time", "expect", "allowed", "required", "order", "limit", "signatures"} <= kinds_seen

