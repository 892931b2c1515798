"""Findings as JSON (one document) and JSON Lines (one finding per line), for machines.

Keys come in a fixed order (not sorted: `id` first and `message` last read better), non-ASCII
text is written as is (ensure_ascii=False), and the same report always gives the same text.

Every finding carries its `outcome` and `due` (the last day of a deadline it is about, else null).
`counts.findings` and `summary.by_severity` count nonconformities; rules that could not be evaluated
(`cannot_evaluate`) and open items (`open`, a deadline still running) are counted apart, and
`summary.open_items` lists the open items' ids by due date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.rules import Citation
from qmsdoc.report.common import rule_summary

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; the standard encoder writes the same text
    orjson = None  # type: ignore[assignment]


def criterion_dict(c: Citation) -> dict[str, Any]:
    """A criterion as JSON: document, its revision (null for one outside the document set, such as
    ISO 9001), clause and title."""
    return {"document": c.document, "revision": c.revision, "clause": c.clause, "title": c.title}


def finding_dict(f: Finding, criteria: dict[Citation, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every field of one finding, as values the JSON encoders write (its fields a tuple, written as an
    array). `criteria`: each criterion's object, made once and shared by the findings that cite it."""
    criterion = criteria.get(f.criterion) if criteria is not None else None
    if criterion is None:
        criterion = criterion_dict(f.criterion)
        if criteria is not None:
            criteria[f.criterion] = criterion
    r = f.record
    return {
        "id": f.id,
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity.value,
        "outcome": f.outcome,
        "criterion": criterion,
        "record": {"source": r.source, "location": r.location, "form": r.form, "revision": r.revision,
                   "record_id": r.record_id},
        "fields": f.fields,
        "values": f.values,
        "expected": f.expected,
        "due": f.due.isoformat() if f.due is not None else None,
        "message": f.message,
    }


def report_dict(report: Report) -> dict[str, Any]:
    """The whole run: audit date, folder, counts (nonconformities, rules that could not be evaluated, open
    items), summaries and the findings in order."""
    return {
        "as_of": report.as_of.isoformat(),
        "root": report.root,
        "counts": {"sources": report.sources, "records": report.records, "rules": report.rules,
                   **report.count_by_outcome()},
        "summary": {
            "by_severity": report.count_by_severity(),
            "by_rule": [{"rule": line.code, "title": line.title, "severity": line.severity.value,
                         "count": line.count} for line in rule_summary(report)],
            "open_items": [{"id": f.id, "due": f.due.isoformat() if f.due is not None else None}
                           for f in report.open_items()],
        },
        "findings": [finding_dict(f) for f in report.findings],
    }


def render_json(report: Report) -> str:
    """One JSON document for the whole run, indented, ending with a newline."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def render_jsonl(report: Report) -> str:
    """One finding per line; each line also carries the audit date (`as_of`) first."""
    return "".join(jsonl_lines(report))


def jsonl_lines(report: Report) -> Iterator[str]:
    """The lines of `render_jsonl`, one at a time: a report file of a million findings is written line by
    line, never held whole. orjson writes them when it is installed; its text is the standard encoder's
    (compact, non-ASCII as is), and a line it refuses (a lone surrogate in a file name) is left to the
    standard encoder."""
    for line in _line_objects(report):
        yield _compact(line) + "\n"


JSONL_BATCH = 2000
"""Lines `jsonl_chunks` joins into one piece to write."""


def jsonl_chunks(report: Report) -> Iterator[bytes]:
    """`jsonl_lines` as UTF-8, `JSONL_BATCH` lines at a time, the same bytes: what `qmsdoc check -o jsonl:…`
    writes. orjson encodes each line straight to bytes, never through a str."""
    batch: list[bytes] = []
    for line in _line_objects(report):
        batch.append(_compact_bytes(line))
        if len(batch) >= JSONL_BATCH:
            yield b"\n".join(batch) + b"\n"
            batch = []
    if batch:
        yield b"\n".join(batch) + b"\n"


def _line_objects(report: Report) -> Iterator[dict[str, Any]]:
    """What each JSON Lines line holds: the audit date, then the finding."""
    as_of = report.as_of.isoformat()
    criteria: dict[Citation, dict[str, Any]] = {}
    for f in report.findings:
        yield {"as_of": as_of, **finding_dict(f, criteria)}


def _compact_bytes(obj: dict[str, Any]) -> bytes:
    if orjson is not None:
        try:
            return orjson.dumps(obj)
        except orjson.JSONEncodeError:
            pass
    return _compact(obj).encode("utf-8")  # the standard encoder's line, as UTF-8


def _compact(obj: dict[str, Any]) -> str:
    if orjson is not None:
        try:
            return orjson.dumps(obj).decode("utf-8")
        except orjson.JSONEncodeError:
            pass
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
