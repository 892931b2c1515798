"""Findings in words, for the reports people read and sign (Word, HTML, spreadsheets).

A finding carries what machines need: field ids (`marketing_leader.date`), stored values (`gm`), the
expected value as the rule's condition (`copy_to_qm_on ≥ marketing_leader.date`). People read the
form's own words instead, and nothing here prints a field id or an expression:

- the **requirement** is the rule's title (which states it in words, with the limits of the revision
  the record was judged by); a built-in check states what the form requires (`表单《顾客问卷》规定经办
  人签字日期为必填项`);
- each **value** is shown with the field's label as printed on the form (`经办人签字日期：2026-01-20`),
  a table cell as `派出人员名单第 2 行工种`, a choice by its option's label (`总经理`, never `gm`), a
  period by its name (`2025 年第 3 季度`);
- the **criterion** is the document, its revision and clause, and the document's title;
- a **record** is its file and line, its form (number, title, revision) and its record number, or for
  a finding over the whole set of records, the period or person it is about.

Texts come from the label catalogue of the report's language; lint makes sure rule titles and messages
are words (qmsdoc/load/rules.py, `_Statement`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.findings import Finding, RecordRef, signature_part_label
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation, Rule

MAX_VALUE_CHARS = 200
"""A value longer than this (a whole table read by a rule) is cut, with an ellipsis: the record has it all."""

_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|W\d{2}|\d{2}))?(?:\s+(.+))?$")
_LINE = re.compile(r"^\d+(?::\d+)?$")
_ROW = re.compile(r"^\d+$")

BUILTIN_REQUIREMENTS = {"QMS-UNDATED": "audit_req_undated", "QMS-REVISION": "audit_req_revision",
                        "QMS-RECORD": "audit_req_record", "QMS-MORE": "audit_req_more"}
"""Built-in checks whose requirement is one sentence, whatever the record."""


@dataclass(frozen=True)
class Shown:
    """One value of a finding as people read it: the field's label and the value."""

    label: str
    value: str


