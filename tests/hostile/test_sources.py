"""Hostile and broken sources: each is a lint error at its path:line:col, found quickly and in bounded memory.

Every case is the checker's small project (one procedure, two forms, rules) with one hostile
change. The real command line runs on it: `qmsdoc lint` prints exactly the expected problems and
exits 1, and `qmsdoc build` refuses the same sources (exit 1, nothing written). Both runs are
held to SECONDS and to MEMORY more address space than the test process already has
(RLIMIT_AS), so a source that made the tool spend gigabytes would end in a MemoryError, an
internal error with exit 2, and fail the case; one that kept it busy for minutes (in a power,
or opening a FIFO) ends the whole test run after 4 × SECONDS (faulthandler), rather than hang it.
"""

from __future__ import annotations

import faulthandler
import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from checker.project_files import FILES, FORM, PROCEDURE
from click.testing import CliRunner

from qmsdoc.cli import main

from conftest import REPO, make_project
from support.hang import HANG_SECONDS

SECONDS = HANG_SECONDS
"""Linting and building one hostile project for longer means a hang or a blow-up (see support.hang)."""
MEMORY = 1 << 30
"""Address space the runs may add to what the test process holds."""
CONFIG = (REPO / "qmsdoc.yaml").read_text(encoding="utf-8")
SOLO = PROCEDURE.replace("forms: [SJE/JL/GK-90-01, SJE/JL/GK-90-02]\n", "")
"""The procedure alone, without forms: what a broken body costs is then its own error only."""
BODY = SOLO.count("\n") + 1
"""The line of text appended to the procedure (its body ends with a line break)."""
START = SOLO.split("\n").index("---", 1) + 2
"""The body's first line, where a problem of the whole template is reported."""
TOO_LONG = ("the template prints, reads or builds more than 2000000 characters "
            "(limit template_output_chars: 2000000; raise it under limits: in qmsdoc.yaml)")
LOOPS = "for loops run more than 100000 times (limit template_loop_iterations: 100000; raise it under limits: in qmsdoc.yaml)"
ROLES = "{% for _ in site.roles %}"
"""A loop over the 26 roles of the bundled qmsdoc.yaml."""


def edit(name: str, old: str, new: str) -> dict[str, str]:
    """The small project with `old` replaced by `new` in its source `name` (or in qmsdoc.yaml)."""
    text = CONFIG if name == "qmsdoc.yaml" else FILES[name]
    assert old in text, old
    return {**FILES, name: text.replace(old, new, 1)}


def body(text: str) -> dict[str, str]:
    """A project of the procedure alone, `text` appended to its body on line BODY."""
    return {"procedures/T.md": SOLO + text + "\n"}


def config(old: str, new: str) -> dict[str, str]:
    """qmsdoc.yaml alone, with `old` replaced by `new`."""
    assert old in CONFIG, old
    return {"qmsdoc.yaml": CONFIG.replace(old, new, 1)}


def rule_message(message: str) -> dict[str, str]:
    """The small project with a message on its first rule, on line 9 (written from column 14)."""
    return edit("rules/T.yaml", "    required: [note, staff.name, attached]\n",
                f"    required: [note, staff.name, attached]\n    message: {message}\n")


def address_space() -> int:
    """The address space the process holds now (VmSize), in bytes."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    line = next(line for line in status.splitlines() if line.startswith("VmSize:"))
    return int(line.split()[1]) * 1024


@contextmanager
def bounded() -> Iterator[None]:
    """MEMORY more address space than now; faulthandler ends the run if still busy after 4 × SECONDS."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = address_space() + MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    faulthandler.dump_traceback_later(4 * SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def refused(root: Path, tmp_path: Path) -> list[str]:
    """The problems `qmsdoc lint` prints (first lines), once lint and build have both refused the sources."""
    out = tmp_path / "out"
    with bounded():
        start = time.perf_counter()
        lint = CliRunner().invoke(main, ["lint", "--root", str(root)])
        build = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out), "--jobs", "1"])
        seconds = time.perf_counter() - start
    assert (lint.exit_code, build.exit_code) == (1, 1), lint.output + build.output
    assert lint.stderr == build.stderr and lint.stderr.endswith("problem(s) found.\n"), lint.output
    assert "Traceback" not in lint.output and "internal error" not in lint.output
    assert not out.exists()
    assert seconds < SECONDS
    return [line for line in lint.stderr.splitlines() if not line.startswith(" ") and "problem(s) found" not in line]


def problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return refused(make_project(tmp_path, files), tmp_path)


CASES = [
    # 1. the template language: no unbounded output, loops, numbers or work
    pytest.param(body("{{ 'a' * 10**10 }}"), [f"procedures/T.md:{BODY}:1: {TOO_LONG}"], id="text-repeat"),
    pytest.param(body("{{ [0] * 10**9 }}"), [f"procedures/T.md:{BODY}:1: {TOO_LONG}"], id="list-repeat"),
    pytest.param(body("{{ params.copy_days ** 99999999 }}"),
                 [f"procedures/T.md:{BODY}:1: template error: a number of more than 15 digits"], id="power"),
    pytest.param(body("{{ params.copy_days * 1000000 * 1000000 * 1000000 }}"),
                 [f"procedures/T.md:{BODY}:1: template error: a number of more than 15 digits"], id="product"),
    pytest.param(body(ROLES * 4 + "x" + "{% endfor %}" * 4), [f"procedures/T.md:{BODY}:1: {LOOPS}"],
                 id="nested-loops"),
    pytest.param(body(ROLES * 3 + "{% if params.copy_days == '" + "x" * 1000 + "' %}{% endif %}" + "{% endfor %}" * 3),
                 [f"procedures/T.md:{BODY}:1: {TOO_LONG}"], id="loop-work-without-output"),
    pytest.param(body("{{ '%0999999999d' % 1 }}"),
                 [f"procedures/T.md:{BODY}:1: template error: text cannot be formatted with %"], id="text-format"),
    pytest.param(body("{{ range(10**12) }}"),
                 [f"procedures/T.md:{BODY}:1: a call is not available in procedure bodies"], id="range"),
    pytest.param(body("见{{ '{:>2000000000}'.format(1) }}"),
                 [f"procedures/T.md:{BODY}:2: a call is not available in procedure bodies"], id="method-call"),
    pytest.param(body("{{ 9" + "9" * 5000 + " }}"),
                 [f"procedures/T.md:{BODY}:1: template syntax error: a number of more than 15 digits"],
                 id="literal-5000-digits"),
    pytest.param(body("{{ 1234567890123456 }}"),
                 [f"procedures/T.md:{BODY}:4: template: a number of more than 15 digits"], id="literal-16-digits"),
    pytest.param(body("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}"),
                 [f"procedures/T.md:{START}:1: template syntax error: nested too deeply"], id="deep-expression"),
    pytest.param(body("{% if 1 %}" * 100 + "x" + "{% endif %}" * 100),
                 [f"procedures/T.md:{START}:1: template syntax error: nested too deeply"], id="deep-statements"),
    pytest.param(body("{{ site.organisation.name.upper }}"),
                 [f"procedures/T.md:{BODY}:1: template error: only text and numbers can be printed, "
                  "not a builtin_function_or_method"], id="python-internals"),
    pytest.param(body("{{ params }}"), [f'procedures/T.md:{BODY}:4: "params" cannot be used whole'], id="bare-name"),
    pytest.param(body("{{ params.copy_days | center(10**9) }}"),
                 [f'procedures/T.md:{BODY}:23: unknown filter "center"'], id="unknown-filter"),
    pytest.param({**body("{{ params.rate_batch2 * 300 }}"),
                  **config("closures: []", "closures: []\nlimits: {template_output_chars: 400}")},
                 [f"procedures/T.md:{BODY}:1: the template prints, reads or builds more than 400 characters "
                  "(limit template_output_chars: 400; raise it under limits: in qmsdoc.yaml)"], id="lowered-limit"),
    # 2. no file access
    *(pytest.param(body(f"前言{tag}"), [f"procedures/T.md:{BODY}:3: {written} is not available in procedure bodies"],
                   id=written) for tag, written in (("{% include 'T.md' %}", "{% include %}"),
                                                    ("{% extends 'T.md' %}", "{% extends %}"),
                                                    ("{% import 'T.md' as m %}", "{% import %}"),
                                                    ("{% from 'T.md' import m %}", "{% from … import %}"))),
    pytest.param(edit("forms/F.yaml", "copies: 1\n", "copies: 1\ninstructions: 见{% include '../qmsdoc.yaml' %}\n"),
                 ["forms/F.yaml:10:16: {% include %} is not available in form instructions"],
                 id="include-in-instructions"),
    pytest.param(edit("forms/F.yaml", "copies: 1\n", "copies: 1\ninstructions: 在{{ }}天内\n"),
                 ["forms/F.yaml:10:15: template syntax error: Expected an expression, got 'end of print statement'"],
                 id="empty-expression-in-instructions"),
    # 3. numbers, dates and periods
    pytest.param(edit("procedures/T.md", "copy_days: 10", "copy_days: 1" + "0" * 5000),
                 ["procedures/T.md:17:14: params: copy_days: a number of 5001 digits (at most 15)"], id="param-digits"),
    pytest.param(edit("forms/F.yaml", "copies: 1", "copies: " + "9" * 5000),
                 ["forms/F.yaml:9:9: form: copies: a number of 5000 digits (at most 15)"], id="copies-digits"),
    pytest.param(edit("forms/F.yaml", "type: number, min: 0, max: 5}", "type: number, min: 0, max: 5." + "5" * 5000 + "}"),
                 ["forms/F.yaml:36:60: field: max: a number of 5001 digits (at most 15)"], id="decimal-digits"),
    pytest.param(edit("rules/T.yaml", "within: 3}", "within: " + "3" * 5000 + "}"),
                 ["rules/T.yaml:95:62: rule T-15: deadline: within: a number of 5000 digits (at most 15)"],
                 id="rule-digits"),
    pytest.param(edit("qmsdoc.yaml", "closures: []", "closures: []\nlimits: {source_bytes: " + "9" * 5000 + "}"),
                 ["qmsdoc.yaml:80:24: config: limits: source_bytes: a number of 5000 digits (at most 15)"],
                 id="limit-digits"),
    pytest.param(edit("procedures/T.md", "review_period: 24 months", "review_period: 9999 years"),
                 ['procedures/T.md:11:16: procedure: review_period: a period of 1 month to 100 years is expected, '
                  'got "9999 years"'], id="review-period"),
    pytest.param(edit("forms/F.yaml", "retention: 3 years", "retention: 0 months"),
                 ['forms/F.yaml:8:12: form: retention: a period of 1 month to 100 years is expected, got "0 months"'],
                 id="retention-period"),
    pytest.param(edit("procedures/T.md", "effective: 2025-04-01", "effective: 9999-12-31"),
                 ['procedures/T.md:10:12: procedure: effective: a date in the years 1900–2999 is expected, '
                  'got "9999-12-31"'], id="date-year-9999"),
    pytest.param(edit("qmsdoc.yaml", "closures: []", "closures: [{date: 0001-01-01}]"),
                 ['qmsdoc.yaml:79:19: closure: date: a date in the years 1900–2999 is expected, '
                  'got "0001-01-01"'], id="date-year-1"),
    # 4. rule messages
    *(pytest.param(rule_message(f'"{written}"'),
                   [f'rules/T.yaml:9:14: rule T-01: message placeholder "{written}" is not a plain name'], id=written)
      for written in ("{value:>2000000000}", "{value.__class__.__mro__}", "{value!r}", "{value[0]}", "{}")),
    pytest.param(rule_message('"{valu} 未填"'),
                 ['rules/T.yaml:9:14: rule T-01: message uses unknown placeholder "{valu}"'], id="unknown-placeholder"),
    # 5. code patterns: RE2 only, so matching is linear whatever the pattern
    pytest.param(edit("qmsdoc.yaml", "'^SJE/ZY/GK-[0-9]{2}$'", r"'^(?=SJE)SJE/ZY/GK-[0-9]{2}$'"),
                 ["qmsdoc.yaml:18:14: config: codes: procedure: not a regular expression RE2 accepts "
                  "(invalid perl operator: (?=)"], id="look-ahead"),
    pytest.param(edit("qmsdoc.yaml", "'^SJE/JL/GK-[0-9]{2}-[0-9]{2}$'", "'^(?:(?:[A-Z]{1000}){1000}){1000}$'"),
                 ["qmsdoc.yaml:19:9: config: codes: form: not a regular expression RE2 accepts "
                  "(invalid repetition size: {1000})"], id="huge-repeat"),
    pytest.param(edit("qmsdoc.yaml", "'^[A-Z]/[0-9]+$'", "'^(" + "|".join(f"{c}{c}" for c in "ABCDEFGHIJ" * 8) + ")$'"),
                 ["qmsdoc.yaml:15:12: config: revision_scheme: pattern: a pattern of 243 characters (at most 200)"],
                 id="long-pattern"),
    # 6. control characters, written or escaped, where they stand
    pytest.param(edit("procedures/T.md", "title: 测试制度", "title: 测试\x07制度"),
                 ["procedures/T.md:3:10: control character U+0007 in the text"], id="raw-control-in-title"),
    pytest.param(edit("procedures/T.md", "为了测试", "为了\x1b[31m测试\x85"),
                 ["procedures/T.md:27:3: control character U+001B in the text (and 1 more)"], id="raw-control-in-body"),
    pytest.param(edit("procedures/T.md", "为了测试", "为了\r测试"),
                 ["procedures/T.md:27:3: control character U+000D in the text"], id="lone-carriage-return"),
    pytest.param(edit("forms/F.yaml", "label: 编号", r'label: "编\x07号"'),
                 ["forms/F.yaml:17:34: control character U+0007 in the text"], id="escaped-control-in-label"),
    pytest.param(edit("forms/F.yaml", "description: 改版。", r'description: "改版\u0085。"'),
                 ["forms/F.yaml:13:63: control character U+0085 in the text"], id="escaped-c1-in-history"),
    pytest.param(edit("qmsdoc.yaml", "name: 示例机械制造有限公司", r'name: "示例\e机械"'),
                 ["qmsdoc.yaml:3:12: control character U+001B in the text"], id="escaped-control-in-config"),
    pytest.param(body(r"{{ '\x07' }}"),
                 [f"procedures/T.md:{BODY}:1: template error: control character U+0007 in the text"],
                 id="control-from-template"),
    # 8. the rest of the loader
    pytest.param(edit("forms/F.yaml", "max_rows: 5", "max_rows: 5\n        rows: 100000000"),
                 ["forms/F.yaml:54:15: rows must be between 1 and 200, got 100000000"], id="table-rows"),
    pytest.param(edit("forms/F.yaml", "max_rows: 5", "min_rows: -1"),
                 ["forms/F.yaml:53:19: min_rows must be between 0 and 200, got -1"], id="table-min-rows"),
    pytest.param(edit("forms/F.yaml", "copies: 1", "copies: 0"),
                 ["forms/F.yaml:9:9: copies must be between 1 and 100, got 0"], id="copies"),
    pytest.param(edit("qmsdoc.yaml", "size_pt: 12", "size_pt: 0"),
                 ["qmsdoc.yaml:12:63: config: fonts: body: size_pt: 0 pt is not within 5–72 pt"], id="font-size"),
    pytest.param(edit("qmsdoc.yaml", "top: 25", "top: 99999999"),
                 ["qmsdoc.yaml:10:21: config: paper: margins_mm: top: 99999999 mm is not within 0–80 mm"],
                 id="margin"),
    pytest.param(edit("procedures/T.md", "  copy_days: 10", "  deep: " + "[" * 150 + "]" * 150 + "\n  copy_days: 10"),
                 ["procedures/T.md:17:9: params: deep: expected a number or a quoted text",
                  "procedures/T.md:17:107: nested more than 100 levels deep"], id="deep-yaml"),
    pytest.param({**FILES, "forms/F.yaml": FORM.replace("title: 测试记录", "title: &t 测试记录").replace("title: 基本信息",
                                                                                                   "title: *t")},
                 ["forms/F.yaml:2:8: this anchored value is used again through an alias (*name)"], id="alias"),
]


