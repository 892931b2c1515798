"""The whole story on the command line, on SQLite and PostgreSQL: records added, an audit run from a plan,
corrective actions taken through their states, corrected records added, the next audit finds what is
fixed no longer, and the reports and `qmsdoc due` show it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update

from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.portal.catalogue import build_catalogue, revisions
from qmsdoc.portal.pages import render_pages
from qmsdoc.store.dashboard import dashboard
from qmsdoc.store.db import open_store, resolve_url
from qmsdoc.store.schema import audit_findings, capas
from store.support import EXAMPLES, qmsdoc

from conftest import REPO

PLAN_TEXT = """\
number: SJE/JL/NS-2026-01
title: 2026 年第一次内部审核（顾客服务过程记录）
dates: {from: 2026-01-12, to: 2026-01-15}
team:
  leader: 王伟
  members: [李娜]
auditee:
  name: 顾客服务部、市场部、销售部、生产部
  representative: 周敏
scope:
  departments: [顾客服务部, 市场部, 销售部, 生产部]
  period: {from: 2025-04-01, to: 2025-12-31}
objectives:
  - 确认顾客服务过程的记录是否符合程序文件的要求
"""
"""The audit plan of the story (docs/audit-plan-format.md): the auditee's representative owns the actions."""
REWARDS = EXAMPLES / "csv" / "gk12-02_rewards.csv"


def plan(tmp_path: Path, number: int = 1) -> Path:
    path = tmp_path / f"plan{number}.yaml"
    if not path.exists():
        text = PLAN_TEXT.replace("NS-2026-01", f"NS-2026-{number:02d}").replace("第一次", "第二次" if number == 2 else "第一次")
        path.write_text(text, encoding="utf-8")
    return path


def corrected_reward(tmp_path: Path) -> Path:
    """JL-2025-006 as corrected: the second batch's reward rate 0.8 (GK12-03), the amounts with it."""
    lines = REWARDS.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if ",JL-2025-006," in line)
    fixed = row.replace(",2,2100000,1,21000,李强,营销一部,10500,林峰,技术部,10500,",
                        ",2,2100000,0.8,16800,李强,营销一部,8400,林峰,技术部,8400,")
    assert fixed != row
    path = tmp_path / "fix" / "jl-2025-006.csv"
    path.parent.mkdir()
    path.write_text(f"{lines[0]}\n{fixed}\n", encoding="utf-8")
    return path


def dashboard_pages(db: str, as_of: dt.date) -> dict[str, str]:
    """The portal's pages with the dashboard of the store, as `qmsdoc build` renders them (downloads aside)."""
    project = load_project(REPO)
    with open_store(resolve_url(db, REPO, None)).reading() as conn:
        board = dashboard(conn, project, as_of)
    catalogue = build_catalogue(project, {}, revisions(project, as_of))
    pages = render_pages(project, catalogue, load_labels(project.site.language), as_of, board)
    return {p.path: p.data.decode("utf-8") for p in pages if p.path.endswith(".html") and "/" not in p.path}


def finding_rows(db: str, number: str) -> list[dict[str, str]]:
    shown = qmsdoc("audit", "show", number, "--format", "json", db=db)
    assert shown.code == 0, shown
    return json.loads(shown.out)["findings"]


