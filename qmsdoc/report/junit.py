"""Findings as JUnit XML, for CI systems (Jenkins xunit `junit-10.xsd`, GitLab, GitHub actions).

One test suite per **rule**, not per form: a rule is the unit a CI dashboard should track
(its code is stable, it cites one clause and has one severity), so "GK09-05: 3 of 40 failed"
reads as a requirement not met, and its history across runs stays meaningful when forms get
new revisions or a rule applies to several forms. The form still shows in each test case's
name and properties.

Inside a suite, one test case per record × rule, from `Report.checked` (every record read and
the rules that applied to it), in the caller's order; a finding whose record × rule is not in
`checked` (a rule over the whole set of records, say) adds its own test case after them. Each
nonconformity is one `<failure>` (message = the finding's message, type = its severity), so a test
case can hold several; a rule that could not be evaluated is an `<error>` (the test could not be
decided: unknown is never a pass), and an open item (a deadline still running) is `<skipped>`,
with its due date in the message. Counts follow: `failures`, `errors`, `skipped`. A finding
with the outcome `unreadable_record` (a file that could not be read at all) gets a test case of
its own, "unreadable record: FILE", in its rule's suite, after the records that were read. Nothing
depends on the clock: there are no timestamps or times, and the audit date is a suite property.
"""

from __future__ import annotations

from lxml import etree

from qmsdoc.model.findings import OPEN, UNDECIDED, Finding, RecordRef, Report
from qmsdoc.report.common import criteria_by_rule, line_number, record_key, xml_text


def case_name(record: RecordRef) -> str:
    """`records/a.jsonl:12 [FK-001]`: where the record is, and its number when known."""
    return record.where + (f" [{record.record_id}]" if record.record_id else "")


def failure_text(f: Finding) -> str:
    """The finding in full, one `key: value` per line, for the failure's body."""
    lines = [f"{f.rule} {f.title}".strip()]
    if f.criterion.label:
        lines.append(f"criterion: {f.criterion.label}" + (f" {f.criterion.title}" if f.criterion.title else ""))
    lines.append("record: " + " ".join(p for p in (f.record.where, f.record.form, f.record.revision,
                                                    f.record.record_id) if p))
    lines.append(f"outcome: {f.outcome}")
    if f.fields:
        lines.append("fields: " + ", ".join(f.fields))
    for key, value in f.values.items():
        lines.append(f"value: {key} = {value}")
    if f.expected:
        lines.append(f"expected: {f.expected}")
    if f.due is not None:
        lines.append(f"due: {f.due.isoformat()}")
    lines.append(f"id: {f.id}")
    return "\n".join(lines)


def _set(el: etree._Element, name: str, value: str) -> None:
    el.set(name, xml_text(value))


def _case(suite: etree._Element, classname: str, name: str, record: RecordRef,
          findings: list[Finding]) -> None:
    case = etree.SubElement(suite, "testcase")
    _set(case, "name", name)
    _set(case, "classname", classname)
    _set(case, "file", record.source)
    line = line_number(record.location)
    if line:
        case.set("line", str(line[0]))
    for f in findings:
        if f.outcome == OPEN:
            skipped = etree.SubElement(case, "skipped")
            _set(skipped, "message", f"{f.message} [due {f.due.isoformat()}]" if f.due else f.message)
            continue
        failure = etree.SubElement(case, "error" if f.outcome == UNDECIDED else "failure")
        _set(failure, "message", f.message)
        failure.set("type", f.severity.value)
        failure.text = xml_text(failure_text(f))


def _suite(root: etree._Element, name: str, tests: int, found: list[Finding],
           properties: list[tuple[str, str]]) -> etree._Element:
    suite = etree.SubElement(root, "testsuite")
    _set(suite, "name", name)
    for attr, count in (("tests", tests), *_counts(found).items()):
        suite.set(attr, str(count))
    props = etree.SubElement(suite, "properties")
    for key, value in properties:
        prop = etree.SubElement(props, "property")
        _set(prop, "name", key)
        _set(prop, "value", value)
    return suite


def _counts(found: list[Finding] | tuple[Finding, ...]) -> dict[str, int]:
    """failures (nonconformities), errors (rules that could not be evaluated) and skipped (open items)."""
    errors = sum(1 for f in found if f.outcome == UNDECIDED)
    skipped = sum(1 for f in found if f.outcome == OPEN)
    return {"failures": len(found) - errors - skipped, "errors": errors, "skipped": skipped}


def render_junit(report: Report) -> bytes:
    """The JUnit XML document, UTF-8 with an XML declaration."""
    # rule → test cases in order: (file, location, unreadable?) → (record, its findings)
    cases: dict[str, dict[tuple[str, str, bool], tuple[RecordRef, list[Finding]]]] = {}
    for record, codes in report.checked:
        for code in codes:
            cases.setdefault(code, {}).setdefault((*record_key(record), False), (record, []))
    for f in report.findings:
        key = (*record_key(f.record), f.outcome == "unreadable_record")
        cases.setdefault(f.rule, {}).setdefault(key, (f.record, []))[1].append(f)

    root = etree.Element("testsuites")
    root.set("name", "qmsdoc check")
    root.set("tests", str(sum(len(by_record) for by_record in cases.values())))
    counts = _counts(report.findings)
    root.set("failures", str(counts["failures"]))  # the schema has no `skipped` on testsuites
    root.set("errors", str(counts["errors"]))
    base = [("as_of", report.as_of.isoformat()), ("root", report.root)]
    for code in sorted(cases):
        by_record = cases[code]
        found = [f for _, fs in by_record.values() for f in fs]
        title = report.rule_titles.get(code) or (found[0].title if found else "")
        props = [*base, ("rule", code), ("title", title)]
        criterion = criteria_by_rule(found).get(code)
        if criterion:
            props.append(("criterion", criterion))
        suite = _suite(root, f"{code} {title}".strip(), len(by_record), found, props)
        ordered = sorted(by_record.items(), key=lambda item: item[0][2])  # stable: read records first
        for (_, _, is_unreadable), (record, fs) in ordered:
            name = f"unreadable record: {case_name(record)}" if is_unreadable else case_name(record)
            _case(suite, code, name, record, fs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

