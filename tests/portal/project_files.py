"""A small document set with every standing: current, pending (draft, approved) and archived."""

from __future__ import annotations

SIGNED = """\
prepared: {name: 王伟, date: 2025-03-03}
reviewed: {name: 李娜, date: 2025-03-10}
approved: {name: 赵强, date: 2025-03-20}
"""


def procedure(pid: str, title: str, status: str, owner: str, forms: list[str], effective: str | None) -> str:
    signed = SIGNED if status in ("effective", "approved", "obsolete") else ""
    eff = f"effective: {effective}\n" if effective else ""
    return (
        f"---\nid: {pid}\ntitle: {title}\nrevision: A/0\nstatus: {status}\nowner: {owner}\n{signed}{eff}"
        "review_period: 24 months\nnumbering: {lists: [article]}\n"
        "history:\n  - {revision: A/0, date: 2025-04-01, by: 王伟, description: 首次发布。}\n"
        f"forms: [{', '.join(forms)}]\n---\n1. 第一条内容。\n"
    )


def form(fid: str, title: str, status: str, proc: str, effective: str | None) -> str:
    eff = f"effective: {effective}\n" if effective else ""
    return (
        f"id: {fid}\ntitle: {title}\nrevision: A/0\nstatus: {status}\n{eff}procedure: {proc}\n"
        "clause: 第一条\nretention: 3 years\ncopies: 1\n"
        "history:\n  - {revision: A/0, date: 2025-04-01, by: 王伟, description: 首次发布。}\n"
        "sections:\n  - title: 基本信息\n    fields:\n      - {id: customer, label: 顾客名称, type: text}\n"
    )


CURRENT_IDS = {"SJE/ZY/GK-90", "SJE/JL/GK-90-01", "SJE/JL/GK-93-01"}
PENDING_IDS = {"SJE/ZY/GK-92", "SJE/ZY/GK-93"}
ARCHIVED_IDS = {"SJE/ZY/GK-91", "SJE/JL/GK-90-02", "SJE/JL/GK-91-01"}

FILES = {
    # current procedure with one current and one obsolete form
    "procedures/GK-90.md": procedure("SJE/ZY/GK-90", "售后服务反馈管理制度", "effective", "顾客服务部",
                                     ["SJE/JL/GK-90-01", "SJE/JL/GK-90-02"], "2025-04-01"),
    "forms/GK-90-01.yaml": form("SJE/JL/GK-90-01", "外部质量信息反馈单", "effective", "SJE/ZY/GK-90", "2025-04-01"),
    "forms/GK-90-02.yaml": form("SJE/JL/GK-90-02", "旧版反馈调查表", "obsolete", "SJE/ZY/GK-90", "2024-01-01"),
    # an obsolete procedure and its form
    "procedures/GK-91.md": procedure("SJE/ZY/GK-91", "已作废的退货管理制度", "obsolete", "市场部",
                                     ["SJE/JL/GK-91-01"], "2025-04-01"),
    "forms/GK-91-01.yaml": form("SJE/JL/GK-91-01", "退货登记表", "obsolete", "SJE/ZY/GK-91", "2024-01-01"),
    # a draft, and an approved procedure not yet in force with a current form
    "procedures/GK-92.md": procedure("SJE/ZY/GK-92", "起草中的服务制度", "draft", "销售部", [], None),
    "procedures/GK-93.md": procedure("SJE/ZY/GK-93", "待生效的培训制度", "approved", "生产部",
                                     ["SJE/JL/GK-93-01"], "2030-01-01"),
    "forms/GK-93-01.yaml": form("SJE/JL/GK-93-01", "培训签到表", "effective", "SJE/ZY/GK-93", "2025-04-01"),
}
