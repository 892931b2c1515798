"""`qmsdoc due`: the open items of a check, soonest due first — what falls due this week.

An open item is a deadline still running on the audit date: the event is recorded, what must
follow is not yet, and its last day has not passed (see the `open` outcome of the checker). It
is not a nonconformity; this is the daily view of a quality manager. The items come from the
same rules, calendar and `--as-of` as `qmsdoc check`; `within` keeps those due within that many
days of the audit date. Text, JSON and HTML, in the site's language.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass

from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels

FORMATS = ("text", "json", "html")


@dataclass(frozen=True)
class DueItem:
    """One open item: when it falls due, on which record, under which rule, and what it waits for."""

    due: dt.date | None
    days_left: int | None
    form: str | None
    record: str
    rule: str
    title: str
    criterion: str
    message: str


def due_items(report: Report, within: int | None = None) -> list[DueItem]:
    """The report's open items due within `within` days of its audit date (all when None), soonest first."""
    out = []
    for f in report.open_items():
        left = (f.due - report.as_of).days if f.due is not None else None
        if within is not None and (left is None or left > within):
            continue
        out.append(DueItem(f.due, left, f.record.form, _record(f), f.rule, f.title, f.criterion.label, f.message))
    return out


def _record(f: Finding) -> str:
    r = f.record
    return r.record_id or (f"{r.source}:{r.location}" if r.location else r.source)


def render_due(fmt: str, report: Report, items: list[DueItem], labels: Labels) -> bytes:
    if fmt == "json":
        data = {"as_of": report.as_of.isoformat(), "count": len(items),
                "items": [{"due": i.due.isoformat() if i.due else None, "days_left": i.days_left, "form": i.form,
                           "record": i.record, "rule": i.rule, "title": i.title, "criterion": i.criterion,
                           "message": i.message} for i in items]}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    heads = [labels[k] for k in ("due_col_due", "due_col_left", "due_col_record", "due_col_rule", "due_col_what")]
    rows = [[i.due.isoformat() if i.due else "—", "" if i.days_left is None else str(i.days_left),
             f"{i.form or ''} {i.record}".strip(), f"{i.rule} {i.criterion}", i.message] for i in items]
    title = labels.format("due_title", as_of=report.as_of.isoformat(), count=len(items))
    if fmt == "html":
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n" for row in rows)
        head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
        page = (f'<!DOCTYPE html>\n<html lang="{labels.language}"><head><meta charset="utf-8">'
                f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif}}table{{border-collapse:"
                "collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}"
                f"th{{background:#f2f2f2}}</style></head><body><h1>{html.escape(title)}</h1>\n"
                f"<table><thead><tr>{head}</tr></thead><tbody>\n{cells}</tbody></table></body></html>\n")
        return page.encode("utf-8")
    lines = [title]
    lines += ["  ".join(row[:4]) + f"\n    {row[4]}" for row in rows] or [labels["due_none"]]
    return ("\n".join(lines) + "\n").encode("utf-8")
