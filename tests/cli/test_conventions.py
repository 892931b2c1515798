"""The command line's conventions (#17 §4): where the document set is (--root before or after the
command, else found upward), -q/-v on every command, NO_COLOR, lint's machine formats, `clauses`
while other files have problems, the order of the commands, an example in every --help, and shell
completion."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import click
import jsonschema
import pytest
from click.testing import CliRunner, Result

from qmsdoc import cli_common
from qmsdoc.cli import COMMAND_ORDER, main
from qmsdoc.cli_common import suggest_ids
from qmsdoc.errors import Location
from qmsdoc.lint_formats import SOURCE, LintMessage, escape_data, escape_property, render_github

from conftest import REPO, make_project
from support.sources import procedure_text

SCHEMAS = REPO / ".cache" / "schemas"
SARIF_SCHEMA = SCHEMAS / "sarif-2.1.0.json"
BROKEN = {"procedures/X.md": "---\nid: SJE/ZY/GK-91\ntitle: x\n---\n"}
"""A procedure without a revision (and more): lint's errors 'procedures/X.md:2:1: procedure: missing required key …'."""
REVISION_MISSING = 'procedure: missing required key "revision"'
GOOD = {"procedures/GK-90.md": procedure_text("1. 本制度适用于全部售后服务。\n2. 营销部门负责人签字。\n")}
"""An effective procedure with no release (a lint warning) and two clauses, 第一条 and 第二条."""


def run(*args: str, env: dict[str, str] | None = None, color: bool = False) -> Result:
    return CliRunner().invoke(main, list(args), env=env, color=color, catch_exceptions=False)


def commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand as its words on the command line, groups too."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


