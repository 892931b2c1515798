"""Benchmark `qmsdoc check`: rows 4–6 of issue 19's table.

Prints figures; it is not a test (no figure is asserted), but it asserts that the findings are
exactly those of the checker before it was made fast. Rows:

- full rule set, JSON Lines records per second with 1 worker and with every core (target >= 50,000/s
  on the 2-core machine);
- five representative rules, qmsdoc's rule evaluation on loaded records / a hand-written Python
  function checking the same rules on the same records, measured in the same run (target <= 1.5x),
  then apart on the records with a finding and on those without, and on S-01's misses against a
  function written for S-01 alone that makes the same findings (the least the ratio can be there);
- reading alone: the same records read and typed with no check, µs a record (the part of the full
  rule set's time that no rule can save);
- `--million`: 1,000,000 JSON Lines records (40 files of 25,000) through `qmsdoc check` as a
  subprocess with 2 workers and a JSON Lines report: wall time and peak memory (target < 60 s and
  < 1 GB), both of the largest process (getrusage) and of the whole process tree (sampled PSS).

Findings: the first REFERENCE_RECORDS example records cycled are checked with every worker count, and
a digest of every finding and every record's applied rules is compared with `check_reference.json`,
made by the checker before the fast paths (orjson, compiled typing, the order and date shortcuts)
existed. A different digest stops the bench with exit 1; so does a difference between worker counts.
`--write-reference` writes the file anew (only from a checker known to be right).

Run: python bench/bench_check.py [--records 100000] [--million]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from qmsdoc.checker.engine import Checker
from qmsdoc.checker.revisions import rule_book
from qmsdoc.checker.run import check_paths
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record, RecordError
from qmsdoc.model.rules import LeadTime
from qmsdoc.records.exports import ExportReader

REPO = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).with_name("check_reference.json")
REFERENCE_RECORDS = 20_000
SOURCES = ("qmsdoc.yaml", "rules", "forms", "procedures", "releases")
"""What the findings depend on besides the code: the reference holds their digest, so a changed rule is
told apart from a changed checker."""
AS_OF = dt.date(2026, 1, 15)
IN_FORCE = dt.date(2025, 4, 1)
"""The bundled procedures' A/0 took effect then: a record dated earlier is judged by no revision."""
FIVE = ("GK09-05", "P4-26", "S-01", "GK12-01a", "GK09-04a")
"""The representative rules: a calendar-day deadline with the holiday roll, an hours deadline,
an hours lead time, a numeric limit from params, and a signature."""


# -- records --------------------------------------------------------------------------------


class _Clock:
    """Dates of one generated record: mostly in the order the form asks for them, sometimes not."""

    def __init__(self, rng: random.Random, day: dt.date):
        self.rng = rng
        self.now = dt.datetime(day.year, day.month, day.day, 9, 0)

    def next(self) -> dt.datetime:
        step = dt.timedelta(hours=self.rng.choice((0, 4, 20, 24, 48, 52, 72)))
        if self.rng.random() < 0.04:
            step = -step  # an entry out of order
        self.now += step
        return self.now


