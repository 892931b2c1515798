"""`qmsdoc due`: the open items of the example records, soonest first, on the day asked."""

from __future__ import annotations

import json

from click.testing import CliRunner

from qmsdoc.cli import main

from conftest import REPO

EXAMPLES = str(REPO / "records" / "examples")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["due", "--root", str(REPO), EXAMPLES, "-j", "1", *args])
    return result.exit_code, result.stdout


def test_an_open_deadline_is_listed_with_its_due_date() -> None:
    code, out = run("--as-of", "2026-01-15")
    assert code == 0
    assert out.splitlines()[0] == "截至 2026-01-15 的未到期事项（1 项）"
    assert "2026-01-22  7  SJE/JL/GK-09-01 FK-2026-002  GK09-05 SJE/ZY/GK-09 A/0 第四条" in out


def test_within_keeps_what_falls_due_soon_and_json_says_so() -> None:
    code, out = run("--as-of", "2026-01-15", "--within", "3d", "--format", "json")
    assert code == 0 and json.loads(out) == {"as_of": "2026-01-15", "count": 0, "items": []}
    _, out = run("--as-of", "2026-01-15", "--within", "7d", "--format", "json")
    [item] = json.loads(out)["items"]
    assert (item["due"], item["days_left"], item["record"], item["rule"]) == ("2026-01-22", 7, "FK-2026-002", "GK09-05")


def test_once_the_last_day_has_passed_it_is_no_longer_open_but_overdue() -> None:
    _, out = run("--as-of", "2026-01-23", "--format", "json")
    assert json.loads(out)["items"] == []
    result = CliRunner().invoke(main, ["check", "--root", str(REPO), EXAMPLES, "--as-of", "2026-01-23",
                                       "--format", "json", "-j", "1", "--exit-zero"])
    late = [f for f in json.loads(result.stdout)["findings"]
            if f["rule"] == "GK09-05" and f["record"]["record_id"] == "FK-2026-002"]
    assert [f["outcome"] for f in late] == ["fail"] and "已超过" in late[0]["message"], late


def test_html_lists_the_items_in_a_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "due.html"
    code, _ = run("--as-of", "2026-01-15", "--format", "html", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert code == 0 and "<th>到期日</th>" in text and "<td>2026-01-22</td>" in text
