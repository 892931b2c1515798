"""Reading a filled .docx form back: manifest → form definition → typed field values.

Word's real behaviour is expected: text split across runs, proofing marks, tracked
insertions (read) and deletions (ignored), placeholders still showing (empty), and values
typed by hand into date controls (parsed, or reported as unreadable with what was found).

What the person saw is the record: a date control's visible text is its value, and a hidden
stored date that disagrees with it is reported, never read instead. A file that cannot be read
at all, for whatever reason, is one RecordError naming the file and the reason; the text of the
controls is gathered in one pass over the document, in time linear in its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from qmsdoc.errors import SourceError
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.limits import LimitExceeded
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.records.coerce import BLANK, CHECKED_MARKS, from_text
from qmsdoc.records.files import display_path, read_bounded
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
    """What one content control holds: its text, whether its placeholder shows, extra state.

    `conflict` is (reason key, message) when the file does not say one thing for this control:
    its tag appears more than once, or it holds another tagged control."""

    tag: str
    text: str
    placeholder: bool
    full_date: str | None
    checked: bool | None
    conflict: tuple[str, str] | None = None


def read_docx_form(path: Path, project: Project, source: str | None = None, *,
                   any_revision: bool = False) -> Record:
    """One filled form file → Record; raises RecordError with a one-line reason.

    A file made on an older, released revision is read with that revision's definition. One made
    on a revision that is neither current nor released is refused, unless `any_revision` (the
    checker then reads it with the current definition and reports the revision itself).
    Whatever goes wrong while reading the file is a RecordError for this file alone.
    """
    source = source or display_path(path)
    try:
        return _read(path, project, source, any_revision)
    except RecordError:
        raise
    except Exception as exc:  # a reader bug must not cost the run: this file is reported, the others read
        error = f"{type(exc).__name__}: {exc}"
        raise RecordError(source, f"internal error while reading the file: {error}", key="internal_error",
                          error=error) from exc


def _read(path: Path, project: Project, source: str, any_revision: bool) -> Record:
    limits = project.site.limits
    data = read_bounded(path, limits.record_file_bytes, source)
    try:
        pkg = SafePackage(data, limits)
        manifest = _manifest(pkg)
        if manifest is None:
            raise RecordError(source, "not a qmsdoc form (no qmsdoc manifest in the file)", key="not_a_form")
        document = pkg.main_document()
    except UnsafeFile as exc:
        raise RecordError(source, str(exc), key=exc.key, **exc.params) from None
    form_id, revision = manifest.get("id", ""), manifest.get("revision", "")
    form = project.forms.get(form_id)
    if form is None:
        raise RecordError(source, f'form "{form_id}" is not a form of this document set', key="unknown_form",
                          form_id=form_id)
    if revision != form.revision and project.release_of(form.id, revision) is None and not any_revision:
        raise RecordError(source, f"made on {form_id} revision {revision}, which is not a known "
                                  f"revision (current: {form.revision})")
    definition = _definition(project, form, revision)
    controls = _controls(document)
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
        root = pkg.xml(name, f"{{{MANIFEST_NS}}}manifest")  # other custom XML is not read past its root
        if root is not None:
            return {str(k): str(v) for k, v in root.attrib.items()}
    custom = pkg.xml("docProps/custom.xml", f"{{{CUSTOM_PROPS_NS}}}Properties")
    if custom is not None:
        found = {}
        for prop in custom.iter(f"{{{CUSTOM_PROPS_NS}}}property"):
            name = prop.get("name", "")
            if name.startswith("qmsdoc."):
                found[name[7:]] = "".join(str(text) for text in prop.itertext())
        if found.get("id"):
            return found
    return None


_SDT, _SDT_PR, _SDT_CONTENT = _w("sdt"), _w("sdtPr"), _w("sdtContent")
_P, _R, _T, _TAB = _w("p"), _w("r"), _w("t"), _w("tab")
_BREAKS = frozenset((_w("br"), _w("cr")))
_DELETIONS = frozenset((_w("del"), _w("moveFrom")))
_TAG, _VAL, _DATE, _FULL_DATE, _PLACEHOLDER = _w("tag"), _w("val"), _w("date"), _w("fullDate"), _w("showingPlcHdr")
_CHECKBOX, _CHECKED, _W14_VAL = f"{{{W14}}}checkbox", f"{{{W14}}}checked", f"{{{W14}}}val"
_WALKED = (_SDT, _SDT_CONTENT, _P, _T, _TAB, *_BREAKS, *_DELETIONS)
"""The only elements the walk stops at; the others are skipped inside lxml."""


@dataclass(slots=True)
class _Open:
    """A content control met while walking the document; `parts` gathers its visible text."""

    sdt: etree._Element
    tag: str | None
    content: etree._Element | None
    parts: list[str] = field(default_factory=list)
    paragraphs: int = 0
    nested: bool = False


def _controls(document: etree._Element) -> dict[str, Control]:
    """Every tagged control of the document by tag; each element inside a control is visited once.

    Visible text goes to the innermost tagged control whose content it is in: runs joined,
    tracked deletions skipped (up to the nearest control content), paragraphs as new lines.
    A tagged control inside another one, or a tag used twice, is a conflict for that tag.
    """
    found: dict[str, Control] = {}
    seen: dict[str, int] = {}
    inner: set[etree._Element] = set()  # controls met inside one already walked (held, so lxml keeps them)
    for sdt in document.iter(_SDT):
        if sdt not in inner:
            _walk(sdt, found, seen, inner)
    for tag, count in seen.items():
        if count > 1:
            found[tag] = Control(tag, "", False, None, None, (
                "duplicate_control", f"the entry control appears {count} times in the file (the form was "
                                     "altered), so which one holds the value is not clear"))
    return found


def _walk(top: etree._Element, found: dict[str, Control], seen: dict[str, int], inner: set[etree._Element]) -> None:
    """The controls in `top` (itself included) into `found`, in one walk over its elements."""
    sdts: list[_Open] = []  # every open w:sdt
    reading: list[_Open] = []  # open tagged controls whose content is being read, innermost last
    deleted: list[int] = [0]  # open deletions since the innermost open control content
    for event, el in etree.iterwalk(top, events=("start", "end"), tag=_WALKED):
        tag = el.tag
        if event == "start":
            if tag == _SDT:
                sdts.append(_open(el))
                inner.add(el)
            elif tag == _SDT_CONTENT:
                deleted.append(0)
                if sdts and sdts[-1].content is el and sdts[-1].tag is not None:
                    if reading:
                        reading[-1].nested = True
                    reading.append(sdts[-1])
            elif tag in _DELETIONS:
                deleted[-1] += 1
            elif not reading or deleted[-1]:
                continue
            elif tag == _T:
                reading[-1].parts.append(el.text or "")
            elif tag == _P:
                target = reading[-1]
                if target.paragraphs:
                    target.parts.append("\n")
                target.paragraphs += 1
            elif tag in _BREAKS:
                reading[-1].parts.append("\n")
            elif tag == _TAB and (parent := el.getparent()) is not None and parent.tag == _R:
                reading[-1].parts.append("\t")
        elif tag == _SDT:
            control = sdts.pop()
            if control.tag is not None:
                seen[control.tag] = seen.get(control.tag, 0) + 1
                if control.tag not in found:
                    found[control.tag] = _control(control)
        elif tag == _SDT_CONTENT:
            deleted.pop()
            if reading and reading[-1].content is el:
                reading.pop()
        elif tag in _DELETIONS:
            deleted[-1] -= 1


def _open(sdt: etree._Element) -> _Open:
    pr = sdt.find(_SDT_PR)
    tag_el = pr.find(_TAG) if pr is not None else None
    if tag_el is None:
        return _Open(sdt, None, None)
    return _Open(sdt, tag_el.get(_VAL, ""), sdt.find(_SDT_CONTENT))


def _control(opened: _Open) -> Control:
    pr = opened.sdt.find(_SDT_PR)
    assert pr is not None and opened.tag is not None
    date_el = pr.find(_DATE)
    box = pr.find(_CHECKBOX)
    checked = None
    if box is not None:
        state = box.find(_CHECKED)
        checked = state is not None and state.get(_W14_VAL) in ("1", "true")
    conflict = None
    if opened.nested:
        conflict = ("nested_control", "the entry control holds another entry control (the form was altered), "
                                      "so which one holds the value is not clear")
    return Control(
        tag=opened.tag,
        text="".join(opened.parts),
        placeholder=pr.find(_PLACEHOLDER) is not None,
        full_date=date_el.get(_FULL_DATE) if date_el is not None else None,
        checked=checked,
        conflict=conflict,
    )


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
            name = _value(f, FieldType.PERSON, _get(controls, f"{f.id}.name", problems), f"{f.id}.name", problems, tz)
            date = _value(f, FieldType.DATE, _get(controls, f"{f.id}.date", problems), f"{f.id}.date", problems, tz)
            fields[f.id] = None if name is None and date is None else {"name": name, "date": date}
            _missing(controls, problems, f"{f.id}.name", f"{f.id}.date")
        elif f.type == FieldType.MULTICHOICE:
            tags = [f"{f.id}.{o.value}" for o in f.options]
            _missing(controls, problems, *tags)
            chosen = [o.value for o in f.options if _is_checked(_get(controls, f"{f.id}.{o.value}", problems))]
            fields[f.id] = chosen or None
        else:
            _missing(controls, problems, f.id)
            fields[f.id] = _value(f, f.type, _get(controls, f.id, problems), f.id, problems, tz)
    return fields


def _missing(controls: dict[str, Control], problems: list[FieldProblem], *tags: str) -> None:
    for tag in tags:
        if tag not in controls:
            problems.append(FieldProblem(tag, "", "the entry control is missing from the file", key="missing_control"))


def _get(controls: dict[str, Control], tag: str, problems: list[FieldProblem]) -> Control | None:
    """The control of `tag`; one the file does not say one thing for is a problem, and no value."""
    control = controls.get(tag)
    if control is not None and control.conflict is not None:
        key, message = control.conflict
        problems.append(FieldProblem(tag, control.text.strip(BLANK), message, key=key))
        return None
    return control


def _table(f: Field, controls: dict[str, Control], problems: list[FieldProblem],
           tz: str) -> list[dict[str, Any]] | None:
    rows = []
    for r in range(1, f.rows + 1):
        row = {c.id: _value(c, c.type, _get(controls, f"{f.id}.{r}.{c.id}", problems), f"{f.id}.{r}.{c.id}",
                            problems, tz)
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
        value = from_text(f, kind, text, tz)  # the text shown decides, never the date stored beside it
    except ValueError_ as exc:
        problems.append(FieldProblem(tag, text, str(exc), exc.kind, exc.key, exc.params))
        return None
    except LimitExceeded as exc:
        problems.append(FieldProblem(tag, text, str(exc), params=(("name", exc.name), ("limit", str(exc.limit)))))
        return None
    if kind == FieldType.DATE and control.full_date:
        stored = _stored_date(control.full_date)
        if stored != value:
            shown = stored.isoformat() if stored is not None else control.full_date[:40]
            problems.append(FieldProblem(
                tag, text, f"the date shown, {text}, differs from the date stored in the control, {shown}",
                key="date_differs", params=(("shown", text), ("stored", shown))))
            return None
    return value


def _stored_date(full_date: str) -> dt.date | None:
    """The day of a date control's w:fullDate (2025-05-01T00:00:00Z), None when it is no date."""
    try:
        return dt.date.fromisoformat(full_date[:10])
    except ValueError:
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