def test_audits_track_findings_and_corrective_actions_to_closure(db: str, tmp_path: Path) -> None:
    qmsdoc("records", "add", str(EXAMPLES), "--by", "王伟", db=db)
    first = qmsdoc("audit", "run", "--plan", str(plan(tmp_path)), "--by", "王伟", "--as-of", "2026-01-15",
                   "-o", str(tmp_path / "a1.html"), "-o", str(tmp_path / "a1.xlsx"), db=db)
    assert first.code == 0 and "audit SJE/JL/NS-2026-01 stored:" in first.out and " 0 still open" in first.out, first
    rows = finding_rows(db, "SJE/JL/NS-2026-01")
    reward = next(r for r in rows if r["rule"] == "GK12-03")
    assert reward["status"] == "new" and reward["record_no"] == "JL-2025-006" and reward["capa"], reward
    observations = [r for r in rows if r["severity"] == "observation"]
    assert observations and all(r["capa"] is None for r in observations)  # only major and minor ones open one
    assert all(r["capa"] for r in rows if r["severity"] in ("major", "minor"))
    capa = reward["capa"]
    listed = [json.loads(line) for line in qmsdoc("capa", "list", "--format", "jsonl", "--as-of", "2026-01-20",
                                                 db=db).out.splitlines()]
    mine = next(c for c in listed if f"CA-{c['id']}" == capa)
    assert (mine["status"], mine["owner"], mine["due"], mine["overdue"]) == ("open", "周敏", "2026-02-14", False)
    assert "纠正措施 " + capa + "：待处理；责任人：周敏；完成期限：2026-02-14" in (tmp_path / "a1.html").read_text(encoding="utf-8")
    sheet = "\n".join(str(c.value) for ws in load_workbook(tmp_path / "a1.xlsx") for r in ws.iter_rows() for c in r)
    assert f"纠正措施 {capa}：待处理" in sheet

    def change(*args: str) -> tuple[int, str]:
        result = qmsdoc("capa", "update", capa, *args, db=db)
        return result.code, result.out + result.err

    code, said = change("--by", "周敏", "--status", "closed")
    assert code == 1 and "cannot go to closed without being planned, implemented, verified first" in said
    code, said = change("--by", "周敏", "--status", "planned")
    assert code == 1 and "needs root cause, action" in said
    assert change("--by", "周敏", "--status", "planned", "--root-cause", "按旧标准计算奖励",
                  "--action", "按第二批比例 0.8 重新核算并更正记录")[0] == 0
    assert change("--by", "周敏", "--status", "implemented", "--evidence", "更正后的奖励申请表 JL-2025-006")[0] == 0
    code, said = change("--by", "周敏", "--status", "verified", "--verified-by", "周敏", "--verified-on", "2026-02-10",
                        "--effective", "yes")
    assert code == 1 and "verified by its owner 周敏; the verification must be made by someone else" in said
    code, said = change("--by", "王伟", "--status", "verified", "--verified-by", "王伟", "--verified-on", "2026-02-10",
                        "--effective", "no")
    assert code == 1 and "found the action effective" in said
    assert change("--by", "王伟", "--status", "verified", "--verified-by", "王伟", "--verified-on", "2026-02-10",
                  "--effective", "yes")[0] == 0
    assert change("--by", "王伟", "--status", "closed")[0] == 0
    code, said = change("--by", "王伟", "--owner", "李娜")
    assert code == 1 and "nothing follows closed" in said
    history = json.loads(qmsdoc("capa", "show", capa, db=db).out)["history"]
    assert [h["action"] for h in history] == ["capa.open"] + ["capa.update"] * 4
    assert history[-1]["changed"] == {"status": "closed"} and history[-1]["by"] == "王伟"

    added = qmsdoc("records", "add", str(corrected_reward(tmp_path)), "--replace", "--by", "周敏", db=db)
    assert added.code == 0 and "replaced by the corrected record" in added.out, added
    second = qmsdoc("audit", "run", "--plan", str(plan(tmp_path, 2)), "--by", "王伟", "--as-of", "2026-03-01",
                    "-o", str(tmp_path / "a2.docx"), db=db)
    assert second.code == 0, second
    rows2 = {r["key"]: r for r in finding_rows(db, "SJE/JL/NS-2026-02")}
    assert rows2[reward["key"]]["status"] == "no_longer_found"
    still = [r for r in rows2.values() if r["status"] == "still_open"]
    assert still and all(any(r["key"] == k["key"] for k in rows) for r in still)
    assert {r["capa"] for r in still} <= {r["capa"] for r in rows}  # the same corrective actions, not new ones
    listed = qmsdoc("audit", "list", db=db)
    assert "SJE/JL/NS-2026-01\t2026-01-15" in listed.out and "SJE/JL/NS-2026-02\t2026-03-01" in listed.out

    report = qmsdoc("audit", "report", "SJE/JL/NS-2026-01", "-o", str(tmp_path / "again.html"), db=db)
    assert report.code == 0 and f"纠正措施 {capa}：已关闭" in (tmp_path / "again.html").read_text(encoding="utf-8")

    overdue = qmsdoc("capa", "list", "--overdue", "--as-of", "2026-03-02", db=db)
    assert overdue.code == 0 and capa not in overdue.out.split() and "overdue on 2026-03-02" in overdue.out
    due = qmsdoc("due", str(EXAMPLES), "--as-of", "2026-03-02", "-j", "1", db=db)
    assert "超期未完成的纠正措施（" in due.out and "已超期 16 天" in due.out, due
    as_json = json.loads(qmsdoc("due", str(EXAMPLES), "--as-of", "2026-03-02", "--format", "json", "-j", "1",
                                db=db).out)
    assert as_json["overdue_corrective_actions"]
    assert not any(f"  {capa}  " in line for line in as_json["overdue_corrective_actions"])

    board = dashboard_pages(db, dt.date(2026, 3, 2))
    assert 'href="dashboard.html"' in board["index.html"]  # the portal's tabs link to it
    page = board["dashboard.html"]
    assert "SJE/JL/NS-2026-01" in page and "已超期 16 天" in page and page.count("<svg") >= 2
    first_rows = page[page.index("dash-actions"):].split("<tr")[2:4]
    assert all('class="late"' in row for row in first_rows)  # overdue first
    assert f">{capa}<" not in page  # closed: no longer listed
    assert not re.search(r'(src|href)="(https?:|//)', page)  # nothing from outside the site

    assert qmsdoc("verify", "--out", str(tmp_path / "no-output"), db=db).code == 0
    with open_store(resolve_url(db, REPO, None)).engine.begin() as conn:
        conn.execute(update(capas).where(capas.c.id == int(capa.removeprefix("CA-"))).values(status="open"))
    tampered = qmsdoc("verify", "--out", str(tmp_path / "no-output"), db=db)
    assert tampered.code == 1 and f"corrective action {capa}: the row differs from what its last event" in tampered.err
    with open_store(resolve_url(db, REPO, None)).engine.begin() as conn:
        conn.execute(update(audit_findings).where(audit_findings.c.key == reward["key"]).values(status="still_open"))
    rewritten = qmsdoc("verify", "--out", str(tmp_path / "no-output"), db=db)
    assert "audit SJE/JL/NS-2026-02: its plan, report, records or findings differ from what its event recorded" \
        in rewritten.err, rewritten


