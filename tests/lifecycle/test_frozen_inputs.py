"""A released revision's inputs: site-wide changes fail lint, and old records are frozen by proof."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lifecycle.test_revision_true import FORM1, FORM3, PROC, copy_gk09
from lifecycle.walk import edit, run

ALL = (PROC, FORM1, "SJE/JL/GK-09-02", FORM3)


@pytest.fixture
def released(tmp_path: Path) -> Path:
    root = copy_gk09(tmp_path)
    result = run("release", "--all", "--date", "2025-03-25", "--no-pdf", "--by", "陈静", "--root", str(root))
    assert result.exit_code == 0, result.output
    return root


def line_of(path: Path, start: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(start))


@pytest.mark.parametrize(("old", "new", "key", "col", "shown"), [
    ("language: zh-CN", "language: en", "language", 11, 'language is now "en"'),
    ("name: 示例机械制造有限公司", "name: 示例机械有限公司", "  name:", 9, 'organisation.name is now "示例机械有限公司"'),
    ("body: {east_asian: SimSun,", "body: {east_asian: FangSong,", "  body:", 9, "fonts.body is now"),
])
def test_a_site_change_fails_lint_at_its_line_listing_every_released_document(
        released: Path, old: str, new: str, key: str, col: int, shown: str) -> None:
    edit(released, "qmsdoc.yaml", (old, new))
    result = run("lint", "--root", str(released))
    assert result.exit_code == 1, result.output
    line = line_of(released / "qmsdoc.yaml", key)
    problem = next(text for text in result.output.splitlines() if text.startswith(f"qmsdoc.yaml:{line}:{col}: "))
    assert shown in problem and "but 4 released revisions were rendered with" in problem, problem
    for doc_id in ALL:
        assert f"{doc_id} A/0" in problem
    assert "a released revision never changes" in result.output


def test_a_site_setting_no_document_reads_is_free_to_change(released: Path) -> None:
    edit(released, "qmsdoc.yaml", ("  - 试验室", "  - 试验室\n  - 检测中心"))
    result = run("lint", "--root", str(released))
    assert result.exit_code == 0, result.output


def test_a_title_change_fails_lint_naming_the_procedure_that_lists_the_form(released: Path) -> None:
    edit(released, "forms/GK-09-02.yaml", ("revision: A/0", "revision: A/1"), ("title: ", "title: 新"),
         ("\nsections:\n", "\n  - {revision: A/1, date: 2025-06-01, by: 王伟, description: 改名。}\nsections:\n"))
    result = run("lint", "--root", str(released))
    assert result.exit_code == 1
    assert ("forms/GK-09-02.yaml:2:8: the title of SJE/JL/GK-09-02 is now \"新" in result.output
            and "1 released revision was rendered with" in result.output and f": {PROC} A/0" in result.output)


def test_a_release_without_inputs_is_warned_about_and_frozen_only_when_proven(released: Path) -> None:
    for path in sorted((released / "releases").glob("*/A-0/release.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        del record["inputs"]
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lint = run("lint", "--root", str(released))
    assert lint.exit_code == 0
    assert ("releases/SJE-ZY-GK-09/A-0/release.json:1:1: warning: SJE/ZY/GK-09 A/0 was released before qmsdoc "
            "recorded what it was rendered from") in lint.output
    assert "4 release(s) without recorded inputs" in lint.output
    # the forms print their procedure's title, which differs from what was released: not proven
    edit(released, "procedures/GK-09.md", ("title: 售后服务问题反馈调查的管理制度", "title: 售后服务问题反馈的管理制度"),
         ("revision: A/0", "revision: A/1"),
         ("forms:\n", "  - {revision: A/1, date: 2025-06-01, by: 王伟, description: 改名。}\nforms:\n"))
    frozen = run("freeze", "--root", str(released))
    assert frozen.exit_code == 1, frozen.output
    assert "releases/SJE-ZY-GK-09/A-0/release.json: inputs recorded" in frozen.output
    assert ("releases/SJE-JL-GK-09-01/A-0/release.json:1:1: error: SJE/JL/GK-09-01 A/0: inputs not recorded: "
            "rendered with today's sources it is not the released file") in frozen.output
    record = json.loads((released / "releases/SJE-ZY-GK-09/A-0/release.json").read_text(encoding="utf-8"))
    assert list(record)[-2:] == ["inputs", "generator"] and record["inputs"]["site:language"] == "zh-CN"
    assert "inputs" not in json.loads((released / "releases/SJE-JL-GK-09-01/A-0/release.json").read_text(encoding="utf-8"))


def test_the_bundled_releases_all_have_their_inputs(project) -> None:  # type: ignore[no-untyped-def]
    releases = [r for rs in project.releases.values() for r in rs]
    assert releases and all(r.inputs for r in releases)


def test_a_site_value_a_procedure_body_prints_is_an_input_of_that_procedure_only(tmp_path: Path) -> None:
    root = copy_gk09(tmp_path)
    edit(root, "procedures/GK-09.md", ("6. 本制度由顾客服务部负责解释", "6. 本制度由{{ site.organisation.short }}顾客服务部负责解释"))
    assert run("release", "--all", "--date", "2025-03-25", "--no-pdf", "--by", "陈静", "--root", str(root)).exit_code == 0
    record = json.loads((root / "releases/SJE-ZY-GK-09/A-0/release.json").read_text(encoding="utf-8"))
    assert record["inputs"]["site:organisation.short"] == "SJE"
    edit(root, "qmsdoc.yaml", ("short: SJE", "short: SJX"))
    result = run("lint", "--root", str(root))
    assert result.exit_code == 1
    assert (f"qmsdoc.yaml:{line_of(root / 'qmsdoc.yaml', '  short:')}:10: organisation.short is now \"SJX\", but 1 "
            f"released revision was rendered with \"SJE\": {PROC} A/0") in result.output