ALL_COMMANDS = list(commands())


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    (tmp_path / "broken").mkdir()
    return make_project(tmp_path / "broken", BROKEN)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    (tmp_path / "good").mkdir()
    return make_project(tmp_path / "good", GOOD)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A document set made by `qmsdoc init`: one procedure, one form, four rules, one record."""
    root = tmp_path / "qms"
    assert run("init", str(root), "--language", "en").exit_code == 0
    return root


# -- where the document set is ------------------------------------------------------------------

def test_root_works_before_and_after_the_command(broken: Path, tmp_path: Path) -> None:
    after = run("lint", "--root", str(broken))
    before = run("--root", str(broken), "lint")
    assert after.exit_code == before.exit_code == 1
    assert 'procedures/X.md:2:1: procedure: missing required key "revision"' in before.output
    assert before.output == after.output
    wins = run("--root", str(tmp_path / "nowhere"), "lint", "--root", str(broken))  # after the command wins
    assert wins.exit_code == 1 and "procedures/X.md:2:1" in wins.output


def test_root_before_the_command_reaches_subcommands(small: Path) -> None:
    made = run("--root", str(small), "new", "procedure", "QP-02", "--title", "Customer satisfaction")
    assert made.exit_code == 0, made.output
    assert (small / "procedures" / "QP-02.md").is_file()


def test_qmsdoc_yaml_is_found_in_a_folder_above(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken / "procedures")
    result = run("lint")
    assert result.exit_code == 1
    assert 'procedures/X.md:2:1: procedure: missing required key "revision"' in result.output


def test_without_qmsdoc_yaml_the_error_says_it_searched_upward(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "empty"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run("lint")
    assert result.exit_code == 2
    assert f"error: qmsdoc.yaml not found in {here} or any folder above it" in result.output
    assert "Traceback" not in result.output


def test_init_never_searches_upward(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = small / "procedures"
    monkeypatch.chdir(sub)
    made = run("init")
    assert made.exit_code == 0, made.output
    assert (sub / "qmsdoc.yaml").is_file()  # a new document set here, not a refusal because of the one above


# -- how much is said ------------------------------------------------------------------------------

@pytest.mark.parametrize("words", ALL_COMMANDS, ids=" ".join)
def test_every_command_takes_quiet_and_verbose(words: tuple[str, ...]) -> None:
    help_text = run(*words, "--help").output
    assert "-q, --quiet" in help_text and "-v, --verbose" in help_text


def test_lint_quiet_drops_the_summary_but_never_problems_or_warnings(small: Path, broken: Path) -> None:
    normal = run("lint", "--root", str(small))
    assert "1 procedures, 1 forms, 4 rules: no problems; 2 effective revision(s) not released." in normal.stdout
    clean = run("lint", "-q", "--root", str(small))
    assert clean.exit_code == 0 and clean.stdout == ""
    assert clean.stderr == normal.stderr and clean.stderr.count(": warning: ") == 2
    assert run("-q", "lint", "--root", str(small)).stdout == ""
    problems = run("lint", "-q", "--root", str(broken))
    assert problems.exit_code == 1 and "procedures/X.md:2:1" in problems.output


def test_build_says_one_line_and_each_file_only_with_verbose(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("--root", str(small), "--out", str(out), "--as-of", "2026-01-15", "--jobs", "1")
    first = run("build", *args)
    assert first.exit_code == 0, first.output
    [line] = first.output.splitlines()
    assert line.startswith(f"2 documents in {out} as of 2026-01-15 (2 changed); portal: {out / 'site' / 'index.html'}")
    assert "wrote" not in first.output
    (out / "procedures").joinpath(next(p.name for p in (out / "procedures").glob("*.docx"))).unlink()
    verbose = run("build", "-v", *args)
    assert verbose.exit_code == 0
    assert [x for x in verbose.output.splitlines() if x.startswith("wrote ")] == [
        f"wrote {p}" for p in (out / "procedures").glob("*.docx")]
    assert "(1 changed)" in verbose.output
    assert run("-q", "build", *args).output == ""


def test_check_quiet_writes_no_report_and_keeps_the_exit_code(small: Path) -> None:
    args = ("--root", str(small), str(small / "records"), "--as-of", "2026-01-15")
    assert run("check", *args).output != ""  # the report
    quiet = run("check", "-q", *args)
    assert quiet.exit_code == 0 and quiet.output == ""
    assert run("-q", "check", *args).output == ""


def test_quiet_and_verbose_together_are_a_usage_error(small: Path) -> None:
    result = run("lint", "-q", "-v", "--root", str(small))
    assert result.exit_code == 2 and "not both" in result.output


def test_verbose_after_the_command_wins_over_quiet_before_it(small: Path) -> None:
    result = run("-q", "lint", "-v", "--root", str(small))
    assert result.exit_code == 0 and "no problems" in result.output


# -- colour ---------------------------------------------------------------------------------------

def test_labels_are_coloured_on_a_terminal_unless_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "_isatty", lambda stream: True)
    args = ("lint", "--root", str(tmp_path))  # no qmsdoc.yaml: an "error:" line
    coloured = run(*args, env={"NO_COLOR": ""}, color=True)  # empty: colour stays on (no-color.org)
    assert "\x1b[" in coloured.output
    for value in ("1", "true"):
        plain = run(*args, env={"NO_COLOR": value}, color=True)
        assert plain.exit_code == 2
        assert "\x1b" not in plain.output and plain.output.startswith("error: ")


def test_no_colour_when_not_a_terminal(good: Path) -> None:
    result = run("lint", "--root", str(good), env={"NO_COLOR": ""}, color=True)
    assert "warning: SJE/ZY/GK-90 A/0 is effective but has not been released" in result.output
    assert "\x1b" not in result.output


# -- lint's formats -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, object]:
    """The public SARIF 2.1.0 schema, fetched as the report tests fetch it; missing, the test fails."""
    if not SARIF_SCHEMA.is_file():
        script = REPO / "scripts" / "fetch-test-schemas"
        done = subprocess.run(["bash", str(script)], check=False, cwd=REPO, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not SARIF_SCHEMA.is_file():
            pytest.fail(f"cannot fetch the SARIF schema with {script}:\n{done.stdout}{done.stderr}")
    schema: dict[str, object] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema


def test_lint_json_lists_errors_with_their_positions(broken: Path) -> None:
    result = run("lint", "--format", "json", "--root", str(broken))
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    [revision] = [i for i in items if i["message"] == REVISION_MISSING]
    assert revision == {"path": "procedures/X.md", "line": 2, "column": 1, "severity": "error",
                        "message": REVISION_MISSING, "hint": revision["hint"]}
    assert len(items) == int(result.stderr.split()[0]) > 1  # as many as "N problem(s) found."
    assert all(set(i) == {"path", "line", "column", "severity", "message", "hint"} for i in items)
    assert "problem(s) found" in result.stderr


def test_lint_json_has_the_warnings_too_and_exit_0(good: Path) -> None:
    result = run("lint", "--format", "json", "--root", str(good))
    assert result.exit_code == 0
    [item] = json.loads(result.stdout)
    assert item["severity"] == "warning" and item["path"] == "procedures/GK-90.md"
    assert item["message"] == "SJE/ZY/GK-90 A/0 is effective but has not been released"
    assert item["hint"].startswith("run `qmsdoc release SJE/ZY/GK-90`")


@pytest.mark.parametrize("fixture", ["broken", "good"])
def test_lint_sarif_is_valid_and_has_every_message(fixture: str, request: pytest.FixtureRequest,
                                                   sarif_schema: dict[str, object],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root: Path = request.getfixturevalue(fixture)
    monkeypatch.chdir(root)
    result = run("lint", "--format", "sarif")
    assert result.exit_code == (1 if fixture == "broken" else 0)
    log = json.loads(result.stdout)
    validator = jsonschema.validators.validator_for(sarif_schema)
    assert sorted(validator(sarif_schema).iter_errors(log), key=str) == []
    [sarif_run] = log["runs"]
    results = sarif_run["results"]
    found = next(r for r in results if r["message"]["text"].startswith(REVISION_MISSING)) if fixture == "broken" \
        else results[0]
    assert len(results) == len(json.loads(run("lint", "--format", "json").stdout))
    rules = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert rules[found["ruleIndex"]] == found["ruleId"]
    physical = found["locations"][0]["physicalLocation"]
    if fixture == "broken":
        assert (found["ruleId"], found["level"]) == ("QMS-SOURCE", "error")
        assert physical["artifactLocation"] == {"uri": "procedures/X.md"}
        assert physical["region"] == {"startLine": 2, "startColumn": 1}
        absolute = json.loads(run("lint", "--format", "sarif", "--root", str(root)).stdout)
        uri = absolute["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "file://" + quote((root / "procedures" / "X.md").as_posix(), safe="/")
        assert sorted(validator(sarif_schema).iter_errors(absolute), key=str) == []
    else:
        assert (found["ruleId"], found["level"]) == ("QMS-UNRELEASED", "warning")


def test_lint_github_annotations(broken: Path, good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken)  # paths are relative to the folder lint runs in, as in a CI workspace
    result = run("lint", "--format", "github")
    assert result.exit_code == 1
    assert ("::error file=procedures/X.md,line=2,col=1,title=qmsdoc%3A Source problem::"
            f"{REVISION_MISSING}") in result.stdout.splitlines()
    assert all(line.startswith("::error file=procedures/X.md,") for line in result.stdout.splitlines())
    monkeypatch.chdir(good)
    warned = run("lint", "--format", "github")
    assert warned.exit_code == 0
    assert warned.stdout == ("::warning file=procedures/GK-90.md,line=5,col=9,title=qmsdoc%3A Effective revision "
                             "not released::SJE/ZY/GK-90 A/0 is effective but has not been released%0Ahint: run "
                             "`qmsdoc release SJE/ZY/GK-90` to freeze it with its approval data and digests\n")


def test_github_escaping_follows_the_toolkit() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("dir,x/a:b%\n") == "dir%2Cx/a%3Ab%25%0A"
    message = LintMessage(Location("p,q/a:b.md", 3, 4), "error", "bad: 50%\nworse", None, SOURCE)
    assert render_github([message], Path(".")) == (
        "::error file=p%2Cq/a%3Ab.md,line=3,col=4,title=qmsdoc%3A Source problem::bad: 50%25%0Aworse\n")
    nowhere = LintMessage(Location(""), "note", "n", "h", SOURCE)
    assert render_github([nowhere], Path(".")).startswith("::notice title=")


def test_lint_formats_keep_the_exit_code_of_overdue_reviews(good: Path) -> None:
    for fmt in ("text", "json", "sarif", "github"):
        result = run("lint", "--format", fmt, "--root", str(good), "--as-of", "2030-01-01", "--fail-on-overdue")
        assert result.exit_code == 1, fmt
    items = json.loads(run("lint", "--format", "json", "--root", str(good), "--as-of", "2030-01-01").stdout)
    assert {i["severity"] for i in items} == {"note", "warning"}


# -- clauses --------------------------------------------------------------------------------------

def test_clauses_works_while_other_files_have_problems(tmp_path: Path) -> None:
    root = make_project(tmp_path, {**GOOD, **BROKEN})
    lint = run("lint", "--root", str(root))
    assert lint.exit_code == 1
    problems = int(lint.stderr.splitlines()[-1].split()[0])  # "N problem(s) found."
    result = run("clauses", "--root", str(root), "SJE/ZY/GK-90")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("SJE/ZY/GK-90 第一条\tprocedures/GK-90.md:")
    assert "SJE/ZY/GK-90 第二条" in result.stdout
    assert f"note: {problems} problem(s) elsewhere in the sources are not shown; run `qmsdoc lint`" in result.stderr


def test_clauses_of_a_procedure_that_does_not_load_shows_its_problems(tmp_path: Path) -> None:
    root = make_project(tmp_path, {**GOOD, "procedures/X.md": procedure_text("1. x\n", id="SJE/ZY/GK-91",
                                                                             owner="no such department")})
    result = run("clauses", "--root", str(root), "SJE/ZY/GK-91")
    assert result.exit_code == 1
    assert "procedures/X.md:" in result.stderr and "problem(s) found" in result.stderr


def test_clauses_suggests_ids() -> None:
    result = run("clauses", "--root", str(REPO), "GK-9")
    assert result.exit_code == 2
    assert "error: no procedure GK-9\n    hint: did you mean SJE/ZY/GK-09?\n" in result.stderr
    assert "did you mean SJE/ZY/GK-09" in run("clauses", "--root", str(REPO), "sje/zy/gk-09").stderr


def test_suggest_ids_matches_case_numbers_last_parts_and_spelling() -> None:
    ids = ["SJE/ZY/GK-09", "SJE/ZY/GK-19", "SJE/ZY/GK-03", "SJE/JL/GK-09-01"]
    assert suggest_ids("GK-9", ids) == ["SJE/ZY/GK-09"]
    assert suggest_ids("sje/zy/gk-03", ids) == ["SJE/ZY/GK-03"]
    assert suggest_ids("SJE/ZY/GK-10", ids)[0] == "SJE/ZY/GK-19"  # no such id: close spellings
    assert suggest_ids("QP-77-XX", ids) == []


# -- help, order, completion ----------------------------------------------------------------------

def test_commands_are_listed_in_the_order_of_the_work() -> None:
    assert set(main.commands) <= set(COMMAND_ORDER), "add the new command to COMMAND_ORDER in qmsdoc/cli.py"
    listed = main.list_commands(click.Context(main))
    assert listed == [name for name in COMMAND_ORDER if name in main.commands]
    help_text = run("--help").output
    positions = [help_text.index(f"\n  {name} ") for name in listed]
    assert positions == sorted(positions)
    assert listed[:2] == ["init", "new"] and listed.index("lint") < listed.index("build") < listed.index("release")


@pytest.mark.parametrize("words", [(), *ALL_COMMANDS], ids=lambda w: " ".join(w) or "qmsdoc")
def test_every_help_has_an_example(words: tuple[str, ...]) -> None:
    help_text = run(*words, "--help").output
    assert "Example: qmsdoc " in help_text, f"add an 'Example: qmsdoc …' line to the docstring of {words}"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_script(shell: str) -> None:
    result = CliRunner().invoke(main, [], prog_name="qmsdoc", env={"_QMSDOC_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0
    assert "_QMSDOC_COMPLETE" in result.output and f"{shell}_complete" in result.output


def test_completion_completes_command_names() -> None:
    env = {"_QMSDOC_COMPLETE": "bash_complete", "COMP_WORDS": "qmsdoc li", "COMP_CWORD": "1"}
    result = CliRunner().invoke(main, [], prog_name="qmsdoc", env=env)
    assert result.output.split() == ["plain,lint"]
