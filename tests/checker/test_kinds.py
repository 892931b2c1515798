"""Each kind of rule, passing and failing, on one record at a time."""

from __future__ import annotations

from checker.conftest import Check, codes


def test_a_complete_record_has_no_findings(check: Check) -> None:
    assert check() == []


def test_required_fields_columns_and_checkbox(check: Check) -> None:
    found = check({"note": "", "staff": [{"name": "", "via": "fax"}], "attached": False})
    assert codes(found) == [("T-01", "missing", ("note",)), ("T-01", "missing", ("staff.1.name",)),
                            ("T-01", "missing", ("attached",))]
    assert [f.message for f in found] == ["备注未填写", "人员/姓名（第 1 行）未填写", "附件已附未勾选"]


def test_a_required_field_a_rule_checks_is_not_reported_twice(check: Check) -> None:
    # note is required on the form and in T-01: one finding, citing the rule's clause
    found = check({"note": None})
    assert codes(found) == [("T-01", "missing", ("note",))]
    assert found[0].criterion.label == "SJE/ZY/GK-90 A/0 第一条"


def test_form_required_fields_not_covered_by_rules_are_builtin(check: Check) -> None:
    found = check({"owner": None})
    assert codes(found) == [("QMS-REQUIRED", "missing", ("owner",))]
    assert found[0].criterion.label == "SJE/ZY/GK-90 A/0 第一条"  # the form's own clause


def test_signatures_name_date_and_segregation(check: Check) -> None:
    assert codes(check({"leader": None})) == [("T-02", "missing", ("leader",))]
    assert codes(check({"leader": {"name": "李四"}})) == [("T-02", "missing", ("leader.date",))]
    assert codes(check({"leader": {"date": "2025-09-02"}})) == [("T-02", "missing", ("leader.name",))]
    same = check({"approver": {"name": " 李 四", "date": "2025-09-03"}})
    assert codes(same) == [("T-02", "fail", ("leader", "approver"))]
    assert "同一人" in same[0].message


def test_date_order(check: Check) -> None:
    found = check({"returned_on": "2025-08-30", "copy_on": "2025-09-01"})
    assert codes(found) == [("T-03", "fail", ("returned_on", "issued_on"))]
    assert found[0].values == {"returned_on": "2025-08-30", "issued_on": "2025-09-01"}


def test_allowed_values(check: Check) -> None:
    found = check({"channel": "phone"})
    assert codes(found) == [("T-08", "fail", ("channel",))]
    assert found[0].message == "渠道为“电话”，不允许：电话"
    assert check({"channel": "传真"}) == []  # an option's label reads as its value


def test_numeric_limit_with_params(check: Check) -> None:
    assert check({"amount": "1000", "output_value": "100000"}) == []  # exactly 1 %
    found = check({"amount": "1000.01", "output_value": "100000"})
    assert codes(found) == [("T-09", "fail", ("amount",))]
    assert found[0].expected == "≤ 1000"


def test_conditional_rules(check: Check) -> None:
    assert check({"batch": 1, "rate": "0.5"}) == []  # T-10 applies to batch 2 only
    assert codes(check({"batch": 2, "rate": "0.5"})) == [("T-10", "fail", ("rate",))]
    assert check({"batch": 2, "rate": "0.80"}) == []
    assert check({"kind": "normal"}) == []
    assert codes(check({"kind": "major"})) == [("T-11", "missing", ("approver",))]


def test_expect(check: Check) -> None:
    found = check({"kind": "major", "attached": False, "approver": {"name": "赵六", "date": "2025-09-05"}})
    assert ("T-17", "fail", ("attached", "kind")) in codes(found)


def test_a_condition_on_a_blank_field_does_not_apply(check: Check) -> None:
    assert check({"batch": None, "rate": "0.1"}) == []


def test_a_conditional_rule_takes_over_a_blank_required_field_only_when_it_applies(check: Check) -> None:
    assert codes(check({"kind": "normal", "owner": None})) == [("T-18", "missing", ("owner",))]
    approved = {"approver": {"name": "赵六", "date": "2025-09-05"}}
    assert codes(check({"kind": "major", "owner": None, **approved})) == [("QMS-REQUIRED", "missing", ("owner",))]


def test_a_column_rule_does_not_excuse_an_empty_required_table(check: Check) -> None:
    # T-01 checks staff.name row by row; a required table with no rows at all is still reported
    assert codes(check({"staff": None})) == [("QMS-REQUIRED", "missing", ("staff",))]


def test_the_form_definition_is_checked_too(check: Check) -> None:
    # a number outside the form's range, a signature with a name but no date, a required column
    assert codes(check({"rate": "7.5"})) == [("QMS-VALUE", "fail", ("rate",))]
    assert check({"rate": "7.5"})[0].message == "奖励比例为 7.5，超出表单规定的范围 0–5"
    found = check({"approver": {"name": "赵六"}, "kind": "normal"})
    assert codes(found) == []  # approver is optional on the form and no rule applies
