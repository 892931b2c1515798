"""A draft form → the text of forms/ID.yaml, in the form-definition format (docs/form-format.md).

Keys are written in the order the bundled forms use, every value through `scaffold.new.scalar`
(plain when YAML reads it back as the same text, else quoted), block style throughout so that a
label with a comma or a brace needs no care. A draft is `status: draft` with no approvals or
history: the import is where the review starts, not a release.
"""

from __future__ import annotations

from qmsdoc.importer.form import Draft, DraftField
from qmsdoc.scaffold.new import scalar


def draft_yaml(draft: Draft, *, form_id: str, title: str, revision: str, procedure: str, clause: str,
               source: str) -> str:
    lines = [
        f"# Imported from {source} by qmsdoc import form: review the guesses it listed, then lint.",
        f"id: {scalar(form_id)}",
        f"title: {scalar(title)}",
        f"revision: {scalar(revision)}",
        "status: draft                     # draft | approved | effective | obsolete",
        f"procedure: {scalar(procedure)}",
        f"clause: {scalar(clause)}",
        f"retention: {scalar(draft.retention or '3 years')}",
        f"copies: {draft.copies or 1}",
    ]
    if draft.dated_by:
        lines.append(f"dated_by: {draft.dated_by}")
    if draft.instructions:
        lines.append(f"instructions: {scalar(draft.instructions)}")
    lines.append("history: []                       # an entry per revision, when it comes into force")
    lines.append("sections:")
    for section in draft.sections:
        if not section.fields:
            continue
        lines.append(f"  - title: {scalar(section.title)}")
        lines.append("    fields:")
        for fld in section.fields:
            lines.extend(_field(fld, "      "))
    return "\n".join(lines) + "\n"


def _field(fld: DraftField, indent: str) -> list[str]:
    """One field (or column) as a block sequence item at `indent`."""
    inner = indent + "  "
    out = [f"{indent}- id: {fld.id}", f"{inner}label: {scalar(fld.label)}", f"{inner}type: {fld.type}"]
    out.extend(_keys(inner, required=fld.required, width=fld.width, planned=fld.planned, single_box=fld.single_box,
                     role=fld.role and scalar(fld.role), meaning=fld.meaning, unit=fld.unit and scalar(fld.unit)))
    if fld.options:
        out.append(f"{inner}options:")
        for value, label in fld.options:
            out.append(f"{inner}  - value: {scalar(value)}")
            out.append(f"{inner}    label: {scalar(label)}")
    if fld.type == "table":
        out.extend(_keys(inner, min_rows=fld.min_rows, rows=fld.rows))
        out.append(f"{inner}columns:")
        for col in fld.columns:
            out.extend(_field(col, inner + "  "))
    return out


def _keys(indent: str, **values: str | int | bool | None) -> list[str]:
    """`key: value` lines at `indent` for the values given, in their order; those unset (None, empty,
    0 or False) are left out, as the definition's defaults say the same."""
    return [f"{indent}{key}: {'true' if value is True else value}" for key, value in values.items() if value]
