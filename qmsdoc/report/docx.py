"""Findings as an internal-audit nonconformity report in Word (内部审核不符合项报告).

Written through the generator's `ControlledDocument`, so it has the layout, fonts, A4 page and
running header of the controlled procedures and forms. The header shows the report number,
the number of records checked and the audit date. The body has the audit details (date,
folder, scope, the documents cited), a summary by severity and by rule, then one table per
finding: criterion (document, clause and the document's title), objective evidence (the
record and the values seen), the finding, its severity, and empty rows for the auditee's root
cause and corrective action, the person responsible, the due date and the verification.

The sheet is built once per severity and copied for each finding, its texts filled in, straight
into the package (generator/ooxml/clone.py): ten thousand findings take seconds and little
memory. The bytes depend only on the report and the project: core properties take the audit
date, never the clock, and the package goes through the generator's reproducible zip.

Only nonconformities get a sheet: the rules that could not be evaluated (with the reason) and the
open items (deadlines still running, by due date) are counted apart in the summary and listed in a
table each, for the auditor, not handed to the auditee as nonconformities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from qmsdoc import __version__
from qmsdoc.generator.document import HEADER_FILL, ControlledDocument, HeaderBlock
from qmsdoc.generator.ooxml import tables
from qmsdoc.generator.ooxml.clone import Template, slot
from qmsdoc.generator.ooxml.merge import span_columns
from qmsdoc.generator.ooxml.styles import TABLE_TEXT_STYLE
from qmsdoc.generator.ooxml.tables import Grid
from qmsdoc.generator.ooxml.text import keep_with_next, set_run_style
from qmsdoc.generator.procedure import titles
from qmsdoc.model.documents import FieldType, Form
from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Severity
from qmsdoc.report.common import (
    SEVERITIES,
    outcome_label,
    rule_summary,
    severity_label,
    xml_text,
)

SEVERITY_COLOURS = {Severity.MAJOR: "A4161A", Severity.MINOR: "9A5B00", Severity.OBSERVATION: "2F5D8A"}
LABEL_COLUMNS = [0.2, 0.3, 0.2, 0.3]
"""Label, value, label, value: the grid of the details and of each finding's table."""
ACTION_HEIGHT = 3700  # twips: 6.5 cm to write the root cause and the corrective action
VERIFY_HEIGHT = 2000  # 3.5 cm for the verification
SIGN_HEIGHT = 560


def report_number(report: Report, project: Project) -> str:
    """`SJE-NC-20250630`: the organisation's short name and the audit date."""
    short = project.site.organisation_short or "QMS"
    return f"{short}-NC-{report.as_of:%Y%m%d}"


def field_label(form: Form | None, path: str, labels: Labels) -> str:
    """The form's own words for a field path: `marketing_leader.date` → 营销部门负责人（日期）."""
    if form is None:
        return path
    parts = path.split(".")
    prefix = ""
    if parts[0] == "match" and len(parts) > 1:
        prefix, parts = "match.", parts[1:]
    f = form.fields().get(parts[0])
    if f is None:
        return path
    if len(parts) == 1:
        return prefix + f.label
    if f.type == FieldType.TABLE:
        column = next((c for c in f.columns if c.id == parts[1]), None)
        return f"{prefix}{f.label}·{column.label if column else parts[1]}"
    if f.type == FieldType.SIGNATURE and parts[1] in ("name", "date"):
        part = labels["signed_name"] if parts[1] == "name" else labels["signed_date"]
        return f"{prefix}{f.label}（{part}）" if labels.language.startswith("zh") else f"{prefix}{f.label} ({part})"
    return path


