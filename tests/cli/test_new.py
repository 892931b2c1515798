"""`qmsdoc new procedure|form|rule`: skeletons that lint, linked to their procedure; refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qmsdoc.cli import main
from qmsdoc.scaffold import ScaffoldError
from qmsdoc.scaffold.new import add_form_to_procedure

from conftest import REPO


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def zh(tmp_path: Path) -> Path:
    assert run("init", str(tmp_path)).exit_code == 0
    return tmp_path


def _new_procedure_and_form(root: Path) -> None:
    made = run("new", "procedure", "--root", str(root), "CX-02", "--title", "顾客满意度调查程序")
    assert made.exit_code == 0, made.output
    assert "2 procedures, 1 forms, 4 rules: no problems" in made.output
    made = run("new", "form", "--root", str(root), "JL-02-01", "--procedure", "CX-02", "--title", "顾客满意度调查表")
    assert made.exit_code == 0, made.output
    assert "2 procedures, 2 forms, 4 rules: no problems" in made.output


def test_new_procedure_is_a_draft_that_lints(zh: Path) -> None:
    _new_procedure_and_form(zh)
    text = (zh / "procedures" / "CX-02.md").read_text(encoding="utf-8")
    assert "status: draft" in text and "owner: 质量部" in text
    assert "forms: [JL-02-01]" in text
    form = (zh / "forms" / "JL-02-01.yaml").read_text(encoding="utf-8")
    assert "procedure: CX-02\nclause: 第一条\n" in form and "role: 部门负责人" in form


@pytest.mark.parametrize("kind", ["deadline", "required", "signatures", "order"])
def test_new_rule_of_each_kind_lints(zh: Path, kind: str) -> None:
    _new_procedure_and_form(zh)
    made = run("new", "rule", "--root", str(zh), "--procedure", "CX-02", "--form", "JL-02-01", "--kind", kind,
               "--title", "调查表由负责人签字", "--clause", "第二条")
    assert made.exit_code == 0, made.output
    assert "2 procedures, 2 forms, 5 rules: no problems" in made.output
    rules = (zh / "rules" / "CX-02.yaml").read_text(encoding="utf-8")
    assert rules.startswith("# CX-02") and "procedure: CX-02\nrules:\n  - code: CX02-01\n" in rules
    assert f"\n    {kind}:" in rules and "clause: 第二条" in rules


def test_rules_are_appended_with_the_next_code(zh: Path) -> None:
    before = (zh / "rules" / "CX-01.yaml").read_text(encoding="utf-8")
    for kind in ("deadline", "order"):
        made = run("new", "rule", "--root", str(zh), "--procedure", "CX-01", "--form", "JL-01-01", "--kind", kind)
        assert made.exit_code == 0, made.output
    after = (zh / "rules" / "CX-01.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert "code: CX01-05" in after and "code: CX01-06" in after
    assert run("check", "--root", str(zh), str(zh / "records"), "--as-of", "2026-01-15").exit_code == 0


def test_a_new_form_is_listed_by_a_minimal_edit(zh: Path) -> None:
    proc = zh / "procedures" / "CX-01.md"
    before = proc.read_bytes()
    made = run("new", "form", "--root", str(zh), "JL-01-02", "--procedure", "CX-01", "--title", "顾客投诉登记表")
    assert made.exit_code == 0, made.output
    assert "1 procedures, 2 forms, 4 rules: no problems" in made.output
    assert proc.read_bytes() == before.replace(b"forms:\n  - JL-01-01\n", b"forms:\n  - JL-01-01\n  - JL-01-02\n")


def test_new_in_english(tmp_path: Path) -> None:
    assert run("init", str(tmp_path), "--language", "en").exit_code == 0
    steps = [("procedure", "QP-02", "--title", "Customer Satisfaction", "--owner", "Quality"),
             ("form", "QF-02-01", "--procedure", "QP-02", "--title", "Customer Survey"),
             ("rule", "--procedure", "QP-02", "--form", "QF-02-01", "--kind", "order")]
    for step in steps:
        made = run("new", step[0], "--root", str(tmp_path), *step[1:])
        assert made.exit_code == 0, made.output
    assert "2 procedures, 2 forms, 5 rules: no problems" in made.output
    assert "label: Signed by" in (tmp_path / "forms" / "QF-02-01.yaml").read_text(encoding="utf-8")


def test_refusals(zh: Path) -> None:
    off = run("new", "procedure", "--root", str(zh), "GK-02", "--title", "x")
    assert off.exit_code == 2
    assert "error: procedure id \"GK-02\" does not follow the code scheme qmsdoc.yaml:24:3: codes.procedure: ^CX-[0-9]{2}$" in off.output
    again = run("new", "procedure", "--root", str(zh), "CX-01", "--title", "x")
    assert again.exit_code == 2 and 'error: procedures/CX-01.md:2:1: "CX-01" exists already' in again.output
    (zh / "procedures" / "CX-03.md").write_text("not a procedure\n", encoding="utf-8")
    taken = run("new", "procedure", "--root", str(zh), "CX-03", "--title", "x")
    assert taken.exit_code == 2 and "CX-03.md: already exists; qmsdoc new never overwrites a file" in taken.output
    owner = run("new", "procedure", "--root", str(zh), "CX-04", "--title", "x", "--owner", "财务部")
    assert owner.exit_code == 2 and 'owner "财务部" is not a department of qmsdoc.yaml' in owner.output
    orphan = run("new", "form", "--root", str(zh), "JL-09-01", "--procedure", "CX-09", "--title", "x")
    assert orphan.exit_code == 2 and 'no procedure "CX-09" in procedures/' in orphan.output
    form = run("new", "form", "--root", str(zh), "JL-01-01", "--procedure", "CX-01", "--title", "x")
    assert form.exit_code == 2 and '"JL-01-01" exists already' in form.output
    rule = run("new", "rule", "--root", str(zh), "--procedure", "CX-01", "--form", "JL-01-09", "--kind", "order")
    assert rule.exit_code == 2 and 'no form "JL-01-09" in forms/' in rule.output
    kind = run("new", "rule", "--root", str(zh), "--procedure", "CX-01", "--form", "JL-01-01", "--kind", "limit")
    assert kind.exit_code == 2
    assert not (zh / "procedures" / "CX-04.md").exists() and not (zh / "forms" / "JL-09-01.yaml").exists()


def test_refused_outside_a_document_set(tmp_path: Path) -> None:
    result = run("new", "procedure", "--root", str(tmp_path), "CX-01", "--title", "x")
    assert result.exit_code == 2 and f"error: {tmp_path / 'qmsdoc.yaml'}: not found" in result.output


FRONT = "---\nid: X\ntitle: t\n{forms}---\n\nbody\n"


@pytest.mark.parametrize("forms, expected", [
    ("forms: []\n", "forms: [F-2]\n"),
    ("forms: [F-1]   # listed\n", "forms: [F-1, F-2]   # listed\n"),
    ("forms:\n  - F-1\nrelated: []\n", "forms:\n  - F-1\n  - F-2\nrelated: []\n"),
    ("forms:\n- F-1\n", "forms:\n- F-1\n- F-2\n"),
    ("forms:\n", "forms:\n  - F-2\n"),
    ("", "forms:\n  - F-2\n"),
])
def test_add_form_to_procedure(forms: str, expected: str) -> None:
    source = FRONT.format(forms=forms).encode()
    assert add_form_to_procedure(source, "F-2", "p.md") == FRONT.format(forms=expected).encode()


def test_add_form_keeps_crlf_and_the_bundled_layout() -> None:
    crlf = b"---\r\nid: X\r\nforms:\r\n  - F-1\r\n---\r\nbody\r\n"
    assert add_form_to_procedure(crlf, "F-2", "p.md") == crlf.replace(b"  - F-1\r\n", b"  - F-1\r\n  - F-2\r\n")
    bundled = (REPO / "procedures" / "GK-09.md").read_bytes()
    added = add_form_to_procedure(bundled, "SJE/JL/GK-09-04", "procedures/GK-09.md")
    assert added == bundled.replace(b"  - SJE/JL/GK-09-03\n", b"  - SJE/JL/GK-09-03\n  - SJE/JL/GK-09-04\n")


def test_add_form_refuses_what_it_cannot_extend() -> None:
    with pytest.raises(ScaffoldError, match="no front matter"):
        add_form_to_procedure(b"body\n", "F-2", "p.md")
    with pytest.raises(ScaffoldError, match="cannot extend"):
        add_form_to_procedure(FRONT.format(forms="forms: F-1\n").encode(), "F-2", "p.md")