@pytest.mark.parametrize("files,expected", CASES)
def test_a_hostile_source_is_a_lint_error_at_its_position(tmp_path: Path, files: dict[str, str],
                                                          expected: list[str]) -> None:
    assert problems(tmp_path, files) == expected


def test_aliases_never_expand_a_source(tmp_path: Path) -> None:
    laughs = "".join(f"  l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]\n" for k in range(1, 30))
    files = edit("procedures/T.md", "params:\n", "params:\n  l0: &l0 \"" + "哈" * 1000 + "\"\n" + laughs)
    found = problems(tmp_path, files)
    assert found[0] == "procedures/T.md:17:7: this anchored value is used again through an alias (*name)"
    assert len(found) == 30  # and each list is not a parameter


def test_a_catastrophic_code_pattern_is_matched_in_linear_time(tmp_path: Path) -> None:
    pattern = edit("qmsdoc.yaml", "'^SJE/ZY/GK-[0-9]{2}$'", r"'^SJE/ZY/GK-([0-9]|[0-9]*)*-?[0-9]$'")
    other = SOLO.replace("id: SJE/ZY/GK-90", "id: SJE/ZY/GK-" + "9" * 60 + "x")
    assert problems(tmp_path, {**pattern, "procedures/X.md": other}) == [
        f'procedures/X.md:2:5: procedure id "SJE/ZY/GK-{"9" * 60}x" does not follow the code scheme']


