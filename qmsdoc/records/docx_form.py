"""Reading a filled .docx form back: manifest → form definition → typed field values.

The package is opened within its bounds (safezip.py), the qmsdoc manifest says which form and
revision the file was made on, and that revision's definition says how each field is typed. The
controls as Word shows them (docx_controls.py) are the record: placeholders still showing are
empty, values typed by hand into date controls are parsed, or reported as unreadable with what
was found, and what could make two programs show two documents is reported, never read one way:
- a date control's visible text is its value, and a hidden stored date that disagrees with it
  is a problem; so is a check box whose mark (☒, ☐ …) disagrees with its hidden w14:checked;
- a control that does not say one thing (hidden text, differing mc:AlternateContent branches,
  a nested control, a tag used twice) is a problem for its field, and no value.

A file that cannot be read at all, for whatever reason, is one RecordError naming the file and
the reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from qmsdoc.errors import SourceError
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.entries import option_tag, row_tag, yes_no_tags
from qmsdoc.model.limits import LimitExceeded
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.model.site import SiteConfig
from qmsdoc.records.coerce import BLANK, CHECKED_MARKS, from_text
from qmsdoc.records.docx_controls import Control, hiding_styles, shown_controls
from qmsdoc.records.files import display_path, read_bounded
from qmsdoc.records.safezip import SafePackage, UnsafeFile
from qmsdoc.records.values import ValueError_

MANIFEST_NS = "urn:qmsdoc:manifest:1"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


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
        styles = pkg.styles_derived(pkg.main_part(), hiding_styles)
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
    controls = shown_controls(document, styles)
    notes: list[str] = []
    if manifest.get("digest") and manifest["digest"] != form.digest:
        notes.append(f"the file was built from a different definition of {form.id} {revision} "
                     "than the current one (its digest differs)")
    problems: list[FieldProblem] = []
    fields = _read_fields(definition, controls, problems, project.site)
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


def _blank(control: Control | None) -> bool:
    return control is None or control.placeholder or not control.text.strip(BLANK)


def _read_fields(form: Form, controls: dict[str, Control], problems: list[FieldProblem],
                 site: SiteConfig) -> dict[str, Any]:
    """The typed value of each field of `form`; what cannot be read is added to `problems`."""
    fields: dict[str, Any] = {}
    for f in (f for s in form.sections for f in s.fields):
        if f.type == FieldType.TABLE:
            fields[f.id] = _table(f, controls, problems, site)
        elif f.type == FieldType.SIGNATURE:
            name = _value(f, FieldType.PERSON, _get(controls, f"{f.id}.name", problems), f"{f.id}.name", problems,
                          site)
            date = _value(f, FieldType.DATE, _get(controls, f"{f.id}.date", problems), f"{f.id}.date", problems,
                          site)
            fields[f.id] = None if name is None and date is None else {"name": name, "date": date}
            _missing(controls, problems, f"{f.id}.name", f"{f.id}.date")
        else:
            fields[f.id] = _entry(f, f.id, controls, problems, site, report_missing=True)
    return fields


def _entry(f: Field, tag: str, controls: dict[str, Control], problems: list[FieldProblem], site: SiteConfig,
           *, report_missing: bool) -> Any:
    """The value of the entry `tag` of field `f`, as tick boxes or as one control (see `model.entries`)."""
    if f.type == FieldType.MULTICHOICE:
        tags = [option_tag(tag, o.value) for o in f.options]
        if report_missing:
            _missing(controls, problems, *tags)
        return [o.value for o, t in zip(f.options, tags, strict=True)
                if _checkbox(_get(controls, t, problems), t, problems)] or None
    if f.type == FieldType.CHOICE and tag not in controls:
        return _one_ticked(f, tag, [(o.value, o.label, option_tag(tag, o.value)) for o in f.options], controls,
                           problems, report_missing)
    if f.type == FieldType.CHECKBOX and tag not in controls:
        yes, no = yes_no_tags(tag)
        if yes in controls or no in controls or report_missing:
            return _one_ticked(f, tag, [(True, "是", yes), (False, "否", no)], controls, problems, report_missing)
    if report_missing:
        _missing(controls, problems, tag)
    return _value(f, f.type, _get(controls, tag, problems), tag, problems, site)


def _one_ticked(f: Field, tag: str, boxes: list[tuple[Any, str, str]], controls: dict[str, Control],
                problems: list[FieldProblem], report_missing: bool) -> Any:
    """The value of the one box ticked among `boxes` (value, label, tag); none ticked is no value,
    and more than one is a problem (the form asks for one)."""
    if report_missing:
        _missing(controls, problems, *(t for _, _, t in boxes))
    ticked = [(value, label) for value, label, t in boxes if _checkbox(_get(controls, t, problems), t, problems)]
    if len(ticked) > 1:
        found = "、".join(label for _, label in ticked)
        problems.append(FieldProblem(tag, found, f"{len(ticked)} boxes are ticked ({found}), but only one may be",
                                     key="several_ticked", params=(("found", found),)))
        return None
    return ticked[0][0] if ticked else None


def _missing(controls: dict[str, Control], problems: list[FieldProblem], *tags: str) -> None:
    for tag in tags:
        if tag not in controls:
            problems.append(FieldProblem(tag, "", "the entry control is missing from the file", key="missing_control"))


def _get(controls: dict[str, Control], tag: str, problems: list[FieldProblem]) -> Control | None:
    """The control of `tag`; one the file does not say one thing for is a problem, and no value."""
    control = controls.get(tag)
    if control is not None and control.conflict is not None:
        conflict = control.conflict
        problems.append(FieldProblem(tag, control.text.strip(BLANK), conflict.message, key=conflict.key,
                                     params=conflict.params))
        return None
    return control


def _table(f: Field, controls: dict[str, Control], problems: list[FieldProblem],
           site: SiteConfig) -> list[dict[str, Any]] | None:
    """The rows of a repeating table that hold anything: every row the file has, which may be more
    than the definition's `rows` (a printed form fills its last page with blank rows)."""
    rows = []
    for r in range(1, _row_count(f, controls) + 1):
        row = {c.id: _entry(c, row_tag(f.id, r, c.id), controls, problems, site, report_missing=False)
               for c in f.columns}
        if any(v is not None and v is not False for v in row.values()):
            rows.append(row)
    return rows or None


