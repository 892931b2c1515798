"""Benchmark the report emitters on many findings: seconds, peak memory and findings/s per format.

Prints figures; it is not a test. Target (hostile-input issue): the Word nonconformity report
of 10,000 findings in under 30 s and under 500 MB peak memory. Each format runs in a fresh
process, so its peak RSS (resource.getrusage) is its own: the loaded project and the report,
which every format shares, then the rendering.

Run: python bench/bench_report.py [--findings 10000] [--formats docx,html,json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import resource
import time
from pathlib import Path

from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import OUTCOMES, Finding, RecordRef, Report
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Severity
from qmsdoc.report import render

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 1, 15)


def synthetic_report(project: Project, n: int) -> Report:
    """`n` findings of the bundled rules on records of their forms, with values, in final order."""
    rules = sorted({r.code: r for r in project.rules}.values(), key=lambda r: r.code)
    severities = tuple(Severity)
    findings = []
    for k in range(n):
        rule = rules[k % len(rules)]
        form = project.forms[rule.forms[0]]
        fields = tuple(list(form.fields())[:2])
        record = RecordRef(f"records/batch-{k // 500:03d}.jsonl", str(k % 500 + 1), form.id, form.revision,
                           f"R-{k:06d}")
        values = dict.fromkeys(fields, f"2025-{k % 12 + 1:02d}-{k % 28 + 1:02d}")
        findings.append(Finding(rule.code, rule.title, severities[k % 3], OUTCOMES[k % 5], rule.citation, record,
                                fields, values, f"≤ 2025-{k % 12 + 1:02d}-15",
                                f"{rule.title}：第 {k} 条记录不符合要求（{', '.join(values.values())}）"))
    findings.sort(key=Finding.sort_key)
    return Report(AS_OF, "records", n // 500 + 1, n, len(rules), tuple(findings),
                  rule_titles={r.code: r.title for r in rules})


def _run(fmt: str, n: int) -> tuple[float, float, float, int]:
    """In a fresh process: (seconds, RSS before rendering and peak RSS in MB, output bytes)."""
    project = load_project(REPO)
    labels = load_labels(project.site.language)
    report = synthetic_report(project, n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    data = render(fmt, report, project, labels)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, before, peak, len(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--formats", default="docx,html,json")
    args = parser.parse_args()
    print(f"{args.findings:,} synthetic findings")
    context = multiprocessing.get_context("spawn")
    for fmt in args.formats.split(","):
        with context.Pool(1) as pool:
            seconds, before, peak, size = pool.apply(_run, (fmt, args.findings))
        target = " (target: < 30 s, < 500 MB)" if fmt == "docx" else ""
        print(f"  {fmt}: {seconds:.2f} s, {args.findings / seconds:,.0f} findings/s, peak RSS {peak:.0f} MB "
              f"({before:.0f} MB before rendering), {size / 1e6:.1f} MB written{target}")


if __name__ == "__main__":
    main()