def _value(f: Field, rng: random.Random, clock: _Clock) -> Any:
    kind = f.type
    if kind == FieldType.DATE:
        return clock.next().date().isoformat()
    if kind == FieldType.DATETIME:
        return clock.next().strftime("%Y-%m-%d %H:%M")
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        return rng.randint(1, 200) * 100 if f.id not in ("promotion_cost",) else rng.randint(0, 110) * 20
    if kind == FieldType.CHECKBOX:
        return rng.random() < 0.95
    if kind == FieldType.CHOICE:
        return rng.choice(f.options).value
    if kind == FieldType.MULTICHOICE:
        return [o.value for o in f.options if rng.random() < 0.5]
    if kind == FieldType.SIGNATURE:
        if rng.random() < 0.02:
            return None
        return {"name": rng.choice(("王伟", "李娜", "赵强", "刘洋", "周敏")), "date": clock.next().date().isoformat()}
    if kind == FieldType.TABLE:
        return [{c.id: _value(c, rng, clock) for c in f.columns} for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.01:
        return ""
    return f"{f.label}{rng.randint(1, 999)}"


def make_record(form: Form, rng: random.Random, n: int) -> dict[str, Any]:
    """A filled record of `form`: plausible values, dates mostly in order, a few gaps and slips."""
    clock = _Clock(rng, IN_FORCE + dt.timedelta(days=rng.randint(10, 240)))  # dated when A/0 is in force
    fields = {fid: _value(f, rng, clock) for fid, f in form.fields().items()}
    if "record_no" in fields:
        fields["record_no"] = f"R{n:06d}"
    if "output_value" in fields:
        fields["output_value"] = 200_000
    return {"form": form.id, "revision": form.revision, "fields": fields}


def write_records(project: Project, path: Path, count: int, forms: list[Form], seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            fh.write(json.dumps(make_record(forms[n % len(forms)], rng, n), ensure_ascii=False) + "\n")


def example_templates() -> list[dict[str, Any]]:
    """The bundled example records exported as JSON and JSON Lines (readable ones only)."""
    found = []
    folder = REPO / "records" / "examples"
    for path in sorted(folder.rglob("*.json")) + sorted(folder.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines() if path.suffix == ".jsonl" else \
                [path.read_text(encoding="utf-8")]:
            try:
                raw = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(raw, dict) and isinstance(raw.get("fields"), dict):
                found.append(raw)
    return found


def write_realistic(path: Path, count: int, templates: list[dict[str, Any]], first: int = 0) -> None:
    """`count` records cycled from the example records, from the `first`-th on; record numbers get a
    suffix per cycle, so numbers stay unique and cross-references (a trip log's trip report number)
    still match."""
    with path.open("w", encoding="utf-8") as fh:
        for n in range(first, first + count):
            cycle, template = divmod(n, len(templates))
            raw = templates[template]
            fields = {k: (f"{v}-{cycle}" if k.endswith("_no") and isinstance(v, str) and v else v)
                      for k, v in raw["fields"].items()}
            fh.write(json.dumps({**raw, "fields": fields}, ensure_ascii=False) + "\n")


# -- the hand-written comparison ------------------------------------------------------------

_CN: dict[int, holidays.HolidayBase] = {}


def _working(day: dt.date) -> bool:
    cal = _CN.get(day.year)
    if cal is None:
        cal = _CN[day.year] = holidays.China(years=day.year)
    return bool(cal.is_working_day(day))


def _d(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


_ZONE = ZoneInfo("Asia/Shanghai")


def _t(text: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=_ZONE) if moment is not None and moment.tzinfo is None else moment


def hand_written(raw: dict[str, Any], params: dict[str, Any]) -> list[tuple[str, str]]:
    """The five rules, written directly against the export, as a developer would without qmsdoc:
    (rule code, message naming the values) for each finding."""
    out: list[Any] = _Findings(raw)
    f = raw["fields"]
    form = raw["form"]
    if form == "SJE/JL/GK-09-01":
        sig = f.get("marketing_leader") or {}
        if not sig.get("name") and not sig.get("date"):
            out.append("GK09-04a")
        else:
            out.extend("GK09-04a" for part in ("name", "date") if not sig.get(part))
        start, end = _d(sig.get("date")), _d(f.get("copy_to_qm_on"))
        if start is None:
            out.append("GK09-05")  # the deadline cannot be worked out without its start
        elif start <= AS_OF and (end is None or end <= AS_OF):
            due = start + dt.timedelta(days=params["copy_to_qm_days"])
            done = end or AS_OF
            if done > due:
                while not _working(due):
                    due += dt.timedelta(days=1)
            if (end and end > due) or (end is None and due < AS_OF):
                out.append("GK09-05")
    elif form == "SJE/JL/GK-15-11":
        start, end = _t(f.get("complaint_received_at")), _t(f.get("returned_to_customer_at"))
        if start:
            due = start + dt.timedelta(hours=params["feedback_response_hours"])
            if (end and end > due) or (end is None and due.date() < AS_OF):
                out.append("P4-26")
    elif form == "SJE/JL/GK-16-01" and f.get("accepted") is True:
        notice, event = _t(f.get("received_at")), _t(f.get("required_supply_at"))
        if notice and event and (event - notice).total_seconds() / 3600 < params["notice_lead_hours"]:
            out.append("S-01")
    elif form == "SJE/JL/GK-12-01":
        cost, value = f.get("promotion_cost"), f.get("output_value")
        cap = params["promotion_cost_cap_percent"]
        if cost is not None and value is not None and Decimal(str(cost)) > Decimal(str(value)) * cap / 100:
            out.append("GK12-01a")
    return out


class _Findings(list[tuple[str, str]]):
    """Collects (code, message) pairs: the message names the record and its key values."""

    def __init__(self, raw: dict[str, Any]):
        super().__init__()
        self.raw = raw

    def append(self, code: str) -> None:  # type: ignore[override]
        f = self.raw["fields"]
        super().append((code, f"{code} {f.get('record_no', '')}: {self.raw['form']} "
                              f"{ {k: v for k, v in f.items() if isinstance(v, str) and len(v) in (10, 16)} }"))

    def extend(self, codes: Any) -> None:
        for code in codes:
            self.append(code)


# -- timing ---------------------------------------------------------------------------------


def _time(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_project() -> Project:
    """The bundled project, with one JSON Lines file allowed to hold every record (record_file_bytes)."""
    project = load_project(REPO)
    limits = dataclasses.replace(project.site.limits, record_file_bytes=2**40, units_per_file=10**9)
    return dataclasses.replace(project, site=dataclasses.replace(project.site, limits=limits))


# -- the findings, exactly --------------------------------------------------------------------


def report_digest(report: Report) -> str:
    """sha256 over everything a report holds about the records: each record read with the rules applied,
    then every finding with every attribute (id, texts, values, criterion, due date)."""
    h = hashlib.sha256()

    def put(obj: Any) -> None:
        h.update(json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8") + b"\n")

    for ref, codes in report.checked:
        put([list(ref), list(codes)])
    for f in report.findings:
        put([f.id, f.rule, f.title, f.severity.value, f.outcome, list(f.criterion), list(f.record), list(f.fields),
             f.values, f.expected, f.message, f.due])
    return h.hexdigest()


def sources_digest() -> str:
    h = hashlib.sha256()
    for name in SOURCES:
        top = REPO / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file():
                h.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def check_findings(project: Project, labels: Labels, tmp: Path, cores: int, write: bool) -> bool:
    """The reference records through every worker count: the same digest each time, and the stored one's."""
    path = tmp / "reference.jsonl"
    write_realistic(path, REFERENCE_RECORDS, example_templates())
    digests = {}
    report = None
    for jobs in sorted({1, cores}):
        report = check_paths(Checker(project, labels, AS_OF, scope="bench"), [path], jobs=jobs, root=tmp)
        digests[jobs] = report_digest(report)
    assert report is not None
    found: dict[str, Any] = {
        "records": REFERENCE_RECORDS, "as_of": AS_OF.isoformat(), "sources": sources_digest(),
        "findings": len(report.findings), "digest": digests[1],
        "by_rule": dict(sorted(Counter(f.rule for f in report.findings).items()))}
    if write:
        REFERENCE.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"  wrote {REFERENCE.name}: {found['findings']:,} findings, digest {found['digest'][:16]}")
        return True
    same_jobs = len(set(digests.values())) == 1
    print(f"  findings, {REFERENCE_RECORDS:,} example records cycled: {found['findings']:,}; "
          f"same with {' and '.join(map(str, digests))} worker(s): {same_jobs}")
    if not REFERENCE.exists():
        print(f"  (no {REFERENCE.name}: nothing to compare with)")
        return same_jobs
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    if expected["sources"] != found["sources"]:
        print(f"  NOTE: rules/forms/procedures changed since {REFERENCE.name} was made: the comparison with it "
              "says nothing about the checker (regenerate it with a checker known to be right)")
        return same_jobs
    equal = expected["digest"] == found["digest"]
    print(f"  findings equal to the reference (the checker before the fast paths): {equal}")
    if not equal:
        counts = Counter(found["by_rule"]) - Counter(expected["by_rule"])
        missing = Counter(expected["by_rule"]) - Counter(found["by_rule"])
        print(f"    more than the reference: {dict(counts)}; fewer: {dict(missing)}")
    return equal and same_jobs


# -- 1,000,000 records through the command ----------------------------------------------------


class _TreeMemory(threading.Thread):
    """Samples the proportional set size (PSS: shared pages split between the processes sharing them) of a
    process and all its descendants, and keeps the highest sum seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid)))


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo.extend(int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split())
        except OSError:
            continue
    return out


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def million(tmp: Path, count: int, jobs: int) -> None:
    folder = tmp / "million"
    folder.mkdir()
    templates = example_templates()
    per = 25_000  # a file within the default record_file_bytes and units_per_file
    start = time.perf_counter()
    for k, first in enumerate(range(0, count, per)):
        write_realistic(folder / f"part{k:03d}.jsonl", min(per, count - first), templates, first)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"  {count:,} records in {len(list(folder.iterdir()))} JSON Lines files, {size / 1e6:,.0f} MB "
          f"(written in {time.perf_counter() - start:.0f} s)")
    out = tmp / "million-findings.jsonl"
    command = [sys.executable, "-m", "qmsdoc", "check", "--root", str(REPO),
               "--as-of", AS_OF.isoformat(),
               "--quiet", "--exit-zero", "-j", str(jobs), "-o", f"jsonl:{out}", str(folder)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    sampler = _TreeMemory(process.pid)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    findings = sum(1 for _ in out.open("rb")) if out.exists() else 0
    print(f"  qmsdoc check -j {jobs}, JSON Lines report: exit {process.returncode}, {seconds:.1f} s "
          f"({count / seconds:,.0f} records/s), {findings:,} findings (target < 60 s)")
    print(f"    peak memory: largest process {largest / 2**20:,.0f} MiB"
          f"{' (an earlier child was larger)' if before * 1024 >= largest else ''}, "
          f"process tree (sampled PSS) {sampler.peak / 2**20:,.0f} MiB (target < 1 GB)")
    if process.returncode not in (0, 1) or not out.exists():
        print(err[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 records through `qmsdoc check`")
    parser.add_argument("--million-records", type=int, default=1_000_000, help=argparse.SUPPRESS)
    parser.add_argument("--write-reference", action="store_true",
                        help=f"write {REFERENCE.name} from this checker (only one known to be right)")
    args = parser.parse_args()
    project = bench_project()
    labels = load_labels(project.site.language)
    ruled = sorted({f for r in project.rules for f in r.forms})
    forms = [project.forms[f] for f in ruled]
    cores = os.cpu_count() or 1
    print(f"{len({r.code for r in project.rules})} rules over {len(forms)} forms; "
          f"{args.records} JSON Lines records; {cores} cores; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        if not check_findings(project, labels, Path(tmp), cores, args.write_reference):
            print("FINDINGS DIFFER: the figures below are not of a correct checker")
            sys.exit(1)
        path = Path(tmp) / "records.jsonl"
        templates = example_templates()
        if templates:
            write_realistic(path, args.records, templates)
            print(f"  records: the {len(templates)} JSON example records, cycled")
        else:
            write_records(project, path, args.records, forms)
            print("  records: generated (no example records found)")
        print(f"  file: {path.stat().st_size / 1e6:.1f} MB")
        for jobs in sorted({1, cores}):
            checker = Checker(project, labels, AS_OF, scope="bench")
            report = None

            def run(jobs: int = jobs, checker: Checker = checker) -> None:
                nonlocal report
                report = check_paths(checker, [path], jobs=jobs, root=Path(tmp))
            seconds = _time(run)
            assert report is not None
            print(f"  full rule set, {jobs} worker(s): {seconds:.2f} s, {args.records / seconds:,.0f} records/s, "
                  f"{len(report.findings):,} findings{' (target >= 50,000/s)' if jobs > 1 else ''}")
        reading_alone(project, path, args.records)
        if args.million:
            million(Path(tmp), args.million_records, max(2, cores))
    five_rules(project, labels, args.records)


def reading_alone(project: Project, path: Path, count: int) -> None:
    """The same file read and typed with no rule and no built-in check, in one process: the part of a
    record's time no rule can save, set against the 40 µs a record a core that 50,000/s on 2 cores leaves."""
    reader = ExportReader(project)
    gc.disable()  # as a unit reads: records hold no reference cycles
    try:
        seconds = min(_time(lambda: sum(1 for _ in reader.jsonl_file(path, "bench"))) for _ in range(2))
    finally:
        gc.enable()
    per_record = seconds / count * 1e6
    print(f"  of which reading and typing alone (orjson, its check, typing every field; no rule), 1 process: "
          f"{per_record:.0f} µs a record, at most {2e6 / per_record:,.0f} records/s on 2 cores with no "
          f"check at all (the target leaves 40 µs a record a core)")


def five_rules(project: Project, labels: Labels, count: int) -> None:
    """Five representative rules, qmsdoc vs hand-written, in one process on the same parsed records."""
    five = tuple(r for r in project.rules if r.code in FIVE)
    missing = set(FIVE) - {r.code for r in five}
    if missing:
        print(f"  (rules {', '.join(sorted(missing))} are not in rules/: comparison skipped)")
        return
    five_forms = sorted({f for r in five for f in r.forms})
    small = dataclasses.replace(project, rules=five)
    rng = random.Random(11)
    raws = [make_record(project.forms[five_forms[n % len(five_forms)]], rng, n) for n in range(count)]
    params = {k: v for r in five for k, v in r.params.items()}
    reader = ExportReader(small)
    checker = Checker(small, labels, AS_OF, book=rule_book(project).only(FIVE))
    records = [_record(reader.from_mapping(raw, "bench", "")) for raw in raws]
    typed = [dict(raw, fields=_jsonable(record.fields)) for raw, record in zip(raws, records, strict=True)]
    counts: dict[str, int] = {}

    def qmsdoc_rules() -> None:
        counts["qmsdoc"] = sum(len(checker.rule_findings(r)[0]) for r in records)

    def qmsdoc_end_to_end() -> None:
        counts["qmsdoc_e2e"] = sum(
            sum(1 for f in checker.check(_record(reader.from_mapping(raw, "bench", "")))[0] if f.rule in FIVE)
            for raw in raws)

    def hand() -> None:
        counts["hand"] = sum(len(hand_written(raw, params)) for raw in typed)
    gc.freeze()  # the loaded records stay alive throughout: keep the collector off them, for both
    t_rules, t_hand, t_e2e = _time(qmsdoc_rules), _time(hand), _time(qmsdoc_end_to_end)
    t_rules, t_hand = min(t_rules, _time(qmsdoc_rules)), min(t_hand, _time(hand))  # best of two, both
    gc.unfreeze()
    print(f"  5 rules ({', '.join(FIVE)}), {count} records, one process:")
    print(f"    rule evaluation on loaded records: qmsdoc {t_rules:.2f} s, hand-written {t_hand:.2f} s, "
          f"ratio {t_rules / t_hand:.2f}x (target <= 1.5x)")
    print(f"    from JSON objects (typing every field, built-in checks): qmsdoc {t_e2e:.2f} s, "
          f"ratio {t_e2e / t_hand:.2f}x")
    print(f"    findings agree: {counts['qmsdoc'] == counts['hand'] == counts['qmsdoc_e2e']} "
          f"({counts['qmsdoc']} qmsdoc, {counts['hand']} hand-written)")
    _split(checker, records, typed, params)
    _floor(checker, records, typed, params)


def _split(checker: Checker, records: list[Record], typed: list[dict[str, Any]], params: dict[str, Any]) -> None:
    """The same comparison on the records with a finding and on those without, apart: where the ratio comes from."""
    found = [bool(checker.rule_findings(r)[0]) for r in records]
    for label, want in (("with a finding", True), ("without", False)):
        ours = [r for r, f in zip(records, found, strict=True) if f is want]
        theirs = [raw for raw, f in zip(typed, found, strict=True) if f is want]
        if not ours:
            continue
        gc.freeze()
        t_q = min(_time(lambda ours=ours: [checker.rule_findings(r) for r in ours]) for _ in range(2))
        t_h = min(_time(lambda theirs=theirs: [hand_written(raw, params) for raw in theirs]) for _ in range(2))
        gc.unfreeze()
        print(f"    records {label} ({len(ours):,}): qmsdoc {t_q / len(ours) * 1e6:.1f} µs a record, "
              f"hand-written {t_h / len(ours) * 1e6:.1f} µs, ratio {t_q / t_h:.2f}x")


def _floor(checker: Checker, records: list[Record], typed: list[dict[str, Any]], params: dict[str, Any]) -> None:
    """About how low the ratio can go: S-01's findings made by one function written for that rule alone,
    with no rule engine (no issue, no generic message, no dispatch), but the same findings as qmsdoc's
    (the revision plan looked up, the record reference, message, shown values and stable id). Against the
    hand-written function on the same records (S-01's misses), it is close to the least the ratio can be
    there for a checker in Python that makes qmsdoc's findings. Shown only when its findings are qmsdoc's."""
    picked = [(r, raw) for r, raw in zip(records, typed, strict=True)
              if r.form == "SJE/JL/GK-16-01" and checker.rule_findings(r)[0]]
    if not picked:
        return
    ours, theirs = [r for r, _ in picked], [raw for _, raw in picked]
    plan = checker.plan_for(ours[0])
    rule = next(rule for rule, _ in plan.checkers if rule.code == "S-01")
    spec, ctx, template = rule.spec, checker.ctx, rule.message
    assert isinstance(spec, LeadTime) and template is not None
    notice, event, id_field = spec.notice.path, spec.event.path, plan.id_field
    need = dt.timedelta(hours=params["notice_lead_hours"])
    unit = ctx.unit("hours")
    expected = f"≥ {params['notice_lead_hours']} {unit}"
    show = ctx.show

    def s01(record: Record) -> list[Finding]:
        checker.plan_for(record)  # which revisions judge it: a checker of controlled records needs it too
        f = record.fields
        given, wanted = f.get(notice), f.get(event)
        if f.get("accepted") is not True or given is None or wanted is None or wanted - given >= need:
            return []
        minutes = int((wanted - given).total_seconds() // 60)
        shown_notice, shown_event = show(given), show(wanted)
        names = {"notice_label": spec.notice.label, "notice": shown_notice, "event_label": spec.event.label,
                 "event": shown_event, "actual": ctx.duration(minutes), "at_least": params["notice_lead_hours"],
                 "unit": unit, "field": spec.notice.label, "value": shown_notice, "expected": expected,
                 "notice_no": show(f.get("notice_no")), notice: shown_notice, event: shown_event}
        key = record.record_id
        if key is None and id_field is not None and f.get(id_field) not in (None, ""):
            key = str(f[id_field])
        ref = RecordRef(record.source, record.location, record.form, record.revision, key)
        return [Finding(rule.code, rule.title, rule.severity, "fail", rule.citation, ref, (notice, event),
                        {notice: shown_notice, event: shown_event}, expected, template.format_map(names), "", None)]

    if not all(s01(r) == checker.rule_findings(r)[0] for r in ours):
        print("    S-01's misses: the function written for S-01 alone no longer makes qmsdoc's findings "
              "(the checker's wording changed): no floor shown")
        return
    gc.freeze()
    t_floor = min(_time(lambda: [s01(r) for r in ours]) for _ in range(3))
    t_rules = min(_time(lambda: [checker.rule_findings(r) for r in ours]) for _ in range(3))
    t_hand = min(_time(lambda: [hand_written(raw, params) for raw in theirs]) for _ in range(3))
    gc.unfreeze()
    n = len(ours)
    print(f"    S-01's misses ({n:,}), qmsdoc's findings made by a function written for S-01 alone (no rule "
          f"engine): {t_floor / n * 1e6:.1f} µs a record, qmsdoc {t_rules / n * 1e6:.1f} µs, hand-written "
          f"{t_hand / n * 1e6:.1f} µs: about the least the ratio can be there {t_floor / t_hand:.2f}x "
          f"(qmsdoc {t_rules / t_hand:.2f}x)")


def _record(item: Record | RecordError) -> Record:
    """A bench record as read: every one is well formed, so an error here is a fault of the bench."""
    if isinstance(item, RecordError):
        raise SystemExit(f"bench record not readable: {item}")
    return item


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    """Typed fields back to export form for the hand-written checker (it parses what it reads)."""
    from qmsdoc.records.docx_form import to_jsonable
    return to_jsonable(fields)


if __name__ == "__main__":
    main()
