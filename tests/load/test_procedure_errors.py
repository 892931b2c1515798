"""The loader reports each class of source error at its exact path:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsdoc.errors import SourceError
from qmsdoc.load.project import load_project

from conftest import make_project
from support.sources import procedure_text

GOOD = procedure_text("""\
为了测试，特制定本制度。

1. 复印件在{{ params.days }}天内上交。
   1. 第一项。
""", numbering="{lists: [article, cn-paren]}", params={"days": 10})
"""Lines 2 to 14 as in support.sources, params on 15 and 16, the body from 18."""


def problems(tmp_path: Path, text: str, name: str = "procedures/T.md") -> list[str]:
    root = make_project(tmp_path, {name: text})
    with pytest.raises(SourceError) as info:
        load_project(root)
    return [d.format().split("\n")[0] for d in info.value.diagnostics.sorted()]


def test_good_source_loads_with_clauses(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path, {"procedures/T.md": GOOD}))
    proc = project.procedures["SJE/ZY/GK-90"]
    assert list(proc.clauses) == ["第一条", "第一条（一）"]
    assert proc.params == {"days": 10}


@pytest.mark.parametrize("old,new,expected", [
    ("title: 测试制度", "titel: 测试制度",
     ['procedures/T.md:2:1: procedure: missing required key "title"',
      'procedures/T.md:3:1: procedure: unknown key "titel"']),
    ("effective: 2025-04-01", "effective: 2024-02-30",
     ['procedures/T.md:10:12: procedure: effective: impossible date (day is out of range for month), got "2024-02-30"']),
    ("owner: 顾客服务部", "owner: 顾客服务",
     ['procedures/T.md:6:8: unknown department "顾客服务"']),
    ("review_period: 24 months", "review_period: 1:30",
     ['procedures/T.md:11:16: procedure: review_period: expected a period like "24 months" or "3 years", got "1:30"']),
    ("  days: 10", "  days: 10\n  days: 12",
     ['procedures/T.md:17:3: duplicate key "days" (first defined at line 16)']),
    ("approved: {name: 赵强, date: 2025-03-20}", "approved: {name: 赵强, date: 2025-04-20}",
     ['procedures/T.md:9:11: approved on 2025-04-20, after the effective date 2025-04-01']),
    ("approved: {name: 赵强, date: 2025-03-20}\n", "",
     ['procedures/T.md:5:1: an effective document needs "approved" with a name and a date']),
    ("status: effective", "status: live",
     ['procedures/T.md:5:9: procedure: status: "live" is not one of: draft, approved, effective, obsolete']),
    ("{{ params.days }}", "{{ params.dayz }}",
     ['procedures/T.md:20:18: unknown params "dayz" in the text']),
    ("1. 复印件", "1. 见[[SJE/ZY/GK-99]]。复印件",
     ['procedures/T.md:20:5: reference to "SJE/ZY/GK-99", which is neither a procedure nor a form']),
    ("numbering: {lists: [article, cn-paren]}", "numbering: {lists: [article, cn-parens]}",
     ['procedures/T.md:12:30: unknown numbering format "cn-parens"']),
    ("revision: A/0", "revision: 3.10",
     ['procedures/T.md:4:11: revision "3.10" does not follow the revision scheme']),
])
def test_each_error_class_has_its_position(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    assert old in GOOD
    found = problems(tmp_path, GOOD.replace(old, new, 1))
    for line in expected:
        assert line in found, f"{line!r} not in {found!r}"


def test_did_you_mean_for_unknown_key(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"procedures/T.md": GOOD.replace("owner:", "ownr:")})
    with pytest.raises(SourceError) as info:
        load_project(root)
    hints = [d.hint for d in info.value.diagnostics.items if "ownr" in d.message]
    assert hints == ['did you mean "owner"?']


def test_duplicate_id_is_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"procedures/A.md": GOOD, "procedures/B.md": GOOD})
    with pytest.raises(SourceError) as info:
        load_project(root)
    assert [
        d.format().split("\n")[0] for d in info.value.diagnostics.items] == ['procedures/B.md:2:5: duplicate id "SJE/ZY/GK-90" (also in procedures/A.md)']


def test_yaml_does_not_coerce(tmp_path: Path) -> None:
    text = GOOD.replace("title: 测试制度", "title: NO").replace("  days: 10", "  days: 10\n  version: '3.10'")
    proc = load_project(make_project(tmp_path, {"procedures/T.md": text})).procedures["SJE/ZY/GK-90"]
    assert proc.title == "NO"
    assert proc.params["version"] == "3.10"


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("owner: 顾客服务部", "owner: X").replace("status: effective", "status: y")
    assert len(problems(tmp_path, text)) >= 2


@pytest.mark.parametrize("status", ["effective", "approved"])
@pytest.mark.parametrize("name,expected", [
    ("王伟", "procedures/T.md:9:18: 王伟 is named both as prepared and as approved"),
    ("李娜", "procedures/T.md:9:18: 李娜 is named both as reviewed and as approved"),
    (" 李娜 ", "procedures/T.md:9:18: 李娜 is named both as reviewed and as approved"),
])
def test_the_approver_may_not_have_prepared_or_reviewed_it(tmp_path: Path, status: str, name: str,
                                                           expected: str) -> None:
    """Segregation of duties is a lint error at the approved name, as `release` refuses it too."""
    text = GOOD.replace("status: effective", f"status: {status}").replace("{name: 赵强", f"{{name: '{name}'")
    assert problems(tmp_path, text) == [expected]


def test_the_same_person_preparing_and_reviewing_a_draft_or_effective_document_loads(tmp_path: Path) -> None:
    """Lint asks only that the approver is a third person; a draft may name anyone (it is not approved yet)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    load_project(make_project(tmp_path / "a", {"procedures/T.md": GOOD.replace("{name: 李娜", "{name: 王伟")}))
    draft = GOOD.replace("status: effective", "status: draft").replace("{name: 赵强", "{name: 王伟")
    load_project(make_project(tmp_path / "b", {"procedures/T.md": draft}))