class Wording:
    """Says findings in the words of the forms and the label catalogue (see the module docstring)."""

    def __init__(self, project: Project, labels: Labels):
        self.project = project
        self.labels = labels
        self.zh = labels.language.startswith("zh")
        self.rules: dict[str, Rule] = {}
        for rule in project.rules:
            self.rules.setdefault(rule.code, rule)
        self.separator = labels.texts.get("check_list_separator", ", ")

    # -- the requirement ------------------------------------------------------------------------
    def requirement(self, f: Finding) -> str:
        """The requirement the finding is about, in words."""
        key = BUILTIN_REQUIREMENTS.get(f.rule)
        if key is not None:
            return self.labels[key]
        if f.rule == "QMS-REQUIRED":
            return self._required(f)
        if f.rule == "QMS-VALUE":
            return self._value_requirement(f)
        if f.rule == "QMS-FUTURE":
            return self.labels.format("audit_req_future", fields=self.field_names(f))
        return f.title

    def _required(self, f: Finding) -> str:
        form = self.form_of(f.record)
        if form is None or not f.fields:
            return self.labels["audit_req_required_any"]
        return self.labels.format("audit_req_required", form=form.title, fields=self.field_names(f))

    def _value_requirement(self, f: Finding) -> str:
        names = self.field_names(f)
        if f.outcome == "impossible":
            return self.labels.format("audit_req_impossible", fields=names)
        if f.outcome == "fail" and f.expected:
            return self.labels.format("audit_req_range", fields=names, range=f.expected)
        return self.labels.format("audit_req_unreadable", fields=names)

    def field_names(self, f: Finding, *, keep_ids: bool = False) -> str:
        """The finding's fields in the form's words, each once; a path the form does not have is "other
        entry of the record", or itself with `keep_ids` (the terminal report)."""
        form = self.form_of(f.record)
        other = self.labels["audit_other_value"]
        names = dict.fromkeys(self.field_words(form, path, f.rule) or (path if keep_ids else other)
                              for path in f.fields)
        return self.separator.join(names) or other

    # -- values ---------------------------------------------------------------------------------
    def values(self, f: Finding) -> list[Shown]:
        """The values seen, each with its label; a finding without values names its fields."""
        form = self.form_of(f.record)
        if not f.values:
            if f.outcome != "missing" or self._unmatched(f):
                return []  # nothing was seen: the finding says what is missing (a file, a matching record)
            return [Shown(self.field_label(form, path, f.rule), self.labels["report_empty_value"])
                    for path in f.fields]
        return [Shown(self.value_label(form, path, f), self.value_text(form, path, value, f.rule))
                for path, value in f.values.items()]

    def _unmatched(self, f: Finding) -> bool:
        """A record without the matching record a rule pairs it with: its fields are the keys it was looked
        up by, which are filled in, not blank."""
        rule = self.rules.get(f.rule)
        return rule is not None and rule.match is not None and f.expected == rule.match.form

    def values_text(self, f: Finding, separator: str | None = None) -> str:
        """`经办人签字日期：2026-01-20；…` on one line (or joined by `separator`)."""
        sep = self.labels["audit_value_separator"] if separator is None else separator
        return sep.join(self.labels.format("audit_pair", label=s.label, value=s.value) for s in self.values(f))

    def value_label(self, form: Form | None, path: str, f: Finding) -> str:
        """The label of a value's key: a field, or what a rule keys its value by (a period, the form revision,
        a computed value)."""
        rule = self.rules.get(f.rule)
        if f.rule == "QMS-REVISION" and path == "revision":
            return self.labels["audit_form_revision"]
        if f.rule == "QMS-MORE":
            return self.labels["audit_more_count"]
        if rule is not None and rule.kind == "frequency" and _PERIOD.match(path):
            form_title = form.title if form else ""
            return self.labels.format("audit_count_in", period=self.period(path), form=form_title)
        label = self.field_words(form, path, f.rule)
        if label is not None:
            return label
        if rule is not None and rule.kind == "limit":
            return self.labels["audit_computed"]
        return self.labels["audit_other_value"]

    def field_label(self, form: Form | None, path: str, rule_code: str = "") -> str:
        """The form's own words for a field path (`field_words`), or "other entry of the record" for a path
        the form does not have: never the id."""
        return self.field_words(form, path, rule_code) or self.labels["audit_other_value"]

    def field_words(self, form: Form | None, path: str, rule_code: str = "") -> str | None:
        """The form's own words for a field path: `marketing_leader.date` → 营销部门负责人签字日期,
        `staff.2.trade` → 派出人员名单第 2 行工种, `match.returned_on` → 出差报告·返回公司日期; None for
        a path the form does not have."""
        if path.startswith("match."):
            rule = self.rules.get(rule_code)
            other = self.project.forms.get(rule.match.form) if rule is not None and rule.match else None
            inner = self._path_label(other, path[len("match."):])
            if other is None or inner is None:
                return None
            return self.labels.format("audit_matched", form=other.title, field=inner)
        return self._path_label(form, path)

    def _path_label(self, form: Form | None, path: str) -> str | None:
        if form is None:
            return None
        head, _, rest = path.partition(".")
        f = form.fields().get(head)
        if f is None:
            return None
        if not rest:
            return f.label
        if f.type == FieldType.SIGNATURE and rest in ("name", "date"):
            return signature_part_label(f.label, rest, self.labels)
        if f.type == FieldType.TABLE:
            return self._cell_label(f, rest)
        return None

    def _cell_label(self, table: Field, rest: str) -> str | None:
        """`2.trade` → 派出人员名单第 2 行工种; `trade` → 派出人员名单·工种 (the column in every row)."""
        row, _, column_id = rest.partition(".")
        if not column_id:
            row, column_id = "", row
        column = next((c for c in table.columns if c.id == column_id), None)
        if column is None or (row and not _ROW.match(row)):
            return None
        if row:
            return self.labels.format("audit_row", table=table.label, row=row, column=column.label)
        return self.labels.format("audit_column", table=table.label, column=column.label)

    def value_text(self, form: Form | None, path: str, value: str, rule_code: str = "") -> str:
        """A value as written on the form: a choice by its option's label, a blank as （空）."""
        if value == "":
            return self.labels["report_empty_value"]
        if path.startswith("match."):
            rule = self.rules.get(rule_code)
            form = self.project.forms.get(rule.match.form) if rule is not None and rule.match else None
            path = path[len("match."):]
        options = self._options(form, path)
        if options:
            parts = value.split(self.separator) if self.separator else [value]
            value = self.separator.join(options.get(p, p) for p in parts)
        if len(value) > MAX_VALUE_CHARS:
            value = value[:MAX_VALUE_CHARS - 1] + "…"
        return value

    def _options(self, form: Form | None, path: str) -> dict[str, str]:
        """The option labels by stored value of the choice a path reads, if it reads one."""
        if form is None:
            return {}
        head, _, rest = path.partition(".")
        f = form.fields().get(head)
        if f is None:
            return {}
        if f.type == FieldType.TABLE and rest:
            column_id = rest.rpartition(".")[2]
            f = next((c for c in f.columns if c.id == column_id), f)
        return {o.value: o.label for o in f.options}

    # -- criterion, record, period ------------------------------------------------------------
    def criterion(self, c: Citation) -> str:
        """`SJE/ZY/GK-09 A/0 第四条《售后服务问题反馈调查的管理制度》` (what is known of it)."""
        if not (c.document or c.clause):
            return "—"
        title = self.project.title_of(c.document) or c.title
        if not title:
            return c.label
        return f"{c.label}《{title}》" if self.zh else f"{c.label}, {title}"

    def form_of(self, record: RecordRef) -> Form | None:
        return self.project.forms.get(record.form) if record.form else None

    def form_line(self, record: RecordRef) -> str:
        """`SJE/JL/GK-09-01《外部质量信息反馈单》A/0 版`; "" when the record's form is not known."""
        form = self.form_of(record)
        if record.form is None:
            return ""
        title = form.title if form else ""
        if record.revision:
            return self.labels.format("audit_form_line", form=record.form, title=title, revision=record.revision)
        return self.labels.format("audit_form_line_no_revision", form=record.form, title=title)

    def is_set_record(self, record: RecordRef, root: str) -> bool:
        """A finding over the whole set of records (a frequency, a coverage): its "record" is the checked
        folder and its location a period (`2025-Q3`, `2025 赵敏`), not a line."""
        return record.source == root and bool(record.location) and not _LINE.match(record.location)

    def where(self, record: RecordRef, root: str) -> str:
        """The file and line of a record, or for a finding over the whole set, the period it is about."""
        if self.is_set_record(record, root):
            return self.labels.format("audit_record_set", what=self.location(record.location))
        return record.where

    def record_lines(self, record: RecordRef, root: str) -> list[str]:
        """Where the record is, its form and its number: one line each."""
        lines = [self.where(record, root)]
        if form_line := self.form_line(record):
            lines.append(form_line)
        if record.record_id:
            lines.append(self.labels.format("audit_record_id_line", record_id=record.record_id))
        return lines

    def location(self, location: str) -> str:
        """A set finding's location in words: `2025-Q3` → 2025 年第 3 季度, `2025 赵敏` → 2025 年　赵敏."""
        m = _PERIOD.match(location)
        if m is None:
            return location
        period = self.period(location.split(" ", 1)[0])
        who = m.group(3)
        return f"{period}{'　' if self.zh else ', '}{who}" if who else period

    def period(self, label: str) -> str:
        """A period as the checker names it (2025, 2025-Q3, 2025-H2, 2025-07, 2025-W27) in words."""
        m = _PERIOD.match(label)
        if m is None or m.group(3):
            return label
        year, part = m.group(1), m.group(2)
        if part is None:
            return self.labels.format("audit_period_year", year=year)
        if part.startswith("Q"):
            return self.labels.format("audit_period_quarter", year=year, n=part[1])
        if part.startswith("H"):
            return self.labels.format(f"audit_period_half_{part[1]}", year=year)
        if part.startswith("W"):
            return self.labels.format("audit_period_week", year=year, week=int(part[1:]))
        return self.labels.format("audit_period_month", year=year, month=int(part) if self.zh else part)

    # -- who and where ------------------------------------------------------------------------
    def procedure_of(self, f: Finding) -> str | None:
        """The procedure a finding belongs to: the one it cites, else the one its record's form belongs to."""
        if f.criterion.document in self.project.procedures:
            return f.criterion.document
        form = self.form_of(f.record)
        return form.procedure if form is not None and form.procedure in self.project.procedures else None

    def department_of(self, f: Finding) -> str | None:
        """The department that owns the procedure a finding belongs to (the auditee of its sheet)."""
        procedure = self.procedure_of(f)
        return self.project.procedures[procedure].owner if procedure else None
