"""Findings as an internal audit report in Word (内部审核报告), shaped as ISO 19011 (6.5) has it.

Written through the generator's `ControlledDocument`, so it has the layout, fonts, A4 page and running
header of the controlled procedures and forms; the header shows the audit number, the audit dates and
the number of records checked, and the footer says what the document is (no generator line).

1. **Cover**: audit number, dates and the day deadlines were judged on, objectives, scope (departments,
   procedures, period, records checked), criteria (documents and revisions), audit team and auditee
   (from the audit plan, `check --plan`, else worked out from the run or left for the pen); the counts
   by severity; the conclusion; the sign-off of the audit team leader and the auditee's representative.
2. **Summaries**: by procedure, by department, by rule (each clause its findings cite); then the rules
   that could not be evaluated and the open items, for the auditor, not handed out as nonconformities.
3. **A nonconformity sheet per major and minor finding** (NC-01…, the finding's id in small type for
   traceability): department, requirement, criterion, record, the values seen, the finding, and room for
   the auditee's root cause and corrective action, who and by when, and the verification.
4. **Observations** in one table: they need no corrective action and no sheet.

Everything is said in words (report/wording.py): the requirement is the rule's title, values carry the
form's labels, no field id or expression is printed. The sheet is built once per severity and copied for
each finding, its texts filled in, straight into the package (generator/ooxml/clone.py): ten thousand
findings take seconds and little memory. The bytes depend only on the report and the project: core
properties take the audit date, never the clock, and the package goes through the reproducible zip.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from qmsdoc.generator.document import HEADER_FILL, ControlledDocument, HeaderBlock
from qmsdoc.generator.ooxml import tables
from qmsdoc.generator.ooxml.clone import Template, slot
from qmsdoc.generator.ooxml.merge import span_columns
from qmsdoc.generator.ooxml.styles import TABLE_TEXT_STYLE
from qmsdoc.generator.ooxml.tables import Grid
from qmsdoc.generator.ooxml.text import keep_with_next, set_run_style
from qmsdoc.generator.procedure import titles
from qmsdoc.model.findings import Finding, Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.rules import Citation, Severity
from qmsdoc.report.audit import (
    SHEET_SEVERITIES,
    Audit,
    Tally,
    build_audit,
    nc_number,
    observation_number,
    observations,
    sheet_findings,
)
from qmsdoc.report.common import SEVERITIES, severity_label, xml_text
from qmsdoc.report.wording import Wording

SEVERITY_COLOURS = {Severity.MAJOR: "A4161A", Severity.MINOR: "9A5B00", Severity.OBSERVATION: "2F5D8A"}
LABEL_COLUMNS = [0.18, 0.32, 0.18, 0.32]
"""Label, value, label, value: the grid of the cover and of each nonconformity sheet."""
ACTION_HEIGHT = 3400  # twips: 6 cm to write the root cause and the corrective action
VERIFY_HEIGHT = 1800  # 3.2 cm for the verification
SIGN_HEIGHT = 560
SIGNOFF_HEIGHT = 620  # the cover's sign-off rows: room for a signature


class _AuditReport:
    """Lays out the report on a ControlledDocument, in reading order."""

    def __init__(self, report: Report, project: Project, labels: Labels):
        self.report = report
        self.project = project
        self.labels = labels
        self.zh = labels.language.startswith("zh")
        self.words = Wording(project, labels)
        self.audit: Audit = build_audit(report, project, labels, self.words)
        self.doc = ControlledDocument(project.site, labels, titles(project))

    # -- the document ---------------------------------------------------------------------------
    def build(self) -> bytes:
        lab, report, audit = self.labels, self.report, self.audit
        rows = ((lab["audit_number"], audit.number), (lab["audit_dates"], audit.dates),
                (lab["report_nc_records_checked"], lab.format("report_nc_records_n", n=report.records)))
        self.doc.header(HeaderBlock(lab["audit_report_title"], rows[0][0], audit.number, "", None, None, rows))
        self.doc.footer(lab["audit_footer"])
        self.doc.title(lab["audit_report_title"])
        self.cover()
        self.summaries()
        self.not_nonconformities()
        sheets = sheet_findings(report)
        templates = {s: self.sheet(s) for s in SHEET_SEVERITIES if any(f.severity == s for f in sheets)}
        if sheets:
            self.doc.mark_stream_point()
        self.observations(observations(report))
        if not report.nonconformities:
            self.doc.paragraph(TABLE_TEXT_STYLE).add_run(lab["report_no_findings"])
        self.doc.end()
        self.doc.properties(
            title=lab["audit_report_title"], identifier=audit.number, version="1", status="final",
            language=lab.language, author=self.project.site.organisation,
            created=report.as_of, modified=report.as_of,
            subject=_fit(xml_text(audit.title or report.root)),
            keywords=_fit(" ".join(sorted({f.criterion.document for f in report.findings if f.criterion.document}))),
            category=lab["audit_report_title"],
        )
        if not sheets:
            return self.doc.to_bytes()
        total = len(sheets)
        return self.doc.to_bytes_streamed(templates[f.severity].render(self.sheet_texts(n, f, total))
                                          for n, f in enumerate(sheets, start=1))

    # -- 1. the cover -------------------------------------------------------------------------
    def cover(self) -> None:
        """Audit details, the counts by severity, the conclusion and the sign-off."""
        lab, audit = self.labels, self.audit
        if audit.title:
            p = self.doc.paragraph(TABLE_TEXT_STYLE)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_run_style(p.add_run(xml_text(audit.title)), bold=True, size_pt=12,
                          east_asian=self.project.site.heading_font.east_asian)
        wide = [(lab["audit_objectives"], "\n".join(audit.objectives)),
                (lab["audit_scope"], "\n".join(self._scope_lines())),
                (lab["audit_criteria"], "\n".join(audit.criteria) or "—"),
                (lab["audit_team"], audit.team_text(lab)),
                (lab["audit_auditee"], self._auditee())]
        table = self.doc.grid(2 + len(wide), 4, LABEL_COLUMNS)
        pairs = [((lab["audit_number"], audit.number), (lab["audit_dates"], audit.dates)),
                 ((lab["audit_as_of"], audit.as_of),
                  (lab["report_nc_records_checked"], lab.format("report_nc_records_n", n=self.report.records)))]
        for r, ((left, left_value), (right, right_value)) in enumerate(pairs):
            self._label(table, r, 0, left)
            self._text(table.cell(r, 1), left_value)
            self._label(table, r, 2, right)
            self._text(table.cell(r, 3), right_value)
        for r, (label, value) in enumerate(wide, start=len(pairs)):
            self._label(table, r, 0, label)
            self._text(span_columns(table.table, r, 1, 3), value)
        self.doc.spacer()
        self.severity_counts()
        self.conclusion()
        self.signoff()

    def _scope_lines(self) -> list[str]:
        lab, audit = self.labels, self.audit
        join = lab.texts.get("check_list_separator", ", ").join
        lines = []
        if audit.scope_note:
            lines.append(audit.scope_note)
        if audit.departments:
            lines.append(lab.format("audit_scope_departments", departments=join(audit.departments)))
        if audit.procedures_planned:
            lines.append(lab.format("audit_scope_procedures", procedures=join(audit.procedures)))
        lines.append(lab.format("audit_scope_period", period=audit.period))
        lines.append(audit.records)
        return lines

    def _auditee(self) -> str:
        audit, lab = self.audit, self.labels
        if not audit.representative:
            return audit.auditee
        return f"{audit.auditee}\n{lab['audit_representative']}{self._colon()}{audit.representative}"

    def severity_counts(self) -> None:
        """Nonconformities by severity in one row; apart, the rules that could not be evaluated and the open
        items."""
        lab, audit = self.labels, self.audit
        self.doc.caption(lab["report_by_severity"])
        heads = [*(severity_label(lab, s) for s in SEVERITIES), lab["report_total"], lab["report_cannot_evaluate"],
                 lab["report_open_items"]]
        values = [*(audit.by_severity[s.value] for s in SEVERITIES), sum(audit.by_severity.values()),
                  audit.undecided, audit.open]
        table = self.doc.grid(2, len(heads), [1 / len(heads)] * len(heads))
        for c, (head, value) in enumerate(zip(heads, values, strict=True)):
            self._text(table.cell(0, c), head, bold=True, centre=True)
            tables.shade(table.cell(0, c), HEADER_FILL)
            self._text(table.cell(1, c), str(value), centre=True)
        self.doc.spacer()

    def conclusion(self) -> None:
        self.doc.caption(self.labels["audit_conclusion"])
        for text in self.audit.conclusion:
            p = self.doc.paragraph("Body Text")
            p.add_run(xml_text(text))

    def signoff(self) -> None:
        """The audit team leader and the auditee's representative sign and date the report."""
        lab, audit = self.labels, self.audit
        self.doc.caption(lab["audit_signoff"])
        table = self.doc.grid(3, 4, [0.25, 0.25, 0.30, 0.20])
        self.doc.head_row(table, [lab["audit_role"], lab["audit_person"], lab["audit_signature"], lab["audit_date"]])
        for r, (role, name) in enumerate(((lab["audit_team_leader"], audit.leader),
                                          (lab["audit_representative"], audit.representative)), start=1):
            self._text(table.cell(r, 0), role, centre=True)
            self._text(table.cell(r, 1), name, centre=True)
            tables.row_height(table.rows[r], SIGNOFF_HEIGHT)

    # -- 2. summaries -------------------------------------------------------------------------
    def summaries(self) -> None:
        lab, audit = self.labels, self.audit
        heading = self.doc.paragraph(TABLE_TEXT_STYLE)
        heading.paragraph_format.page_break_before = True
        set_run_style(heading.add_run(lab["audit_summary"]), bold=True, size_pt=14,
                      east_asian=self.project.site.heading_font.east_asian)
        keep_with_next(heading)
        counts = [severity_label(lab, s) for s in SEVERITIES] + [lab["report_total"]]
        if audit.by_procedure:
            self.doc.caption(lab["audit_by_procedure"])
            rows = [(t.key or "—", t.title, t.department, *self._counts(t)) for t in audit.by_procedure]
            self._listing(rows, (lab["audit_procedure"], lab["audit_document_title"], lab["audit_department"],
                                 *counts), [0.16, 0.28, 0.12, 0.12, 0.12, 0.10, 0.10], numbers_from=3)
        if audit.by_department:
            self.doc.caption(lab["audit_by_department"])
            rows = [(t.title, *self._counts(t)) for t in audit.by_department]
            self._listing(rows, (lab["audit_department"], *counts), [0.40, 0.15, 0.15, 0.15, 0.15], numbers_from=1)
        if audit.by_rule:
            self.doc.caption(lab["audit_by_rule"])
            table = self.doc.grid(1 + len(audit.by_rule), 5, [0.12, 0.40, 0.24, 0.14, 0.10])
            self.doc.head_row(table, [lab["report_rule"], lab["audit_requirement"], lab["report_criterion"],
                                      lab["report_severity"], lab["report_count"]])
            for r, line in enumerate(audit.by_rule, start=1):
                self._text(table.cell(r, 0), line.code, centre=True)
                self._text(table.cell(r, 1), line.requirement)
                self._text(table.cell(r, 2), "\n".join(_two_lines(c) for c in line.clauses) or "—")
                self._severity(table.cell(r, 3), line.severity, centre=True)
                self._text(table.cell(r, 4), str(line.count), centre=True)
            self.doc.spacer()

    @staticmethod
    def _counts(t: Tally) -> tuple[str, ...]:
        return (*(str(n) for n in t.counts), str(t.total))

    def not_nonconformities(self) -> None:
        """The rules that could not be evaluated, then the open items by due date: a table each, when any."""
        lab, report, words = self.labels, self.report, self.words
        undecided, open_items = report.undecided, report.open_items()
        if undecided:
            self.doc.caption(lab["report_cannot_evaluate"])
            self._listing([(f.rule, words.where(f.record, report.root), f.message) for f in undecided],
                          (lab["report_rule"], lab["report_record"], lab["report_message"]), [0.14, 0.36, 0.50])
        if open_items:
            self.doc.caption(lab["report_open_items"])
            rows = [(f.due.isoformat() if f.due else "—", f.rule, words.where(f.record, report.root), f.message)
                    for f in open_items]
            self._listing(rows, (lab["report_due"], lab["report_rule"], lab["report_record"], lab["report_message"]),
                          [0.14, 0.12, 0.32, 0.42])

    def _listing(self, rows: Sequence[tuple[str, ...]], heads: tuple[str, ...], widths: list[float],
                 numbers_from: int | None = None) -> None:
        table = self.doc.grid(1 + len(rows), len(heads), widths)
        self.doc.head_row(table, [xml_text(h) for h in heads])
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                self._text(table.cell(r, c), text, centre=numbers_from is not None and c >= numbers_from)
        self.doc.spacer()

    # -- 3. nonconformity sheets --------------------------------------------------------------
    def sheet(self, severity: Severity) -> Template:
        """The page of one nonconformity of `severity`, handed to the auditee: number, severity, department,
        requirement, criterion, record, values seen and the finding, then the auditee's part (acknowledgement,
        root cause and corrective action, who and by when, verification) left blank. Built once, with a slot
        for each text that varies; `sheet_texts` fills them for each finding."""
        lab = self.labels
        heading = self._sheet_heading(slot("item"))
        table = self.doc.grid(12, 4, LABEL_COLUMNS)
        self._label(table, 0, 0, lab["report_nc_number"])
        self._number(table.cell(0, 1))
        self._label(table, 0, 2, lab["report_severity"])
        self._severity(table.cell(0, 3), severity)
        self._label(table, 1, 0, lab["audit_department_audited"])
        self._text(table.cell(1, 1), slot("department"))
        self._label(table, 1, 2, lab["audit_as_of"])
        self._text(table.cell(1, 3), self.audit.as_of)
        wide = {2: (lab["audit_requirement"], slot("requirement")),
                3: (lab["report_criterion"], slot("criterion")),
                4: (lab["report_record"], slot("record")),
                5: (lab["report_values"], slot("values")),
                6: (lab["report_message"], slot("message")),
                8: (lab["report_nc_corrective_action"], ""),
                10: (lab["report_nc_verification"], "")}
        for r, (label, value) in wide.items():
            self._label(table, r, 0, label)
            self._text(span_columns(table.table, r, 1, 3), value)
        pairs = {7: (lab["report_nc_auditor"], lab["report_nc_auditee"]),
                 9: (lab["report_nc_responsible"], lab["report_nc_due"]),
                 11: (lab["report_nc_verified_by"], lab["report_nc_verified_on"])}
        for r, (left, right) in pairs.items():
            self._label(table, r, 0, left)
            self._label(table, r, 2, right)
            tables.row_height(table.rows[r], SIGN_HEIGHT)
        self._text(table.cell(7, 1), self.audit.leader)
        for r, height in ((8, ACTION_HEIGHT), (10, VERIFY_HEIGHT)):
            tables.row_height(table.rows[r], height)
            tables.valign(table.cell(r, 1), "top")  # the merged cell is the row's second cell
        return Template([heading, table.table])

    def sheet_texts(self, n: int, f: Finding, total: int) -> dict[str, str]:
        """What the slots of the n-th sheet (of `total`) say about finding `f`."""
        lab, words, root = self.labels, self.words, self.report.root
        number = nc_number(n, lab)
        texts = {"item": lab.format("audit_nc_sheet", number=number, total=total),
                 "number": number, "id": f"{f.rule}　{lab.format('audit_trace', id=f.id)}" if self.zh
                 else f"{f.rule}  {lab.format('audit_trace', id=f.id)}",
                 "department": words.department_of(f) or lab["audit_no_department"],
                 "requirement": words.requirement(f), "criterion": words.criterion(f.criterion),
                 "record": "\n".join(words.record_lines(f.record, root)),
                 "values": words.values_text(f, "\n") or "—", "message": f.message}
        return {name: xml_text(text) for name, text in texts.items()}

    def _sheet_heading(self, text: str) -> Paragraph:
        """The caption of one sheet, starting a new page."""
        p = self.doc.paragraph(TABLE_TEXT_STYLE)
        p.paragraph_format.page_break_before = True
        p.paragraph_format.space_after = Pt(6)
        set_run_style(p.add_run(text), bold=True, size_pt=12, east_asian=self.project.site.heading_font.east_asian)
        keep_with_next(p)
        return p

    # -- 4. observations ----------------------------------------------------------------------
    def observations(self, items: Sequence[Finding]) -> None:
        """Every observation in one table, starting a new page: number, requirement and criterion, record,
        values seen, what was observed."""
        if not items:
            return
        lab, words, root = self.labels, self.words, self.report.root
        heading = self._sheet_heading(lab.format("audit_observations", count=len(items)))
        heading.paragraph_format.space_before = Pt(0)
        rows = [(observation_number(n, lab), f"{words.requirement(f)}\n{words.criterion(f.criterion)}",
                 "\n".join(words.record_lines(f.record, root)), words.values_text(f, "\n") or "—", f.message)
                for n, f in enumerate(items, start=1)]
        self._listing(rows, (lab["report_nc_number"], lab["audit_requirement"], lab["report_record"],
                             lab["report_values"], lab["audit_observation"]), [0.08, 0.26, 0.26, 0.20, 0.20])

    # -- cell contents --------------------------------------------------------------------------
    def _colon(self) -> str:
        return "：" if self.zh else ": "

    @staticmethod
    def _number(cell: _Cell) -> None:
        """`NC-01`, with the rule and the finding's stable id in small grey type below it."""
        p = cell.paragraphs[0]
        first = p.add_run(slot("number"))
        set_run_style(first, bold=True)
        first.add_break()
        set_run_style(p.add_run(slot("id")), size_pt=7, color="666666")

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
    """The audit report as .docx bytes (same report and project → same bytes)."""
    return _AuditReport(report, project, labels).build()


def _two_lines(citation: Citation) -> str:
    """`SJE/ZY/GK-09 A/0` above `第四条`: a narrow column breaks where it reads well."""
    head = " ".join(p for p in (citation.document, citation.revision) if p)
    return "\n".join(p for p in (head, citation.clause) if p)


CORE_PROPERTY_LIMIT = 255
"""Word's limit on the length of a core property such as keywords or subject."""


def _fit(text: str) -> str:
    """Text for a core property: whole words up to Word's 255-character limit."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