class _NonconformityReport:
    """Lays out the report on a ControlledDocument, in reading order."""

    def __init__(self, report: Report, project: Project, labels: Labels):
        self.report = report
        self.project = project
        self.labels = labels
        self.zh = labels.language.startswith("zh")
        self.colon = "：" if self.zh else ": "
        # The header's two lower rows show records checked and audit date, not revision and
        # effective date: the same header block, with its two row labels renamed.
        header_labels = Labels(labels.language, {**labels.texts, "revision": labels["report_nc_records_checked"],
                                                 "effective_date": labels["report_nc_audit_date"]})
        self.doc = ControlledDocument(project.site, header_labels, titles(project))
        self.number = report_number(report, project)

    # -- parts ----------------------------------------------------------------------------
    def build(self) -> bytes:
        lab, report = self.labels, self.report
        self.doc.header(HeaderBlock(lab["report_nc_title"], lab["report_nc_no"], self.number,
                                    lab.format("report_nc_records_n", n=report.records), report.as_of, None))
        self.doc.footer(lab.format("report_nc_footer", version=__version__))
        self.doc.title(lab["report_nc_title"])
        self.details()
        self.summary()
        self.not_nonconformities()
        nonconformities = report.nonconformities
        if nonconformities:
            sheets = {s: self.sheet(s) for s in SEVERITIES if s in {f.severity for f in nonconformities}}
            self.doc.mark_stream_point()
        else:
            p = self.doc.paragraph(TABLE_TEXT_STYLE)
            p.add_run(lab["report_no_findings"])
        self.doc.properties(
            title=lab["report_nc_title"], identifier=self.number, version="1", status="final",
            language=lab.language, author=self.project.site.organisation,
            created=report.as_of, modified=report.as_of,
            subject=_fit(xml_text(report.root)),
            keywords=_fit(" ".join(sorted({f.criterion.document for f in report.findings}))),
            category=lab["report_nc_title"],
        )
        if not nonconformities:
            return self.doc.to_bytes()
        return self.doc.to_bytes_streamed(sheets[f.severity].render(self.sheet_texts(n, f, len(nonconformities)))
                                          for n, f in enumerate(nonconformities, start=1))

    def details(self) -> None:
        """Audit date, report number, folder, scope and the documents the findings cite."""
        lab, report = self.labels, self.report
        table = self.doc.grid(4, 4, LABEL_COLUMNS)
        self._label(table, 0, 0, lab["report_nc_audit_date"])
        self._text(table.cell(0, 1), report.as_of.isoformat())
        self._label(table, 0, 2, lab["report_nc_no"])
        self._text(table.cell(0, 3), self.number)
        basis = []
        cited = {(f.criterion.document, f.criterion.revision) for f in report.findings if f.criterion.document}
        for doc_id, revision in sorted(cited):
            title = self.project.title_of(doc_id)
            shown = f"{doc_id} {revision}" if revision else doc_id
            basis.append(f"{shown}《{title}》" if title and self.zh else f"{shown} {title}" if title else shown)
        rows = [(lab["report_root"], report.root),
                (lab["report_nc_scope"], lab.format("report_scope", sources=report.sources,
                                                    records=report.records, rules=report.rules)),
                (lab["report_nc_basis"], "\n".join(basis) or "—")]
        for r, (label, value) in enumerate(rows, start=1):
            self._label(table, r, 0, label)
            self._text(span_columns(table.table, r, 1, 3), value)
        self.doc.spacer()

    def summary(self) -> None:
        """Counts by severity in one row (then, apart, the rules that could not be evaluated and the open
        items), then the rules that have findings."""
        lab, report = self.labels, self.report
        self.doc.caption(lab["report_nc_summary"])
        counts = report.count_by_severity()
        outcomes = report.count_by_outcome()
        heads = [*(severity_label(lab, s) for s in SEVERITIES), lab["report_total"], lab["report_cannot_evaluate"],
                 lab["report_open_items"]]
        values = [*(str(counts[s.value]) for s in SEVERITIES), str(outcomes["findings"]),
                  str(outcomes["cannot_evaluate"]), str(outcomes["open"])]
        table = self.doc.grid(2, len(heads), [1 / len(heads)] * len(heads))
        for c, (head, value) in enumerate(zip(heads, values, strict=True)):
            self._text(table.cell(0, c), head, bold=True, centre=True)
            tables.shade(table.cell(0, c), HEADER_FILL)
            self._text(table.cell(1, c), value, centre=True)
        self.doc.spacer()
        rules = rule_summary(report)
        if not rules:
            return
        self.doc.caption(lab["report_by_rule"])
        criteria: dict[str, dict[str, None]] = {}
        for f in report.findings:  # document and revision above clause: a line break where it reads well
            cite = f.criterion
            shown = "\n".join(p for p in (" ".join(p for p in (cite.document, cite.revision) if p), cite.clause) if p)
            criteria.setdefault(f.rule, {})[shown] = None  # each revision a rule was judged by, once
        table = self.doc.grid(1 + len(rules), 5, [0.16, 0.37, 0.21, 0.16, 0.10])
        self.doc.head_row(table, [xml_text(h) for h in (lab["report_rule"], lab["report_rule_title"],
                                                        lab["report_criterion"], lab["report_severity"],
                                                        lab["report_count"])])
        for r, line in enumerate(rules, start=1):
            self._text(table.cell(r, 0), line.code, centre=True)
            self._text(table.cell(r, 1), line.title)
            self._text(table.cell(r, 2), "\n".join(sorted(p for p in criteria.get(line.code, {}) if p)) or "—")
            self._severity(table.cell(r, 3), line.severity, centre=True)
            self._text(table.cell(r, 4), str(line.count), centre=True)
        self.doc.spacer()

    def not_nonconformities(self) -> None:
        """The rules that could not be evaluated, then the open items by due date: a table each, when any."""
        lab, report = self.labels, self.report
        undecided, open_items = report.undecided, report.open_items()
        if undecided:
            self.doc.caption(lab["report_cannot_evaluate"])
            self._listing([(f.rule, f.record.where, f.message) for f in undecided],
                          (lab["report_rule"], lab["report_record"], lab["report_message"]), [0.16, 0.34, 0.50])
        if open_items:
            self.doc.caption(lab["report_open_items"])
            rows = [(f.due.isoformat() if f.due else "—", f.rule, f.record.where, f.message) for f in open_items]
            self._listing(rows, (lab["report_due"], lab["report_rule"], lab["report_record"], lab["report_message"]),
                          [0.14, 0.14, 0.30, 0.42])

    def _listing(self, rows: Sequence[tuple[str, ...]], heads: tuple[str, ...], widths: list[float]) -> None:
        table = self.doc.grid(1 + len(rows), len(heads), widths)
        self.doc.head_row(table, [xml_text(h) for h in heads])
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                self._text(table.cell(r, c), text)
        self.doc.spacer()

    def sheet(self, severity: Severity) -> Template:
        """The page of one finding of `severity`, a sheet handed to the auditee: number, severity,
        rule, criterion, evidence and finding, then the auditee's part (acknowledgement, root
        cause and corrective action, who and by when, verification) left blank. Built once, with
        a slot for each text that varies; `sheet_texts` fills them for each finding."""
        lab = self.labels
        heading = self._item_heading(slot("item"))
        table = self.doc.grid(10, 4, LABEL_COLUMNS)
        self._label(table, 0, 0, lab["report_nc_number"])
        self._number(table.cell(0, 1))
        self._label(table, 0, 2, lab["report_severity"])
        self._severity(table.cell(0, 3), severity)
        wide = {1: (lab["report_rule"], slot("rule")),
                2: (lab["report_criterion"], slot("criterion")),
                3: (lab["report_nc_evidence"], slot("evidence")),
                4: (lab["report_message"], slot("message")),
                6: (lab["report_nc_corrective_action"], ""),
                8: (lab["report_nc_verification"], "")}
        for r, (label, value) in wide.items():
            self._label(table, r, 0, label)
            self._text(span_columns(table.table, r, 1, 3), value)
        pairs = {5: (lab["report_nc_auditor"], lab["report_nc_auditee"]),
                 7: (lab["report_nc_responsible"], lab["report_nc_due"]),
                 9: (lab["report_nc_verified_by"], lab["report_nc_verified_on"])}
        for r, (left, right) in pairs.items():
            self._label(table, r, 0, left)
            self._label(table, r, 2, right)
            tables.row_height(table.rows[r], SIGN_HEIGHT)
        for r, height in ((6, ACTION_HEIGHT), (8, VERIFY_HEIGHT)):
            tables.row_height(table.rows[r], height)
            tables.valign(table.cell(r, 1), "top")  # the merged cell is the row's second cell
        return Template([heading, table.table])

    def sheet_texts(self, n: int, f: Finding, total: int) -> dict[str, str]:
        """What the slots of finding `n` (of `total` nonconformities)'s sheet say."""
        texts = {"item": self.labels.format("report_nc_item", n=n, total=total),
                 "number": f"NC-{n:02d}", "id": f.id,
                 "rule": f"{f.rule}　{f.title}" if self.zh else f"{f.rule}  {f.title}",
                 "criterion": self._criterion(f), "evidence": self._evidence(f), "message": f.message}
        return {name: xml_text(text) for name, text in texts.items()}

    def _item_heading(self, text: str) -> Paragraph:
        """The caption of one finding, starting a new page."""
        p = self.doc.paragraph(TABLE_TEXT_STYLE)
        p.paragraph_format.page_break_before = True
        p.paragraph_format.space_after = Pt(6)
        set_run_style(p.add_run(text), bold=True, size_pt=12, east_asian=self.project.site.heading_font.east_asian)
        keep_with_next(p)
        return p

    # -- cell contents --------------------------------------------------------------------
    def _criterion(self, f: Finding) -> str:
        c = f.criterion
        if not (c.document or c.clause):
            return "—"
        title = self.project.title_of(c.document) or c.title
        if not title:
            return c.label
        return f"{c.label}\n《{title}》" if self.zh else f"{c.label}\n{title}"

    def _evidence(self, f: Finding) -> str:
        """Where the record is, which form and revision, its number, the values and the requirement."""
        lab, colon, r = self.labels, self.colon, f.record
        form = self.project.forms.get(r.form) if r.form else None
        lines = [f"{lab['report_nc_source']}{colon}{r.where}"]
        if r.form:
            shown = f"{r.form}《{form.title}》" if form and self.zh else f"{r.form} {form.title}" if form else r.form
            gap = "　" if self.zh else ", "
            lines.append(f"{lab['report_form']}{colon}{shown}" + (f"{gap}{r.revision}" if r.revision else ""))
        if r.record_id:
            lines.append(f"{lab['report_record_id']}{colon}{r.record_id}")
        seen = [f"{field_label(form, k, lab)} = {v if v else lab['report_empty_value']}" for k, v in f.values.items()]
        if not seen and f.fields:
            seen = [field_label(form, k, lab) for k in f.fields]
        if seen:
            lines.append(f"{lab['report_values']}{colon}" + ("；" if self.zh else "; ").join(seen))
        if f.expected:
            lines.append(f"{lab['report_expected']}{colon}{f.expected}")
        if f.outcome != "fail":
            lines.append(f"{lab['report_outcome']}{colon}{outcome_label(lab, f.outcome)}")
        return "\n".join(lines)

    @staticmethod
    def _number(cell: _Cell) -> None:
        """`NC-01`, with the finding's stable id in small grey type below it (slots number and id)."""
        p = cell.paragraphs[0]
        first = p.add_run(slot("number"))
        set_run_style(first, bold=True)
        first.add_break()
        set_run_style(p.add_run(slot("id")), size_pt=8, color="666666")

    def _text(self, cell: _Cell, text: str, **kwargs: Any) -> None:
        """Cell text from records and rules, with what XML cannot carry replaced."""
        self.doc.cell_text(cell, xml_text(text), **kwargs)

    def _label(self, table: Grid, row: int, col: int, text: str) -> None:
        cell = table.cell(row, col)
        self._text(cell, text, centre=True)
        tables.shade(cell, HEADER_FILL)

    def _severity(self, cell: _Cell, severity: Severity, centre: bool = False) -> None:
        p = cell.paragraphs[0]
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(severity_label(self.labels, severity))
        set_run_style(run, bold=True, color=SEVERITY_COLOURS[severity],
                      east_asian=self.project.site.heading_font.east_asian)


def render_docx(report: Report, project: Project, labels: Labels) -> bytes:
    """The nonconformity report as .docx bytes (same report and project → same bytes)."""
    return _NonconformityReport(report, project, labels).build()


CORE_PROPERTY_LIMIT = 255
"""Word's limit on the length of a core property such as keywords or subject."""


def _fit(text: str) -> str:
    """Text for a core property: whole words up to Word's 255-character limit."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
