"""The example records (records/examples/) give exactly the findings their cases declare.

`scripts/make-example-records` writes the records and tests/checker/examples_expected.json
from the case definitions in scripts/example_cases.py; the expected findings are what each case
is meant to show, never a capture of the checker's output. A difference is either a wrong case
or a checker (or rule) problem, and fails this test: there is no list of tolerated differences.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from qmsdoc.checker.engine import Checker
from qmsdoc.checker.run import check_paths
from qmsdoc.load.labels import load_labels
from qmsdoc.model.findings import OUTCOMES, Report
from qmsdoc.model.project import Project
from qmsdoc.model.rules import KINDS, Deadline, Signatures

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "records" / "examples"
EXPECTED = Path(__file__).with_name("examples_expected.json")
SCRIPT = REPO / "scripts" / "make-example-records"
AS_OF = dt.date(2026, 1, 15)
SCOPE = "records/examples"  # as `qmsdoc check records/examples` names the checked folder
FORMATS = {".docx", ".json", ".jsonl", ".yaml", ".csv"}

Key = tuple[str, str, str, str]


@pytest.fixture(scope="module")
def report(project: Project) -> Report:
    checker = Checker(project, load_labels(project.site.language), AS_OF, scope=SCOPE)
    return check_paths(checker, [EXAMPLES], jobs=1, root=REPO)


@pytest.fixture(scope="module")
def expected() -> list[Key]:
    return [tuple(row) for row in json.loads(EXPECTED.read_text(encoding="utf-8"))]  # type: ignore[misc]


def _show(keys: Counter[Key]) -> str:
    return "\n".join(f"  {s}:{loc} {rule} {outcome}" + (f" ×{n}" if n > 1 else "")
                     for (s, loc, rule, outcome), n in sorted(keys.items()))


def test_the_findings_are_exactly_the_declared_ones(report: Report, expected: list[Key]) -> None:
    got = Counter((f.record.source, f.record.location, f.rule, f.outcome) for f in report.findings)
    want = Counter(expected)
    unexpected, missing = got - want, want - got
    assert not unexpected and not missing, (
        f"the checker differs from the declared findings of records/examples\n"
        f"found but not declared ({sum(unexpected.values())}):\n{_show(unexpected)}\n"
        f"declared but not found ({sum(missing.values())}):\n{_show(missing)}")


def test_the_set_is_large_and_in_every_format(report: Report, project: Project) -> None:
    assert report.records >= 150
    readable = [ref for ref, _ in report.checked if ref.revision is not None]
    assert {Path(ref.source).suffix for ref in readable} == FORMATS
    per_format = Counter(Path(ref.source).suffix for ref in readable)
    assert all(n >= 5 for n in per_format.values()), per_format
    forms_with_rules = {f for r in project.rules for f in r.forms}
    assert forms_with_rules <= {ref.form for ref in readable}, "every form that has rules has records"


def test_about_half_of_the_records_are_compliant(report: Report) -> None:
    flagged = {(f.record.source, f.record.location) for f in report.findings}
    readable = [(ref.source, ref.location) for ref, _ in report.checked if ref.revision is not None]
    clean = [r for r in readable if r not in flagged]
    assert 0.45 <= len(clean) / len(readable) <= 0.7, (len(clean), len(readable))


def test_every_outcome_and_every_kind_of_rule_is_expected(project: Project, expected: list[Key]) -> None:
    assert {outcome for *_, outcome in expected} == set(OUTCOMES)
    rules = {r.code: r for r in project.rules}
    used = [rules[code] for _, _, code, _ in expected if code in rules]
    assert {r.kind for r in used} == set(KINDS)
    assert any(r.when is not None for r in used), "a conditional rule"
    assert any(r.match is not None and r.kind == "deadline" for r in used), "a deadline against a matched record"
    assert any(r.match is not None for r in used if r.kind != "deadline"), "another matched-record rule"
    assert any(isinstance(r.spec, Signatures) and r.spec.distinct for r in used), "segregation of duties"
    deadlines = [r.spec for r in used if isinstance(r.spec, Deadline)]
    assert {d.unit for d in deadlines if d.by is None} >= {"calendar_days", "hours"}
    assert any(d.by is not None for d in deadlines), "a deadline by a fixed day"
    builtin = {code for _, _, code, _ in expected if code.startswith("QMS-")}
    assert builtin == {"QMS-REQUIRED", "QMS-VALUE", "QMS-FUTURE", "QMS-REVISION", "QMS-RECORD"}
    assert any(source == SCOPE for source, *_ in expected), "set-level findings (frequency, coverage)"


def test_the_committed_set_is_what_the_script_writes(tmp_path: Path) -> None:
    out, expected_file = tmp_path / "examples", tmp_path / "expected.json"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--expected", str(expected_file)],
                   check=True, capture_output=True, timeout=300)
    assert expected_file.read_bytes() == EXPECTED.read_bytes()
    committed = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*") if p.is_file())
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert written == committed
    differ = [str(p) for p in written if (out / p).read_bytes() != (EXAMPLES / p).read_bytes()]
    assert not differ, f"regenerated files differ from the committed ones: {differ}"
