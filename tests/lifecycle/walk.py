"""The issue's scenario: one procedure (GK-08) and one of its forms walked through two revisions.

Each step is run through the command line, as a document controller would, in a copy of the
bundled content's GK-08 with its five forms; what each step printed is kept for the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner, Result

from qmsdoc.cli import main

from conftest import REPO, make_project

PROC, FORM = "SJE/ZY/GK-08", "SJE/JL/GK-08-01"
PROC_PATH, FORM_PATH = "procedures/GK-08.md", "forms/GK-08-01.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def first_release(text: str) -> str:
    """A bundled form as it stands, told as its first revision (A/0 of 2025-04-01): the scenarios
    start from a document set that has never been released."""
    text = re.sub(r"^revision: A/\d+\n", "revision: A/0\n", text, count=1, flags=re.M)
    text = re.sub(r"^prepared: .*\nreviewed: .*\napproved: .*\neffective: .*$", APPROVALS_A, text, count=1, flags=re.M)
    return re.sub(r"^  - \{revision: A/[1-9]\d*, .*\n", "", text, flags=re.M)


def copy_gk08(tmp: Path) -> Path:
    files = {PROC_PATH: (REPO / PROC_PATH).read_text(encoding="utf-8")}
    for n in range(1, 6):
        name = f"forms/GK-08-0{n}.yaml"
        files[name] = first_release((REPO / name).read_text(encoding="utf-8"))
    return make_project(tmp, files)


def edit(root: Path, rel: str, *pairs: tuple[str, str]) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


APPROVALS_A = ("prepared: {name: 王伟, date: 2025-03-03}\nreviewed: {name: 李娜, date: 2025-03-10}\n"
               "approved: {name: 赵强, date: 2025-03-20}\neffective: 2025-04-01")
APPROVALS_B = ("prepared: {name: 王伟, date: 2025-08-01}\nreviewed: {name: 李娜, date: 2025-08-10}\n"
               "approved: {name: 赵强, date: 2025-08-20}\neffective: 2025-09-01")

UNBUMPED_EDIT = ("适用于参与顾客技术服务的全体员工。", "适用于参与顾客技术服务的全体人员。")
BODY_EDITS = (
    ("适用于参与顾客技术服务的全体员工。", "适用于参与顾客技术服务的全体员工及外协人员。"),
    ("费用由我公司全部承担。", "费用由我公司承担。"),
    ("4. 以上诸项均应有相关记录并由各营销部门存档管理。\n\n", ""),
    ("为设备提供终身服务。\n", "为设备提供终身服务。\n\n   6. 每年对顾客满意度进行一次调查。\n"),
)
INSERTED = ("及外协人员", "每年对顾客满意度进行一次调查。")
DELETED = ("全部", "以上诸项均应有相关记录并由各营销部门存档管理。")


def bump_procedure(root: Path) -> None:
    edit(root, PROC_PATH, ("revision: A/0", "revision: B/0"), (APPROVALS_A, APPROVALS_B),
         ("\nforms:\n", "\n  - {revision: B/0, date: 2025-09-01, by: 李娜, description: 扩大适用范围，删除第四条，"
                        "增加满意度调查。}\nforms:\n"), *BODY_EDITS)


def bump_form(root: Path) -> None:
    edit(root, FORM_PATH, ("revision: A/0", "revision: B/0"), (APPROVALS_A, APPROVALS_B),
         ("\nsections:\n", "\n  - {revision: B/0, date: 2025-09-01, by: 李娜, description: 增加回访结果。}\nsections:\n"),
         ("    fields:\n", "    fields:\n      - {id: visit_result, label: 回访结果, type: multiline}\n"))


@dataclass
class Walk:
    """The project after the walk, and what each step printed."""

    root: Path
    steps: dict[str, Result] = field(default_factory=dict)

    def step(self, name: str, *args: str) -> Result:
        result = run(*args, "--root", str(self.root))
        self.steps[name] = result
        return result

    @property
    def out(self) -> Path:
        return self.root / "output"


def walk(tmp: Path) -> Walk:
    """Release A/0, edit without a bump, bump to B/0, release, build, register, redline, verify."""
    w = Walk(copy_gk08(tmp))
    w.step("release A", "release", "--all", "--date", "2025-03-25", "--no-pdf", "--by", "陈静")
    w.step("build A", "build")
    edit(w.root, PROC_PATH, UNBUMPED_EDIT)
    w.step("lint unbumped", "lint")
    edit(w.root, PROC_PATH, (UNBUMPED_EDIT[1], UNBUMPED_EDIT[0]))
    bump_procedure(w.root)
    bump_form(w.root)
    w.step("lint B", "lint")
    w.step("release B", "release", "--all", "--date", "2025-08-25", "--no-pdf", "--by", "陈静")
    w.step("build B", "build")
    w.step("register", "register", "--as-of", "2027-08-15")
    w.step("redline", "redline", PROC, "--from", "A/0", "--to", "B/0", "-o", str(tmp / "redline.docx"))
    w.step("redline form", "redline", FORM, "-o", str(tmp / "redline-form.docx"))
    w.step("verify", "verify")
    return w
