"""A JSON Lines file is parsed a batch of lines at a time and typed form by form: what it gives is
exactly what reading its lines one by one gives, in line order, whatever the batch."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from qmsdoc.model.project import Project
from qmsdoc.model.records import Record, RecordError
from qmsdoc.records import exports
from qmsdoc.records.exports import ExportReader

from conftest import REPO


def _examples() -> list[str]:
    """The bundled example records of JSON Lines files, as lines: several forms, some with problems."""
    lines = []
    for path in sorted((REPO / "records" / "examples").rglob("*.jsonl")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def _written(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _shown(item: Record | RecordError) -> tuple[Any, ...]:
    if isinstance(item, RecordError):
        return ("error", item.source, item.location, item.key, item.message)
    return ("record", item.form, item.revision, item.location, item.record_id, item.fields, item.problems)


def test_a_file_gives_the_records_of_its_lines_in_order_whatever_the_batch(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = _examples()
    records = list(ExportReader(project).jsonl_file(_written(tmp_path / "examples.jsonl", examples), "x"))
    assert len({r.form for r in records if isinstance(r, Record)}) >= 5
    assert any(isinstance(r, RecordError) for r in records)
    dated = next(line for line in examples if re.search(r'"20\d\d-\d\d-\d\d"', line))
    bad = ["{", '{"form": "NOPE/1", "revision": "A/0", "fields": {}}', "[1, 2]", '"text"',
           '{"form": "SJE/JL/GK-09-01", "revision": "A/0", "fields": {"record_no": 1.5e3}}',  # the standard decoder's
           "x" * (project.site.limits.line_bytes + 10),  # a line too long: skipped unread
           re.sub(r'"20\d\d-\d\d-\d\d"', '"2025-02-30"', dated, count=1)]  # a record with an impossible date
    lines = []
    for n in range(400):  # forms interleaved line by line, with bad lines, blank lines between
        lines.append(examples[n % len(examples)])
        if n % 9 == 0:
            lines.append(bad[(n // 9) % len(bad)])
        if n % 31 == 0:
            lines.append("")
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = ExportReader(project)
    one_by_one = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if len(line.encode()) > project.site.limits.line_bytes:
            one_by_one.append(("error", "mixed.jsonl", str(number), "line_too_long"))
            continue
        one_by_one.append(_shown(reader._json_record((line + "\n").encode(), "mixed.jsonl", str(number))))
    assert any(g[0] == "record" and g[-1] for g in one_by_one)  # a record with a problem is among them
    for size, budget in ((1, 1 << 30), (7, 1 << 30), (512, 1 << 30), (512, 4096)):
        monkeypatch.setattr(exports, "TYPING_BATCH", size)
        monkeypatch.setattr(exports, "TYPING_BATCH_BYTES", budget)
        got = [_shown(item) for item in ExportReader(project).jsonl_file(path, "mixed.jsonl")]
        assert [g[:4] if g[3] == "line_too_long" else g for g in got] == one_by_one, (size, budget)


def test_a_file_past_units_per_file_ends_with_its_error_after_the_records_before_it(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limits = dataclasses.replace(project.site.limits, units_per_file=10)
    small = dataclasses.replace(project, site=dataclasses.replace(project.site, limits=limits))
    examples = _examples()
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(examples[n % len(examples)] for n in range(25)) + "\n", encoding="utf-8")
    monkeypatch.setattr(exports, "TYPING_BATCH", 4)
    got = list(ExportReader(small).jsonl_file(path, "long.jsonl"))
    assert [item.location for item in got] == [str(n) for n in range(1, 12)]
    assert isinstance(got[-1], RecordError) and got[-1].key == "too_many_units"
    assert all(isinstance(item, Record) or item.key != "too_many_units" for item in got[:-1])
