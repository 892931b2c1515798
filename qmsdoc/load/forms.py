"""forms/*.yaml → Form: sections of typed fields, checked against the site's roles."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.load.common import (
    LIFECYCLE_KEYS,
    SIGNOFF_KEYS,
    check_history,
    check_signoffs,
    read_history,
    read_identity,
    read_signoff,
    read_source,
    read_source_text,
)
from qmsdoc.load.reader import MapReader
from qmsdoc.load.shapes import FORM, shape_named
from qmsdoc.load.yamlsrc import YNode, parse_yaml
from qmsdoc.model.documents import (
    DATE_TYPES,
    ORIENTATIONS,
    SIGNATURE_MEANINGS,
    Field,
    FieldType,
    Form,
    Option,
    Section,
)
from qmsdoc.model.releases import RELEASES_DIR
from qmsdoc.model.site import SiteConfig

_FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPES = [t.value for t in FieldType]
_RETENTION = re.compile(r"^\s*permanent\s*$|^\s*永久\s*$")
MAX_TABLE_ROWS = 200
MAX_COPIES = 100


def load_form(path: Path, rel: str, site: SiteConfig, diags: Diagnostics, *,
              current: bool | None = None) -> Form | None:
    """The form defined in `path` (named `rel` in messages), every problem reported in `diags`.

    `current`: the form is a current source, held to the rules for new sources (`dated_by:` where the
    first date is optional); a released snapshot is read as it was frozen. By default, a source under
    releases/ is a snapshot."""
    if current is None:
        current = not rel.startswith(f"{RELEASES_DIR}/")
    raw = read_source(path, rel, site.limits, diags)
    text = read_source_text(raw, rel, diags) if raw is not None else None
    if raw is None or text is None:
        return None
    node = parse_yaml(text, rel, diags)
    if node is None:
        return None
    r = MapReader(node, diags, "form", FORM)
    fid, title, revision, status = read_identity(r, site, "form")
    prepared, reviewed, approved = (read_signoff(r, k) for k in SIGNOFF_KEYS)
    effective = r.date("effective")
    check_signoffs(r, status, prepared, reviewed, approved, effective, diags, required=False)
    if status == "effective" and effective is None and r.ok and "effective" not in r.failed:
        diags.error(r.key_loc("status"), 'an effective form needs an "effective" date')
    procedure = r.text("procedure", required=True)
    clause = r.text("clause", required=True)
    retention = None
    if r.has("retention"):
        node_ret = r.raw("retention")
        if not (node_ret is not None and hasattr(node_ret, "text") and _RETENTION.match(node_ret.text)):
            retention = r.months("retention")
    copies = _count(r, "copies", 1, MAX_COPIES) or 1
    instructions = r.text("instructions")
    dated_by = r.text("dated_by")
    orientation = r.enum("orientation", ORIENTATIONS) or "auto"
    history = read_history(r, diags)
    check_history(r, revision, history, diags)
    sections = []
    seen: dict[str, Location] = {}
    for snode in r.seq("sections", required=True):
        s = MapReader(snode, diags, "section", shape_named("section"))
        stitle = s.text("title", required=True) or ""
        read = (_field(n, site, diags, seen, nested=False) for n in s.seq("fields", required=True))
        fields = tuple(f for f in read if f)
        s.finish()
        sections.append(Section(stitle, fields))
    locs = {k: r.value_loc(k) for k in ("procedure", "clause", "instructions", "dated_by", *LIFECYCLE_KEYS)}
    r.finish()
    _check_dating(sections, dated_by, locs["dated_by"], diags, current, seen)
    if not (fid and title and revision and status and procedure and clause):
        return None
    return Form(
        id=fid, title=title, revision=revision, status=status, effective=effective,
        procedure=procedure, clause=clause, retention_months=retention, copies=copies,
        instructions=instructions, history=history, sections=tuple(sections), path=rel,
        digest=hashlib.sha256(raw).hexdigest(), locs=locs,
        prepared=prepared, reviewed=reviewed, approved=approved, dated_by=dated_by, orientation=orientation,
    )


def _field(node: YNode, site: SiteConfig, diags: Diagnostics, seen: dict[str, Location],
           nested: bool) -> Field | None:
    f = MapReader(node, diags, "column" if nested else "field", shape_named("column" if nested else "field"))
    fid = f.text("id", required=True)
    loc = f.value_loc("id")
    if fid:
        if not _FIELD_ID.match(fid):
            diags.error(loc, f'field id "{fid}" must be lower_snake_case (a-z, 0-9, _)')
        elif fid in seen:
            diags.error(loc, f'duplicate field id "{fid}" (first at line {seen[fid].line})',
                        "field ids must be unique within a form (within a table for columns)")
        else:
            seen[fid] = loc
    label = f.text("label", required=True)
    type_name = f.text("type", required=True)
    ftype = None
    if type_name is not None:
        if type_name in _TYPES:
            ftype = FieldType(type_name)
        else:
            diags.error(f.value_loc("type"), f'unknown field type "{type_name}"',
                        did_you_mean(type_name, _TYPES) or f"one of: {', '.join(_TYPES)}")
    if nested and ftype in (FieldType.TABLE, FieldType.SIGNATURE):
        diags.error(f.value_loc("type"), f'a table column cannot be of type "{type_name}"',
                    "use person and date columns for who and when")
    required = f.flag("required")
    help_text = f.text("help")
    width = f.enum("width", ("half", "full")) or ("full" if ftype in (FieldType.MULTILINE, FieldType.TABLE) else "half")
    options: tuple[Option, ...] = ()
    if ftype in (FieldType.CHOICE, FieldType.MULTICHOICE):
        options = _options(f, diags)
        if not options and f.ok:
            diags.error(f.key_loc("type") if not f.has("options") else f.value_loc("options"),
                        f'{type_name} field "{fid}" has no options', "add options: [{value: …, label: …}]")
    role = meaning = None
    if ftype == FieldType.SIGNATURE:
        role = f.text("role")
        if role is None and f.ok:
            diags.error(loc, f'signature field "{fid}" has no role', "add role: (a role of qmsdoc.yaml)")
        elif role and role not in site.roles:
            diags.error(f.value_loc("role"), f'unknown role "{role}"',
                        did_you_mean(role, site.roles) or "add it to roles in qmsdoc.yaml")
        meaning = f.enum("meaning", SIGNATURE_MEANINGS)
    minimum = maximum = unit = None
    if ftype in (FieldType.NUMBER, FieldType.MONEY):
        minimum, maximum, unit = f.decimal("min"), f.decimal("max"), f.text("unit")
    planned = f.flag("planned")
    if planned and ftype is not None and ftype not in DATE_TYPES:
        diags.error(f.key_loc("planned"), f'planned: only a date or date-time can be planned; "{fid}" is a {type_name}',
                    "a signature records that someone signed: it is never planned"
                    if ftype == FieldType.SIGNATURE else "remove planned:")
    single_box = f.flag("single_box")
    if single_box and ftype is not None and ftype != FieldType.CHECKBOX:
        diags.error(f.key_loc("single_box"), f'single_box: only a yes/no (checkbox) entry has boxes to print; '
                                             f'"{fid}" is a {type_name}', "remove single_box:")
    columns: tuple[Field, ...] = ()
    min_rows = rows = 0
    max_rows = None
    if ftype == FieldType.TABLE:
        col_seen: dict[str, Location] = {}
        columns = tuple(c for c in (_field(n, site, diags, col_seen, nested=True)
                                    for n in f.seq("columns", required=True)) if c)
        min_rows = _count(f, "min_rows", 0, MAX_TABLE_ROWS) or 0
        max_rows = f.integer("max_rows")
        if max_rows is not None and (max_rows < max(min_rows, 1) or max_rows > MAX_TABLE_ROWS):
            diags.error(f.value_loc("max_rows"),
                        f"max_rows must be between {max(min_rows, 1)} and {MAX_TABLE_ROWS}")
        rows = _count(f, "rows", 1, MAX_TABLE_ROWS) or max(min_rows, min(max_rows or 5, 5))
    f.finish()
    if not (fid and label and ftype):
        return None
    return Field(fid, label, ftype, required, help_text, width, options, role, meaning, columns,
                 min_rows, max_rows, rows, minimum, maximum, unit, loc, planned=planned and ftype in DATE_TYPES,
                 single_box=single_box and ftype == FieldType.CHECKBOX)


def _check_dating(sections: list[Section], dated_by: str | None, loc: Location, diags: Diagnostics,
                  current: bool, ids: dict[str, Location]) -> None:
    """`dated_by` names a date, date-time or signature field that is not planned; without it, the first
    date field (the default) of a current source must be required when the form has a required date or
    signature that could date every record instead, so that records are not dated by different fields
    depending on what was filled."""
    by_id = {f.id: f for s in sections for f in s.fields}
    if dated_by is not None:
        target = by_id.get(dated_by)
        if target is None and dated_by in ids:  # the field is there but did not load: its problem is reported
            return
        if target is None or target.type not in (*DATE_TYPES, FieldType.SIGNATURE):
            diags.error(loc, f'dated_by: "{dated_by}" is not a date, date-time or signature field of this form',
                        did_you_mean(dated_by, by_id))
        elif target.planned:
            diags.error(loc, f'dated_by: "{dated_by}" is a planned date; a record is dated by something done',
                        "name a date, date-time or signature field without planned: true")
        return
    done = [f for f in by_id.values() if f.type in DATE_TYPES and not f.planned]
    if not current or not done or done[0].required:
        return
    first = done[0]
    always = next((f for f in by_id.values() if f.required and (f in done or f.type == FieldType.SIGNATURE)), None)
    if always is not None:
        diags.error(first.loc, f'records of this form are dated by its first date field, "{first.id}" '
                               f"({first.label}), which is optional",
                    f"name the field that dates every record: dated_by: {always.id} ({always.label}, required)")


def _count(r: MapReader, key: str, low: int, high: int) -> int | None:
    """A whole number under `key` from `low` to `high`; None (with an error when out of range) otherwise."""
    value = r.integer(key)
    if value is not None and not low <= value <= high:
        r.diags.error(r.value_loc(key), f"{key} must be between {low} and {high}, got {value}")
        return None
    return value


def _options(f: MapReader, diags: Diagnostics) -> tuple[Option, ...]:
    out = []
    values: set[str] = set()
    for node in f.seq("options"):
        o = MapReader(node, diags, "option", shape_named("option"))
        value, label = o.text("value", required=True), o.text("label", required=True)
        o.finish()
        if value and label:
            if value in values:
                diags.error(o.value_loc("value"), f'duplicate option value "{value}"')
            values.add(value)
            out.append(Option(value, label))
    return tuple(out)
