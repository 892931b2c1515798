"""What build publishes: the revision in force from its release while a newer one is pending; the archive."""

from __future__ import annotations

from pathlib import Path

import docx

from lifecycle.walk import PROC_PATH, bump_procedure, copy_gk08, edit, run


def header(path: Path) -> str:
    return "".join(docx.Document(str(path)).sections[0].header._element.itertext())


def test_a_draft_successor_is_published_beside_the_released_revision_in_force(tmp_path: Path) -> None:
    root = copy_gk08(tmp_path)
    assert run("release", "SJE/ZY/GK-08", "--date", "2025-03-25", "--by", "陈静", "--no-pdf", "--root", str(root)).exit_code == 0
    bump_procedure(root)
    edit(root, PROC_PATH, ("status: effective", "status: draft"))
    assert run("build", "--root", str(root)).exit_code == 0
    current = root / "output" / "procedures"
    assert sorted(p.name for p in current.iterdir()) == ["SJE-ZY-GK-08_A-0.docx", "SJE-ZY-GK-08_B-0.docx"]
    assert "草稿" not in header(current / "SJE-ZY-GK-08_A-0.docx")
    assert "草稿" in header(current / "SJE-ZY-GK-08_B-0.docx")
    assert not (root / "output" / "archive").exists()
    assert run("verify", "--root", str(root)).exit_code == 0


def test_an_obsolete_revision_goes_to_the_archive_with_the_obsolete_banner(tmp_path: Path) -> None:
    root = copy_gk08(tmp_path)
    assert run("release", "SJE/ZY/GK-08", "--date", "2025-03-25", "--by", "陈静", "--no-pdf", "--root", str(root)).exit_code == 0
    edit(root, PROC_PATH, ("revision: A/0", "revision: A/1"), ("status: effective", "status: obsolete"),
         ("effective: 2025-04-01", "effective: 2026-01-01"),
         ("\nforms:\n", "\n  - {revision: A/1, date: 2026-01-01, by: 王伟, description: 作废。}\nforms:\n"))
    assert run("build", "--root", str(root)).exit_code == 0
    out = root / "output"
    assert not list((out / "procedures").glob("SJE-ZY-GK-08_*"))
    assert sorted(p.name for p in (out / "archive" / "procedures").iterdir()) == [
        "SJE-ZY-GK-08_A-0.docx", "SJE-ZY-GK-08_A-1.docx"]
    assert "作废 — 仅供查阅" in header(out / "archive" / "procedures" / "SJE-ZY-GK-08_A-1.docx")
    assert "已被 A/1 版替代" in header(out / "archive" / "procedures" / "SJE-ZY-GK-08_A-0.docx")


def test_form_approvals_are_checked_like_a_procedures(tmp_path: Path) -> None:
    root = copy_gk08(tmp_path)
    edit(root, "forms/GK-08-02.yaml", ("approved: {name: 赵强, date: 2025-03-20}", "approved: {name: 赵强, date: 2025-04-20}"))
    result = run("lint", "--root", str(root))
    assert result.exit_code == 1
    assert "forms/GK-08-02.yaml:7:11: approved on 2025-04-20, after the effective date 2025-04-01" in result.output