def _row_count(f: Field, controls: dict[str, Control]) -> int:
    """The last row number of table `f` among the file's controls (at least the definition's rows)."""
    prefix = f"{f.id}."
    numbers = (tag[len(prefix):].split(".", 1)[0] for tag in controls if tag.startswith(prefix))
    return max([f.rows, *(int(n) for n in numbers if n.isdigit() and len(n) < 6)])


CHECKED, UNCHECKED = "\u2612", "\u2610"
"""The marks of a check box control as the generator makes it (☒, ☐)."""
_UNCHECKED_MARKS = (UNCHECKED, "\u25a1")


def _checkbox(control: Control | None, tag: str, problems: list[FieldProblem]) -> bool | None:
    """Whether a check box is checked: the mark it shows decides, and a hidden state that
    disagrees with it is a problem, and no value (None, as for a control missing or in conflict)."""
    if control is None:
        return None
    text = control.text.strip(BLANK)
    if control.checked is None:  # a text control standing for a check box: its text decides
        return text in CHECKED_MARKS
    shown = _shown_mark(text, control.marks)
    if shown is None:
        problems.append(FieldProblem(tag, text, f'the check box shows "{text}", which is neither a checked nor '
                                                "an unchecked box", key="not_yes_no"))
        return None
    if shown != control.checked:
        stored = CHECKED if control.checked else UNCHECKED
        problems.append(FieldProblem(
            tag, text, f'the check box shows "{text}", but the state stored in the control is "{stored}"',
            key="checkbox_differs", params=(("shown", text), ("stored", stored))))
        return None
    return shown


def _shown_mark(text: str, marks: tuple[str, ...]) -> bool | None:
    """Whether the mark a check box shows is a checked one: the usual marks first, then the
    control's own (w14:checkedState, w14:uncheckedState); None when it is neither."""
    if text in CHECKED_MARKS:
        return True
    if not text or text in _UNCHECKED_MARKS:
        return False
    checked, unchecked = (*marks, "", "")[:2]
    if text in (checked, unchecked) and checked != unchecked:
        return text == checked
    return None


def _value(f: Field, kind: FieldType, control: Control | None, tag: str, problems: list[FieldProblem],
           site: SiteConfig) -> Any:
    if kind == FieldType.CHECKBOX:
        return _checkbox(control, tag, problems)
    if _blank(control):
        return None
    assert control is not None
    text = control.text.strip(BLANK)
    try:
        # the text shown decides, never the date stored beside it
        value = from_text(f, kind, text, site.timezone, limits=site.limits)
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