def test_a_fifo_a_device_and_a_folder_are_never_read(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    os.mkfifo(root / "procedures" / "X.md")
    (root / "forms" / "X.yaml").symlink_to("/dev/zero")
    (root / "forms" / "Y.yaml").mkdir()
    assert refused(root, tmp_path) == [
        "forms/X.yaml: not a regular file (a folder, FIFO, device or socket): not read",
        "forms/Y.yaml: not a regular file (a folder, FIFO, device or socket): not read",
        "procedures/X.md: not a regular file (a folder, FIFO, device or socket): not read"]


def test_a_source_over_its_size_is_refused_before_it_is_read(tmp_path: Path) -> None:
    files = {**edit("qmsdoc.yaml", "closures: []", "closures: []\nlimits: {source_bytes: 20000}"),
             "procedures/X.md": "<!-- " + "填充" * 20000 + " -->\n"}
    assert problems(tmp_path, files) == [
        "procedures/X.md: file of 120010 bytes (limit source_bytes: 20000; raise it under limits: in qmsdoc.yaml)"]


@pytest.mark.parametrize("text,expected", [
    ('{"x": ' + "[" * 100000 + "]" * 100000 + "}",
     "release record is not valid JSON: maximum recursion depth exceeded while decoding a JSON array from a unicode string"),
    ('{"x": 1' + "0" * 5000 + "}", "release record is not valid JSON: a number of 5001 digits (at most 15)"),
])
def test_a_damaged_release_record_is_an_error(tmp_path: Path, text: str, expected: str) -> None:
    root = make_project(tmp_path, FILES)
    folder = root / "releases" / "SJE-ZY-GK-90" / "A-0"
    folder.mkdir(parents=True)
    (folder / "release.json").write_text(text, encoding="utf-8")
    assert refused(root, tmp_path) == [f"releases/SJE-ZY-GK-90/A-0/release.json:1:1: {expected}"]


def test_plain_placeholders_loops_and_arithmetic_still_work(tmp_path: Path) -> None:
    files = {**rule_message('"{note} 未填（{value}）"'),
             "procedures/T.md": PROCEDURE + "{% for _ in site.roles if params.copy_days > 3 %}{% else %}无{% endfor %}"
                                            "{{ params.copy_days * 24 }}{{ params.cap_percent | cn }}{{ 2 ** 40 }}\n"}
    root = make_project(tmp_path, files)
    with bounded():
        result = CliRunner().invoke(main, ["lint", "--root", str(root)])
    assert result.exit_code == 0, result.output