def test_an_audit_number_is_used_once_and_since_last_takes_the_new_records(db: str, tmp_path: Path) -> None:
    qmsdoc("records", "add", str(EXAMPLES / "json"), "--by", "王伟", db=db)
    assert qmsdoc("audit", "run", "--plan", str(plan(tmp_path)), "--by", "王伟", "--as-of", "2026-01-15", db=db).code == 0
    again = qmsdoc("audit", "run", "--plan", str(plan(tmp_path)), "--by", "王伟", "--as-of", "2026-01-15", db=db)
    assert again.code == 2 and "audit SJE/JL/NS-2026-01 is stored already" in again.err, again
    qmsdoc("records", "add", str(EXAMPLES / "yaml"), "--by", "王伟", db=db)
    new_only = qmsdoc("check", "--store", "--since-last", "--as-of", "2026-01-15", "--format", "json", "--exit-zero",
                      db=db)
    sources = {f["record"]["source"] for f in json.loads(new_only.out)["findings"] if f["record"]["source"] != "store"}
    assert sources and all(s.startswith("records/examples/yaml/") for s in sources), sources


def test_build_writes_the_dashboard_with_the_portal_and_links_stay_inside(tmp_path: Path) -> None:
    db = str(tmp_path / "store.sqlite")
    qmsdoc("records", "add", str(EXAMPLES / "json"), "--by", "王伟", db=db)
    qmsdoc("audit", "run", "--plan", str(plan(tmp_path)), "--by", "王伟", "--as-of", "2026-01-15", db=db)
    out = tmp_path / "output"
    built = qmsdoc("build", "--out", str(out), "--as-of", "2026-02-20", db=db)
    assert built.code == 0, built
    site = out / "site"
    page = (site / "dashboard.html").read_text(encoding="utf-8")
    assert "审核看板" in page and "<svg" in page
    for target in re.findall(r'(?:src|href)="([^"#]+)"', page):
        assert target.startswith("data:") or (site / target).resolve().is_file(), target
    again = qmsdoc("build", "--out", str(out), "--as-of", "2026-02-20", db=db)
    assert (site / "dashboard.html").read_text(encoding="utf-8") == page and "(0 files changed)" in again.out
