"""Reading a filled .docx form back: manifest → form definition → typed field values.

Word's real behaviour is expected: text split across runs, proofing marks, tracked
insertions (read) and deletions (ignored), placeholders still showing (empty), and values
typed by hand into date controls (parsed, or reported as unreadable with what was found).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from qmsdoc.errors import SourceError
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.records.coerce import BLANK, CHECKED_MARKS, from_text
from qmsdoc.records.safezip import SafePackage, UnsafeFile
from qmsdoc.records.values import ValueError_

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MANIFEST_NS = "urn:qmsdoc:manifest:1"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Control:
    """What one content control holds: its text, whether its placeholder shows, extra state."""

    tag: str
    text: str
    placeholder: bool
    full_date: str | None
    checked: bool | None


def read_docx_form(path: Path, project: Project, source: str | None = None, *,
                   any_revision: bool = False) -> Record:
    """One filled form file → Record; raises RecordError with a one-line reason.

    A file made on an older, released revision is read with that revision's definition. One made
    on a revision that is neither current nor released is refused, unless `any_revision` (the
    checker then reads it with the current definition and reports the revision itself).
    """
    source = source or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordError(source, f"cannot read the file: {exc.strerror}") from None
    try:
        pkg = SafePackage(data)
        manifest = _manifest(pkg)
        if manifest is None:
            raise RecordError(source, "not a qmsdoc form (no qmsdoc manifest in the file)", key="not_a_form")
        document = pkg.xml("word/document.xml")
        if document is None:
            raise RecordError(source, "damaged .docx: word/document.xml is missing")
    except UnsafeFile as exc:
        raise RecordError(source, str(exc), key=exc.key) from None
    form_id, revision = manifest.get("id", ""), manifest.get("revision", "")
    form = project.forms.get(form_id)
    if form is None:
        raise RecordError(source, f'form "{form_id}" is not a form of this document set', key="unknown_form",
                          form_id=form_id)
    if revision != form.revision and project.release_of(form.id, revision) is None and not any_revision:
        raise RecordError(source, f"made on {form_id} revision {revision}, which is not a known "
                                  f"revision (current: {form.revision})")
    definition = _definition(project, form, revision)
    controls = {c.tag: c for c in _controls(document)}
    notes: list[str] = []
    if manifest.get("digest") and manifest["digest"] != form.digest:
        notes.append(f"the file was built from a different definition of {form.id} {revision} "
                     "than the current one (its digest differs)")
    problems: list[FieldProblem] = []
    fields = _read_fields(definition, controls, problems, project.site.timezone)
    return Record(form.id, revision, source, fields, tuple(problems), notes=tuple(notes))


def _definition(project: Project, form: Form, revision: str) -> Form:
    """The definition the file was made on: the released one of an older revision when there is one."""
    if revision == form.revision:
        return form
    release = project.release_of(form.id, revision)
    if release is None:
        return form
    try:
        older = load_snapshot(project, release)
    except SourceError:
        return form
    return older if isinstance(older, Form) else form


def _manifest(pkg: SafePackage) -> dict[str, str] | None:
    for name in sorted(n for n in pkg.names if n.startswith("customXml/item") and "Props" not in n):
        root = pkg.xml(name)
        if root is not None and root.tag == f"{{{MANIFEST_NS}}}manifest":
            return {str(k): str(v) for k, v in root.attrib.items()}
    custom = pkg.xml("docProps/custom.xml")
    if custom is not None:
        found = {}
        for prop in custom.iter(f"{{{CUSTOM_PROPS_NS}}}property"):
            name = prop.get("name", "")
            if name.startswith("qmsdoc."):
                found[name[7:]] = "".join(str(text) for text in prop.itertext())
        if found.get("id"):
            return found
    return None


def _controls(document: etree._Element) -> Iterator[Control]:
    for sdt in document.iter(_w("sdt")):
        pr = sdt.find(_w("sdtPr"))
        if pr is None:
            continue
        tag_el = pr.find(_w("tag"))
        if tag_el is None:
            continue
        content = sdt.find(_w("sdtContent"))
        date_el = pr.find(_w("date"))
        box = pr.find(f"{{{W14}}}checkbox")
        checked = None
        if box is not None:
            state = box.find(f"{{{W14}}}checked")
            checked = state is not None and state.get(f"{{{W14}}}val") in ("1", "true")
        yield Control(
            tag=tag_el.get(_w("val"), ""),
            text=_text(content) if content is not None else "",
            placeholder=pr.find(_w("showingPlcHdr")) is not None,
            full_date=date_el.get(_w("fullDate")) if date_el is not None else None,
            checked=checked,
        )


def _text(node: etree._Element) -> str:
    """The visible text: runs joined, tracked deletions skipped, paragraphs as new lines."""
    parts: list[str] = []
    first_paragraph = True
    for el in node.iter():
        tag = el.tag
        if tag == _w("p"):
            if not first_paragraph:
                parts.append("\n")
            first_paragraph = False
        elif tag == _w("t") and not _deleted(el):
            parts.append(el.text or "")
        elif tag in (_w("br"), _w("cr")) and not _deleted(el):
            parts.append("\n")
        elif tag == _w("tab") and (parent := el.getparent()) is not None and parent.tag == _w("r"):
            parts.append("\t")
    return "".join(parts)


def _deleted(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in (_w("del"), _w("moveFrom")):
            return True
        if parent.tag == _w("sdtContent"):
            return False
        parent = parent.getparent()
    return False


def _blank(control: Control | None) -> bool:
    return control is None or control.placeholder or not control.text.strip(BLANK)


def _read_fields(form: Form, controls: dict[str, Control], problems: list[FieldProblem],
                 tz: str) -> dict[str, Any]:
    """The typed value of each field of `form`; what cannot be read is added to `problems`."""
    fields: dict[str, Any] = {}
    for f in (f for s in form.sections for f in s.fields):
        if f.type == FieldType.TABLE:
            fields[f.id] = _table(f, controls, problems, tz)
        elif f.type == FieldType.SIGNATURE:
            name = _value(f, FieldType.PERSON, controls.get(f"{f.id}.name"), f"{f.id}.name", problems, tz)
            date = _value(f, FieldType.DATE, controls.get(f"{f.id}.date"), f"{f.id}.date", problems, tz)
            fields[f.id] = None if name is None and date is None else {"name": name, "date": date}
            _missing(controls, problems, f"{f.id}.name", f"{f.id}.date")
        elif f.type == FieldType.MULTICHOICE:
            tags = [f"{f.id}.{o.value}" for o in f.options]
            _missing(controls, problems, *tags)
            chosen = [o.value for o in f.options if _is_checked(controls.get(f"{f.id}.{o.value}"))]
            fields[f.id] = chosen or None
        else:
            _missing(controls, problems, f.id)
            fields[f.id] = _value(f, f.type, controls.get(f.id), f.id, problems, tz)
    return fields


def _missing(controls: dict[str, Control], problems: list[FieldProblem], *tags: str) -> None:
    for tag in tags:
        if tag not in controls:
            problems.append(FieldProblem(tag, "", "the entry control is missing from the file", key="missing_control"))


def _table(f: Field, controls: dict[str, Control], problems: list[FieldProblem],
           tz: str) -> list[dict[str, Any]] | None:
    rows = []
    for r in range(1, f.rows + 1):
        row = {c.id: _value(c, c.type, controls.get(f"{f.id}.{r}.{c.id}"), f"{f.id}.{r}.{c.id}", problems, tz)
               for c in f.columns}
        if any(v is not None and v is not False for v in row.values()):
            rows.append(row)
    return rows or None


def _is_checked(control: Control | None) -> bool:
    if control is None:
        return False
    if control.checked is not None:
        return control.checked
    return control.text.strip() in CHECKED_MARKS


def _value(f: Field, kind: FieldType, control: Control | None, tag: str, problems: list[FieldProblem],
           tz: str) -> Any:
    if kind == FieldType.CHECKBOX:
        return _is_checked(control)
    if _blank(control):
        return None
    assert control is not None
    text = control.text.strip(BLANK)
    try:
        return from_text(f, kind, text, tz, control.full_date)
    except ValueError_ as exc:
        problems.append(FieldProblem(tag, text, str(exc), exc.kind, exc.key, exc.params))
        return None


def to_jsonable(value: Any) -> Any:
    """Typed values → JSON: ISO dates, date-times with offset, numbers as numbers."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    return value


def record_to_dict(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"form": record.form, "revision": record.revision, "source": record.source,
                           "fields": to_jsonable(record.fields)}
    if record.problems:
        out["problems"] = [{"field": p.field, "found": p.found, "message": p.message} for p in record.problems]
    if record.notes:
        out["notes"] = list(record.notes)
    return out
