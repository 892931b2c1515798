"""Fixtures for checker tests: the small project of project_files.py, and a way to check records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.outcome_files import BASE as OUTCOME_BASE
from checker.outcome_files import FILES as OUTCOME_FILES
from checker.outcome_files import FORM as OUTCOME_FORM
from checker.project_files import FILES
from qmsdoc.checker.engine import Checker
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import Finding
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record, RecordError
from qmsdoc.records.exports import ExportReader

from conftest import make_project

FORM, TRIP = "SJE/JL/GK-90-01", "SJE/JL/GK-90-02"

BASE: dict[str, Any] = {
    "record_no": "R-1", "issued_on": "2025-09-01", "returned_on": "2025-09-01", "copy_on": "2025-09-05",
    "owner": "张三", "note": "无", "attached": True,
    "leader": {"name": "李四", "date": "2025-09-02"}, "staff": [{"name": "王五", "via": "fax"}],
    "target_year": "2026",
}
"""A record that passes every rule of the small project (T-12's fixed day needs its target year: without
it the rule cannot be evaluated, never passed)."""


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return load_project(make_project(tmp_path_factory.mktemp("mini"), FILES))


def record(project: Project, fields: dict[str, Any], *, form: str = FORM, revision: str | None = None,
           base: bool = True, source: str = "r.json") -> Record:
    raw = {"form": form, "revision": revision or project.forms[form].revision,
           "fields": {**(BASE if base and form == FORM else {}), **fields}}
    item = ExportReader(project).from_mapping(raw, source, "")
    assert isinstance(item, Record), item
    return item


Check = Callable[..., list[Finding]]


@pytest.fixture
def check(mini: Project) -> Check:
    """check(fields…, as_of=…) → findings of one record (only rules, not the set rules)."""
    labels = load_labels("zh-CN")

    def run(fields: dict[str, Any] | None = None, *, as_of: dt.date = dt.date(2025, 12, 31), **kw: Any) -> list[Finding]:
        checker = Checker(mini, labels, as_of)
        return checker.check(record(mini, fields or {}, **kw))[0]
    return run


def codes(findings: list[Finding]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.rule, f.outcome, f.fields) for f in findings]


# -- the outcome project (outcome_files.py): unknown, open items, a date alone, months and years --

Outcomes = Callable[..., list[Finding]]


@pytest.fixture(scope="session")
def outcome_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return load_project(make_project(tmp_path_factory.mktemp("outcomes"), OUTCOME_FILES))


def outcome_record(project: Project, fields: dict[str, Any]) -> Record:
    """A record of the outcome project's form: its BASE with `fields` over it."""
    item = ExportReader(project).from_mapping(
        {"form": OUTCOME_FORM, "revision": "A/0", "fields": {**OUTCOME_BASE, **fields}}, "r.json", "")
    assert isinstance(item, Record), item
    return item


@pytest.fixture
def outcomes(outcome_project: Project) -> Outcomes:
    """outcomes(fields…, as_of=…, language=…) → the findings of one record of the outcome project."""
    def run(fields: dict[str, Any] | None = None, *, as_of: dt.date = dt.date(2025, 12, 31),
            language: str = "zh-CN") -> list[Finding]:
        checker = Checker(outcome_project, load_labels(language), as_of)
        return checker.check(outcome_record(outcome_project, fields or {}))[0]
    return run


__all__ = ["BASE", "FORM", "TRIP", "Outcomes", "Path", "RecordError", "codes", "outcome_record", "record"]
