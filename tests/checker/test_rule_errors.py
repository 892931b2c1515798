"""Rules load through the same model and lint as everything else: errors at exact positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.project_files import FILES, RULES
from qmsdoc.errors import SourceError
from qmsdoc.load.project import load_project

from conftest import make_project

RULE = """\
procedure: SJE/ZY/GK-90
rules:
  - code: T-01
    title: 测试
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: major
    when: kind == "major"
    limit: {value: amount, max: output_value * params.cap_percent / 100}
"""


def problems(tmp_path: Path, rules: str) -> list[str]:
    root = make_project(tmp_path, {**FILES, "rules/T.yaml": rules})
    with pytest.raises(SourceError) as info:
        load_project(root)
    return [d.format() for d in info.value.diagnostics.sorted()]


def test_the_rule_loads(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path, {**FILES, "rules/T.yaml": RULE}))
    (rule,) = project.rules
    assert (rule.code, rule.kind, rule.citation.label) == ("T-01", "limit", "SJE/ZY/GK-90 A/0 第二条")


@pytest.mark.parametrize("old,new,expected", [
    # expressions: unknown field with a suggestion, at the field's column
    ("value: amount,", "value: amout,",
     'rules/T.yaml:9:20: rule T-01: unknown field "amout" on SJE/JL/GK-90-01\n    hint: did you mean "amount"?'),
    ('when: kind == "major"', 'when: kind == "majr"',
     'rules/T.yaml:8:19: rule T-01: when: "majr" is not an option of kind\n    hint: did you mean "major"?'),
    ('when: kind == "major"', "when: batch == \"2\"",
     "rules/T.yaml:8:20: rule T-01: when: cannot compare a number with a text\n    hint: write numbers without quotes"),
    ('when: kind == "major"', "when: issued_on < received_at",
     "rules/T.yaml:8:23: rule T-01: when: cannot compare a date with a date-time\n"
     "    hint: convert the date-time with date(x)"),
    ('when: kind == "major"', "when: amount",
     "rules/T.yaml:8:11: rule T-01: when: expected a true/false expression, this gives a number"),
    ('when: kind == "major"', "when: kind.__class__ == 1",
     'rules/T.yaml:8:11: rule T-01: field kind is a choice field and has no ".__class__"'),
    ('when: kind == "major"', "when: open('x') == 1",
     'rules/T.yaml:8:11: rule T-01: when: unknown function "open"\n'
     "    hint: functions: abs, add_days, date, day, days, empty, hours, len, max, min, month, present, round, year"),
    ('when: kind == "major"', "when: len([1 for x in staff]) > 0",
     "rules/T.yaml:8:15: rule T-01: when: `[1 for x in staff]` is not allowed in rule expressions"),
    ('when: kind == "major"', "when: kind == ",
     "rules/T.yaml:8:18: rule T-01: when: not a valid expression (invalid syntax)\n"
     "    hint: write e.g. batch_no == 1 and present(gm_approval)"),
    ("params.cap_percent", "params.cap_pct",
     'rules/T.yaml:9:48: rule T-01: limit: max: unknown parameter "params.cap_pct"\n'
     '    hint: did you mean "cap_percent"?'),
    # the rule itself
    ("clause: 第二条", "clause: 第三条",
     'rules/T.yaml:6:13: rule T-01: SJE/ZY/GK-90 has no clause "第三条"\n    hint: did you mean "第二条"?'),
    ("form: SJE/JL/GK-90-01", "form: SJE/JL/GK-90-09",
     'rules/T.yaml:5:11: rule T-01: form "SJE/JL/GK-90-09" does not exist'),
    ("severity: major", "severity: high",
     'rules/T.yaml:7:15: rule T-01: severity: "high" is not one of: major, minor, observation'),
    ("code: T-01", "code: QMS-01",
     'rules/T.yaml:3:11: rule QMS-01: code "QMS-01" does not look like GK09-05 or P4-26\n'
     "    hint: letters and digits, a hyphen, two digits (QMS- is reserved for built-in checks)"),
    ("    limit: {value: amount, max: output_value * params.cap_percent / 100}\n",
     "    limit: {value: amount, max: output_value * params.cap_percent / 100}\n    required: [note]\n",
     "rules/T.yaml:3:5: rule T-01: needs exactly one kind of check, found required, limit\n"
     "    hint: one of: required, signatures, order, deadline, lead_time, allowed, limit, expect, "
     "frequency, coverage, unique"),
])
def test_rule_errors_have_positions(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in RULE
    found = problems(tmp_path, RULE.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_kind_specific_errors(tmp_path: Path) -> None:
    text = RULES.replace("unit: hours}\n  - code: T-06", "unit: calendar_dayz}\n  - code: T-06")
    text = text.replace("staff.name", "staff.nam")
    text = text.replace("signatures: {of: [leader]", "signatures: {of: [note]")
    text = text.replace("forbidden: [phone]", "forbidden: [phon]")
    found = problems(tmp_path, text)
    assert any('unit: "calendar_dayz" is not one of: calendar_days, working_days, hours' in p for p in found), found
    assert any('table staff has no column "nam"' in p and 'did you mean "name"' in p for p in found)
    assert any('"note" is a text value; expected signature' in p for p in found)
    assert any('"phon" is not an option of channel' in p for p in found)


def test_duplicate_codes_and_dangling_match(tmp_path: Path) -> None:
    text = RULES.replace("code: T-02", "code: T-01").replace("on: {owner: salesperson}", "on: {owner: salesman}")
    found = problems(tmp_path, text)
    assert any("duplicate rule code (first at rules/T.yaml:3:11)" in p for p in found)
    assert any('unknown field "salesman" on SJE/JL/GK-90-02' in p for p in found)


def test_rules_report_problems_through_lint(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qmsdoc.cli import main
    root = make_project(tmp_path, {**FILES, "rules/T.yaml": RULE.replace("amount,", "amout,")})
    result = CliRunner().invoke(main, ["lint", "--root", str(root)])
    assert result.exit_code == 1
    assert 'rules/T.yaml:9:20: rule T-01: unknown field "amout"' in result.output
