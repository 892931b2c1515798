"""The Python API: what a script needs to load a document set, build it, read filled forms and
check records, in a few typed calls.

Everything here is stable: names are kept across minor versions, and a change is announced in
the release notes. Everything else in the package is internal and may change. The calls never
print, never exit and never read the clock: dates are arguments, and problems are exceptions
or values.

    from qmsdoc import api

    project = api.load_project("path/to/document-set")
    api.build(project, "output", as_of=datetime.date(2026, 12, 1))
    report = api.check(project, ["records/"], as_of=datetime.date(2026, 12, 1))
    for finding in report.nonconformities:
        print(finding.criterion.label, finding.message)

See docs/api.md for the whole surface, with examples.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qmsdoc.checker.engine import Checker
from qmsdoc.errors import Diagnostic, Diagnostics, Location, SourceError
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.findings import Finding, RecordRef, Report
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.model.rules import Citation, Severity

__all__ = [
    "BuiltDocument", "Citation", "Diagnostic", "FieldProblem", "Finding", "Form", "Location", "Procedure",
    "Project", "ProjectError", "Record", "RecordError", "RecordRef", "Report", "Severity",
    "build", "check", "check_records", "extract", "lint", "load_project", "render_report",
]

PathLike = str | os.PathLike[str]


class ProjectError(SourceError):
    """The document set has problems (the ones `qmsdoc lint` prints); `problems` lists them, each
    with its file, line, column, message and hint."""

    @property
    def problems(self) -> list[Diagnostic]:
        return self.diagnostics.sorted()


@dataclass(frozen=True)
class BuiltDocument:
    """One document `build` wrote: its id, `procedure` or `form`, the file, and whether its bytes changed."""

    id: str
    kind: str
    path: Path
    changed: bool


def load_project(root: PathLike) -> Project:
    """The document set under `root` (the folder holding qmsdoc.yaml), loaded and validated.

    Raises ProjectError listing every problem, as `qmsdoc lint` would print them (without the
    compile check of the rules against every revision: `lint` does that)."""
    folder = Path(root)
    if not (folder / "qmsdoc.yaml").is_file():
        missing = Diagnostics()
        missing.error(Location(str(folder / "qmsdoc.yaml")), "qmsdoc.yaml not found",
                      "pass the folder holding qmsdoc.yaml")
        raise ProjectError(missing)
    from qmsdoc.load.project import load_project as load

    try:
        return load(folder)
    except SourceError as exc:
        raise ProjectError(exc.diagnostics) from None


def lint(root: PathLike) -> list[Diagnostic]:
    """Every problem `qmsdoc lint` reports as an error for the document set under `root`, sorted by
    place; an empty list when it is clean. Warnings (revisions not released, reviews due) are not
    problems and are not listed."""
    try:
        project = load_project(root)
    except ProjectError as exc:
        return exc.problems
    from qmsdoc.checker.revisions import rule_book

    return rule_book(project).diagnostics.sorted()


def build(project: Project, out: PathLike, *, as_of: dt.date, jobs: int | None = 1) -> list[BuiltDocument]:
    """Write the documents published on `as_of` under `out` (the controlled .docx files of `qmsdoc
    build`, not the portal): released revisions as their released bytes, others rendered. `jobs`:
    worker processes (None: all cores); the bytes do not depend on it.

    Raises ProjectError when a released file is missing."""
    from qmsdoc.publish import build_all

    try:
        built = build_all(project, Path(out), as_of=as_of, jobs=jobs)
    except SourceError as exc:
        raise ProjectError(exc.diagnostics) from None
    return [BuiltDocument(b.doc_id, b.kind, b.path, b.changed) for b in built]


def extract(project: Project, path: PathLike) -> Record:
    """The record in one filled .docx form: its form, revision and typed values (`Record.fields`),
    with the values that could not be read in `Record.problems`.

    Raises RecordError when the file is not a form of this document set or cannot be read."""
    from qmsdoc.records.docx_form import read_docx_form

    return read_docx_form(Path(path), project)


def check(project: Project, paths: Sequence[PathLike], *, as_of: dt.date, since: dt.date | None = None,
          jobs: int | None = 1, follow_links: bool = False) -> Report:
    """Check the records under `paths` (folders walked recursively, or files: .docx forms, JSON,
    JSON Lines, YAML, CSV) on the audit date `as_of`, exactly as `qmsdoc check` does.

    A file that cannot be read is a finding (QMS-RECORD), not an exception. Raises ProjectError
    when a rule does not compile against a revision it applies to."""
    from qmsdoc.checker.run import check_paths

    named = [Path(p) for p in paths]
    checker = _checker(project, as_of, since, " ".join(os.fspath(p) for p in paths))
    return check_paths(checker, named, jobs=jobs, root=project.root, follow_links=follow_links)


def check_records(project: Project, records: Iterable[Record], *, as_of: dt.date,
                  since: dt.date | None = None) -> Report:
    """Check records already read (from `extract`, or built by a script from another system) on
    the audit date `as_of`: each against its form's rules, then the rules over the whole set."""
    checker = _checker(project, as_of, since, "records")
    findings: list[Finding] = []
    checked: list[tuple[RecordRef, tuple[str, ...]]] = []
    kept = list(records)
    earliest: dt.date | None = None
    for record in kept:
        result = checker.check_record(record)
        findings.extend(result.findings)
        checked.append((result.ref, result.applied))
        if result.day is not None and (earliest is None or result.day < earliest):
            earliest = result.day
    set_findings, applied = checker.check_set(kept, earliest)
    findings.extend(set_findings)
    for index, codes in applied.items():
        ref, before = checked[index]
        checked[index] = (ref, tuple(dict.fromkeys((*before, *codes))))
    findings.sort(key=Finding.sort_key)
    return Report(as_of=as_of, root="records", sources=len({r.source for r in kept}), records=len(kept),
                  rules=len(checker.rule_codes), findings=tuple(findings),
                  rule_titles=dict(sorted(checker.titles.items())), checked=tuple(checked))


def render_report(report: Report, project: Project, fmt: str = "text") -> bytes:
    """The report in one of `qmsdoc check`'s formats (text, json, jsonl, junit, sarif, html, docx,
    xlsx, csv), in the document set's language, as the bytes to write."""
    from qmsdoc.load.labels import load_labels
    from qmsdoc.report import render

    return render(fmt, report, project, load_labels(project.site.language))


def _checker(project: Project, as_of: dt.date, since: dt.date | None, scope: str) -> Checker:
    from qmsdoc.load.labels import load_labels

    try:
        return Checker(project, load_labels(project.site.language), as_of, since=since, scope=scope)
    except SourceError as exc:
        raise ProjectError(exc.diagnostics) from None

