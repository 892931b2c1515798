"""Case definitions for records/examples/: every example record, what it is meant to show,
and the findings it is meant to produce.

`scripts/make-example-records` writes the records from these definitions and writes
tests/checker/examples_expected.json from the `expect` lists here, never from running the
checker. The audit date of the set is 2026-01-15: the year 2025 and its quarters, months and
weeks are judged.

The story: 示例机械制造有限公司 (SJE) builds transformers and switchgear (营销一部/二部,
顾客服务部), runs a ready-mixed concrete plant (GK-16) and a carton-packaging line (GK-15).
The procedures and forms (all A/0) came into force on 2025-04-01; records run from April 2025
to early January 2026. Chinese public holidays of 2025 matter: 劳动节 05-01…05-05,
清明 04-04…04-06, 端午 05-31…06-02, 国庆/中秋 10-01…10-08 (09-28 and 10-11 are working days), 元旦 2026-01-01…03.

A case is (form, format, file, field values, expected findings as (rule, outcome), intent).
`None` as a value means the entry was left blank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

AUDIT_DATE = "2026-01-15"
SCOPE = "records/examples"
"""How the checker names the checked folder (set-level findings use it as their source)."""


@dataclass
class Case:
    """One record: its form, the file it goes in, its values and the findings it should give."""

    form: str                      # short id, e.g. "GK-09-01"
    fmt: str                       # docx | json | jsonl | yaml | csv
    file: str                      # file name inside records/examples/<fmt>/
    fields: dict[str, Any]
    expect: list[tuple[str, str]]  # (rule code, outcome) findings expected for this record
    note: str                      # one line: intent (中文 / English)
    revision: str = "A/0"
    record_id: str | None = None   # the export's own id (JSON/JSONL/YAML/CSV)
    form_id: str | None = None     # full form id when it is not SJE/JL/<form> (unknown forms)


@dataclass
class Raw:
    """Something that is not a readable record: a broken line, row or file."""

    fmt: str
    file: str
    content: str | bytes           # the line/row text (jsonl, csv) or the whole file (docx, json)
    expect: list[tuple[str, str]]
    note: str


@dataclass
class SetExpect:
    """A finding of a rule over the whole set: source = the checked folder, location = the period
    (for coverage rules, the period and who is not covered)."""

    rule: str
    period: str
    outcome: str
    note: str


def S(name: str | None, date: str | None = None) -> dict[str, Any] | None:
    """A signature: name and date signed."""
    if name is None and date is None:
        return None
    return {"name": name, "date": date}


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def plus(day: str, n: int) -> str:
    return (D(day) + dt.timedelta(days=n)).isoformat()


def num(x: float) -> int | float:
    """A number as an export writes it: 12800, not 12800.0."""
    return int(x) if float(x).is_integer() else x


def over(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = dict(base)
    out.update(changes)
    return out


CASES: list[Case | Raw] = []
SET_EXPECT: list[SetExpect] = []
def add(*items: Case | Raw) -> None:
    CASES.extend(items)


# People ------------------------------------------------------------------------------------
GM, VP = "赵强", "李娜"                     # 总经理, 主管副总经理
MKT_HEAD, MKT_OFFICE = "刘洋", "何静"       # 营销一部部长 (主管部长), 营销部办公室
MKT2_HEAD, MKT2_CLERK = "马林", "罗佳"       # 营销二部
CS_HEAD = "周敏"                            # 顾客服务部
QM_HEAD, QM_CLERK = "黄丽", "何芳"          # 企管部门
TECH_HEAD, TECH_ENG = "马俊", "林峰"        # 技术部
FIN_CLERK, FIN_HEAD = "徐静", "高峰"        # 财务部
PROD_HEAD = "罗斌"                          # 生产部 / 生产管理部
HR = "宋佳"
INSP_HEAD, INSP_CLERK = "钱坤", "邱磊"      # 计检部
MAT_HEAD = "范伟"                           # 物资计划部
BRANCH_HEAD = "石磊"                        # 变压器分厂
SALES = ("张伟", "王磊", "李强", "陈静", "赵敏", "孙浩")

# =============================================================================================
# GK-09 售后服务问题反馈调查: 派出人员名单, 外部质量信息反馈单 (copy to 企管部门 within 10 days
# of the marketing leader's signature, rolled past holidays), 差旅报销单
# =============================================================================================


def feedback(no: str, customer: str, product: str, *, issued: str, departed: str, returned: str,
             handled: str, signed: str, copied: str, filed: str, nature: str = "quality",
             description: str = "", cause: str = "", handling: str = "", result: str = "resolved",
             staff: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "marketing_dept": "营销一部", "customer": customer,
        "site_address": changes.pop("site_address", None), "product": product,
        "contract_no": changes.pop("contract_no", None), "dispatch_list_no": changes.pop("dispatch_list_no", None),
        "issued_on": issued, "departed_on": departed, "arrived_on": departed, "returned_on": returned,
        "staff": staff or [{"name": "吴刚", "trade": "钳工", "speciality": "变压器"},
                           {"name": "郑凯", "trade": "电工", "speciality": "电气试验"}],
        "problem_description": description, "problem_nature": nature, "handled_on": handled,
        "problem_cause": cause, "handling": handling, "handling_result": result,
        "customer_opinion": "处理及时，问题已消除。", "customer_rep": None,
        "marketing_leader": S(MKT_HEAD, signed), "copy_to_qm_on": copied,
        "qm_receiver": S(QM_CLERK, copied), "qm_handling": None,
        "original_filed_on": filed, "original_filed_by": MKT_OFFICE,
    }
    return over(base, **changes)


add(
    Case("GK-09-01", "docx", "gk09-01_fk-2025-012.docx", feedback(
        "FK-2025-012", "华东电力设备公司", "S11-M-1000/10 油浸式变压器",
        site_address="南京市江宁区将军大道 99 号 110kV 将军变电站", contract_no="HT-2024-156",
        dispatch_list_no="PQ-2025-008", issued="2025-05-07", departed="2025-05-08", returned="2025-05-12",
        handled="2025-05-11", signed="2025-05-13", copied="2025-05-20", filed="2025-05-14",
        description="变压器高压侧套管法兰处渗油，油位计显示油位偏低。",
        cause="套管法兰密封垫老化开裂，属供方同批次密封垫质量问题。",
        handling="更换耐油丁腈密封垫，补注 25# 变压器油至标准油位，静置 24 小时复查无渗漏。",
        customer_rep=S("钱建国", "2025-05-11"), qm_handling="转技术部、质量部：对同批次密封垫进行追溯。"),
        [], "合规：变压器渗油，签字后 7 天报企管部门 / compliant, copy 7 days after signing"),
    Case("GK-09-01", "docx", "gk09-01_fk-2025-015.docx", feedback(
        "FK-2025-015", "江苏华能电力工程有限公司", "KYN28A-12 高压开关柜", contract_no="HT-2025-052",
        issued="2025-05-26", departed="2025-05-27", returned="2025-05-29", handled="2025-05-29",
        signed="2025-05-30", copied="2025-06-06", filed="2025-06-03", nature="install",
        staff=[{"name": "冯涛", "trade": "调试", "speciality": "高压开关"}],
        description="3 号柜断路器手车推进困难，联锁不到位。",
        cause="现场基础槽钢不平，柜体安装偏斜约 3 mm。",
        handling="重新调整柜体水平并紧固地脚螺栓，调整手车导轨，联锁试验 10 次均正常。"),
        [], "合规：开关柜安装调试问题 / compliant, installation problem"),
    Case("GK-09-01", "json", "gk09-01_fk-2025-019.json", feedback(
        "FK-2025-019", "山东鲁能电气成套有限公司", "GGD2 低压配电柜", issued="2025-06-03",
        departed="2025-06-04", returned="2025-06-09", handled="2025-06-07", signed="2025-06-10",
        copied="2025-06-20", filed="2025-06-11", nature="operation",
        description="用户反映进线框架断路器频繁脱扣。",
        cause="用户将长延时整定值误调至 0.4 In，负荷高峰时过载脱扣。",
        handling="按设计值重新整定为 0.9 In，对值班电工进行操作培训。"),
        [], "合规：恰好第 10 天上交复印件 / compliant, copy on exactly the 10th day"),
    Case("GK-09-01", "json", "gk09-01_fk-2025-023.json", feedback(
        "FK-2025-023", "浙江大唐电力安装公司", "YBM-12/0.4-630 箱式变电站", issued="2025-06-25",
        departed="2025-06-26", returned="2025-06-30", handled="2025-06-28", signed="2025-07-01",
        copied="2025-07-14", filed="2025-07-02", nature="transport",
        description="箱变低压室门体变形，无法正常关闭。",
        cause="运输途中捆扎不牢，门体受挤压变形。",
        handling="现场校正门体并更换门铰链，补喷防腐漆。"),
        [("GK09-05", "fail")], "逾期：期限 07-11 为工作日，07-14 才上交 / late, due 07-11 (a working day)"),
    Case("GK-09-01", "docx", "gk09-01_fk-2025-031.docx", feedback(
        "FK-2025-031", "安徽中电建设集团有限公司", "SCB11-800/10 干式变压器", dispatch_list_no="PQ-2025-011",
        issued="2025-09-15", departed="2025-09-16", returned="2025-09-19", handled="2025-09-18",
        signed="2025-09-22", copied="2025-10-09", filed="2025-09-23",
        description="干式变压器运行中 B 相温度偏高，温控器报警。",
        cause="B 相风机接线端子松动，风机未启动。",
        handling="紧固风机接线并更换损坏的端子排，带负荷运行 8 小时温度正常。"),
        [], "国庆顺延后合规：期限 10-02 落在假期，顺延至 10-09 / passes: due 10-02 is in the "
            "National Day holiday, rolled to 10-09"),
    Case("GK-09-01", "docx", "gk09-01_fk-2025-033.docx", feedback(
        "FK-2025-033", "河南平高电气检修公司", "KYN28A-12 高压开关柜", issued="2025-09-22",
        departed="2025-09-23", returned="2025-09-25", handled="2025-09-24", signed="2025-09-26",
        copied="2025-10-10", filed="2025-09-28", nature="quality",
        staff=[{"name": "冯涛", "trade": "调试", "speciality": "高压开关"}],
        description="断路器合闸线圈烧毁，无法电动合闸。",
        cause="合闸回路辅助开关切换不到位，线圈长时间带电。",
        handling="更换合闸线圈及辅助开关，调整辅助开关行程。"),
        [("GK09-05", "fail")], "顺延后仍逾期：期限 10-06 顺延至 10-09，10-10 才上交 / late even after the "
                               "holiday roll (due 10-09, copied 10-10)"),
    Case("GK-09-01", "json", "gk09-01_fk-2025-040.json", feedback(
        "FK-2025-040", "山东鲁能电气成套有限公司", "KYN28A-12 高压开关柜", issued="2025-07-07",
        departed="2025-07-08", returned="2025-07-10", handled="2025-07-09", signed="2025-07-11",
        copied="2025-07-18", filed="2025-07-14",
        description="柜内带电显示器指示异常。", cause=None,
        handling="更换带电显示器传感器。"),
        [("GK09-03", "missing")], "未填问题原因 / problem cause left blank"),
    Case("GK-09-01", "docx", "gk09-01_fk-2025-044.docx", feedback(
        "FK-2025-044", "浙江大唐电力安装公司", "S11-M-630/10 油浸式变压器", issued="2025-10-20",
        departed="下周一", returned="2025-10-29", handled="2025-10-28", signed="2025-10-30",
        copied="2025-11-05", filed="2025-10-31", arrived_on="2025-10-27",
        description="变压器有载分接开关挡位指示与实际不符。",
        cause="分接开关位置指示器传动销脱落。", handling="重新安装传动销并校对挡位。"),
        [("QMS-VALUE", "unreadable")], "出发日期写成“下周一” / departure date written as 下周一"),
    Case("GK-09-01", "json", "gk09-01_fk-2025-046.json", feedback(
        "FK-2025-046", "安徽中电建设集团有限公司", "GGD2 低压配电柜", issued="2025-09-24",
        departed="2025-09-25", returned="2025-09-31", handled="2025-09-29", signed="2025-10-09",
        copied="2025-10-15", filed="2025-10-10", nature="install",
        description="电容补偿柜投切时接触器异响。", cause="接触器安装螺栓松动。",
        handling="紧固并更换一只损坏的接触器。"),
        [("QMS-VALUE", "impossible")], "返回日期 2025-09-31 不存在 / impossible return date 2025-09-31"),
    Case("GK-09-01", "json", "gk09-01_fk-2025-048.json", feedback(
        "FK-2025-048", "河南平高电气检修公司", "XL-21 动力配电箱", issued="2025-11-04",
        departed="2025-11-03", returned="2025-11-07", handled="2025-11-06", signed="2025-11-10",
        copied="2025-11-14", filed="2025-11-11", nature="quality",
        description="配电箱门锁损坏。", cause="门锁来料质量问题。", handling="更换门锁。"),
        [("GK09-02", "fail")], "出发后才补领反馈单 / feedback sheet collected after departure"),
    Case("GK-09-01", "json", "gk09-01_fk-2025-027.json", feedback(
        "FK-2025-027", "湖北宏源电力工程公司", "SCB11-1000/10 干式变压器", issued="2025-08-11",
        departed="2025-08-12", returned="2025-08-15", handled="2025-08-14", signed="1925-08-18",
        copied="2025-08-25", filed="2025-08-19",
        description="干式变压器噪声偏大。", cause="铁心夹件螺栓松动。", handling="重新紧固夹件并加装减振垫。"),
        [("GK09-04b", "fail"), ("GK09-05", "cannot_evaluate")],
        "签字年份误写 1925：早于返回日期；节假日日历不覆盖 1925 年，期限无法判定 / signature year typed "
        "1925: before the return date, and the holiday calendar cannot judge the deadline"),
    Case("GK-09-01", "json", "gk09-01_fk-2026-002.json", feedback(
        "FK-2026-002", "山东鲁能电力工程公司", "SCB11-630/10 干式变压器", issued="2026-01-05",
        departed="2026-01-06", returned="2026-01-09", handled="2026-01-08", signed="2026-01-12",
        copied=None, filed="2026-01-13", qm_receiver=None,
        description="温控器显示温度跳变。", cause="温度传感器插头松动。", handling="重新插紧并固定传感器插头。"),
        [("GK09-05", "open"), ("QMS-REQUIRED", "missing")],
        "签字后 10 天的期限（01-22）在审核日尚未届满，复印件未交：未到期事项，不是不符合（企管部门接收人必填，未签） / "
        "the 10-day copy deadline (01-22) is still running on the audit date: an open item (the receiver, required, "
        "has not signed)"),
    Case("GK-09-01", "json", "gk09-01_fk-2025-054.json", feedback(
        "FK-2025-054", "上海申能电力配套公司", "KYN28A-12 高压开关柜", issued="2025-11-21",
        departed="2025-11-24", returned="2025-11-27", handled="2025-11-26", signed="2025-11-28",
        copied="2025-12-05", filed="2025-12-01", result="partial",
        staff=[{"name": "冯涛", "trade": "调试", "speciality": "高压开关"},
               {"name": "杨帆", "trade": "试验", "speciality": "继电保护"}],
        description="综保装置偶发通讯中断。", cause="通讯规约版本与后台不一致。",
        handling="升级 2 台综保装置程序，其余待厂家提供新版本后处理。",
        qm_handling="督促技术部 12 月底前提供统一版本。", customer_rep=S("沈立", "2025-11-26")),
        [], "合规：部分解决，有顾客代表签字 / compliant, partly resolved"),
    Case("GK-09-01", "docx", "gk09-01_fk-2025-058.docx", feedback(
        "FK-2025-058", "江苏华能电力工程有限公司", None, issued="2025-12-08", departed="2025-12-09",
        returned="2025-12-11", handled="2025-12-10", signed="2025-12-12", copied="2025-12-19", filed="2025-12-15",
        nature="operation", staff=[{"name": "杨帆", "trade": "试验", "speciality": "继电保护"}],
        description="用户反映后台遥信频繁变位。", cause="用户自行更改了遥信防抖时间。", handling="恢复防抖时间设定为 20 ms。"),
        [("QMS-REQUIRED", "missing")], "未填产品名称及型号（表单必填项）/ product left blank (a required entry)"),
    Raw("docx", "gk09-01_fk-2025-057_scan.docx",
        b"%PDF-1.4\n% scanned copy of FK-2025-057 saved with the wrong extension\n1 0 obj\n<< /Type /Catalog >>\n"
        b"endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        [("QMS-RECORD", "unreadable_record")], "扫描件 PDF 被存成 .docx / a scanned PDF saved as .docx"),
)

_FB_YAML = "gk09-01_feedback-sheets.yaml"
add(
    Case("GK-09-01", "yaml", _FB_YAML, feedback(
        "FK-2025-036", "湖北宏源电力工程公司", "XL-21 动力配电箱", issued="2025-07-21", departed="2025-07-22",
        returned="2025-07-24", handled="2025-07-23", signed=None, copied="2025-07-31", filed="2025-07-28",
        marketing_leader=None, description="配电箱内母排搭接处发热变色。",
        cause="母排搭接面未搪锡，接触电阻偏大。", handling="母排搭接面处理后搪锡并重新紧固。"),
        [("GK09-04a", "missing"), ("GK09-05", "missing")],
        "营销部门领导未签字：期限也无起算日 / no marketing-leader signature, so the 10 days have no start"),
    Case("GK-09-01", "yaml", _FB_YAML, feedback(
        "FK-2025-038", "上海申能电力配套公司", "GGD2 低压配电柜", issued="2025-08-04", departed="2025-08-05",
        returned="2025-08-08", handled="2025-08-07", signed=None, copied="2025-08-15", filed="2025-08-11",
        marketing_leader=S(MKT_HEAD, None), description="抽屉单元推拉卡滞。",
        cause="抽屉导轨变形。", handling="更换导轨。"),
        [("GK09-04a", "missing"), ("GK09-05", "missing")],
        "领导签了名没写日期 / leader signed without a date"),
    Case("GK-09-01", "yaml", _FB_YAML, feedback(
        "FK-2025-041", "华东电力设备公司", "S11-M-1250/10 油浸式变压器", issued="2025-08-08",
        departed="2025-08-11", returned="2025-08-14", handled="2025-08-13", signed="2025-08-15",
        copied="2025-08-22", filed="2025-08-18",
        description="压力释放阀动作后未复位。", cause="压力释放阀弹簧疲劳。", handling="更换压力释放阀。"),
        [], "合规（编号 FK-2025-041 第一次使用）/ compliant, first use of number FK-2025-041"),
    Case("GK-09-01", "yaml", _FB_YAML, feedback(
        "FK-2025-041", "江苏华能电力工程有限公司", "KYN28A-12 高压开关柜", issued="2025-08-15",
        departed="2025-08-18", returned="2025-08-21", handled="2025-08-20", signed="2025-08-22",
        copied="2025-08-29", filed="2025-08-25", nature="install",
        staff=[{"name": "冯涛", "trade": "调试", "speciality": "高压开关"}],
        description="接地开关操作力过大。", cause="操作机构润滑不足。", handling="清洁并润滑操作机构。"),
        [("GK09-08c", "fail")], "编号重复：FK-2025-041 又用了一次 / duplicate number FK-2025-041"),
    Case("GK-09-01", "yaml", _FB_YAML, feedback(
        "FK-2025-052", "华东电力设备公司", "SCB11-800/10 干式变压器", issued="2025-12-12",
        departed="2025-12-15", returned="2025-12-18", handled="2025-12-17", signed="2026-12-19",
        copied="2025-12-26", filed="2025-12-22",
        description="温控器显示值跳变。", cause="温控器 PT100 引线屏蔽层未接地。", handling="屏蔽层可靠接地。"),
        [("GK09-04a", "future")], "签字年份误写为 2026-12-19（晚于审核日）/ signature dated 2026-12-19, "
                                  "after the audit date"),
)


def dispatch(no: str, customer: str, product: str, *, prepared: str, approved: str, departed: str,
             staff: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "marketing_dept": "营销一部", "prepared_on": prepared, "customer": customer,
        "site_address": None, "product": product, "contract_no": None,
        "service_task": "现场处理产品质量问题并填写外部质量信息反馈单。",
        "planned_departure_on": departed, "planned_days": 5,
        "staff": staff or [{"name": "吴刚", "unit": "顾客服务部", "trade": "钳工", "speciality": "变压器",
                            "phone": "139 1234 5601"},
                           {"name": "郑凯", "unit": "顾客服务部", "trade": "电工", "speciality": "电气试验",
                            "phone": "139 1234 5602"}],
        "marketing_leader": S(MKT_HEAD, prepared), "approving_units": "顾客服务部",
        "hr_approval": S(HR, approved), "hr_approved_on": approved, "departed_on": departed,
    }
    return over(base, **changes)


add(
    Case("GK-09-02", "docx", "gk09-02_pq-2025-008.docx", dispatch(
        "PQ-2025-008", "华东电力设备公司", "S11-M-1000/10 油浸式变压器", prepared="2025-05-06",
        approved="2025-05-07", departed="2025-05-08", contract_no="HT-2024-156",
        service_task="将军变电站 1# 主变渗油，现场处理并查明原因。"),
        [], "合规：人力资源部批准后派出 / compliant, sent after HR approval"),
    Case("GK-09-02", "json", "gk09-02_pq-2025-011.json", dispatch(
        "PQ-2025-011", "安徽中电建设集团有限公司", "SCB11-800/10 干式变压器", prepared="2025-09-12",
        approved="2025-09-15", departed="2025-09-16", service_task="干变温度报警，现场检查风机及温控系统。"),
        [], "合规 / compliant"),
    Case("GK-09-02", "json", "gk09-02_pq-2025-014.json", dispatch(
        "PQ-2025-014", "浙江大唐电力安装公司", "YBM-12/0.4-630 箱式变电站", prepared="2025-06-23",
        approved="2025-06-24", departed="2025-06-26",
        staff=[{"name": "吴刚", "unit": "顾客服务部", "trade": "钳工", "speciality": "变压器", "phone": "139 1234 5601"},
               {"name": "陶然", "unit": "变压器分厂", "trade": None, "speciality": None, "phone": "139 1234 5633"}]),
        [("GK09-01a", "missing"), ("GK09-01a", "missing")], "第二名人员未注明工种、专业 / second person has no "
                                                            "trade and speciality"),
    Case("GK-09-02", "json", "gk09-02_pq-2025-016.json", dispatch(
        "PQ-2025-016", "河南平高电气检修公司", "XL-21 动力配电箱", prepared="2025-10-24",
        approved="2025-10-28", departed="2025-10-27"),
        [("GK09-01c", "fail")], "人力资源部批准前已派出 / sent before HR approval"),
)


def claim(no: str, claimant: str, customer: str, purpose: str, *, departed: str, returned: str,
          feedback_no: str, claimed: str, qm: str | None, paid: str, amounts: tuple[int, int, int],
          **changes: Any) -> dict[str, Any]:
    fare, hotel, allowance = amounts
    base = {
        "record_no": no, "claimed_on": claimed, "claimant": claimant, "department": "顾客服务部",
        "customer": customer, "trip_purpose": purpose, "departed_on": departed, "returned_on": returned,
        "feedback_form_no": feedback_no, "feedback_form_attached": True,
        "expenses": [{"item": "往返车票", "spent_on": departed, "receipts": 2, "amount": fare},
                     {"item": "住宿费", "spent_on": returned, "receipts": 1, "amount": hotel},
                     {"item": "出差补助", "spent_on": None, "receipts": None, "amount": allowance}],
        "total_amount": fare + hotel + allowance,
        "claimant_signature": S(claimant, claimed), "marketing_leader": S(MKT_HEAD, claimed),
        "qm_leader": S(QM_HEAD, qm) if qm else None, "finance_handler": S(FIN_CLERK, paid), "paid_on": paid,
    }
    return over(base, **changes)


add(
    Case("GK-09-03", "docx", "gk09-03_bx-2025-031.docx", claim(
        "BX-2025-031", "吴刚", "华东电力设备公司", "将军变电站主变渗油处理", departed="2025-05-08",
        returned="2025-05-12", feedback_no="FK-2025-012", claimed="2025-05-21", qm="2025-05-22",
        paid="2025-05-26", amounts=(356, 1080, 400)),
        [], "合规：附已签字反馈单，企管部门签字后报销 / compliant"),
    Case("GK-09-03", "json", "gk09-03_bx-2025-058.json", claim(
        "BX-2025-058", "吴刚", "安徽中电建设集团有限公司", "干变温度报警处理", departed="2025-09-16",
        returned="2025-09-19", feedback_no="FK-2025-031", claimed="2025-10-10", qm="2025-10-11",
        paid="2025-10-14", amounts=(412, 810, 320)),
        [], "合规（10-11 为调休工作日）/ compliant (10-11 is an adjusted working Saturday)"),
    Case("GK-09-03", "json", "gk09-03_bx-2025-062.json", claim(
        "BX-2025-062", "冯涛", "江苏华能电力工程有限公司", "开关柜安装调试", departed="2025-05-27",
        returned="2025-05-29", feedback_no="FK-2025-015", claimed="2025-06-09", qm=None,
        paid="2025-06-12", amounts=(198, 540, 240)),
        [("GK09-06a", "missing")], "企管部门领导未签字即付款 / paid without the 企管部门 head's signature"),
    Case("GK-09-03", "json", "gk09-03_bx-2025-066.json", claim(
        "BX-2025-066", "郑凯", "浙江大唐电力安装公司", "箱变门体校正", departed="2025-06-26",
        returned="2025-06-30", feedback_no="FK-2025-099", claimed="2025-07-03", qm="2025-07-04",
        paid="2025-07-08", amounts=(286, 1080, 400)),
        [("GK09-08b", "missing")], "所附反馈单编号 FK-2025-099 查无此单 / the feedback sheet it cites does not exist"),
    Case("GK-09-03", "json", "gk09-03_bx-2025-070.json", claim(
        "BX-2025-070", "郑凯", "山东鲁能电气成套有限公司", "带电显示器更换", departed="2025-07-08",
        returned="2025-07-10", feedback_no="FK-2025-040", claimed="2025-07-21", qm="2025-07-22",
        paid="2025-07-24", amounts=(520, 540, 240)),
        [("GK09-08b", "missing")], "对应反馈单未填问题原因 / the matched feedback sheet has no problem cause"),
)

# =============================================================================================
# GK-10 / GK-11 营销工作: trip plans (GK-11-01), trip reports (GK-10-05, due 3 days after return),
# trip logs (GK-10-06, matched to their trip report), annual reports (GK-10-04, before 15 Dec,
# one from every salesperson who travelled in 2025), marketing plans (GK-10-01), monthly plans
# and meetings (GK-10-02), weekly plans (GK-10-03)
# =============================================================================================

CUSTOMER_CITY = {
    "华东电力设备公司": "南京", "江苏华能电力工程有限公司": "南京", "山东鲁能电气成套有限公司": "济南",
    "安徽中电建设集团有限公司": "合肥", "浙江大唐电力安装公司": "杭州", "湖北宏源电力工程公司": "武汉",
    "河南平高电气检修公司": "郑州", "上海申能电力配套公司": "上海",
}


def trip_report(no: str, salesperson: str, destination: str, purpose: str, *, filled: str, approved: str,
                departed: str, returned: str, submitted: str, log_no: str | None, plan_no: str | None = None,
                lodging: str = "", reports: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "filled_on": filled, "salesperson": salesperson, "marketing_dept": "营销一部",
        "destination": destination, "purpose": purpose, "planned_departure_on": departed,
        "planned_return_on": returned, "trip_plan_no": plan_no, "dept_head_approval": S(MKT_HEAD, approved),
        "departed_on": departed, "lodging_phone": lodging, "lodging_reported_on": departed,
        "progress_reports": reports, "relocations": None, "returned_on": returned,
        "results": "完成预定拜访任务，详见出差写实记录。", "log_attached": True, "log_no": log_no,
        "submitted_on": submitted, "office_receiver": S(MKT_OFFICE, submitted),
    }
    return over(base, **changes)


def report_row(at: str, channel: str, content: str, to: str = MKT_HEAD) -> dict[str, Any]:
    return {"reported_at": at, "channel": channel, "reported_to": to, "content": content}


def trip_log(no: str, report_no: str, salesperson: str, destination: str, *, departed: str, returned: str,
             submitted: str, days: list[tuple[str, str, str]], **changes: Any) -> dict[str, Any]:
    """days: (activities, contacts, results) per day from the departure day on."""
    rows = []
    for i, (activities, contacts, results) in enumerate(days):
        rows.append({"log_date": plus(departed, i), "activities": activities, "contacts": contacts,
                     "results": results, "next_steps": "按计划跟进", "tomorrow": "见次日安排"
                     if i + 1 < len(days) else "返回公司"})
    base = {
        "record_no": no, "trip_report_no": report_no, "salesperson": salesperson, "marketing_dept": "营销一部",
        "destination": destination, "departed_on": departed, "returned_on": returned, "daily_log": rows,
        "salesperson_signature": S(salesperson, submitted), "submitted_on": submitted,
        "office_receiver": S(MKT_OFFICE, submitted),
    }
    return over(base, **changes)


def trip_plan(no: str, salesperson: str, destination: str, *, prepared: str, approved: str, departs: str,
              returns: str, units: str, budget: int, target: int, head: str = MKT_HEAD,
              **changes: Any) -> dict[str, Any]:
    schedule = [{"work_date": plus(departs, i), "place": destination, "work": w}
                for i, w in enumerate(("拜访用户设备部、物资部", "技术交流及现场踏勘", "商务洽谈", "回访老用户"))
                if plus(departs, i) <= returns]
    base = {
        "record_no": no, "prepared_on": prepared, "salesperson": salesperson, "marketing_dept": "营销一部",
        "planned_departure_on": departs, "planned_return_on": returns, "destination": destination,
        "route_map": f"公司—{destination}（高铁）—用户现场—公司", "schedule": schedule, "travel_budget": budget,
        "projects": "配网改造及新建变电站项目", "contact_units": units,
        "contacts": [{"name": "设备部主任", "unit": units, "position": "主任", "contact_method": "办公电话"}],
        "estimated_order_value": target, "info_goals": "了解明年招标计划及技术规范书要求",
        "difficulties": "竞争对手报价偏低", "help_needed": "技术部配合提供节能型产品技术资料",
        "salesperson_signature": S(salesperson, prepared), "dept_head": S(head, approved),
        "copy_dept_head_kept": True, "copy_self_kept": True,
    }
    return over(base, **changes)


add(
    Case("GK-11-01", "docx", "gk11-01_jh-2025-009.docx", trip_plan(
        "JH-2025-009", "张伟", "济南", prepared="2025-05-06", approved="2025-05-07", departs="2025-05-12",
        returns="2025-05-16", units="山东鲁能电气成套有限公司", budget=3200, target=180),
        [], "合规：出差计划十一项齐全，主管部长审批 / compliant trip plan"),
)
_PLANS = "gk11-01_trip-plans.yaml"
add(
    Case("GK-11-01", "yaml", _PLANS, trip_plan(
        "JH-2025-015", "王磊", "合肥", prepared="2025-06-10", approved="2025-06-11", departs="2025-06-16",
        returns="2025-06-19", units="安徽中电建设集团有限公司", budget=2600, target=120),
        [], "合规 / compliant"),
    Case("GK-11-01", "yaml", _PLANS, trip_plan(
        "JH-2025-024", "李强", "杭州", prepared="2025-09-18", approved="2025-09-18", departs="2025-09-24",
        returns="2025-09-30", units="浙江大唐电力安装公司", budget=4500, target=250, copy_self_kept=False),
        [("GK11-03", "missing")], "一式两份未注明经销人员自留一份 / the salesperson's copy is not ticked"),
    Case("GK-11-01", "yaml", _PLANS, trip_plan(
        "JH-2025-027", MKT_HEAD, "北京", prepared="2025-10-14", approved="2025-10-14", departs="2025-10-20",
        returns="2025-10-23", units="国网物资有限公司", budget=5200, target=600, head=MKT_HEAD),
        [("GK11-02a", "fail")], "部长本人出差，自己签字审批 / the department head approved his own trip plan"),
    Case("GK-11-01", "yaml", _PLANS, trip_plan(
        "JH-2025-031", "王磊", "南京", prepared="2025-12-09", approved="2025-12-09", departs="2025-12-08",
        returns="2025-12-12", units="华东电力设备公司", budget=1800, target=90),
        [("GK11-02b", "fail")], "出发后才补填出差计划 / plan written after the planned departure"),
)

_TRIPS = "gk10_trips.jsonl"
add(
    Case("GK-10-05", "docx", "gk10-05_cc-2025-021.docx", trip_report(
        "CC-2025-021", "张伟", "济南", "拜访山东鲁能电气成套有限公司，洽谈 KYN28A-12 开关柜技术协议。",
        filled="2025-05-07", approved="2025-05-07", departed="2025-05-12", returned="2025-05-16",
        submitted="2025-05-19", log_no="XS-2025-021", plan_no="JH-2025-009",
        lodging="0531-8296 5518（济南银座佳驿酒店）",
        reports=[report_row("2025-05-14 20:30", "phone", "已与用户技术部完成技术协议初稿讨论。")]),
        [], "合规：第 3 天（周一）上交 / compliant, handed in on the 3rd day"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-034", "王磊", "合肥", "安徽中电配网改造项目技术交流。", filled="2025-06-11",
        approved="2025-06-12", departed="2025-06-16", returned="2025-06-19", submitted="2025-06-20",
        log_no="XS-2025-034", plan_no="JH-2025-015", lodging="0551-6515 8800（合肥如家酒店）",
        reports=[report_row("2025-06-17 21:00", "sms", "已拜访物资部，下周发标。")],
        relocations=[{"from_place": "合肥", "to_place": "芜湖", "approved_by": MKT_HEAD, "approved_on": None,
                      "moved_on": "2025-06-18", "address_phone": "芜湖 0553-388 6600"}]),
        [("GK10-13", "missing")], "异地转移未注明批准日期 / relocation without its approval date"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-047", "李强", "杭州", "浙江大唐年度框架协议商务谈判。", filled="2025-09-19",
        approved="2025-09-19", departed="2025-09-24", returned="2025-09-30", submitted="2025-10-09",
        log_no="XS-2025-047", plan_no="JH-2025-024", lodging="0571-8706 1234（杭州汉庭酒店）",
        reports=[report_row("2025-09-26 19:45", "sms", "商务条款基本谈妥。"),
                 report_row("2025-09-28 20:10", "phone", "技术附件待用户确认。")]),
        [], "国庆顺延后合规：期限 10-03 顺延至 10-09 / passes after the holiday roll (due 10-03 → 10-09)"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-052", "陈静", "武汉", "湖北宏源 110kV 变电站项目投标前拜访。", filled="2025-09-17",
        approved="2025-09-18", departed="2025-09-22", returned="2025-09-26", submitted="2025-09-29",
        log_no="XS-2025-052", lodging="027-8555 0101（武汉锦江之星）",
        reports=[{"reported_at": "2025-09-24 20:00", "channel": None, "reported_to": MKT_HEAD,
                  "content": "已递交资格预审资料。"}]),
        [("QMS-REQUIRED", "missing")], "汇报记录漏填方式（表格必填列）/ a progress report without its channel "
                                       "(a required column)"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-060", "赵敏", "郑州", "河南平高检修公司开关柜备件需求调研。", filled="2025-10-29",
        approved="2025-10-30", departed="2025-11-03", returned="2025-11-06", submitted="2025-11-07",
        log_no="XS-2025-060", lodging="0371-6555 2200（郑州维也纳酒店）", reports=None),
        [("GK10-12", "fail")], "出差 3 天未按每两天汇报一次 / away 3 days with no progress report"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-071", "张伟", "上海", "上海申能开关柜订货会。", filled="2025-11-13", approved="2025-11-14",
        departed="2025-11-17", returned="2025-11-21", submitted="2025-11-27", log_no="XS-2025-071",
        lodging="021-6485 3300（上海全季酒店）",
        reports=[report_row("2025-11-19 20:30", "phone", "订货会已签意向 2 份。")]),
        [("GK10-14a", "fail")], "返回后第 6 天才交出差报告（期限 11-24）/ trip report 6 days after return"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-075", "王磊", "南京", "华东电力设备公司年度回访。", filled="2025-12-03", approved="2025-12-04",
        departed="2025-12-08", returned="2025-12-12", submitted="2025-12-15", log_no="XS-2025-075",
        plan_no="JH-2025-031", lodging="025-8470 6600（南京汉庭酒店）",
        reports=[report_row("2025-12-10 19:30", "sms", "回访完成，用户提出明年扩容需求。")]),
        [("GK11-02c", "fail")], "出差计划在出发后才提出 / the trip plan it cites was made after departure"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-080", "陈静", "苏州", "苏州工业园区用户回访。", filled="2025-11-26", approved="2025-11-27",
        departed="2025-12-01", returned="2025-12-03", submitted="2025-12-04", log_no="XS-2025-080",
        lodging="0512-6258 1100（苏州锦江之星）", reports=None),
        [], "合规：出差 2 天，无需中途汇报 / compliant, 2 days away needs no progress report"),
    Case("GK-10-05", "jsonl", _TRIPS, trip_report(
        "CC-2025-080", "李强", "无锡", "无锡供电公司配网物资需求调研。", filled="2025-12-05", approved="2025-12-05",
        departed="2025-12-10", returned="2025-12-12", submitted="2025-12-15", log_no=None,
        lodging="0510-8272 3300（无锡如家酒店）", reports=None, log_attached=True),
        [("GK10-14d", "fail")], "出差报告编号 CC-2025-080 重复 / duplicate trip report number"),
)

_LOG_DAYS = [("拜访用户设备部", "设备部主任", "了解项目进度"), ("技术交流", "技术科长", "确认技术参数"),
             ("商务洽谈", "物资部经理", "报价已递交"), ("现场踏勘", "项目经理", "确认安装条件"),
             ("回访老用户", "运行班长", "设备运行正常"), ("整理资料", "—", "形成拜访纪要"),
             ("拜访设计院", "设计院工程师", "获取设计图纸")]
add(
    Case("GK-10-06", "docx", "gk10-06_xs-2025-021.docx", trip_log(
        "XS-2025-021", "CC-2025-021", "张伟", "济南", departed="2025-05-12", returned="2025-05-16",
        submitted="2025-05-19", days=_LOG_DAYS[:5]),
        [], "合规：逐日写实，与出差报告同日上交 / compliant, handed in with its trip report"),
    Case("GK-10-06", "jsonl", _TRIPS, trip_log(
        "XS-2025-034", "CC-2025-034", "王磊", "合肥", departed="2025-06-16", returned="2025-06-19",
        submitted="2025-06-20", days=_LOG_DAYS[:4]),
        [], "合规 / compliant"),
    Case("GK-10-06", "jsonl", _TRIPS, trip_log(
        "XS-2025-047", "CC-2025-047", "李强", "杭州", departed="2025-09-24", returned="2025-09-30",
        submitted="2025-10-09", days=_LOG_DAYS[:7]),
        [], "国庆顺延后合规（匹配出差报告的返回日期）/ passes after the holiday roll, timed from the matched "
            "trip report"),
    Case("GK-10-06", "jsonl", _TRIPS, trip_log(
        "XS-2025-052", "CC-2025-052", "陈静", "武汉", departed="2025-09-22", returned="2025-09-26",
        submitted="2025-10-09", days=_LOG_DAYS[:5]),
        [("GK10-14b", "fail")], "写实记录晚于出差报告返回日 3 天（期限 09-29）/ trip log late against its "
                                "trip report (due 09-29)"),
    Case("GK-10-06", "jsonl", _TRIPS, over(trip_log(
        "XS-2025-060", "CC-2025-060", "赵敏", "郑州", departed="2025-11-03", returned="2025-11-06",
        submitted="2025-11-07", days=_LOG_DAYS[:4])),
        [("GK10-11a", "missing")], "第 2 天未写明日安排 / day 2 has no plan for tomorrow"),
    Case("GK-10-06", "jsonl", _TRIPS, trip_log(
        "XS-2025-071", "CC-2025-071", "张伟", "上海", departed="2025-11-17", returned="2025-11-21",
        submitted="2025-11-24", days=_LOG_DAYS[:2]),
        [("GK10-11b", "fail")], "出差 4 天只写了 2 天 / 4 days away, 2 days written up"),
    Case("GK-10-06", "jsonl", _TRIPS, trip_log(
        "XS-2025-075", "CC-2025-075", "王磊", "南京", departed="2025-12-08", returned="2025-12-12",
        submitted="2025-12-15", days=_LOG_DAYS[:5]),
        [], "合规 / compliant"),
    Case("GK-10-06", "jsonl", _TRIPS, trip_log(
        "XS-2025-080", "CC-2025-080", "陈静", "苏州", departed="2025-12-01", returned="2025-12-03",
        submitted="2025-12-04", days=_LOG_DAYS[:3]),
        [], "合规 / compliant"),
    Case("GK-10-06", "jsonl", _TRIPS, trip_log(
        "XS-2025-090", "CC-2025-090", "孙浩", "徐州", departed="2025-12-16", returned="2025-12-18",
        submitted="2025-12-19", days=_LOG_DAYS[:3]),
        [("GK10-14b", "missing")], "所写出差报告编号 CC-2025-090 不存在 / no trip report CC-2025-090 to match"),
)
# XS-2025-060: blank out "tomorrow" on day 2
for _c in CASES:
    if isinstance(_c, Case) and _c.fields.get("record_no") == "XS-2025-060":
        _c.fields["daily_log"][1]["tomorrow"] = None


def annual_report(no: str, salesperson: str, region: str, *, submitted: str, head_date: str | None,
                  target: int, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "salesperson": salesperson, "marketing_dept": "营销一部", "region": region,
        "target_year": 2026, "submitted_on": submitted,
        "market_analysis": f"{region}电网 2026 年配网改造投资预计增长约 8%，新能源配套箱变需求旺盛，"
                           "节能型干式变压器逐步替代 S9 系列。",
        "order_target": target, "order_target_detail": "变压器 45%、开关柜 40%、箱变 15%；重点顾客为老用户。",
        "regional_prospects": "老用户复购稳定，新能源及数据中心项目为新增长点。",
        "measures": "每季度走访重点用户一次，配合技术部开展节能产品推介。",
        "salesperson_signature": S(salesperson, submitted), "dept_head": S(MKT_HEAD, head_date),
    }
    return over(base, **changes)


add(
    Case("GK-10-04", "docx", "gk10-04_nb-2025-01.docx", annual_report(
        "NB-2025-01", "张伟", "山东", submitted="2025-12-05", head_date="2025-12-08", target=800),
        [], "合规：12 月 15 日前提交 / compliant, before 15 December"),
    Case("GK-10-04", "docx", "gk10-04_nb-2025-02.docx", annual_report(
        "NB-2025-02", "王磊", "安徽及苏南", submitted="2025-12-10", head_date="2025-12-11", target=650),
        [], "合规 / compliant"),
    Case("GK-10-04", "docx", "gk10-04_nb-2025-03.docx", annual_report(
        "NB-2025-03", "李强", "浙江", submitted="2025-12-12", head_date=None, target=720),
        [("GK10-08c", "missing")], "主管部长签名未写日期 / department head signed without a date"),
    Case("GK-10-04", "docx", "gk10-04_nb-2025-04.docx", annual_report(
        "NB-2025-04", "陈静", "湖北", submitted="2025-12-15", head_date="2025-12-16", target=500),
        [("GK10-08a", "fail")], "12 月 15 日当天提交（应在此日之前）/ handed in on 15 December, not before"),
    Case("GK-10-04", "docx", "gk10-04_nb-2025-05.docx", annual_report(
        "NB-2025-05", "孙浩", "苏北", submitted="2025-12-08", head_date="2025-12-09", target=400),
        [], "合规 / compliant"),
)
SET_EXPECT.append(SetExpect("GK10-08b", "2025 赵敏", "missing",
                            "赵敏 2025 年有出差报告但没有年度市场分析报告 / 赵敏 travelled in 2025 but wrote "
                            "no annual report"))


def marketing_plan(no: str, dept: str, compiler: str, *, submitted: str, approved: str, to_finance: str,
                   totals: tuple[int, int, int, int], **changes: Any) -> dict[str, Any]:
    orders, collections, expenses, revenue = totals
    split = [("变压器", orders * 45 // 100), ("高低压开关柜", orders * 40 // 100)]
    split.append(("箱式变电站", orders - sum(a for _, a in split)))
    base = {
        "record_no": no, "plan_year": 2026, "marketing_dept": dept, "finance_notice_on": "2025-11-03",
        "finance_due_on": "2025-11-28", "submitted_on": submitted,
        "basis": "公司 2026 年经营目标（销售收入增长 10%）及各区域市场预测。",
        "orders_by_category": [{"product_category": c, "amount": a, "basis": "区域预测汇总"} for c, a in split],
        "orders_total": orders, "collections": collections, "collections_basis": "应收账款及新签合同回款比例",
        "expenses": expenses, "expenses_basis": "按 2025 年实际费用率测算", "revenue": revenue,
        "revenue_basis": "在手合同交货计划", "compiler": S(compiler, submitted), "approver": S(VP, approved),
        "to_finance_on": to_finance,
    }
    return over(base, **changes)


add(
    Case("GK-10-01", "json", "gk10-01_yx-2026-01.json", marketing_plan(
        "YX-2026-01", "营销一部", MKT_OFFICE, submitted="2025-11-20", approved="2025-11-24", to_finance="2025-11-26",
        totals=(4200, 3800, 190, 3600)),
        [], "合规：财务部要求 11-28，提前一周以上交主管副总 / compliant, a week before the finance deadline"),
    Case("GK-10-01", "json", "gk10-01_yx-2026-02.json", marketing_plan(
        "YX-2026-02", "营销二部", MKT2_CLERK, submitted="2025-11-25", approved="2025-11-26", to_finance="2025-11-27",
        totals=(2800, 2500, 130, 2400)),
        [("GK10-01a", "fail")], "只提前 3 天交主管副总（应提前一周，11-21 前）/ only 3 days ahead, due 11-21"),
)

ALL_ATTENDEES = ["gm_office", "production", "technical", "metrology_inspection", "finance", "enterprise_mgmt",
                 "hr", "machinery_branch", "transformer_branch", "electric_control_branch", "material_prep_branch",
                 "saw_blade_branch", "marketing_heads"]


def monthly_plan(month: int, prepared: str, meeting: str | None, **changes: Any) -> dict[str, Any]:
    nxt = month % 12 + 1
    year = 2025 if month < 12 else 2026
    customers = list(CUSTOMER_CITY)
    orders = [{"customer": customers[(month + i) % 8], "product": p, "amount": a, "salesperson": SALES[(month + i) % 5]}
              for i, (p, a) in enumerate((("KYN28A-12 高压开关柜", 180), ("S11-M 油浸式变压器", 120),
                                          ("GGD2 低压配电柜", 65)))]
    collections = [{"customer": customers[(month + i + 3) % 8], "contract_no": f"HT-2025-{40 + month * 3 + i:03d}",
                    "amount": a, "salesperson": SALES[(month + i + 1) % 5]}
                   for i, a in enumerate((90, 76))]
    base = {
        "record_no": f"YJ-{year}-{nxt:02d}", "marketing_dept": "营销一部", "plan_month": f"{year}年{nxt}月",
        "prepared_on": prepared, "orders_plan": orders, "orders_total": sum(r["amount"] for r in orders),
        "collections_plan": collections, "collections_total": sum(r["amount"] for r in collections),
        "meeting_date": meeting, "meeting_attendees": list(ALL_ATTENDEES) if meeting else None,
        "plan_adjustments": "按营销计划会决议调整重点顾客跟踪安排。" if meeting else None,
        "distribution": ["gm", "deputy_gm", "finance", "production_mgmt"],
        "compiler": S(MKT_OFFICE, prepared), "dept_head": S(MKT_HEAD, prepared),
    }
    return over(base, **changes)


_MONTHLY = "gk10-02_monthly-plans.yaml"
add(
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(4, "2025-04-30", "2025-04-28"), [],
         "合规：4 月末制定 5 月计划，当月召开计划会 / compliant"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(5, "2025-05-31", "2025-05-29"), [],
         "合规（5-31 为端午假期，仍按月末最后一天制定）/ compliant"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(6, "2025-06-28", "2025-06-27"),
         [("GK10-06a", "fail")], "6 月 28 日制定，不是月末最后一天 / prepared on 28 June, not the last day"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(7, "2025-07-31", "2025-07-30"), [], "合规 / compliant"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(8, "2025-08-31", None), [],
         "8 月未召开营销计划会（见集合级 GK10-04 2025-08）/ no planning meeting in August (set-level finding)"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(9, "2025-09-30", "2025-09-29"), [], "合规 / compliant"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(
        10, "2025-10-31", "2025-10-30", meeting_attendees=[a for a in ALL_ATTENDEES if a != "saw_blade_branch"]),
        [("GK10-05b", "fail")], "锯片分厂领导未参加营销计划会 / the saw-blade branch was absent"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(
        11, "2025-11-30", "2025-11-28", distribution=["gm", "finance", "production_mgmt"]),
        [("GK10-06b", "fail")], "月度计划未报副总经理 / not sent to the deputy general manager"),
    Case("GK-10-02", "yaml", _MONTHLY, monthly_plan(12, "2025-12-31", "2025-12-30"), [], "合规 / compliant"),
)
SET_EXPECT.append(SetExpect("GK10-04", "2025-08", "fail", "8 月没有营销计划会记录 / no marketing planning "
                                                           "meeting in August 2025"))

# Weekly plans: one a week from the week of 2025-03-31 to the week of 2026-01-05 (the last week
# that ended before the audit date), handed in on the last working day before the week starts.
_HOLIDAYS = {D("2025-04-04")} | {D("2025-05-01") + dt.timedelta(days=i) for i in range(5)} | \
            {D("2025-05-31") + dt.timedelta(days=i) for i in range(3)} | \
            {D("2025-10-01") + dt.timedelta(days=i) for i in range(8)} | \
            {D("2026-01-01") + dt.timedelta(days=i) for i in range(3)}
_WORKING_WEEKENDS = {D("2025-04-27"), D("2025-09-28"), D("2025-10-11"), D("2026-01-04")}


def _last_working_day_before(day: dt.date) -> dt.date:
    d = day - dt.timedelta(days=1)
    while d in _HOLIDAYS or (d.weekday() >= 5 and d not in _WORKING_WEEKENDS):
        d -= dt.timedelta(days=1)
    return d


_TRIP_WEEKS = {  # week start → (salesperson, destination, depart, return, purpose)
    "2025-05-12": ("张伟", "济南", "2025-05-12", "2025-05-16", "山东鲁能技术协议"),
    "2025-06-16": ("王磊", "合肥", "2025-06-16", "2025-06-19", "安徽中电技术交流"),
    "2025-09-22": ("陈静", "武汉", "2025-09-22", "2025-09-26", "湖北宏源投标前拜访"),
    "2025-11-03": ("赵敏", "郑州", "2025-11-03", "2025-11-06", "河南平高备件调研"),
    "2025-11-17": ("张伟", "上海", "2025-11-17", "2025-11-21", "上海申能订货会"),
    "2025-12-08": ("王磊", "南京", "2025-12-08", "2025-12-12", "华东电力年度回访"),
}


def weekly_plan(start: dt.date, n: int, **changes: Any) -> dict[str, Any]:
    end = start + dt.timedelta(days=6)
    handed = _last_working_day_before(start).isoformat()
    customers = list(CUSTOMER_CITY)
    iso = start.isocalendar()
    trips = None
    if start.isoformat() in _TRIP_WEEKS:
        who, where, dep, ret, why = _TRIP_WEEKS[start.isoformat()]
        trips = [{"salesperson": who, "destination": where, "depart_on": dep, "return_on": ret, "purpose": why}]
    base = {
        "record_no": f"ZJ-{iso[0]}-W{iso[1]:02d}", "marketing_dept": "营销一部",
        "week_start_on": start.isoformat(), "week_end_on": end.isoformat(), "submitted_on": handed,
        "orders_plan": [{"customer": customers[n % 8], "product": ("KYN28A-12 高压开关柜", "S11-M 油浸式变压器",
                                                                  "SCB11 干式变压器", "YBM 箱式变电站")[n % 4],
                         "amount": 30 + (n * 37 % 11) * 5, "salesperson": SALES[n % 5]}],
        "collections_plan": [{"customer": customers[(n + 3) % 8], "contract_no": f"HT-2025-{10 + n:03d}",
                              "amount": 20 + (n * 53 % 7) * 4, "salesperson": SALES[(n + 2) % 5]}],
        "trips_plan": trips, "distribution": ["gm", "deputy_gm", "finance"],
        "compiler": S(MKT_OFFICE, handed), "approver": S(VP, handed),
    }
    return over(base, **changes)


_WEEKLY = "gk10-03_weekly-plans.jsonl"
_week, _n = D("2025-03-31"), 0
while _week <= D("2026-01-05"):
    _s = _week.isoformat()
    if _s == "2025-10-06":
        pass  # no plan for the week after the National Day holiday: a gap the checker must find
    elif _s == "2025-03-31":
        add(Case("GK-10-03", "jsonl", _WEEKLY, weekly_plan(_week, _n), [("QMS-REVISION", "fail")],
                 "3 月 31 日开始的周计划用了 4 月 1 日才生效的 A/0 表 / made on form A/0 before it came into "
                 "force (2025-04-01)"))
    elif _s == "2025-06-09":
        add(Case("GK-10-03", "jsonl", _WEEKLY, weekly_plan(_week, _n, compiler=S(VP, "2025-06-06")),
                 [("GK10-07b", "fail")], "副总经理自己编制又自己审批 / compiled and approved by the same person"))
    elif _s == "2025-07-14":
        add(Case("GK-10-03", "jsonl", _WEEKLY, weekly_plan(
            _week, _n, submitted_on="2025-07-14", compiler=S(MKT_OFFICE, "2025-07-14"), approver=S(VP, "2025-07-14")),
            [("GK10-07a", "fail")], "计划周当天才报送 / handed in on the first day of the week"))
    elif _s == "2025-08-18":
        add(Case("GK-10-03", "jsonl", _WEEKLY, weekly_plan(_week, _n, distribution=["gm"]),
                 [("GK10-07d", "fail")], "周计划未报副总经理 / not sent to the deputy general manager"))
    elif _s == "2025-11-10":
        add(Case("GK-10-03", "jsonl", _WEEKLY, weekly_plan(_week, _n, approver=S(VP, "2025-11-11")),
                 [("GK10-07c", "fail")], "计划周开始后才审批 / approved after the week began"))
    else:
        add(Case("GK-10-03", "jsonl", _WEEKLY, weekly_plan(_week, _n), [], "合规的周计划 / compliant weekly plan"))
    _week += dt.timedelta(days=7)
    _n += 1
SET_EXPECT.append(SetExpect("GK10-07e", "2025-W41", "fail", "国庆后一周（10-06 起）没有周计划 / no weekly plan "
                                                            "for the week of 2025-10-06"))

# =============================================================================================
# GK-12 新产品推广: promotion cost ≤ 1 % of output value; rewards 1 / 0.8 / 0.6 / 0.4 / 0.2 %
# for the first five batches of contracts; customer evaluation reports
# =============================================================================================


def promotion(no: str, product: str, *, applied: str, output: int, cost: float, ratio: float,
              items: list[tuple[str, float, str]], **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "applied_on": applied, "marketing_dept": "营销一部", "product": product,
        "period": "2025年下半年", "output_value": output, "promotion_cost": cost, "cost_ratio": ratio,
        "cost_items": [{"item": i, "amount": a, "purpose": p} for i, a, p in items],
        "applicant": S("张伟", applied), "dept_head": S(MKT_HEAD, applied), "leader_approval": S(VP, plus(applied, 2)),
    }
    return over(base, **changes)


add(
    Case("GK-12-01", "docx", "gk12-01_cx-2025-003.docx", promotion(
        "CX-2025-003", "SCB13-1250/10 干式变压器（二级能效）", applied="2025-04-15", output=320, cost=2.8,
        ratio=0.88, items=[("技术推介会", 1.2, "华东区域用户推介"), ("样本资料", 0.6, "印制新产品样本"),
                             ("行业展会展位", 1.0, "上海电力展")]),
        [], "合规：促销费用 0.875%，不超过产值的 1% / compliant, 0.875 % of output value"),
    Case("GK-12-01", "docx", "gk12-01_cx-2025-005.docx", promotion(
        "CX-2025-005", "YBM-12 智能型预装式变电站", applied="2025-06-10", output=150, cost=2.25,
        ratio=1.5, items=[("用户现场演示", 1.5, "新能源项目用户"), ("技术资料", 0.75, "宣传片制作")]),
        [("GK12-01a", "fail"), ("GK12-01b", "fail")], "促销费用 1.5%，超过 1% 上限 / promotion cost 1.5 % of output"),
    Case("GK-12-01", "json", "gk12-01_cx-2025-007.json", promotion(
        "CX-2025-007", "KYN61-40.5 铠装移开式开关柜", applied="2025-09-08", output=160, cost=1.9,
        ratio=0.95, items=[("技术交流会", 1.1, "设计院推介"), ("样机运输", 0.8, "展会样机")]),
        [("GK12-01a", "fail")], "实际比例 1.19%，表上误填 0.95% / actual 1.19 %, the form says 0.95 %"),
)


def reward(no: str, product: str, customer: str, contract: str, *, signed: str, batch: int, value: int,
           rate: float, handlers: list[tuple[str, str]], **changes: Any) -> dict[str, Any]:
    amount = round(value * rate / 100, 2)
    share = round(amount / len(handlers), 2)
    applied = plus(signed, 6)
    base = {
        "record_no": no, "applied_on": applied, "product": product, "customer": customer, "contract_no": contract,
        "contract_signed_on": signed, "batch_no": batch, "contract_value": value, "reward_rate": rate,
        "reward_amount": num(amount),
        "handlers": [{"name": n, "department": d, "amount": num(share)} for n, d in handlers],
        "applicant": S(handlers[0][0], applied), "dept_head": S(MKT_HEAD, applied),
        "leader_approval": S(VP, plus(applied, 1)),
    }
    return over(base, **changes)


_SCB13 = "SCB13-1250/10 干式变压器（二级能效）"
_REWARDS = "gk12-02_rewards.csv"
add(
    Case("GK-12-02", "csv", _REWARDS, reward(
        "JL-2025-001", _SCB13, "江苏华能电力工程有限公司", "HT-2025-061", signed="2025-05-20", batch=1,
        value=1280000, rate=1, handlers=[("张伟", "营销一部"), ("林峰", "技术部")]),
        [], "首批 1% / first batch, 1 %"),
    Case("GK-12-02", "csv", _REWARDS, reward(
        "JL-2025-002", _SCB13, "安徽中电建设集团有限公司", "HT-2025-077", signed="2025-06-18", batch=2,
        value=960000, rate=0.8, handlers=[("王磊", "营销一部")]),
        [], "第二批 0.8% / second batch, 0.8 %"),
    Case("GK-12-02", "csv", _REWARDS, reward(
        "JL-2025-003", _SCB13, "上海申能电力配套公司", "HT-2025-090", signed="2025-07-22", batch=3,
        value=1500000, rate=0.6, handlers=[("张伟", "营销一部")]),
        [], "第三批 0.6% / third batch, 0.6 %"),
    Case("GK-12-02", "csv", _REWARDS, reward(
        "JL-2025-004", _SCB13, "山东鲁能电气成套有限公司", "HT-2025-104", signed="2025-08-26", batch=4,
        value=720000, rate=0.4, handlers=[("张伟", "营销一部")]),
        [], "第四批 0.4% / fourth batch, 0.4 %"),
    Case("GK-12-02", "csv", _REWARDS, reward(
        "JL-2025-005", _SCB13, "湖北宏源电力工程公司", "HT-2025-118", signed="2025-09-23", batch=5,
        value=880000, rate=0.2, handlers=[("陈静", "营销一部")]),
        [], "第五批 0.2% / fifth batch, 0.2 %"),
    Case("GK-12-02", "csv", _REWARDS, reward(
        "JL-2025-006", "KYN61-40.5 铠装移开式开关柜", "浙江大唐电力安装公司", "HT-2025-126", signed="2025-10-21",
        batch=2, value=2100000, rate=1, handlers=[("李强", "营销一部"), ("林峰", "技术部")]),
        [("GK12-03", "fail")], "第二批却按首批 1% 计奖 / second batch rewarded at the first-batch rate"),
    Case("GK-12-02", "csv", _REWARDS, reward(
        "JL-2025-007", _SCB13, "河南平高电气检修公司", "HT-2025-139", signed="2025-11-18", batch=6,
        value=640000, rate=0.2, handlers=[("赵敏", "营销一部")]),
        [("GK12-06b", "fail")], "第六批仍申请奖励，制度无依据 / a sixth batch has no reward rate"),
)


def evaluation(no: str, customer: str, contract: str, *, delivered: str, requested: str, due: str,
               received: str, forwarded: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "customer": customer, "product": _SCB13, "contract_no": contract, "batch_no": 1,
        "delivered_on": delivered, "handler": "张伟", "requested_on": requested, "due_on": due,
        "received_on": received, "quality_rating": "satisfied", "performance_rating": "satisfied",
        "service_rating": "basically", "evaluation": "产品损耗低、噪声小，运行温升符合要求。",
        "suggestions": "希望缩短交货周期。", "customer_rep": S("刘建华", received),
        "forwarded_to": ["info_mgmt", "technical"], "forwarded_on": forwarded, "copied_to_sales_on": forwarded,
        "handler_signature": S("张伟", forwarded),
    }
    return over(base, **changes)


add(
    Case("GK-12-03", "json", "gk12-03_pj-2025-004.json", evaluation(
        "PJ-2025-004", "江苏华能电力工程有限公司", "HT-2025-061", delivered="2025-08-05", requested="2025-08-12",
        due="2025-09-12", received="2025-09-05", forwarded="2025-09-08"),
        [], "合规：限期内收回并反馈信息管理部门和技术部 / compliant"),
    Case("GK-12-03", "json", "gk12-03_pj-2025-006.json", evaluation(
        "PJ-2025-006", "安徽中电建设集团有限公司", "HT-2025-077", delivered="2025-08-28", requested="2025-09-03",
        due="2025-10-10", received="2025-10-20", forwarded="2025-10-22", batch_no=2),
        [("GK12-07a", "fail")], "超过限期 10-10 才收回 / received after the due date"),
)

# =============================================================================================
# GK-16 预拌混凝土: production notices (received ≥ 48 h before supply, no oral or phone orders,
# changes by fax/SMS/e-mail in emergencies), production tasks (≥ 24 h, after the notice),
# delivery notes, questionnaires (at least one a quarter), complaints, site briefings
# =============================================================================================

_C8 = "中建八局第三建设有限公司"
_NCJ = "南京城建集团有限公司"
_JSJ = "江苏省建筑工程集团有限公司"
_ZT10 = "中铁十局集团第五工程有限公司"


def notice(no: str, customer: str, project: str, pour: str, grade: str, qty: int, *, supply: str,
           received: str, channel: str, accepted: bool = True, **changes: Any) -> dict[str, Any]:
    base = {
        "notice_no": no, "contract_no": changes.pop("contract_no", "HNT-2025-018"), "customer": customer,
        "project_name": project, "pour_location": pour, "concrete_grade": grade, "quantity": qty,
        "placing_method": "pumped", "technical_requirements": "坍落度 180±20 mm，掺 S95 矿粉，缓凝 8 h。",
        "delivery_address": project, "required_supply_at": supply, "site_contact": "周立",
        "site_phone": "138 5170 2233", "sig_customer": S("周立", received[:10]), "channel": channel,
        "received_at": received, "accepted": accepted, "rejection_reason": None,
        "sig_receiver": S("唐亮", received[:10]), "modifications": None,
    }
    return over(base, **changes)


def task(no: str, notice_no: str, customer: str, project: str, pour: str, grade: str, qty: int, *,
         supply: str, issued: str, **changes: Any) -> dict[str, Any]:
    base = {
        "task_no": no, "notice_no": notice_no, "customer": customer, "project_name": project,
        "pour_location": pour, "concrete_grade": grade, "mix_design_no": f"PB-{grade[:3]}-07", "quantity": qty,
        "technical_requirements": "坍落度 180±20 mm。", "supply_at": supply, "issued_at": issued,
        "distribution": ["laboratory", "logistics", "warehouse"], "sig_prepared": S("白雪", issued[:10]),
        "sig_issuer": S(PROD_HEAD, issued[:10]), "sig_receiver": S("蒋涛", issued[:10]),
    }
    return over(base, **changes)


_RCJ = "江北新区人才公寓二期"
_HX = "河西金融城 B 地块"
_MT = "南京地铁 7 号线 18 标"
_CONCRETE = "gk16_concrete-orders.jsonl"
add(
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0412", _C8, _RCJ, "3# 楼四层梁板", "C30", 320, supply="2025-06-12 08:00",
        received="2025-06-09 15:20", channel="fax"),
        [], "合规：提前 64 小时传真送达 / compliant, faxed 64 hours ahead"),
    Case("GK-16-02", "jsonl", _CONCRETE, task(
        "RW-2025-0412", "SC-2025-0412", _C8, _RCJ, "3# 楼四层梁板", "C30", 320, supply="2025-06-12 08:00",
        issued="2025-06-11 07:30"),
        [], "合规：提前 24.5 小时下达 / compliant, issued 24.5 hours ahead"),
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0418", _C8, _RCJ, "3# 楼五层柱", "C35", 86, supply="2025-06-18 08:00",
        received="2025-06-16 08:00", channel="email"),
        [], "恰好提前 48 小时 / exactly 48 hours ahead"),
    Case("GK-16-02", "jsonl", _CONCRETE, task(
        "RW-2025-0418", "SC-2025-0418", _C8, _RCJ, "3# 楼五层柱", "C35", 86, supply="2025-06-18 08:00",
        issued="2025-06-17 08:00"),
        [], "恰好提前 24 小时 / exactly 24 hours ahead"),
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0425", _NCJ, _HX, "筏板基础", "C40P8", 1150, supply="2025-06-21 20:00",
        received="2025-06-20 14:00", channel="written", contract_no="HNT-2025-022"),
        [("S-01", "fail")], "只提前 30 小时 / only 30 hours ahead"),
    Case("GK-16-02", "jsonl", _CONCRETE, task(
        "RW-2025-0425", "SC-2025-0425", _NCJ, _HX, "筏板基础", "C40P8", 1150, supply="2025-06-21 20:00",
        issued="2025-06-20 16:00"),
        [], "合规：提前 28 小时 / compliant, 28 hours ahead"),
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0431", _JSJ, "鼓楼医院南扩工程", "地下室外墙", "C35P6", 260, supply="2025-06-28 08:00",
        received="2025-06-25 10:00", channel="phone", contract_no="HNT-2025-025"),
        [("S-04", "fail")], "电话订货却予以受理 / a telephone order was accepted"),
    Case("GK-16-02", "jsonl", _CONCRETE, task(
        "RW-2025-0431", "SC-2025-0431", _JSJ, "鼓楼医院南扩工程", "地下室外墙", "C35P6", 260,
        supply="2025-06-28 08:00", issued="2025-06-27 16:00"),
        [("S-02", "fail")], "只提前 16 小时下达 / only 16 hours ahead"),
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0436", _ZT10, _MT, "车站顶板", "C35P8", 540, supply="2025-07-01 20:00",
        received="2025-06-30 09:00", channel="oral", accepted=False, rejection_reason="口头要求，不予受理",
        sig_customer=None, contract_no="HNT-2025-027"),
        [], "口头要求不予受理：合规 / an oral request refused: compliant"),
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0440", _NCJ, _HX, "1# 塔楼核心筒", "C50", 180, supply="2025-07-05 14:00",
        received="2025-07-03 10:00", channel="fax", contract_no="HNT-2025-022",
        modifications=[{"received_at": "2025-07-04 16:00", "channel": "phone", "emergency": True,
                        "content": "方量由 180 m³ 增至 210 m³", "new_supply_at": "2025-07-05 13:00",
                        "receiver": "唐亮"}]),
        [("S-03a", "fail")], "临时修改用电话提出 / an urgent change made by telephone"),
    Case("GK-16-02", "jsonl", _CONCRETE, task(
        "RW-2025-0440", "SC-2025-0440", _NCJ, _HX, "1# 塔楼核心筒", "C50", 210, supply="2025-07-05 14:00",
        issued="2025-07-03 09:00"),
        [("S-02a", "fail")], "任务单早于接到生产通知单 / task issued before the notice arrived"),
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0443", _C8, _RCJ, "4# 楼筏板", "C35P6", 980, supply="2025-07-12 06:00",
        received="2025-07-09 16:30", channel="email",
        modifications=[{"received_at": "2025-07-11 09:10", "channel": "sms", "emergency": False,
                        "content": "开盘时间由 06:00 改为 07:00", "new_supply_at": "2025-07-12 07:00",
                        "receiver": "唐亮"}]),
        [("S-03b", "missing")], "非紧急情况也接受了短信修改 / a change accepted without an emergency"),
    Raw("jsonl", _CONCRETE, '{"form": "SJE/JL/GK-16-01", "revision": "A/0", "fields": {"notice_no": '
                            '"SC-2025-0447", "customer": "中铁十局集团第五工程有限公司", "project_name": "南京地铁',
        [("QMS-RECORD", "unreadable_record")], "导出中断的半行 JSON / a JSON line cut off in the export"),
    Case("GK-16-01", "jsonl", _CONCRETE, notice(
        "SC-2025-0412", _NCJ, _HX, "B 区地下车库顶板", "C35", 460, supply="2025-08-14 07:00",
        received="2025-08-11 09:00", channel="fax", contract_no="HNT-2025-022"),
        [("S-02b", "fail")], "生产通知单编号 SC-2025-0412 重复 / duplicate notice number"),
    Case("GK-16-02", "jsonl", _CONCRETE, task(
        "RW-2025-0450", "SC-2025-0450", _ZT10, _MT, "出入口结构", "C35P8", 220, supply="2025-08-20 07:00",
        issued="2025-08-18 15:00"),
        [("S-02a", "missing")], "找不到对应的生产通知单 SC-2025-0450 / no notice SC-2025-0450 to match"),
)


def delivery(no: str, trip: int, truck: str, driver: str, *, dispatched: str, inspected: str, volume: int,
             cumulative: int, result: str | None = "pass", disposition: str | None = "deliver",
             **changes: Any) -> dict[str, Any]:
    base = {
        "delivery_note_no": no, "task_no": "RW-2025-0412", "contract_no": "HNT-2025-018", "customer": _C8,
        "project_name": _RCJ, "pour_location": "3# 楼四层梁板", "concrete_grade": "C30", "slump": "180",
        "other_marks": "泵送", "truck_id": truck, "driver": driver, "trip_no": trip, "load_volume": volume,
        "cumulative_volume": cumulative, "dispatched_at": dispatched, "arrived_at": plus_minutes(dispatched, 40),
        "dispatch_inspection_passed": True, "inspected_at": inspected,
        "sig_dispatch_inspector": S("蒋涛", dispatched[:10]), "delivery_inspection_result": result,
        "disposition": disposition, "sig_site_tester": S("毛宇", dispatched[:10]) if result else None,
        "sig_customer": S("周立", dispatched[:10]),
    }
    return over(base, **changes)


def plus_minutes(at: str, minutes: int) -> str:
    t = dt.datetime.fromisoformat(at) + dt.timedelta(minutes=minutes)
    return t.strftime("%Y-%m-%d %H:%M")


_DN = "gk16-03_delivery-notes.csv"
_TRUCKS = [("苏A·K2351", "孙建"), ("苏A·K2356", "钱勇"), ("苏A·K2360", "曹兵"), ("苏A·K2372", "严军"),
           ("苏A·K2381", "华明"), ("苏A·K2390", "金涛"), ("苏A·K2351", "孙建"), ("苏A·K2356", "钱勇")]
for _i, (_truck, _driver) in enumerate(_TRUCKS[:5], 1):
    _at = plus_minutes("2025-06-12 07:10", 25 * (_i - 1))
    add(Case("GK-16-03", "csv", _DN, delivery(
        f"FH-2025-0612{_i:02d}", _i, _truck, _driver, dispatched=_at, inspected=plus_minutes(_at, -10),
        volume=12, cumulative=12 * _i), [], f"合规：第 {_i} 车 / compliant, truck {_i}"))
add(
    Case("GK-16-03", "csv", _DN, delivery(
        "FH-2025-061205", 6, "苏A·K2390", "金涛", dispatched="2025-06-12 09:15", inspected="2025-06-12 09:05",
        volume=12, cumulative=72), [("S-05b", "fail")], "发货单号与第 5 车重复 / same note number as truck 5"),
    Case("GK-16-03", "csv", _DN, delivery(
        "FH-2025-061207", 7, "苏A·K2351", "孙建", dispatched="2025-06-12 09:40", inspected="2025-06-12 09:55",
        volume=12, cumulative=84), [("S-06b", "fail")], "出厂后才做出厂检验 / inspected after leaving the plant"),
    Raw("csv", _DN, "FH-2025-061208,RW-2025-0412,HNT-2025-018,中建八局第三建设有限公司",
        [("QMS-RECORD", "unreadable_record")], "只导出了 4 列的残缺行 / a row with 4 cells"),
    Case("GK-16-03", "csv", _DN, delivery(
        "FH-2025-061209", 8, "苏A·K2356", "钱勇", dispatched="2025-06-12 10:05", inspected="2025-06-12 09:58",
        volume=8, cumulative=92, result="fail", disposition="deliver", slump="240"),
        [("S-07a", "fail")], "交货检验坍落度 240 mm 不合格仍当场交付 / failed the site test, delivered anyway"),
)


def questionnaire(no: str, customer: str, project: str, *, issued: str, returned: str, **changes: Any) -> dict[str, Any]:
    base = {
        "questionnaire_no": no, "issued_on": issued, "customer": customer, "project_name": project,
        "respondent": "项目技术负责人", "phone": "025-8330 0000", "returned_on": returned,
        "rating_quality": "satisfied", "rating_supply": "satisfied", "rating_delivery_docs": "very_satisfied",
        "rating_technical_service": "satisfied", "rating_complaint_handling": "satisfied",
        "rating_overall": "satisfied", "opinions": None, "improvement": None, "tracking": None,
        "feedback_to_customer": False, "feedback_on": None, "sig_handler": S("田甜", returned),
        "sig_reviewer": S("秦川", plus(returned, 1)),
    }
    return over(base, **changes)


_QN = "gk16-05_questionnaires.csv"
add(
    Case("GK-16-05", "csv", _QN, questionnaire("WJ-2025-01", _C8, _RCJ, issued="2025-04-18", returned="2025-04-25"),
         [], "二季度问卷 / Q2 questionnaire"),
    Case("GK-16-05", "csv", _QN, questionnaire(
        "WJ-2025-02", _NCJ, _HX, issued="2025-06-20", returned="2025-06-27", rating_supply="fair",
        opinions="雨天车辆到场间隔偏长"),
        [("S-11c", "missing")], "有意见但没有改进措施 / an opinion without an improvement measure"),
    Case("GK-16-05", "csv", _QN, questionnaire(
        "WJ-2025-03", _JSJ, "鼓楼医院南扩工程", issued="2025-10-24", returned="2025-10-31",
        sig_handler=S("田甜", None)),
        [("QMS-REQUIRED", "missing")], "经办人签名未写日期（表单必填签字，无专门规则）/ a required signature "
                                       "without its date, no rule covers it"),
    Case("GK-16-05", "csv", _QN, questionnaire(
        "WJ-2025-04", _ZT10, _MT, issued="2025-12-05", returned="2025-12-12", rating_technical_service="fair",
        opinions="希望加强试件送检指导", improvement="试验室每周派员到工地指导试件制作", feedback_to_customer=True),
        [("S-11d", "missing")], "已反馈顾客但未注明反馈日期 / fed back without a date"),
    Case("GK-16-05", "csv", _QN, questionnaire("WJ-2025-05", _C8, _RCJ, issued="2025-12-12", returned="2025-12-19"),
         [], "四季度问卷 / Q4 questionnaire"),
)
SET_EXPECT.append(SetExpect("S-10", "2025-Q3", "fail", "三季度没有发放顾客问卷 / no customer questionnaire "
                                                       "in Q3 2025"))

_COMPLAINTS = "gk16-06_complaints.yaml"


def complaint(no: str, customer: str, project: str, *, registered: str, handled: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "registered_at": registered, "source": "complaint", "channel": "hotline",
        "customer": customer, "project_name": project, "customer_contact": "周立", "phone": "138 5170 2233",
        "problem_type": "supply", "description": "夜间浇筑时断车约 40 分钟，造成施工冷缝风险。",
        "sig_registrar": S("田甜", registered[:10]), "investigation": "搅拌站 2# 机组故障停机 35 分钟，调度未及时调配备用车辆。",
        "action": "修订夜间浇筑车辆调度预案，备用车辆提前到场待命。", "handled_at": handled,
        "submitted_to_leaders": True, "sig_handler": S(PROD_HEAD, handled[:10]), "tracking": "后续 3 次夜间浇筑未再断车。",
        "feedback_to_customer": True, "feedback_on": handled[:10], "feedback_method": "电话回复并书面致函",
        "sig_qm_head": S("秦川", handled[:10]),
    }
    return over(base, **changes)


add(
    Case("GK-16-06", "yaml", _COMPLAINTS, complaint("TS-2025-007", _NCJ, _HX, registered="2025-07-08 09:15",
                                                    handled="2025-07-09 17:00"),
         [], "合规：登记后调查处理并反馈顾客 / compliant"),
    Case("GK-16-06", "yaml", _COMPLAINTS, complaint(
        "TS-2025-011", _C8, _RCJ, registered="2025-09-16 10:30", handled="2025-09-18 16:00", problem_type="quality",
        description="3# 楼六层楼板试块 28 天强度偏低。", investigation="同条件试块养护不当，标养试块合格。",
        action="工地试件养护指导，回弹复核。", feedback_method=None),
        [("S-11b", "missing")], "已反馈顾客未注明反馈方式 / fed back without saying how"),
)


def briefing(no: str, customer: str, project: str, *, on: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "briefing_on": on, "customer": customer, "project_name": project,
        "site_address": project, "is_new_site": True, "contract_no": None,
        "contents": "混凝土性能、浇筑振捣、养护要求（不少于 14 天）、试件制作及送检。",
        "manual_issued": True, "other_documents": "配合比报告",
        "attendees": [{"name": "周立", "organisation": customer, "position": "施工员"},
                      {"name": "毛宇", "organisation": "试验室", "position": "试验员"}],
        "sig_briefer": S("毛宇", on), "sig_customer": S("周立", on),
    }
    return over(base, **changes)


add(
    Case("GK-16-07", "json", "gk16-07_jd-2025-005.json", briefing("JD-2025-005", _C8, _RCJ, on="2025-05-20"),
         [], "合规：新工地技术交底并发放使用说明书 / compliant"),
    Case("GK-16-07", "json", "gk16-07_jd-2025-009.json", briefing(
        "JD-2025-009", _ZT10, _MT, on="2025-06-26", manual_issued=False, other_documents=None),
        [("S-09", "missing")], "新工地交底未发放使用说明书 / no user manual at a new site"),
)


def opinion_form(no: str, customer: str, project: str, *, sent: str, returned: str, handled: str,
                 **changes: Any) -> dict[str, Any]:
    base = {
        "form_no": no, "sent_on": sent, "customer": customer, "project_name": project, "respondent": "周立",
        "phone": "138 5170 2233", "rating_quality": "satisfied", "rating_supply": "fairly_satisfied",
        "rating_technical_service": "satisfied", "rating_staff": "satisfied",
        "opinions": "高峰期车辆调度还需加强。", "sig_customer": S("周立", returned), "returned_on": returned,
        "complaint_record_no": None, "handling": "纳入调度预案修订。", "sig_handler": S("田甜", handled),
    }
    return over(base, **changes)


add(
    Case("GK-16-04", "json", "gk16-04_fy-2025-003.json", opinion_form(
        "FY-2025-003", _C8, _RCJ, sent="2025-08-01", returned="2025-08-08", handled="2025-08-11"),
        [], "合规（本表无专门规则，仅内置检查）/ compliant, only built-in checks apply"),
    Case("GK-16-04", "json", "gk16-04_fy-2025-006.json", opinion_form(
        "FY-2025-006", _NCJ, _HX, sent="2025-12-19", returned="2025-12-30", handled="2026-01-20"),
        [("QMS-FUTURE", "future")], "经办人签字日期 2026-01-20 晚于审核日 / handler's signature dated after "
                                    "the audit date"),
)

# =============================================================================================
# GK-14 合同评审 (市场部, switchgear orders): review forms, discrepancy sheets matched to their
# review, order confirmations, ledger, task notices, design and contract changes, customer property
# =============================================================================================

MKT3_HEAD, SALES_SUP, CONTRACT_CLERK = "韩雪", "曹阳", "蔡琳"     # 市场部部长, 销售主管, 合同管理员
RND, RND2, QA, = "潘越", "龚平", "秦川"


def review(no: str, kind: str, customer: str, contract: str, *, meeting: str, completed: str,
           signed: str | None, gm: str | None, archived: str, amount: int | None = None,
           product: str = "KYN28A-12 高压开关柜 24 面；GGD2 低压配电柜 16 面", **changes: Any) -> dict[str, Any]:
    rows = [("sales", "market", MKT3_HEAD), ("price_risk", "finance", FIN_HEAD), ("design", "rnd", RND),
            ("process", "rnd", RND2), ("inspection", "quality", QA), ("purchasing", "production", "董明"),
            ("production", "production", PROD_HEAD)]
    base = {
        "record_no": no, "review_type": kind, "customer": customer, "project_name": changes.pop("project_name", None),
        "contract_no": contract, "contract_amount": amount, "product": product,
        "delivery_date": changes.pop("delivery_date", None), "meeting_on": meeting, "organiser": MKT3_HEAD,
        "economic_benefit": True, "requirements_written": True, "discrepancies_resolved": True, "capable": True,
        "reviews": [{"aspect": a, "department": d, "opinion": "可以满足", "conclusion": "agree", "issue_no": None,
                     "reviewer": r, "signed_on": meeting, "reconfirmed_on": None} for a, d, r in rows],
        "tender_received_on": None, "bid_decision": None, "clarification_records": None,
        "sales_supervisor_approval": None, "bid_started_on": None, "open_issues": 0,
        "minutes_no": f"JY-{no[3:]}", "conclusion_text": "各方面均可满足合同要求，同意签订。",
        "review_completed_on": completed, "gm_approval": S(GM, gm) if gm else None, "contract_signed_on": signed,
        "archived_on": archived, "archived_by": CONTRACT_CLERK,
    }
    return over(base, **changes)


def discrepancy(no: str, review_no: str, customer: str, contract: str, *, raised: str, verified: str,
                reviewer: str = RND, supervisor: str = SALES_SUP, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "review_form_no": review_no, "customer": customer, "contract_no": contract,
        "raised_by_dept": "rnd", "clause_ref": "技术协议第 5.3 条",
        "problem": "合同要求的母排材质与技术协议不一致（铜排 / 铝排）。", "opinion": "以技术协议铜排为准，与用户书面确认。",
        "reviewer": S(reviewer, raised), "handling": "已与用户协商，统一按铜排执行。",
        "negotiated_with_customer": True,
        "evidence": [{"kind": "fax", "ref_no": f"用户传真 {raised}", "dated": raised}],
        "clarification_needed": False, "rereview_on": None, "rereview_record_no": None,
        "verification_result": "用户传真确认采用铜排，合同条款已修改。", "sales_supervisor": S(supervisor, verified),
    }
    return over(base, **changes)


_REVIEWS = "gk14_contract-reviews.jsonl"
_HN = "江苏华能电力工程有限公司"
add(
    Case("GK-14-01", "jsonl", _REVIEWS, review(
        "PS-2025-011", "contract", _HN, "HT-2025-052", meeting="2025-05-14", completed="2025-05-16",
        gm="2025-05-19", signed="2025-05-20", archived="2025-05-21", amount=2350000,
        project_name="华能金陵电厂二期 10kV 配电改造", delivery_date="2025-07-30"),
        [], "合规：评审结束、总经理批准后签订合同 / compliant contract review"),
    Case("GK-14-02", "jsonl", _REVIEWS, discrepancy(
        "BY-2025-004", "PS-2025-011", _HN, "HT-2025-052", raised="2025-05-14", verified="2025-05-15"),
        [], "合规：与用户协商有传真为证，评审结束前核实 / compliant"),
    Case("GK-14-01", "jsonl", _REVIEWS, review(
        "PS-2025-014", "bid", "国网江苏省电力有限公司物资分公司", "ZB-2025-0603", meeting="2025-06-05",
        completed="2025-06-06", gm=None, signed=None, archived="2025-06-10",
        product="KYN28A-12 开关柜（协议库存第二批 3 包）", tender_received_on="2025-06-03", bid_decision="bid",
        sales_supervisor_approval=S(SALES_SUP, "2025-06-06"), bid_started_on="2025-06-09",
        conclusion_text="满足招标文件要求，同意投标。"),
        [], "合规的标书评审：销售主管批准后投标 / compliant bid review"),
    Case("GK-14-02", "jsonl", _REVIEWS, discrepancy(
        "BY-2025-012", "PS-2025-014", "国网江苏省电力有限公司物资分公司", "ZB-2025-0603", raised="2025-06-05",
        verified="2025-06-05", negotiated_with_customer=False, evidence=None, clarification_needed=True,
        problem="招标文件对柜体防护等级前后表述不一（IP4X / IP41）。", opinion="发澄清函请招标方书面澄清。",
        handling="已发澄清函。", verification_result="招标方已书面澄清为 IP4X。"),
        [("P3-07b", "missing"), ("P3-07b", "missing")], "用户书面澄清的部分未重新评审 / the clarified part was "
                                                        "not reviewed again"),
    Case("GK-14-01", "jsonl", _REVIEWS, review(
        "PS-2025-018", "contract", "浙江大唐电力安装公司", "HT-2025-058", meeting="2025-06-23",
        completed="2025-06-25", gm="2025-06-26", signed="2025-06-27", archived="2025-06-30", amount=1680000,
        open_issues=1, delivery_date="2025-08-20"),
        [("P3-09b", "fail"), ("P3-13b", "fail")], "尚有 1 项不一致问题未解决就结束评审并签约 / one open issue "
                                                  "at signing"),
    Case("GK-14-01", "jsonl", _REVIEWS, review(
        "PS-2025-021", "contract", "山东鲁能电气成套有限公司", "HT-2025-066", meeting="2025-07-08",
        completed="2025-07-10", gm="2025-07-11", signed="2025-07-14", archived="2025-07-15", amount=960000,
        delivery_date="2025-09-10"),
        [("P3-04", "missing")], "设计评审人未签日期 / a reviewer signed without a date"),
    Case("GK-14-02", "jsonl", _REVIEWS, discrepancy(
        "BY-2025-007", "PS-2025-021", "山东鲁能电气成套有限公司", "HT-2025-066", raised="2025-07-08",
        verified="2025-07-09", reviewer=SALES_SUP, raised_by_dept="market",
        problem="付款条件与报价单不一致。", opinion="按报价单 3-6-1 付款。"),
        [("P3-08a", "fail")], "销售主管自己提出又自己核实 / raised and verified by the same person"),
    Case("GK-14-01", "jsonl", _REVIEWS, review(
        "PS-2025-024", "contract", "湖北宏源电力工程公司", "HT-2025-072", meeting="2025-08-04",
        completed="2025-08-05", gm="2025-08-06", signed="2025-08-07", archived="2025-08-08", amount=780000,
        delivery_date="2025-10-15"),
        [], "合规 / compliant"),
    Case("GK-14-01", "jsonl", _REVIEWS, review(
        "PS-2025-024", "contract", "上海申能电力配套公司", "HT-2025-075", meeting="2025-08-06",
        completed="2025-08-07", gm="2025-08-08", signed="2025-08-11", archived="2025-08-12", amount=1320000,
        delivery_date="2025-10-30"),
        [("P3-08c", "fail")], "评审单编号 PS-2025-024 重复 / duplicate review number"),
    Case("GK-14-01", "jsonl", _REVIEWS, review(
        "PS-2025-027", "contract", "安徽中电建设集团有限公司", "HT-2025-083", meeting="2025-08-06",
        completed="2025-08-08", gm="2025-08-12", signed="2025-08-11", archived="2025-08-13", amount=2890000,
        delivery_date="2025-11-20"),
        [("P3-01b", "fail")], "先签合同后补总经理批准 / signed before the general manager approved"),
    Case("GK-14-02", "jsonl", _REVIEWS, discrepancy(
        "BY-2025-009", "PS-2025-027", "安徽中电建设集团有限公司", "HT-2025-083", raised="2025-08-06",
        verified="2025-08-09"),
        [("P3-08b", "fail")], "评审结束（08-08）后才核实 / verified after the review had ended"),
)
for _c in CASES:
    if isinstance(_c, Case) and _c.fields.get("record_no") == "PS-2025-021":
        _c.fields["reviews"][2]["signed_on"] = None


def confirmation(no: str, customer: str, *, requested: str, confirmed: str, accepted: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "customer": customer, "contact_person": "采购部 王工", "contact_phone": "021-5046 7788",
        "order_channel": "phone", "requested_at": requested,
        "requirements": "GGD2 低压配电柜 6 面，交货期 30 天，价格按 2025 年协议价。",
        "confirmation_method": "fax", "confirmation_ref": f"传真 {requested[:10]}-02", "confirmed_at": confirmed,
        "accepted_at": accepted, "recorder": S(CONTRACT_CLERK, accepted[:10]),
    }
    return over(base, **changes)


add(
    Case("GK-14-03", "json", "gk14-03_qr-2025-008.json", confirmation(
        "QR-2025-008", "上海申能电力配套公司", requested="2025-07-15 10:20", confirmed="2025-07-15 15:40",
        accepted="2025-07-15 16:30"),
        [], "合规：电话订单传真确认后接受 / compliant, confirmed by fax before acceptance"),
    Case("GK-14-03", "json", "gk14-03_qr-2025-011.json", confirmation(
        "QR-2025-011", "河南平高电气检修公司", requested="2025-09-03 09:00", confirmed="2025-09-04 10:00",
        accepted="2025-09-03 17:00", order_channel="oral"),
        [("P3-12a", "fail")], "口头订单先接受后确认 / accepted before it was confirmed"),
    Case("GK-14-04", "yaml", "gk14-04_ledger-2025.yaml", {
        "record_no": "TZ-2025", "ledger_year": 2025, "keeper": S(CONTRACT_CLERK, "2025-12-31"),
        "contracts": [
            {"contract_no": c, "customer": cu, "product": "开关柜", "amount": a, "review_form_no": r, "signed_on": s,
             "task_notice_no": t, "annexes": "技术协议", "changes": None, "status": st, "archive_location": "市场部 A-3"}
            for c, cu, a, r, s, t, st in (
                ("HT-2025-052", _HN, 2350000, "PS-2025-011", "2025-05-20", "RWT-2025-016", "completed"),
                ("HT-2025-058", "浙江大唐电力安装公司", 1680000, "PS-2025-018", "2025-06-27", "RWT-2025-017", "completed"),
                ("HT-2025-066", "山东鲁能电气成套有限公司", 960000, "PS-2025-021", "2025-07-14", "RWT-2025-019",
                 "completed"),
                ("HT-2025-072", "湖北宏源电力工程公司", 780000, "PS-2025-024", "2025-08-07", "RWT-2025-021", "executing"),
                ("HT-2025-075", "上海申能电力配套公司", 1320000, "PS-2025-024", "2025-08-11", "RWT-2025-022",
                 "executing"),
                ("HT-2025-083", "安徽中电建设集团有限公司", 2890000, "PS-2025-027", "2025-08-11", "RWT-2025-023",
                 "executing"))]},
        [], "合规的合同管理台帐 / compliant contract ledger"),
)


def task_notice(no: str, customer: str, contract: str, review_no: str, *, signed: str, issued: str,
                **changes: Any) -> dict[str, Any]:
    depts = ["rnd", "quality", "production", "finance", "purchasing"]
    base = {
        "record_no": no, "issued_on": issued, "customer": customer, "contract_no": contract,
        "review_form_no": review_no, "contract_signed_on": signed,
        "items": [{"product": "高压开关柜", "model_spec": "KYN28A-12/1250-31.5", "quantity": 24, "unit": "面",
                   "delivery_on": "2025-07-30", "remarks": None},
                  {"product": "低压配电柜", "model_spec": "GGD2-38", "quantity": 16, "unit": "面",
                   "delivery_on": "2025-07-30", "remarks": None}],
        "technical_requirements": "按技术协议 JS-2025-052 执行，母排采用 T2 铜排。",
        "packaging_delivery": "木箱包装，汽车运输至用户现场。",
        "annexes": [{"name": "技术协议", "ref_no": "JS-2025-052", "pages": 12}],
        "distribution": depts,
        "receipts": [{"department": d, "receiver": r, "received_on": issued, "with_annexes": True}
                     for d, r in zip(depts, (RND, QA, PROD_HEAD, FIN_HEAD, "董明"), strict=True)],
        "preparer": S(CONTRACT_CLERK, issued), "market_head": S(MKT3_HEAD, issued),
    }
    return over(base, **changes)


add(
    Case("GK-14-05", "docx", "gk14-05_rwt-2025-016.docx", task_notice(
        "RWT-2025-016", _HN, "HT-2025-052", "PS-2025-011", signed="2025-05-20", issued="2025-05-22"),
        [], "合规：合同附件随任务通知单传递，各部门签收 / compliant"),
    Case("GK-14-05", "json", "gk14-05_rwt-2025-019.json", task_notice(
        "RWT-2025-019", "山东鲁能电气成套有限公司", "HT-2025-066", "PS-2025-021", signed="2025-07-14",
        issued="2025-07-16"),
        [("P3-16b", "missing")], "财务部签收时未随附合同附件 / one department received it without the annex"),
)
for _c in CASES:
    if isinstance(_c, Case) and _c.fields.get("record_no") == "RWT-2025-019":
        _c.fields["receipts"][3]["with_annexes"] = False


def design_change(no: str, customer: str, contract: str, *, applied: str, consent: str, consent_on: str,
                  approved: str, executed: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "applied_on": applied, "customer": customer, "contract_no": contract,
        "product": "KYN28A-12 高压开关柜", "drawing_no": "SJE-KYN-1250-03",
        "before_change": "电缆室底板为整板。", "after_change": "电缆室底板改为可拆卸分体式。",
        "reason": "便于现场电缆敷设。", "affects_customer": True, "impact": "不影响交货期和价格。",
        "applicant": S(RND, applied), "sent_to_market_on": applied, "customer_consent": consent,
        "customer_consent_on": consent_on, "consent_method": "fax", "consent_ref": f"用户传真 {consent_on}",
        "market_handler": S(SALES_SUP, consent_on), "leader_approval": S(TECH_HEAD, approved), "executed_on": executed,
        "rereview_needed": False, "change_notice_no": None,
    }
    return over(base, **changes)


add(
    Case("GK-14-06", "json", "gk14-06_bg-2025-005.json", design_change(
        "BG-2025-005", _HN, "HT-2025-052", applied="2025-06-03", consent="agreed", consent_on="2025-06-05",
        approved="2025-06-06", executed="2025-06-09"),
        [], "合规：顾客同意、主管领导批准后执行 / compliant"),
    Case("GK-14-06", "json", "gk14-06_bg-2025-008.json", design_change(
        "BG-2025-008", "浙江大唐电力安装公司", "HT-2025-058", applied="2025-07-07", consent="rejected",
        consent_on="2025-07-09", approved="2025-07-10", executed="2025-07-11"),
        [("P3-19d", "fail")], "顾客不同意仍执行了设计变更 / executed although the customer refused"),
    Case("GK-14-07", "json", "gk14-07_hb-2025-003.json", {
        "record_no": "HB-2025-003", "prepared_on": "2025-06-10", "customer": _HN, "contract_no": "HT-2025-052",
        "change_request_no": "BG-2025-005",
        "changes": [{"item": "电缆室底板", "before": "整板", "after": "可拆卸分体式"}],
        "reason": "顾客要求便于电缆敷设。", "rereview_on": "2025-06-10", "rereview_depts": ["market", "rnd", "production"],
        "rereview_conclusion": "可以满足，不影响交货期。", "customer_confirmation": S("华能 项目部 陈工", "2025-06-11"),
        "confirmation_method": "fax", "market_head": S(MKT3_HEAD, "2025-06-11"), "contract_revised_on": "2025-06-12",
        "distribution": ["rnd", "quality", "production", "purchasing"], "notified_on": "2025-06-12",
        "notified_persons": "潘越、秦川、罗斌、董明"},
        [], "合规：重新评审、顾客确认、部长审核后修订合同并通知 / compliant"),
)


def property_list(no: str, *, result: str, feedback: str | None, arrived: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "customer": _HN, "contract_no": "HT-2025-052", "scope_in_contract": True,
        "arrived_on": arrived,
        "items": [{"kind": "part", "name": "综合保护装置", "spec": "PCS-9611", "quantity": 24, "unit": "台",
                   "remarks": "用户指定品牌"}],
        "checked_on": arrived, "checked_by": CONTRACT_CLERK, "inspection_notified_on": arrived,
        "inspected_on": plus(arrived, 1), "inspection_result": result, "inspector": S(QA, plus(arrived, 1)),
        "feedback_record_no": feedback, "handed_to_dept": "生产部" if result == "pass" else None,
        "handed_on": plus(arrived, 2) if result == "pass" else None,
        "receiver": S(PROD_HEAD, plus(arrived, 2)) if result == "pass" else None,
        "verification_record_no": f"YZ-{no[3:]}" if result == "pass" else None,
    }
    return over(base, **changes)


add(
    Case("GK-14-08", "json", "gk14-08_gt-2025-002.json", property_list(
        "GT-2025-002", result="pass", feedback=None, arrived="2025-06-16"),
        [], "合规：顾客提供的综保装置验收合格转生产部 / compliant"),
    Case("GK-14-08", "json", "gk14-08_gt-2025-004.json", property_list(
        "GT-2025-004", result="fail", feedback=None, arrived="2025-07-21",
        items=[{"kind": "part", "name": "电流互感器", "spec": "LZZBJ9-12 300/5", "quantity": 72, "unit": "只",
                "remarks": None}]),
        [("P3-23a", "missing")], "验收不合格未记录供方质量跟踪反馈记录编号 / rejected without a supplier "
                                 "feedback record"),
    Case("GK-14-09", "json", "gk14-09_gf-2025-001.json", {
        "record_no": "GF-2025-001", "customer": _HN, "contract_no": "HT-2025-052", "product_list_no": "GT-2025-004",
        "item_name": "电流互感器", "spec": "LZZBJ9-12 300/5", "received_qty": 72, "nonconforming_qty": 6,
        "inspected_on": "2025-07-22", "nonconformity": "6 只互感器变比误差超差。", "inspector": S(QA, "2025-07-22"),
        "forwarded_on": "2025-07-23", "forwarded_by": S(SALES_SUP, "2025-07-23"), "customer_disposition": "replace",
        "customer_reply": "同意换货。", "replied_on": "2025-07-25", "follow_up": "换货已到并复检合格。",
        "closed_on": "2025-08-04"},
        [], "合规：不合格情况经市场部转达顾客 / compliant"),
    Case("GK-14-10", "json", "gk14-10_sg-2025-001.json", {
        "record_no": "SG-2025-001", "report_type": "accident", "customer": _HN, "contract_no": "HT-2025-052",
        "product_list_no": "GT-2025-002", "item_name": "综合保护装置 PCS-9611", "quantity": 1,
        "incident_type": "damage", "occurred_on": "2025-06-25", "description": "装配时螺丝刀划伤装置面板。",
        "reporter": S(PROD_HEAD, "2025-06-25"), "communicated_on": "2025-06-26",
        "market_handler": S(SALES_SUP, "2025-06-26"), "settlement": "我方出资更换面板，用户同意。",
        "closed_on": "2025-07-03"},
        [], "合规 / compliant"),
)

# =============================================================================================
# GK-15 合同评审和顾客沟通 (carton packaging line): contract reviews (major projects need the
# general manager), oral orders, samples, tooling costs, contract changes, complaints answered
# within 72 hours, customer property
# =============================================================================================

SM, SP1, SP2 = "袁野", "邓超", "许晴"          # 销售部经理, 销售员
TQ, PACK_TECH, BUYER, WORKSHOP, INSPECTOR = "彭飞", "林峰", "董明", "贾伟", "姚丽"


def box_review(no: str, customer: str, product: str, *, enquiry: str, reviewed: str, approved: str,
               committed: str, scheduled: str | None, kind: str = "existing", major: bool = False,
               gm: str | None = None, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "salesperson": SP1, "customer": customer, "customer_type": kind, "new_product": False,
        "enquiry_on": enquiry, "commitment_type": "contract", "order_no": f"BZ-{no[3:]}", "product": product,
        "quantity": 50000, "unit_price": 4.85, "delivery_on": plus(committed, 20),
        "material": "K=K 五层瓦楞纸板（BC 楞）", "structure": "0201 型开槽箱", "box_type": "上下摇盖",
        "size": "610×580×900 mm", "printing": "四色水印，顾客商标及条码", "packaging_standard": "national",
        "other_requirements": "每 20 只一捆，托盘运输。", "trademark_printing": False, "licence_reviewed": None,
        "licence_copy_kept": False,
        "production_opinion": "设备满足，产能可保证交货。", "production_reviewer": S(PROD_HEAD, reviewed),
        "technical_opinion": "工艺成熟。", "technical_reviewer": S(PACK_TECH, reviewed),
        "quality_opinion": "检测能力满足。", "quality_reviewer": S(TQ, reviewed),
        "finance_opinion": "价格及付款条件可接受。", "finance_reviewer": S(FIN_HEAD, reviewed),
        "purchasing_opinion": "原纸供应有保障。", "purchasing_reviewer": S(BUYER, reviewed),
        "other_reviews": None, "conclusion": "capable", "conclusion_note": None, "sales_manager": S(SM, approved),
        "is_major": major, "gm_approval": S(GM, gm) if gm else None, "committed_on": committed, "scheduled_on": scheduled,
    }
    return over(base, **changes)


_XTE = "无锡小天鹅电器有限公司"
_YH = "江苏洋河酒厂股份有限公司"
_BL = "苏州宝丽日化有限公司"
_YR = "南京雨润食品有限公司"
add(
    Case("GK-15-01", "docx", "gk15-01_hp-2025-031.docx", box_review(
        "HP-2025-031", _XTE, "XQB80 洗衣机包装纸箱", enquiry="2025-04-14", reviewed="2025-04-15",
        approved="2025-04-16", committed="2025-04-17", scheduled="2025-04-18"),
        [], "合规：老客户常规订单 / compliant repeat order"),
    Case("GK-15-01", "docx", "gk15-01_hp-2025-035.docx", box_review(
        "HP-2025-035", _YH, "梦之蓝 M3 礼盒外箱", enquiry="2025-05-15", reviewed="2025-05-20",
        approved="2025-05-21", committed="2025-05-23", scheduled="2025-05-26", kind="new", major=True,
        gm="2025-05-22", quantity=300000, trademark_printing=True, licence_reviewed="pass", licence_copy_kept=True,
        material="E 楞三层白卡复合", structure="天地盖", box_type="礼盒外箱", size="320×240×380 mm"),
        [], "合规：新客户重大项目，经总经理审批、承诺前完成 / compliant major project approved by the GM"),
    Case("GK-15-01", "docx", "gk15-01_hp-2025-038.docx", box_review(
        "HP-2025-038", _BL, "洗护用品运输纸箱（12 瓶装）", enquiry="2025-06-09", reviewed="2025-06-11",
        approved="2025-06-12", committed="2025-06-13", scheduled="2025-06-16", major=True, quantity=800000),
        [("P4-01", "missing")], "重大项目缺总经理审批 / major project without the general manager's approval"),
)
_BOX = "gk15-01_contract-reviews.yaml"
add(
    Case("GK-15-01", "yaml", _BOX, box_review(
        "HP-2025-041", _XTE, "TG100 滚筒洗衣机包装纸箱", enquiry="2025-07-02", reviewed="2025-07-07",
        approved="2025-07-08", committed="2025-07-09", scheduled="2025-07-10", major=True, gm="2025-07-08",
        quantity=600000, gm_approval=S(SM, "2025-07-08")),
        [("P4-01", "fail")], "销售部经理代总经理签批 / the sales manager signed in the GM's place"),
    Case("GK-15-01", "yaml", _BOX, box_review(
        "HP-2025-044", _YR, "低温肉制品周转纸箱", enquiry="2025-07-28", reviewed="2025-08-05",
        approved="2025-08-06", committed="2025-08-07", scheduled="2025-08-04", kind="new"),
        [("P4-07", "fail")], "新客户订单评审前就安排生产 / production scheduled before the review was signed"),
    Case("GK-15-01", "yaml", _BOX, box_review(
        "HP-2025-047", _BL, "沐浴露彩印纸箱", enquiry="2025-09-08", reviewed="2025-09-09",
        approved="2025-09-10", committed="2025-09-11", scheduled="2025-09-12", trademark_printing=True),
        [("P4-05a", "missing"), ("P4-05a", "missing")], "有商标印刷未评审印刷许可证 / trademark printing "
                                                        "without a licence review"),
    Case("GK-15-01", "yaml", _BOX, box_review(
        "HP-2025-050", _XTE, "XQB80 洗衣机包装纸箱", enquiry="2025-11-03", reviewed="2025-11-04",
        approved="2025-11-05", committed="2025-11-06", scheduled="2025-11-07"),
        [], "合规 / compliant"),
    Case("GK-15-01", "yaml", _BOX, box_review(
        "HP-2025-053", _YH, "海之蓝礼盒运输纸箱", enquiry="2025-11-17", reviewed="2025-11-18",
        approved="2025-11-19", committed="2025-11-20", scheduled="2025-11-24",
        quality_reviewer=S(TQ, "2025-11-21")),
        [("P4-02a", "fail"), ("P4-06c", "fail")], "品保评审人在承诺之后才签字：评审未完成即签约、签署结论 / the "
                                                  "quality reviewer signed after the commitment and the conclusion"),
)


def complaint15(no: str, customer: str, product: str, *, received: str, tq: str, trace: str, deadline: str,
                returned: str, complaint: str, cause: str, action: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "customer": customer, "contact_person": "品质部 经理", "contact_phone": "0510-8520 0000",
        "complaint_received_at": received, "complaint_form": "written", "order_no": None, "product": product,
        "complaint": complaint, "investigation_method": "onsite", "investigated_on": received[:10],
        "investigation_record": "赴顾客仓库查看库存纸箱并抽样检测。", "salesperson": S(SP1, received[:10]),
        "tq_received_at": tq, "trace_started_at": trace, "cause": cause, "responsible_dept": "workshops",
        "corrective_action": action, "action_deadline": deadline, "tq_signature": S(TQ, tq[:10]),
        "rectification_status": "已按纠正措施整改，复检合格。", "returned_to_customer_at": returned,
        "returned_via": "email", "customer_recheck": None, "closed_on": None,
    }
    return over(base, **changes)


_C15 = "gk15-11_customer-feedback.csv"
add(
    Case("GK-15-11", "csv", _C15, complaint15(
        "XX-2025-003", _XTE, "XQB80 洗衣机包装纸箱", received="2025-05-12 09:10", tq="2025-05-12 14:00",
        trace="2025-05-12 15:30", deadline="2025-05-20", returned="2025-05-14 11:00",
        complaint="纸箱抗压强度不足，仓库堆码时塌箱。", cause="瓦楞纸板含水率偏高。", action="调整烘干温度，加严含水率检验。"),
        [], "合规：约 50 小时内回复顾客 / compliant, answered in about 50 hours"),
    Case("GK-15-11", "csv", _C15, complaint15(
        "XX-2025-006", _BL, "洗护用品运输纸箱", received="2025-07-07 09:30", tq="2025-07-07 11:00",
        trace="2025-07-07 13:00", deadline="2025-07-15", returned="2025-07-10 09:30",
        complaint="印刷色差明显。", cause="油墨批次更换未做首件确认。", action="恢复首件确认并对比色标卡。"),
        [], "恰好 72 小时回复 / answered after exactly 72 hours"),
    Case("GK-15-11", "csv", _C15, complaint15(
        "XX-2025-009", _YR, "低温肉制品周转纸箱", received="2025-09-29 16:00", tq="2025-09-30 09:00",
        trace="2025-09-30 10:00", deadline="2025-10-15", returned="2025-10-02 17:10",
        complaint="纸箱在冷库受潮变形。", cause="未按合同要求使用防潮涂层。", action="补做防潮涂层并更换库存纸箱。"),
        [("P4-26", "fail")], "73 小时 10 分才回复（国庆期间小时期限不顺延）/ answered after 73 h 10 min"),
    Case("GK-15-11", "csv", _C15, complaint15(
        "XX-2025-012", _YH, "梦之蓝 M3 礼盒外箱", received="2025-11-03 10:00", tq="2025-11-04 10:00",
        trace="2025-11-04 09:00", deadline="2025-11-12", returned="2025-11-05 16:00",
        complaint="礼盒外箱天地盖配合过紧。", cause="模切板磨损，尺寸偏差 1.5 mm。", action="更换模切板。"),
        [("P4-25a", "fail")], "内部追溯时间早于技术质量部接到信息 / traceback dated before 技术质量部 got the case"),
    Case("GK-15-11", "csv", _C15, complaint15(
        "XX-2025-015", _XTE, "TG100 滚筒洗衣机包装纸箱", received="2025-12-08 08:40", tq="2025-12-08 10:00",
        trace="2025-12-08 10:30", deadline="2025-12-15", returned="2025-12-10 15:00",
        complaint="条码扫描率低。", cause="条码印刷网点扩大。", action="调整印刷压力并增加条码检测。"),
        [], "合规 / compliant"),
)

add(
    Case("GK-15-02", "json", "gk15-02_kt-2025-005.json", {
        "record_no": "KT-2025-005", "order_channel": "phone", "received_at": "2025-06-04 10:15", "salesperson": SP2,
        "customer": _BL, "contact_person": "采购 刘小姐", "contact_phone": "0512-6656 1234",
        "items": [{"product": "洗护用品运输纸箱", "spec": "390×260×280 mm", "quantity": 20000, "unit_price": 2.35,
                   "delivery_on": "2025-06-20"}],
        "other_requirements": "单色印刷。", "has_unmet_conditions": False, "unmet_conditions": None,
        "confirmation_needed": True, "confirmation_method": "fax", "customer_confirmed_on": "2025-06-04",
        "online_order_printed": False, "salesperson_signature": S(SP2, "2025-06-04"), "sales_manager": S(SM, "2025-06-05")},
        [], "合规：电话订货经顾客传真确认 / compliant phone order"),
    Case("GK-15-02", "json", "gk15-02_kt-2025-009.json", {
        "record_no": "KT-2025-009", "order_channel": "online", "received_at": "2025-09-15 21:30", "salesperson": SP1,
        "customer": _YR, "contact_person": "采购部 张先生", "contact_phone": "025-5288 6600",
        "items": [{"product": "低温肉制品周转纸箱", "spec": "500×350×250 mm", "quantity": 40000, "unit_price": 3.10,
                   "delivery_on": "2025-10-10"}],
        "other_requirements": None, "has_unmet_conditions": False, "unmet_conditions": None,
        "confirmation_needed": False, "confirmation_method": None, "customer_confirmed_on": None,
        "online_order_printed": False, "salesperson_signature": S(SP1, "2025-09-16"), "sales_manager": S(SM, "2025-09-16")},
        [("P4-10c", "missing")], "网上订单未打印书面保存 / online order not printed and kept"),
    Case("GK-15-02", "json", "gk15-02_kt-2025-012.json", {
        "record_no": "KT-2025-012", "order_channel": "oral", "received_at": "2025-10-16 15:00", "salesperson": SP2,
        "customer": _XTE, "contact_person": "采购部 周经理", "contact_phone": "0510-8520 1111",
        "items": [{"product": "XQB80 洗衣机包装纸箱", "spec": "610×580×900 mm", "quantity": 30000, "unit_price": 4.85,
                   "delivery_on": "2025-10-31"}],
        "other_requirements": "要求 10 月 25 日前交货。", "has_unmet_conditions": True,
        "unmet_conditions": "10 月 25 日前交货无法满足，最早 10 月 31 日，已向顾客说明。", "confirmation_needed": True,
        "confirmation_method": "email", "customer_confirmed_on": "2025-10-17", "online_order_printed": False,
        "salesperson_signature": S(SP2, "2025-10-16"), "sales_manager": S(SM, "2025-10-17")},
        [], "合规：口头订货中不能满足的交货期已说明并经顾客确认 / compliant, the unmet condition is stated"),
    Case("GK-15-03", "json", "gk15-03_wt-2025-004.json", {
        "record_no": "WT-2025-004", "contract_no": "BZ-2025-035", "contract_review_no": "HP-2025-035",
        "contract_effective_on": "2025-05-23", "filled_on": "2025-05-26", "salesperson": SP1, "customer": _YH,
        "product": "梦之蓝 M3 礼盒外箱", "sample_qty": 20, "material": "E 楞三层白卡复合", "structure": "天地盖",
        "box_type": "礼盒外箱", "size": "320×240×380 mm", "printing": "专色蓝 + 烫金", "requirements": "附顾客样品一只",
        "required_by": "2025-06-06", "salesperson_signature": S(SP1, "2025-05-26"),
        "doubts_clarified": "烫金位置按顾客样品。", "workshop_reviewer": S(WORKSHOP, "2025-05-27"),
        "technical_reviewer": S(PACK_TECH, "2025-05-27"), "quality_reviewer": S(TQ, "2025-05-27")},
        [], "合规：合同生效后委托，经车间、技术部、技术质量部评审 / compliant"),
    Case("GK-15-04", "json", "gk15-04_gy-2025-004.json", {
        "record_no": "GY-2025-004", "trial_order_no": "WT-2025-004", "product": "梦之蓝 M3 礼盒外箱",
        "made_on": "2025-06-03", "materials": "350 g 白卡 + E 楞",
        "parameters": [{"operation": "印刷", "equipment": "海德堡 CD102", "parameter": "印刷速度", "value": "8000",
                        "unit": "张/小时"},
                       {"operation": "烫金", "equipment": "博斯特烫金机", "parameter": "烫金温度", "value": "115",
                        "unit": "℃"},
                       {"operation": "模切", "equipment": "博斯特模切机", "parameter": "模切压力", "value": "180",
                        "unit": "t"}],
        "test_needed": True, "test_report_no": "CS-2025-011", "recorder": S(PACK_TECH, "2025-06-03"),
        "inspector": S(INSPECTOR, "2025-06-03")},
        [], "合规：工艺参数经检验员确认 / compliant"),
    Case("GK-15-05", "json", "gk15-05_yp-2025-003.json", {
        "record_no": "YP-2025-003", "trial_order_no": "WT-2025-004", "customer": _YH, "product": "梦之蓝 M3 礼盒外箱",
        "inspected_on": "2025-06-04",
        "checks": [{"item": "尺寸", "requirement": "320×240×380±1 mm", "actual": "320.5×240×379.6", "verdict": "pass"},
                   {"item": "色差", "requirement": "ΔE ≤ 2", "actual": "1.3", "verdict": "pass"}],
        "conclusion": "pass", "sales_signature": S(SP1, "2025-06-04"), "quality_signature": S(TQ, "2025-06-04"),
        "sample_sent_on": "2025-06-05", "customer_result": "confirmed", "customer_confirmed_on": "2025-06-09",
        "signed_sample_returned": True, "sealed_sample_no": "FY-2025-008", "sealed_archived_on": "2025-06-10",
        "resend_report_no": None},
        [], "合规：送样前检查，顾客确认后封样 / compliant"),
    Case("GK-15-05", "json", "gk15-05_yp-2025-006.json", {
        "record_no": "YP-2025-006", "trial_order_no": "WT-2025-007", "customer": _YR, "product": "低温肉制品周转纸箱",
        "inspected_on": "2025-08-12",
        "checks": [{"item": "边压强度", "requirement": "≥ 7.0 kN/m", "actual": "6.2", "verdict": "fail"}],
        "conclusion": "redo", "sales_signature": S(SP1, "2025-08-12"), "quality_signature": S(TQ, "2025-08-12"),
        "sample_sent_on": "2025-08-13", "customer_result": "unsatisfied", "customer_confirmed_on": None,
        "signed_sample_returned": False, "sealed_sample_no": None, "sealed_archived_on": None,
        "resend_report_no": "YP-2025-007"},
        [("P4-13c", "fail")], "检查结论为重做仍送样 / sent to the customer although it had to be redone"),
    Case("GK-15-06", "json", "gk15-06_gf-2025-002.json", {
        "record_no": "GF15-2025-002", "source": "tooling", "supplier": "常州精工模切板厂", "item": "die_board",
        "item_spec": "M3 礼盒天地盖", "quantity": 1, "order_no": "BZ-2025-035", "property_list_no": None,
        "found_on": "2025-11-04", "problem": "模切板刀线磨损，尺寸偏差 1.5 mm。", "inspector": S(INSPECTOR, "2025-11-04"),
        "request_to_supplier": "免费返修并提供刀线寿命说明。", "sent_on": "2025-11-05",
        "sales_handler": S(SP1, "2025-11-05"), "supplier_reply": "已返修。", "replied_on": "2025-11-08",
        "verification": "返修后试模合格。", "closed_on": "2025-11-10"},
        [], "合规：发现后及时向供方反馈 / compliant"),
    Case("GK-15-07", "json", "gk15-07_ym-2025-003.json", {
        "record_no": "YM-2025-003", "customer": _YH, "product": "梦之蓝 M3 礼盒外箱", "order_no": "BZ-2025-035",
        "colour_card_no": "SK-YH-2025-01", "colour_card_approved": True, "colour_card_approved_on": "2025-05-30",
        "mixes": [{"target_colour": "梦之蓝专色", "base_ink": "洋紫蓝 + 白墨", "source": "杭华油墨",
                   "composition": "蓝 68%、白 30%、冲淡剂 2%", "ratio": "34:15:1"}],
        "mixed_on": "2025-06-02", "mixer": S(WORKSHOP, "2025-06-02"), "inspector": S(INSPECTOR, "2025-06-02")},
        [], "合规：色标卡经顾客批准后配墨 / compliant"),
    Case("GK-15-08", "json", "gk15-08_ft-2025-001.json", {
        "record_no": "FT-2025-001", "customer": _YH, "contract_no": "BZ-2025-035", "product": "梦之蓝 M3 礼盒外箱",
        "tooling_types": ["printing_plate", "die_board"], "description": "制作专色印版 2 块、模切板 1 块。",
        "estimated_cost": 18600, "estimate_basis": "供方报价", "estimator": S(PACK_TECH, "2025-05-26"),
        "checked_cost": 18000,
        "sharing": [{"party": "customer", "share_percent": 50, "amount": 9000, "method": "随首批货款结算"},
                    {"party": "company", "share_percent": 50, "amount": 9000, "method": "计入模具费用"}],
        "sales_review": S(SM, "2025-05-27"), "customer_approval_needed": True,
        "customer_approval": S("洋河 采购部 王经理", "2025-05-28"), "gm_approval": S(GM, "2025-05-28"),
        "made_on": "2025-05-29"},
        [], "合规：估算、复核、顾客认可、总经理批准后制作 / compliant"),
    Case("GK-15-08", "json", "gk15-08_ft-2025-002.json", {
        "record_no": "FT-2025-002", "customer": _XTE, "contract_no": "BZ-2025-041", "product": "TG100 滚筒洗衣机包装纸箱",
        "tooling_types": ["die_board"], "description": "新制模切板 2 块。", "estimated_cost": 9600,
        "estimate_basis": "供方报价", "estimator": S(PACK_TECH, "2025-07-10"), "checked_cost": 9200,
        "sharing": [{"party": "customer", "share_percent": 100, "amount": 9200, "method": "单独结算"}],
        "sales_review": S(SM, "2025-07-11"), "customer_approval_needed": True, "customer_approval": None,
        "gm_approval": S(GM, "2025-07-11"), "made_on": "2025-07-14"},
        [("P4-17c", "missing")], "费用全由顾客承担却没有顾客认可签字 / the customer pays but never agreed in writing"),
    Case("GK-15-09", "json", "gk15-09_bg15-2025-002.json", {
        "record_no": "BG15-2025-002", "customer": _YR, "contract_no": "BZ-2025-044", "raised_by": "customer",
        "raised_on": "2025-10-13", "request_kind": "termination", "change_types": None, "changes": None,
        "reason": "顾客产品停产，终止剩余 2 万只纸箱。", "counterparty_consent": "agreed", "consent_on": "2025-10-14",
        "consent_evidence": "终止协议 ZZ-2025-002", "termination_signed": True, "new_traveller_no": None,
        "new_quotation_no": None, "new_review_no": None, "product_change_notice_no": None,
        "notified_depts": ["planning", "workshops", "purchasing", "finance"], "notified_on": "2025-10-15",
        "salesperson": S(SP1, "2025-10-15"), "sales_manager": S(SM, "2025-10-15")},
        [], "合规：合同终止双方在原合同上签字确认 / compliant termination"),
    Case("GK-15-09", "json", "gk15-09_bg15-2025-004.json", {
        "record_no": "BG15-2025-004", "customer": _XTE, "contract_no": "BZ-2025-050", "raised_by": "customer",
        "raised_on": "2025-11-17", "request_kind": "change", "change_types": ["quantity", "price"],
        "changes": [{"item": "数量", "before": "50000 只", "after": "65000 只"},
                    {"item": "单价", "before": "4.85 元", "after": "4.70 元"}],
        "reason": "顾客追加订单并要求批量价。", "counterparty_consent": "agreed", "consent_on": "2025-11-18",
        "consent_evidence": "补充协议 BC-2025-011", "termination_signed": False, "new_traveller_no": "LZ-2025-212",
        "new_quotation_no": None, "new_review_no": None, "product_change_notice_no": None,
        "notified_depts": ["planning", "workshops", "finance"], "notified_on": "2025-11-19",
        "salesperson": S(SP1, "2025-11-19"), "sales_manager": S(SM, "2025-11-19")},
        [("P4-20b", "missing")], "价格变更未重出报价单 / price changed without a new quotation"),
    Case("GK-15-09", "json", "gk15-09_bg15-2025-006.json", {
        "record_no": "BG15-2025-006", "customer": _YH, "contract_no": "BZ-2025-035", "raised_by": "company",
        "raised_on": "2025-12-01", "request_kind": "change", "change_types": ["structure", "process"],
        "changes": [{"item": "礼盒结构", "before": "天地盖", "after": "翻盖磁吸"},
                    {"item": "表面工艺", "before": "烫金", "after": "烫金 + 局部 UV"}],
        "reason": "顾客春节版礼盒改版。", "counterparty_consent": "agreed", "consent_on": "2025-12-03",
        "consent_evidence": "顾客确认函 QR-2025-031", "termination_signed": False, "new_traveller_no": None,
        "new_quotation_no": None, "new_review_no": "HP-2025-053", "product_change_notice_no": "CB-2025-009",
        "notified_depts": ["planning", "technical", "tech_quality", "workshops"], "notified_on": "2025-12-04",
        "salesperson": S(SP1, "2025-12-04"), "sales_manager": S(SM, "2025-12-04")},
        [], "合规：结构和工艺变更重作评审并制作产品变更通知单 / compliant structural and process change"),
    Case("GK-15-10", "json", "gk15-10_gx-2025-q3.json", {
        "record_no": "GX-2025-Q3", "period": "2025年第三季度", "keeper": S(SP2, "2025-09-30"),
        "entries": [{"contact_at": "2025-07-03 10:00", "customer": _XTE, "contact_person": "采购部 周经理",
                     "channel": "phone", "stage": "in_contract", "content": "询问 7 月交货进度",
                     "reply": "按计划 7 月 15 日交货", "salesperson": SP1},
                    {"contact_at": "2025-08-19 14:30", "customer": _YH, "contact_person": "包材科 王科长",
                     "channel": "visit", "stage": "post_contract", "content": "反馈礼盒使用情况良好",
                     "reply": "记录并感谢", "salesperson": SP1},
                    {"contact_at": "2025-09-10 09:20", "customer": _BL, "contact_person": "采购 刘小姐",
                     "channel": "written", "stage": "pre_contract", "content": "询价新规格纸箱",
                     "reply": "3 日内报价", "salesperson": SP2}]},
        [], "合规：顾客咨询及意见逐条记录 / compliant"),
    Case("GK-15-12", "json", "gk15-12_cw-2025-002.json", {
        "record_no": "CW-2025-002", "customer": _YH, "contract_no": "BZ-2025-035", "scope_in_contract": True,
        "quality_agreement_no": "ZX-2025-003", "arrived_on": "2025-05-28",
        "items": [{"kind": "material", "name": "烫金膜", "spec": "金色 640 mm×120 m", "quantity": 20, "unit": "卷",
                   "custodian": "仓储部"},
                  {"kind": "ip", "name": "礼盒设计稿", "spec": "M3-2025 版", "quantity": 1, "unit": "套",
                   "custodian": "技术部"}],
        "counted_on": "2025-05-28", "counted_by": WORKSHOP, "inspected_on": "2025-05-29", "inspection_result": "pass",
        "inspector": S(TQ, "2025-05-29"), "supplier_feedback_no": None, "customer_notified_on": None,
        "warehoused_on": "2025-05-29", "verification_record_no": "YZ15-2025-006", "registrar": S(PACK_TECH, "2025-05-28")},
        [], "合规：顾客提供财产清点、检验后入库 / compliant"),
    Case("GK-15-12", "json", "gk15-12_cw-2025-004.json", {
        "record_no": "CW-2025-004", "customer": _BL, "contract_no": "BZ-2025-047", "scope_in_contract": True,
        "quality_agreement_no": "ZX-2025-005", "arrived_on": "2025-09-15",
        "items": [{"kind": "material", "name": "顾客指定白板纸", "spec": "300 g/m²", "quantity": 12, "unit": "吨",
                   "custodian": "仓储部"}],
        "counted_on": "2025-09-15", "counted_by": WORKSHOP, "inspected_on": "2025-09-16", "inspection_result": "fail",
        "inspector": S(TQ, "2025-09-16"), "supplier_feedback_no": "GF15-2025-004", "customer_notified_on": "2025-09-17",
        "warehoused_on": None, "verification_record_no": None, "registrar": S(PACK_TECH, "2025-09-15")},
        [], "合规：检验不合格，记录供方产品质量反馈表并转知顾客 / compliant, rejected and reported"),
    Case("GK-15-13", "json", "gk15-13_sg15-2025-001.json", {
        "record_no": "SG15-2025-001", "report_type": "nonconformity", "customer": _YH, "contract_no": "BZ-2025-035",
        "property_list_no": "CW-2025-002", "item_name": "烫金膜 金色 640 mm", "quantity": 2, "incident_type": "unsuitable",
        "occurred_on": "2025-06-02", "description": "2 卷烫金膜附着力不足，烫印脱落。",
        "reporter": S(WORKSHOP, "2025-06-02"), "communicated_on": "2025-06-03", "sales_handler": S(SP1, "2025-06-03"),
        "settlement": "顾客补发 2 卷，不合格品退回。", "closed_on": "2025-06-06"},
        [], "合规：发现后经销售部转知顾客 / compliant"),
)

add(
    Case("GK-15-13", "json", "gk15-13_sg15-2025-003.json", {
        "record_no": "SG15-2025-003", "report_type": "accident", "customer": _BL, "contract_no": "BZ-2025-047",
        "property_list_no": "CW-2025-004", "item_name": "顾客指定白板纸 300 g/m²", "quantity": 1,
        "incident_type": "damage", "occurred_on": "2025-10-20", "description": "叉车搬运时刺破 1 卷白板纸。",
        "reporter": S(WORKSHOP, "2025-10-20"), "communicated_on": "2025-10-21", "sales_handler": S(None, "2025-10-21"),
        "settlement": "按原价赔偿，顾客同意。", "closed_on": "2025-10-28"},
        [("P4-29a", "missing")], "销售部经办人一栏只写了日期没签名 / the sales handler's signature has a date but "
                                 "no name"),
)

# =============================================================================================
# GK-07 合同执行评审 and 产成品入库评价 (notice at least 2 days ahead, look before concluding)
# =============================================================================================

ITEMS_0701 = {
    "item01_quality_standard": "执行 GB/T 1094 及技术协议，出厂试验全项。",
    "item02_key_parts": "铁心采用 30Q120 硅钢片，线圈铜导线，关键工艺为真空注油。",
    "item03_design_cycle": "设计 10 天，满足 60 天总周期。",
    "item04_equipment_capacity": "现有绕线机、真空干燥罐满足。",
    "item05_procurement": "硅钢片提前 30 天订货，套管外购。",
    "item06_cost_budget": "按报价成本控制，重点控制硅钢片和铜材。",
    "item07_funding": "预付款 30% 到账后采购关键材料。",
    "item08_human_resources": "变压器分厂两班生产。",
    "item09_test_means": "试验站设备满足例行试验，温升试验外委。",
    "item10_delivery": "分两批交货，关键件优先排产。",
    "item11_transport": "带油运输，超宽件办理通行证。",
    "item12_other": "用户要求加装在线监测装置，另签补充协议。",
    "item13_legal_risk": "违约金上限 5%，已在合同中约定。",
}


def execution_review(no: str, contract: str, customer: str, product: str, *, delivery: str, confirmed: str,
                     review: str, archived: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "contract_no": contract, "customer": customer, "product": product,
        "signing_unit": "营销一部", "delivery_date": delivery, "confirmed_effective_on": confirmed,
        "sig_customer_service": S(CS_HEAD, confirmed), "sig_business": S("陆明", confirmed), "review_on": review,
        "venue": "公司三楼会议室",
        "participating_depts": ["production", "quality_safety", "technical", "finance", "inspection",
                                "customer_service", "business", "materials_planning"],
        "attendees": [{"name": PROD_HEAD, "department": "生产部", "position": "部长"},
                      {"name": TECH_HEAD, "department": "技术部", "position": "部长"}],
        "contract_briefing": "合同签订单位介绍合同条款及用户特殊要求。", "technical_briefing": "技术协议关键项解释。",
        **ITEMS_0701,
        "dept_plans": [{"department": "technical", "measures": "完成图纸设计", "due_on": plus(review, 10),
                        "written_doc": "设计任务书"},
                       {"department": "materials_planning", "measures": "硅钢片、铜材订货", "due_on": plus(review, 15),
                        "written_doc": "采购计划"},
                       {"department": "production", "measures": "排产并组织生产", "due_on": plus(review, 45),
                        "written_doc": "生产计划"}],
        "early_warnings": None, "conclusion": "可以执行，按各部门进度落实。", "sig_organizer": S(PROD_HEAD, review),
        "archived_on": archived, "sig_recorder": S("白雪", review),
    }
    return over(base, **changes)


add(
    Case("GK-07-01", "json", "gk07-01_zp-2025-005.json", execution_review(
        "ZP-2025-005", "HT-2025-061", "江苏华能电力工程有限公司", "SCB13-1250/10 干式变压器 8 台",
        delivery="2025-07-20", confirmed="2025-05-22", review="2025-05-26", archived="2025-05-28"),
        [], "合规：确认生效后由生产部组织执行评审，十三项齐全 / compliant"),
    Case("GK-07-01", "json", "gk07-01_zp-2025-008.json", execution_review(
        "ZP-2025-008", "HT-2025-090", "上海申能电力配套公司", "SCB13-1250/10 干式变压器 10 台",
        delivery="2025-09-30", confirmed="2025-07-24", review="2025-07-28", archived="2025-07-30",
        item13_legal_risk=None),
        [("GK07-02", "missing")], "未评审第 13 项法律依据及风险防范 / item 13 (legal risk) not reviewed"),
)


def evaluation_0702(no: str, contract: str, customer: str, product: str, *, notice: str, evaluated: str,
                    inspected: str, concluded: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "contract_no": contract, "customer": customer, "product": product,
        "serial_no": f"SN{no[3:].replace('-', '')}", "quantity": "8 台", "signing_dept": "营销一部",
        "notice_on": notice, "sig_notifier": S(INSP_CLERK, notice), "evaluation_on": evaluated,
        "site": "变压器分厂总装车间",
        "participating_depts": ["signing_dept", "materials_planning", "inspection", "technical", "finance",
                                "branch_factory"],
        "members": [{"name": n, "department": d, "position": p} for n, d, p in (
            (MKT_HEAD, "营销一部", "部长"), (MAT_HEAD, "物资计划部", "部长"), (INSP_HEAD, "计检部", "部长"),
            (TECH_HEAD, "技术部", "部长"), (FIN_HEAD, "财务部", "部长"), (BRANCH_HEAD, "变压器分厂", "厂长"))],
        "inspected_at": inspected, "appearance_findings": "外观油漆均匀，铭牌参数正确，附件齐全。",
        "discussion": "出厂试验报告齐全，同意入库。", "conclusion": "accept", "concluded_at": concluded,
        "conclusion_details": "同意入库，待发货。",
        "sig_signing_dept": S(MKT_HEAD, evaluated), "sig_materials_planning": S(MAT_HEAD, evaluated),
        "sig_inspection": S(INSP_HEAD, evaluated), "sig_technical": S(TECH_HEAD, evaluated),
        "sig_chief_designer": S(TECH_ENG, evaluated), "sig_finance": S(FIN_HEAD, evaluated),
        "sig_branch_factory": S(BRANCH_HEAD, evaluated), "copy_to_leaders": True, "sent_to_leaders_on": plus(evaluated, 1),
        "sig_leader_received": S(VP, plus(evaluated, 1)), "copy_archived": True, "archived_on": plus(evaluated, 1),
    }
    return over(base, **changes)


add(
    Case("GK-07-02", "docx", "gk07-02_rk-2025-006.docx", evaluation_0702(
        "RK-2025-006", "HT-2025-061", "江苏华能电力工程有限公司", "SCB13-1250/10 干式变压器", notice="2025-07-14",
        evaluated="2025-07-16", inspected="2025-07-16 09:30", concluded="2025-07-16 11:00"),
        [], "合规：恰好提前 2 天通知，先看实物后下结论 / compliant, notified exactly 2 days ahead"),
    Case("GK-07-02", "docx", "gk07-02_rk-2025-009.docx", evaluation_0702(
        "RK-2025-009", "HT-2025-090", "上海申能电力配套公司", "SCB13-1250/10 干式变压器", notice="2025-09-10",
        evaluated="2025-09-11", inspected="2025-09-11 09:00", concluded="2025-09-11 10:30"),
        [("GK07-05a", "fail")], "只提前 1 天通知合同签订部门 / notified only one day ahead"),
    Case("GK-07-02", "json", "gk07-02_rk-2025-011.json", evaluation_0702(
        "RK-2025-011", "HT-2025-104", "山东鲁能电气成套有限公司", "S11-M-1000/10 油浸式变压器", notice="2025-10-13",
        evaluated="2025-10-15", inspected="2025-10-15 10:30", concluded="2025-10-15 09:00"),
        [("GK07-06", "fail")], "结论时间早于查看实物时间 / concluded before looking at the product"),
    Case("GK-07-02", "json", "gk07-02_rk-2025-013.json", evaluation_0702(
        "RK-2025-013", "HT-2025-118", "湖北宏源电力工程公司", "SCB13-1250/10 干式变压器", notice="2025-11-10",
        evaluated="2025-11-12", inspected="2025-11-12 14:00", concluded="2025-11-12 15:30", sig_finance=None),
        [("GK07-08a", "missing")], "财务部领导未签字 / the finance head did not sign"),
)

# =============================================================================================
# GK-01…GK-06, GK-08, GK-13: one record or a few of each form, mostly compliant
# =============================================================================================

add(
    Case("GK-01-01", "json", "gk01-01_tz-2025-014.json", {
        "notice_no": "TZ-2025-014", "marketing_dept": "营销一部", "customer": "湖北宏源电力工程公司",
        "project_name": "宏源 35kV 光伏升压站", "product": "YBM-35/0.8-3150 箱式变电站", "quantity": "4 台",
        "intent_confirmed_on": "2025-04-21", "issued_on": "2025-04-22",
        "customer_requirements": "箱变需适应高海拔 2000 m，防护等级 IP54。",
        "preparation_tasks": "方案、一次系统图、技术协议初稿及报价资料。", "required_by": "2025-05-06",
        "attachments": "用户技术规范书", "sig_issuer": S("陈静", "2025-04-22"), "sig_marketing_head": S(MKT_HEAD, "2025-04-22"),
        "sig_receiver": S("谢晨", "2025-04-23")},
        [], "合规：确认合作意向后向技术开发部下达通知 / compliant"),
    Case("GK-01-01", "json", "gk01-01_tz-2026-003.json", {
        "notice_no": "TZ-2026-003", "marketing_dept": "营销二部", "customer": "河南平高电力工程公司",
        "project_name": "平高 110kV 变电站扩建", "product": "SZ11-50000/110 电力变压器", "quantity": "1 台",
        "intent_confirmed_on": "2026-01-12", "issued_on": "2026-01-13",
        "customer_requirements": "提供出厂试验方案及运输尺寸图。",
        "preparation_tasks": "技术协议初稿、一次系统图及报价资料。", "required_by": "2026-02-06",
        "attachments": "用户技术规范书", "sig_issuer": S("陈静", "2026-01-13"), "sig_marketing_head": S(MKT_HEAD, "2026-01-13"),
        "sig_receiver": S("谢晨", "2026-01-14")},
        [], "要求完成日期（02-06）在审核日之后，是计划日期而非已发生的日期，不报“晚于审核日期” / the required-by date "
            "(02-06) lies after the audit date; it is planned, not done, so it is no finding"),
)


def archive_0102(no: str, contract: str, customer: str, *, signed: str, archived: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "marketing_dept": "营销一部", "contract_no": contract, "signed_on": signed,
        "customer": customer, "product": "KYN28A-12 高压开关柜",
        "archived_items": [{"doc_type": "sales_contract", "doc_name": f"{contract} 产品买卖合同", "is_original": True,
                            "pages": 8},
                           {"doc_type": "tech_agreement", "doc_name": "技术协议", "is_original": True, "pages": 12},
                           {"doc_type": "customer_opinion", "doc_name": "用户对母排材质的书面意见", "is_original": True,
                            "pages": 1}],
        "archived_on": archived, "sig_archivist": S(MKT_OFFICE, archived),
        "copy_distribution": ["production_mgmt", "finance", "technical", "materials"],
        "copy_receipts": [{"department": d, "received_by": r, "received_on": archived}
                          for d, r in (("production_mgmt", PROD_HEAD), ("finance", FIN_CLERK), ("technical", TECH_HEAD),
                                       ("materials", MAT_HEAD))],
        "scheduling_notice_no": f"PC-{contract[3:]}", "scheduling_notice_on": plus(archived, 2),
        "sig_marketing_head": S(MKT_HEAD, archived),
    }
    return over(base, **changes)


_ARCH = "gk01-02_contract-archive.yaml"
add(
    Case("GK-01-02", "yaml", _ARCH, archive_0102("GD-2025-021", "HT-2025-052", _HN, signed="2025-05-20",
                                                 archived="2025-05-21"),
         [], "合规：原件归档，复印件转四个部门，财务部下达排产通知 / compliant"),
    Case("GK-01-02", "yaml", _ARCH, archive_0102("GD-2025-026", "HT-2025-066", "山东鲁能电气成套有限公司",
                                                 signed="2025-07-14", archived="2025-07-15",
                                                 copy_distribution=["production_mgmt", "finance", "technical"],
                                                 scheduling_notice_on=None),
         [("GK01-03a", "fail"), ("GK01-03b", "missing")], "复印件未转物资部，排产通知未注明日期 / no copy to "
                                                          "物资部, scheduling notice undated"),
)


def scheduling(no: str, contract: str, customer: str, *, signed: str, issued: str, **changes: Any) -> dict[str, Any]:
    base = {
        "notice_no": no, "contract_no": contract, "customer": customer, "contract_signed_on": signed,
        "delivery_date": plus(signed, 70), "payment_status": "预付款 30% 已到账",
        "items": [{"product": "高压开关柜", "model": "KYN28A-12", "quantity": 24, "unit": "面",
                   "delivery_date": plus(signed, 70)}],
        "remarks": None, "distribution": ["production_mgmt", "technical", "materials", "inspection"],
        "issued_on": issued, "sig_finance": S(FIN_CLERK, issued), "sig_finance_head": S(FIN_HEAD, issued),
        "sig_receiver": S(PROD_HEAD, issued),
    }
    return over(base, **changes)


add(
    Case("GK-01-03", "json", "gk01-03_pc-2025-052.json", scheduling(
        "PC-2025-052", "HT-2025-052", _HN, signed="2025-05-20", issued="2025-05-23"),
        [], "合规：财务部签发排产通知 / compliant"),
    Case("GK-01-03", "json", "gk01-03_pc-2025-066.json", scheduling(
        "PC-2025-066", "HT-2025-066", "山东鲁能电气成套有限公司", signed="2025-07-14", issued="2025-07-17",
        sig_finance_head=S(FIN_HEAD, None)),
        [("GK01-03d", "missing")], "财务部负责人签名未写日期 / finance head signed without a date"),
)


def change_0104(no: str, *, found: str, contacted: str, consent_on: str, made: str | None, consent: str = "agree",
                **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "contract_no": "HT-2025-083", "customer": "安徽中电建设集团有限公司",
        "product": "SCB11-800/10 干式变压器", "origin": "manufacture", "found_on": found,
        "contract_requirement": "技术协议要求温控器带 RS485 通讯。",
        "deviation": "原定温控器型号停产，替代型号通讯规约不同。", "proposed_change": "改用 BWDK-3207 温控器（Modbus 规约）。",
        "sig_tech": S(TECH_ENG, found), "sig_tech_head": S(TECH_HEAD, found), "contacted_on": contacted,
        "sig_customer_service": S(CS_HEAD, contacted), "customer_consent": consent, "customer_consent_on": consent_on,
        "consent_evidence": "用户传真", "sig_customer": S("中电 项目部 吴工", consent_on), "change_made_on": made,
        "implementation": "已按新型号装配。" if made else None,
    }
    return over(base, **changes)


add(
    Case("GK-01-04", "json", "gk01-04_gg-2025-004.json", change_0104(
        "GG-2025-004", found="2025-09-01", contacted="2025-09-02", consent_on="2025-09-04", made="2025-09-08"),
        [], "合规：经顾客服务部联系、客户同意后更改 / compliant"),
    Case("GK-01-04", "json", "gk01-04_gg-2025-006.json", change_0104(
        "GG-2025-006", found="2025-10-09", contacted="2025-10-10", consent_on="2025-10-16", made="2025-10-13"),
        [("GK01-05a", "fail")], "客户同意前已实施更改 / changed before the customer agreed"),
)


def tech_support(no: str, *, received: str, issued: str, due: str, completed: str, feedback: str,
                 **changes: Any) -> dict[str, Any]:
    base = {
        "notice_no": no, "marketing_dept": "营销一部", "customer": "浙江大唐电力安装公司",
        "project_name": "大唐乌沙山电厂厂用电改造", "product": "KYN28A-12 高压开关柜", "info_received_on": received,
        "issued_on": issued, "technical_requirements": "提供开关柜柜顶小母线及二次接线方案，满足用户 DCS 接口要求。",
        "due_date": due, "sig_writer": S("李强", issued), "sig_leader": S(MKT_HEAD, issued),
        "needs_tech_support": False, "tech_support_request": None, "sig_handler": None, "sig_tech_receiver": None,
        "result": "已提供二次接线方案及接口清单。", "completed_on": completed, "feedback_written": True,
        "feedback_on": feedback, "sig_writer_ack": S("李强", feedback),
    }
    return over(base, **changes)


add(
    Case("GK-02-01", "json", "gk02-01_js-2025-017.json", tech_support(
        "JS-2025-017", received="2025-06-03", issued="2025-06-04", due="2025-06-13", completed="2025-06-12",
        feedback="2025-06-12"),
        [], "合规 / compliant"),
    Case("GK-02-01", "json", "gk02-01_js-2025-022.json", tech_support(
        "JS-2025-022", received="2025-08-11", issued="2025-08-12", due="2025-08-22", completed="2025-08-21",
        feedback="2025-08-22", needs_tech_support=True, tech_support_request="核算柜体温升并出具计算书。"),
        [("GK02-03b", "missing"), ("GK02-03b", "missing")], "需技术部支持却无处理人、接收人签字 / tech "
                                                            "support needed but nobody signed for it"),
    Case("GK-02-02", "yaml", "gk02-02_register-2025h2.yaml", {
        "department": "营销一部", "period": "2025年下半年",
        "entries": [{"registered_on": "2025-08-12", "notice_no": "JS-2025-022", "direction": "issued",
                     "customer": "浙江大唐电力安装公司", "subject": "柜体温升计算", "due_date": "2025-08-22",
                     "result": "已出具计算书", "completed_on": "2025-08-21", "archived": True},
                    {"registered_on": "2025-09-15", "notice_no": "JS-2025-027", "direction": "received",
                     "customer": "上海申能电力配套公司", "subject": "综保通讯规约", "due_date": "2025-09-25",
                     "result": "已提供规约说明", "completed_on": "2025-09-24", "archived": True}],
        "sig_registrar": S(MKT_OFFICE, "2025-12-31")},
        [], "合规：通知单登记表逐项登记 / compliant register"),
)


def bid_notice(no: str, project: str, tenderer: str, *, submitted: str, decided: str, deadline: str,
               priced: str | None, final: str | None, **changes: Any) -> dict[str, Any]:
    base = {
        "notice_no": no, "marketing_dept": "营销一部", "project_name": project, "tenderer": tenderer,
        "tender_doc_no": f"ZB-{no[3:]}", "tender_register_no": f"DJ-{no[3:]}",
        "products": "KYN28A-12 开关柜 36 面，技术要求见招标文件第五章。", "bid_deadline": deadline,
        "submitted_on": submitted, "sig_bid_handler": S("王磊", submitted),
        "reviewers": [{"name": TECH_HEAD, "department": "技术部", "opinion": "技术可满足"},
                      {"name": FIN_HEAD, "department": "财务部", "opinion": "付款条件可接受"}],
        "go_decision": "bid", "decision_reason": "老用户，技术优势明显。", "sig_decision": S(MKT_HEAD, decided),
        "tech_inputs": ["tech_data", "quotation"], "final_price": 3180000, "priced_on": priced,
        "sig_pricing_group": S(FIN_HEAD, priced) if priced else None, "final_review_on": final,
        "final_review_opinion": "同意按报价小组定价投标。", "confidentiality_observed": True,
        "sig_final_review": S(MKT_HEAD, final) if final else None,
    }
    return over(base, **changes)


add(
    Case("GK-02-03", "json", "gk02-03_tb-2025-009.json", bid_notice(
        "TB-2025-009", "安徽中电 2025 年框架招标（开关柜）", "安徽中电建设集团有限公司", submitted="2025-06-09",
        decided="2025-06-10", deadline="2025-06-20 09:30", priced="2025-06-16", final="2025-06-17"),
        [], "合规：定价后最后审核，并在投标截止前完成 / compliant"),
    Case("GK-02-03", "json", "gk02-03_tb-2025-013.json", bid_notice(
        "TB-2025-013", "湖北宏源 110kV 变电站开关柜", "湖北宏源电力工程公司", submitted="2025-09-29",
        decided="2025-09-30", deadline="2025-10-20 09:00", priced="2025-10-15", final="2025-10-16",
        sig_final_review=None),
        [("GK02-07c", "missing")], "参与投标但最后审核无人签字 / bid without the final review signature"),
)


def negotiation(no: str, project: str, customer: str, *, signed: str, negotiation_on: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "marketing_dept": "营销一部", "project_name": project, "customer": customer, "is_major": True,
        "estimated_value": 12500000, "negotiation_on": negotiation_on, "negotiation_place": "用户公司会议室",
        "negotiation_topics": "合同价格、付款方式及交货期。", "tech_support": "技术开发部提供节能方案对比。",
        "participants": [{"name": "张伟", "department": "营销一部", "position": "营销员"},
                         {"name": VP, "department": "公司领导", "position": "副总经理"}],
        "sig_applicant": S(MKT_HEAD, plus(signed, -1)), "leader_consent": "agree", "leader_participates": True,
        "leader_opinion": "同意，由李娜副总带队。", "sig_leader": S(VP, signed),
    }
    return over(base, **changes)


add(
    Case("GK-02-04", "json", "gk02-04_tp-2025-003.json", negotiation(
        "TP-2025-003", "鲁能 2026 年配网物资框架", "山东鲁能电气成套有限公司", signed="2025-05-08",
        negotiation_on="2025-05-14"),
        [], "合规：重大项目谈判前领导签字同意并参加 / compliant"),
    Case("GK-02-04", "json", "gk02-04_tp-2025-006.json", negotiation(
        "TP-2025-006", "申能配套框架续签", "上海申能电力配套公司", signed="2025-11-20",
        negotiation_on="2025-11-18"),
        [("GK02-09b", "fail")], "谈判后才补领导签字 / leader signed after the negotiation"),
)

add(
    Case("GK-03-01", "json", "gk03-01_kx-2025-018.json", {
        "report_no": "KX-2025-018", "reporter": "李强", "reporter_dept": "营销一部", "destination": "杭州",
        "departed_on": "2025-09-24", "returned_on": "2025-09-30", "submitted_on": "2025-10-09",
        "customers": [{"customer": "浙江大唐电力安装公司", "file_type": "old_customer", "contact": "物资部 徐主任",
                       "content": "2026 年框架协议意向金额约 800 万元"},
                      {"customer": "杭州正泰成套电气公司", "file_type": "competitor", "contact": "—",
                       "content": "在大唐项目报价低于我方约 6%"}],
        "details": "见出差报告 CC-2025-047。", "sig_reporter": S("李强", "2025-10-09"),
        "sig_receiver": S(MKT_OFFICE, "2025-10-09")},
        [], "合规：出差回来后书面提交客户信息 / compliant"),
)


def customer_file(no: str, category: str, customer: str, *, collected: str, reviewed: str, filed: str,
                  count: int, last: str | None, **changes: Any) -> dict[str, Any]:
    base = {
        "file_no": no, "category": category, "customer": customer, "address": None, "contact_person": "物资部主任",
        "phone": "0551-6515 0000", "industry": "电力工程", "status": "operating", "cooperation_count": count,
        "last_cooperation_on": last, "profile": "省属电力施工企业，年采购开关设备约 5000 万元。",
        "cooperation_history": "付款及时，信誉良好。", "source": "王磊", "collected_on": collected,
        "sig_reviewer": S(CS_HEAD, reviewed), "sig_archivist": S("孔燕", filed), "filed_on": filed,
    }
    return over(base, **changes)


_FILES = "gk03-02_customer-files.yaml"
add(
    Case("GK-03-02", "yaml", _FILES, customer_file(
        "DA-2025-101", "old_customer", "安徽中电建设集团有限公司", collected="2025-05-12", reviewed="2025-05-14",
        filed="2025-05-16", count=6, last="2025-04-18"),
        [], "合规：部门领导审阅后专职人员存档 / compliant"),
    Case("GK-03-02", "yaml", _FILES, customer_file(
        "DA-2025-102", "old_customer", "江苏华能电力工程有限公司", collected="2025-05-19", reviewed="2025-05-21",
        filed="2025-05-22", count=9, last="2025-03-18"),
        [], "合规：老客户，最近一次合作在 3 月（表单生效前）/ compliant; its last order was in March"),
    Case("GK-03-02", "yaml", _FILES, customer_file(
        "DA-2025-107", "new_customer", "河南平高电气检修公司", collected="2025-08-04", reviewed="2025-08-05",
        filed="2025-08-06", count=3, last="2025-07-28"),
        [("GK03-05a", "fail")], "已合作 3 次仍列为新客户 / three orders but still a new customer"),
    Case("GK-03-02", "yaml", _FILES, customer_file(
        "DA-2025-109", "potential_customer", "南京江北新区供电公司", collected="2025-09-08", reviewed="2025-09-10",
        filed="2025-09-10", count=0, last=None, sig_archivist=S(CS_HEAD, "2025-09-10")),
        [("GK03-02a", "fail")], "审阅人与存档人为同一人 / reviewed and filed by the same person"),
    Case("GK-03-02", "yaml", _FILES, customer_file(
        "DA-2025-112", "old_customer", "上海申能电力配套公司", collected="2025-10-20", reviewed="2025-10-22",
        filed="2025-10-23", count=4, last="2025-02-30"),
        [("QMS-VALUE", "impossible")], "最近合作日期写成 2025-02-30 / last cooperation dated 2025-02-30"),
)


def adjustment(no: str, half: str, *, adjusted: str, previous: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "department": "顾客服务部", "year": 2025, "half": half, "adjusted_on": adjusted,
        "previous_adjusted_on": previous, "deletions": None,
        "reclassifications": [{"file_no": "DA-2024-067", "customer": "湖北宏源电力工程公司", "cooperation_count": 2,
                               "from_category": "new_customer", "to_category": "old_customer"}],
        "other_changes": "更新联系人 12 条。", "total_files": 186, "sig_adjuster": S("孔燕", adjusted),
        "sig_reviewer": S(CS_HEAD, adjusted),
    }
    return over(base, **changes)


_ADJ = "gk03-03_file-adjustments.yaml"
add(
    Case("GK-03-03", "yaml", _ADJ, adjustment("TZ03-2025-1", "h1", adjusted="2025-06-27", previous="2024-12-27"),
         [], "合规：上半年调整 / compliant, first half"),
    Case("GK-03-03", "yaml", _ADJ, adjustment(
        "TZ03-2025-2", "h2", adjusted="2025-12-26", previous="2025-06-27",
        deletions=[{"file_no": "DA-2023-041", "customer": "常州华信电器有限公司", "reason": "bankrupt"},
                   {"file_no": "DA-2022-015", "customer": "镇江恒通配电设备厂", "reason": None}]),
        [("GK03-04", "missing")], "删除的客户未注明原因 / a deleted customer without the reason"),
)


def query(no: str, applicant: str, *, applied: str, dept_head: str | None, archive_head: str | None,
          outcome: str, queried: str | None, **changes: Any) -> dict[str, Any]:
    base = {
        "application_no": no, "applied_on": applied, "applicant": applicant, "applicant_dept": "营销一部",
        "files_requested": "江苏华能电力工程有限公司（老客户，DA-2025-102）", "reason": "编制 2026 年营销计划，需了解历年合作情况。",
        "sig_applicant": S(applicant, applied),
        "sig_dept_head": S(MKT_HEAD, dept_head) if dept_head else None,
        "sig_archive_head": S(CS_HEAD, archive_head) if archive_head else None, "outcome": outcome,
        "queried_on": queried, "query_register_no": f"CX03-{no[3:]}" if queried else None,
    }
    return over(base, **changes)


add(
    Case("GK-03-04", "docx", "gk03-04_sq-2025-021.docx", query(
        "SQ-2025-021", "张伟", applied="2025-11-03", dept_head="2025-11-03", archive_head="2025-11-04",
        outcome="granted", queried="2025-11-05"),
        [], "合规：两位主管签字后查询 / compliant"),
    Case("GK-03-04", "docx", "gk03-04_sq-2025-023.docx", query(
        "SQ-2025-023", "王磊", applied="2025-11-10", dept_head="2025-11-10", archive_head=None,
        outcome="refused", queried=None),
        [("GK03-07a", "missing")], "存档部门主管未签字，按规定不予办理 / archive head did not sign, so refused"),
    Case("GK-03-04", "json", "gk03-04_sq-2025-025.json", query(
        "SQ-2025-025", "李强", applied="2025-11-17", dept_head=None, archive_head="2025-11-18",
        outcome="granted", queried="2025-11-18"),
        [("GK03-07a", "missing"), ("GK03-07d", "fail")], "缺部门主管签字仍准予查询 / granted without the "
                                                         "department head's signature"),
    Case("GK-03-04", "json", "gk03-04_sq-2025-027.json", query(
        "SQ-2025-027", MKT_HEAD, applied="2025-11-24", dept_head="2025-11-24", archive_head="2025-11-25",
        outcome="granted", queried="2025-11-25"),
        [("GK03-07a", "fail")], "部长申请并自己作为部门主管签字 / the department head approved his own request"),
    Case("GK-03-04", "docx", "gk03-04_sq-2025-029.docx", query(
        "SQ-2025-029", "陈静", applied="2025-12-01", dept_head="2025-12-01", archive_head="2025-12-03",
        outcome="granted", queried="2025-12-02"),
        [("GK03-07c", "fail")], "存档部门主管签字前已查询 / queried before the archive head signed"),
    Case("GK-03-05", "yaml", "gk03-05_query-register.yaml", {
        "department": "顾客服务部", "period": "2025年11月—12月",
        "entries": [{"register_no": "CX03-2025-021", "query_date": "2025-11-05", "application_no": "SQ-2025-021",
                     "content": "华能历年合作情况", "person": "张伟", "person_dept": "营销一部"},
                    {"register_no": "CX03-2025-027", "query_date": "2025-11-25", "application_no": "SQ-2025-027",
                     "content": "华能历年合作情况", "person": MKT_HEAD, "person_dept": "营销一部"}],
        "sig_registrar": S("孔燕", "2025-12-31")},
        [], "合规：查询登记注明日期、内容、查询人 / compliant"),
)

add(
    Case("GK-04-01", "json", "gk04-01_ys-2025-002.json", {
        "record_no": "YS-2025-002", "marketing_dept": "营销一部", "institute": "东南大学电气工程学院",
        "institute_type": "university", "address": "南京市江宁区东南大学路 2 号", "strengths": "电力电子、变压器节能技术",
        "cooperation_focus": "非晶合金变压器降噪", "designated_manager": "林峰", "contact_person": "黄教授",
        "contact_method": "电话、电子邮件", "contact_schedule": "每季度一次",
        "contact_log": [{"contact_on": "2025-04-22", "method": "visit", "our_contact": "林峰", "their_contact": "黄教授",
                         "content": "讨论降噪课题合作框架", "follow_up": "5 月提交合作意向书"},
                        {"contact_on": "2025-07-15", "method": "meeting", "our_contact": TECH_HEAD,
                         "their_contact": "黄教授", "content": "中期进展交流", "follow_up": "9 月样机测试"}],
        "sig_manager": S("林峰", "2025-07-15"), "sig_marketing_head": S(MKT_HEAD, "2025-07-16")},
        [], "合规：专人管理院所联络并有记录 / compliant"),
    Case("GK-04-02", "json", "gk04-02_xy-2025-001.json", {
        "record_no": "XY-2025-001", "marketing_dept": "营销一部", "doc_type": "letter_of_intent",
        "cooperation_type": "project", "agreement_title": "非晶合金变压器降噪技术合作意向书", "institute": "东南大学电气工程学院",
        "submitted_on": "2025-05-12", "prospects_analysis": "降噪技术可用于城市配电项目，提升竞争力。",
        "market_forecast": "城市箱变低噪声需求年增约 15%。", "benefit_split": "专利共有，产品销售按 3% 支付技术提成。",
        "responsibilities": "院方负责仿真与方案，我方负责样机制造及试验。", "sig_preparer": S("林峰", "2025-05-12"),
        "sig_vp": S(VP, "2025-05-13"), "agreement_value": 300000, "period": "2025-06 至 2026-06",
        "specific_requirements": "分两阶段付款。", "sig_marketing_head": S(MKT_HEAD, "2025-05-14"),
        "gm_decision": "approve", "gm_opinion": "同意签署。", "sig_gm": S(GM, "2025-05-16"),
        "responsible_dept": "技术部", "formalities": "意向书已签署并登记。", "archived_on": "2025-05-20",
        "sig_archivist": S("林峰", "2025-05-20")},
        [], "合规：协作意向书经主管副总、营销负责人、总经理审批并存档 / compliant"),
)

add(
    Case("GK-05-01", "json", "gk05-01_zb-2025-031.json", {
        "register_no": "ZB-2025-031", "marketing_dept": "营销一部",
        "tender_notice_title": "湖北宏源 110kV 变电站开关柜招标文件通知书（HY-ZB-2025-09）", "tenderer": "湖北宏源电力工程公司",
        "project_name": "湖北宏源 110kV 变电站开关柜", "received_on": "2025-09-26", "registered_on": "2025-09-26",
        "product_category": "高压开关柜", "bid_deadline": "2025-10-20 09:00", "technical_requirements": "KYN28A-12 共 26 面。",
        "sig_registrar": S(MKT_OFFICE, "2025-09-26"), "analysis_depts": ["technical", "finance"],
        "outputs": ["documents", "price"], "sent_for_binding_on": "2025-10-17", "sig_market_dev": S("邹鹏", "2025-10-17")},
        [], "合规：收到后登册，截止前交市场开发部装订 / compliant"),
    Case("GK-05-02", "json", "gk05-02_jg-2025-014.json", {
        "record_no": "JG-2025-014", "marketing_dept": "营销一部", "project_name": "安徽中电 2025 年框架招标（开关柜）",
        "tenderer": "安徽中电建设集团有限公司", "bid_notice_no": "TB-2025-009", "opened_on": "2025-06-20",
        "bid_reviewed": True, "outcome": "won", "our_price": 3180000, "winning_bidder": "示例机械制造有限公司",
        "winning_price": 3180000,
        "competitors": [{"competitor": "杭州正泰成套电气公司", "price": 3260000, "remarks": None},
                        {"competitor": "江苏大全长江电器", "price": 3350000, "remarks": None}],
        "related_documents": "投标文件副本、开标记录、中标通知书", "archived_on": "2025-06-25",
        "sig_recorder": S("王磊", "2025-06-25"), "is_major": True, "summary": "技术方案得分领先，报价适中。",
        "reported_on": "2025-06-26", "sig_marketing_head": S(MKT_HEAD, "2025-06-26")},
        [], "合规：中标结果和竞争对手价格归档并总结上报 / compliant"),
    Case("GK-05-02", "json", "gk05-02_jg-2025-019.json", {
        "record_no": "JG-2025-019", "marketing_dept": "营销一部", "project_name": "湖北宏源 110kV 变电站开关柜",
        "tenderer": "湖北宏源电力工程公司", "bid_notice_no": "TB-2025-013", "opened_on": "2025-10-20",
        "bid_reviewed": True, "outcome": "lost", "our_price": 2960000, "winning_bidder": "江苏大全长江电器",
        "winning_price": None,
        "competitors": [{"competitor": "江苏大全长江电器", "price": 2780000, "remarks": "中标"}],
        "related_documents": "投标文件副本、开标记录", "archived_on": "2025-10-24", "sig_recorder": S("陈静", "2025-10-24"),
        "is_major": False, "summary": None, "reported_on": None, "sig_marketing_head": None},
        [("GK05-03d", "missing")], "未中标未记录中标价格 / lost bid without the winning price"),
    Case("GK-05-03", "json", "gk05-03_fz-2025-006.json", {
        "record_no": "FZ-2025-006", "marketing_dept": "营销一部", "project_name": "华东电力将军变扩建",
        "customer": "华东电力设备公司", "started_on": "2025-06-02", "ended_on": "2025-07-18",
        "staff": [{"name": "王磊", "department": "营销一部", "activity": "negotiation"},
                  {"name": "林峰", "department": "技术部", "activity": "tech_exchange"}],
        "process": "两轮技术交流、一轮商务谈判。", "result": "contract_signed", "contract_no": "HT-2025-088",
        "result_details": "签订 S11-M-1250/10 变压器 2 台合同。", "archived_on": "2025-07-22",
        "sig_recorder": S("王磊", "2025-07-22"), "sig_marketing_head": S(MKT_HEAD, "2025-07-23")},
        [], "合规：非招标项目结束后存档并注明合同编号 / compliant"),
    Case("GK-05-04", "json", "gk05-04_zt-2025-002.json", {
        "record_no": "ZT-2025-002", "marketing_dept": "营销一部", "project_name": "宏源 35kV 光伏升压站",
        "customer": "湖北宏源电力工程公司", "reason": ["major_project", "new_technology"],
        "service_ended_on": "2025-08-29", "meeting_on": "2025-09-03", "chair": MKT_HEAD,
        "attendees": [{"name": TECH_HEAD, "department": "技术部"}, {"name": CS_HEAD, "department": "顾客服务部"}],
        "experience": "高海拔箱变调试需提前校核温升。", "problems": "散热风机选型裕度不足。",
        "user_opinions": "希望增加远程监控功能。", "feedback_to": ["technical", "tech_development"],
        "feedback_on": "2025-09-05", "sig_tech_receiver": S(TECH_HEAD, "2025-09-05"), "archived_on": "2025-09-08",
        "sig_recorder": S(MKT_OFFICE, "2025-09-03")},
        [], "合规：售后服务结束后召开专题会并反馈技术部 / compliant"),
)


def market_info(no: str, *, submitted: str, project: str, entity: str, **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "info_type": "product_demand", "provider": "赵敏", "submitted_on": submitted,
        "submitted_to": "营销一部", "channel": "用户走访", "project_name": project, "entity": entity,
        "responsible_person": "设备部 刘主任", "project_leader": "项目经理 陈工", "contact_name": "刘志刚",
        "contact_gender": "male", "contact_method": "139 3711 0000", "product_related_content": "需 10kV 开关柜约 30 面。",
        "project_date": plus(submitted, 60), "design_institute": "河南省电力勘测设计院",
        "entity_profile": "省级电力检修企业，资金来源为电网公司技改资金。", "payment_terms": "3-6-1", "bank": "中国工商银行郑州分行",
        "qualification": "电力工程施工总承包二级", "bank_credit": "AA", "sig_provider": S("赵敏", submitted),
        "info_value": "high", "usability": "usable", "is_contract_lead": True,
        "countermeasures": "安排技术交流，跟踪招标进度。", "tracker": "赵敏", "sig_evaluator": S(MKT_HEAD, plus(submitted, 1)),
    }
    return over(base, **changes)


_MI = "gk06-01_market-info.csv"
add(
    Case("GK-06-01", "csv", _MI, market_info("XX06-2025-031", submitted="2025-08-18", project="平高检修基地技改",
                                             entity="河南平高电气检修公司"), [], "合规：市场信息登记齐全 / compliant"),
    Case("GK-06-01", "csv", _MI, market_info("XX06-2025-034", submitted="2025-09-22", project="郑州航空港数据中心配电",
                                             entity="郑州航空港建设投资公司", info_type="new_product",
                                             contact_name="孙丽", contact_gender="female"),
         [], "合规 / compliant"),
    Case("GK-06-01", "csv", _MI, market_info("XX06-2025-037", submitted="2025-11-10", project="洛阳石化 35kV 变电站",
                                             entity="洛阳石化工程公司", bank_credit=None),
         [("GK06-02", "missing")], "未填银行信誉度 / bank credit rating left blank"),
)

add(
    Case("GK-06-02", "json", "gk06-02_zl-2025-014.json", {
        "report_no": "ZL-2025-014", "reported_on": "2025-09-19", "reporter": "吴刚", "reporter_type": "after_sales",
        "submitted_to": "营销一部", "customer": "安徽中电建设集团有限公司", "product": "SCB11-800/10 干式变压器",
        "serial_no": "SN20240812", "contract_no": None, "found_on": "2025-09-17",
        "description": "风机接线端子松动导致温升报警。", "customer_opinion": "希望改进端子防松。",
        "preliminary_cause": "端子排未使用防松垫圈。", "actions_taken": "已现场紧固。",
        "sig_reporter": S("吴刚", "2025-09-19"), "sig_receiver": S(MKT_OFFICE, "2025-09-19")},
        [], "合规：产品质量信息书面报告营销部门 / compliant"),
    Case("GK-06-02", "json", "gk06-02_zl-2025-016_rev-b.json", {
        "report_no": "ZL-2025-016", "reported_on": "2025-10-28", "reporter": "冯涛", "reporter_type": "after_sales",
        "submitted_to": "营销一部", "customer": "浙江大唐电力安装公司", "product": "S11-M-630/10 油浸式变压器",
        "serial_no": None, "contract_no": None, "found_on": "2025-10-27", "description": "分接开关挡位指示错位。",
        "customer_opinion": None, "preliminary_cause": "传动销脱落。", "actions_taken": "已重新安装。",
        "sig_reporter": S("冯涛", "2025-10-28"), "sig_receiver": S(MKT_OFFICE, "2025-10-28")},
        [("QMS-REVISION", "fail")], "用了不存在的 B/0 版表单 / made on revision B/0, which the form never had",
        revision="B/0"),
    Case("GK-06-03", "json", "gk06-03_dsh-2025-005.json", {
        "record_no": "DSH-2025-005", "collected_on": "2025-10-10", "competitor": "杭州正泰成套电气公司",
        "main_products": "开关柜、箱变", "collector": "李强", "source": "用户及招标公示",
        "product_quality": "外观工艺一般，一次合格率约 98%。", "performance": "主要参数满足国网标准。",
        "production_capacity": "年产开关柜约 8000 面。", "supply_capability": "常规交货期 30 天。",
        "reputation": "低价中标较多，售后响应慢。", "profile": "杭州萧山，员工约 1200 人，有国网供应商资质。",
        "price_level": "比我方低 5%—8%", "comparison": "我方技术与服务占优，价格偏高。",
        "sig_collector": S("李强", "2025-10-10"), "sig_reviewer": S(MKT_HEAD, "2025-10-11")},
        [], "合规：竞争对手信息齐全 / compliant"),
    Case("GK-06-04", "json", "gk06-04_gz-2025-008.json", {
        "record_no": "GZ-2025-008", "marketing_dept": "营销一部", "info_record_no": "XX06-2025-031",
        "project_name": "平高检修基地技改", "customer": "河南平高电气检修公司", "tracker": "赵敏",
        "forecast": "预计 2026 年一季度招标，我方中标可能性较大。", "countermeasures": "提前递交节能开关柜方案。",
        "reported_to_gm_on": "2025-08-25", "sig_gm": S(GM, "2025-08-26"),
        "tracking_log": [{"tracked_on": "2025-09-03", "method": "电话", "content": "确认技改立项", "fed_back_on": "2025-09-04"},
                         {"tracked_on": "2025-11-05", "method": "走访", "content": "递交技术方案", "fed_back_on": "2025-11-06"}],
        "conclusion": "deal", "concluded_on": "2025-12-18", "conclusion_details": "签订开关柜合同 28 面。",
        "register_entry_no": "JLC-2025-044", "sig_registrar": S("孔燕", "2025-12-19")},
        [], "合规：跟踪记录、结论登记 / compliant"),
    Case("GK-06-05", "json", "gk06-05_sp-2025-003.json", {
        "application_no": "SP-2025-003", "applied_on": "2025-12-02", "applicant": "孙浩", "applicant_dept": "营销一部",
        "query_scope": "2025 年苏北区域市场信息登记表", "purpose": "编写年度市场分析报告。",
        "sig_applicant": S("孙浩", "2025-12-02"), "sig_gm": S(GM, "2025-12-03"), "sig_centre_director": S("魏东", "2025-12-03"),
        "queried_on": "2025-12-04", "sig_info_keeper": S("孔燕", "2025-12-04")},
        [], "合规：总经理和中心主任签字后查询 / compliant"),
)

add(
    Case("GK-08-01", "json", "gk08-01_zl-2025-011.json", {
        "notice_no": "ZL08-2025-011", "marketing_dept": "营销一部", "request_type": "special_requirement",
        "customer": "湖北宏源电力工程公司", "project_name": "宏源 35kV 光伏升压站", "product": "YBM-35/0.8-3150 箱式变电站",
        "request_received_on": "2025-05-06", "issued_on": "2025-05-07",
        "content": "高海拔 2000 m 运行的整套设计方案（温升校核、绝缘修正）。", "required_by": "2025-05-20",
        "sig_handler": S("陈静", "2025-05-07"), "sig_marketing_head": S(MKT_HEAD, "2025-05-07"),
        "sig_tech_receiver": S("林峰", "2025-05-07"), "provided_items": "设计方案、温升计算书、绝缘配合说明",
        "provided_on": "2025-05-16", "delivered_to_customer_on": "2025-05-19"},
        [], "合规：特殊技术要求的设计方案提供给顾客 / compliant"),
    Case("GK-08-02", "json", "gk08-02_xg-2025-004.json", {
        "register_no": "XG-2025-004", "marketing_dept": "营销一部", "customer": "浙江大唐电力安装公司",
        "contract_no": "HT-2025-058", "product": "KYN28A-12 高压开关柜", "received_on": "2025-07-03",
        "registered_on": "2025-07-03", "evidence_type": "letter", "evidence_ref": "大唐安装函〔2025〕17 号",
        "change_content": "要求柜体颜色由 RAL7035 改为 RAL7032。", "sig_registrar": S(MKT_OFFICE, "2025-07-03"),
        "can_meet": "cannot_meet", "assessment": "柜体已喷涂完毕，无法更改。", "reply_to_customer": "已函复用户。",
        "mod_notice_no": "XT-2025-009", "mod_notice_on": "2025-07-05", "sig_technical": S(TECH_HEAD, "2025-07-05"),
        "executed_on": None, "sig_production": None},
        [("GK08-03e", "fail")], "判定不能满足却下达了修改通知 / a change notice for a change that cannot be met"),
    Case("GK-08-01", "json", "gk08-01_zl-2025-015.json", {
        "notice_no": "ZL08-2025-015", "marketing_dept": "营销一部", "request_type": "drawings_data",
        "customer": "江苏华能电力工程有限公司", "project_name": "华能金陵电厂二期 10kV 配电改造",
        "product": "KYN28A-12 高压开关柜", "request_received_on": "2025-05-21", "issued_on": "2025-05-22",
        "content": "开关柜基础图、一次系统图及二次原理图各 4 套。", "required_by": "2025-05-30",
        "sig_handler": S("王磊", "2025-05-22"), "sig_marketing_head": S(MKT_HEAD, "2025-05-22"),
        "sig_tech_receiver": S("林峰", "2025-05-22"), "provided_items": "基础图、一次系统图、二次原理图",
        "provided_on": "2025-05-28", "delivered_to_customer_on": "2025-05-29"},
        [], "合规：经办人书面通知技术部提供图纸 / compliant drawings request"),
    Case("GK-08-02", "json", "gk08-02_xg-2025-006.json", {
        "register_no": "XG-2025-006", "marketing_dept": "营销一部", "customer": "湖北宏源电力工程公司",
        "contract_no": "HT-2025-072", "product": "KYN28A-12 高压开关柜", "received_on": "2025-08-18",
        "registered_on": "2025-08-18", "evidence_type": "email", "evidence_ref": "宏源邮件 2025-08-18",
        "change_content": "出线柜电流互感器变比由 300/5 改为 400/5。", "sig_registrar": S(MKT_OFFICE, "2025-08-18"),
        "can_meet": "can_meet", "assessment": "互感器尚未装配，可以更改。", "reply_to_customer": "已邮件答复可以满足。",
        "mod_notice_no": "XT-2025-013", "mod_notice_on": "2025-08-19", "sig_technical": S(TECH_HEAD, "2025-08-19"),
        "executed_on": "2025-08-25", "sig_production": S(PROD_HEAD, "2025-08-25")},
        [], "合规：能满足的修改由技术部下达修改通知，生产部执行确认 / compliant change"),
    Case("GK-08-04", "json", "gk08-04_hf-2025-019.json", {
        "record_no": "HF-2025-019", "marketing_dept": "营销一部", "customer": "华东电力设备公司",
        "contract_no": "HT-2024-156", "equipment": "S11-M-1000/10 油浸式变压器", "revisit_on": "2025-08-20",
        "method": "visit", "visitor": "周敏", "customer_contact": "钱建国", "equipment_status": "运行正常，无渗漏。",
        "improvements_communicated": "介绍新型耐油密封垫改进。", "customer_opinions": "满意。", "follow_up": None,
        "next_revisit_on": "2026-02-20", "sig_visitor": S(CS_HEAD, "2025-08-20"), "sig_customer": S("钱建国", "2025-08-20")},
        [], "合规：回访并安排下次回访 / compliant"),
)


def service_notice(no: str, customer: str, product: str, *, requested: str, issued: str, **changes: Any) -> dict[str, Any]:
    base = {
        "notice_no": no, "marketing_dept": "营销一部", "customer": customer, "contract_no": None, "product": product,
        "serial_no": None, "site_address": f"{CUSTOMER_CITY.get(customer, '用户')}现场", "customer_contact": "设备部",
        "phone": None, "request_ref": f"用户来电 {requested}", "request_received_on": requested,
        "service_types": ["warranty_repair"], "in_warranty": True, "service_content": "现场检查并处理故障。",
        "dispatch_depts": ["customer_service"], "staff": [{"name": "吴刚", "department": "顾客服务部", "trade": "钳工",
                                                           "speciality": "变压器"}],
        "required_arrival_on": plus(issued, 2), "issued_on": issued, "sig_issuer": S(MKT_HEAD, issued),
        "sig_dispatch_dept": S(CS_HEAD, issued),
    }
    return over(base, **changes)


def service_record(no: str, notice_no: str, customer: str, product: str, *, started: str, ended: str,
                   warranty_end: str, in_warranty: bool, cause: str, bearer: str, archived: str,
                   **changes: Any) -> dict[str, Any]:
    base = {
        "record_no": no, "service_notice_no": notice_no, "customer": customer, "contract_no": None, "product": product,
        "serial_no": None, "service_started_on": started, "service_ended_on": ended, "service_staff": "吴刚",
        "problem": "设备故障。", "work_done": "更换损坏部件，试运行正常。", "warranty_end_on": warranty_end,
        "in_warranty": in_warranty, "cause": cause, "cost_amount": 1200, "cost_bearer": bearer,
        "is_special_case": False, "leader_decision": None, "sig_leader": None, "customer_opinion": "满意。",
        "sig_customer": S("用户设备员", ended), "sig_service_staff": S("吴刚", ended), "archived_on": archived,
        "sig_marketing_head": S(MKT_HEAD, archived),
    }
    return over(base, **changes)


_AS = "gk08_after-sales-service.yaml"
add(
    Case("GK-08-03", "yaml", _AS, service_notice("SF-2025-018", "河南平高电气检修公司", "XL-21 动力配电箱",
                                                 requested="2025-10-21", issued="2025-10-22"),
         [], "合规：接到要求后下达售后服务通知单 / compliant"),
    Case("GK-08-05", "yaml", _AS, service_record(
        "FW-2025-018", "SF-2025-018", "河南平高电气检修公司", "XL-21 动力配电箱", started="2025-10-27",
        ended="2025-10-29", warranty_end="2026-03-31", in_warranty=True, cause="manufacturing", bearer="company",
        archived="2025-11-03"),
        [], "合规：保修期内制造质量问题由公司承担 / compliant, warranty repair at our cost"),
    Case("GK-08-03", "yaml", _AS, service_notice("SF-2025-022", "上海申能电力配套公司", "GGD2 低压配电柜",
                                                 requested="2025-11-12", issued="2025-11-13"),
         [], "合规 / compliant"),
    Case("GK-08-05", "yaml", _AS, service_record(
        "FW-2025-022", "SF-2025-022", "上海申能电力配套公司", "GGD2 低压配电柜", started="2025-11-17",
        ended="2025-11-18", warranty_end="2026-05-31", in_warranty=True, cause="manufacturing", bearer="customer",
        archived="2025-11-21"),
        [("GK08-06a", "fail")], "保修期内制造质量问题却让顾客付费 / customer charged for a warranty defect"),
    Case("GK-08-03", "yaml", _AS, service_notice("SF-2025-028", "浙江大唐电力安装公司", "YBM-12/0.4-630 箱式变电站",
                                                 requested="2025-12-01", issued="2025-12-01"),
         [], "合规 / compliant"),
    Case("GK-08-05", "yaml", _AS, service_record(
        "FW-2025-028", "SF-2025-028", "浙江大唐电力安装公司", "YBM-12/0.4-630 箱式变电站", started="2025-12-03",
        ended="2025-12-04", warranty_end="2026-06-30", in_warranty=True, cause="misuse", bearer="company",
        archived="2025-12-08", is_special_case=True, problem="用户误将低压进线开关长期手动合闸，烧损操作机构。",
        leader_decision="老用户框架协议在执行，本次费用由我公司承担。", sig_leader=S(VP, "2025-12-02")),
        [], "合规：保修期内使用不当，特殊情况经公司领导批准由公司承担 / compliant special case decided by a "
            "company leader"),
    Case("GK-08-05", "yaml", _AS, service_record(
        "FW-2025-025", "SF-2025-025", "湖北宏源电力工程公司", "YBM-35/0.8-3150 箱式变电站", started="2025-12-08",
        ended="2025-12-10", warranty_end="2025-11-30", in_warranty=False, cause="misuse", bearer="customer",
        archived="2025-12-15"),
        [("GK08-05c", "missing")], "引用的售后服务通知单 SF-2025-025 不存在 / no service notice SF-2025-025"),
)

add(
    Case("GK-13-01", "json", "gk13-01_gg13-2025-002.json", {
        "record_no": "GG13-2025-002", "marketing_dept": "营销一部", "requested_on": "2025-04-21", "requester": "张伟",
        "products": "SCB13 二级能效干式变压器", "content_requirements": "突出节能指标和全寿命周期成本。",
        "scheme": "行业期刊半版广告 3 期 + 电力展展位。", "cost": 8.6, "cost_detail": "期刊 3.6 万元，展位 5 万元。",
        "coop_depts": ["technical", "finance"], "planned_start_on": "2025-05-15", "dept_leader": S(MKT_HEAD, "2025-04-23"),
        "leader_approval": S(VP, "2025-04-25"), "started_on": "2025-05-15"},
        [], "合规：书面通知、初步计划、批准、实施依次进行 / compliant"),
    Case("GK-13-02", "json", "gk13-02_yb-2025-001.json", {
        "record_no": "YB-2025-001", "marketing_dept": "营销一部", "proposed_on": "2025-04-28",
        "products": "干式变压器、箱式变电站", "reason": "老版样本参数已过时，新产品缺样本。", "quantity": 3000,
        "budget": 45000, "proposer": S(MKT_HEAD, "2025-04-28"), "discussion_on": "2025-05-06",
        "leader_approval": S(VP, "2025-05-07"), "tech_data_by": "林峰", "tech_data_on": "2025-05-16",
        "review_opinion": "参数核对无误。", "chief_engineer_review": S("韦成", "2025-05-21"), "print_organiser": MKT_HEAD,
        "print_ordered_on": "2025-05-23", "completed_on": "2025-06-10"},
        [], "合规：样本经批准、专业副总工程师评审后印刷 / compliant"),
    Case("GK-13-03", "json", "gk13-03_hy-2025-004.json", {
        "record_no": "HY-2025-004", "marketing_dept": "营销一部", "prepared_on": "2025-08-18",
        "meeting_name": "2025 年新能源配套产品推介会", "meeting_start_at": "2025-09-16 09:00",
        "meeting_end_at": "2025-09-16 17:00", "venue": "南京国际博览中心会议室",
        "content": "箱变、干式变压器新产品推介及技术交流。",
        "participants": [{"unit": "江苏华能电力工程有限公司", "name": None, "position": None, "headcount": 3},
                         {"unit": "安徽中电建设集团有限公司", "name": None, "position": None, "headcount": 2}],
        "tech_materials": "技术部审定推介材料。", "liaison_depts": ["technical", "finance"], "reception_supplies": "资料袋 60 份",
        "budget": 28000, "preparer": S("张伟", "2025-08-18"), "dept_head": S(MKT_HEAD, "2025-08-19")},
        [], "合规：促销会议计划有时间、内容和参加人员 / compliant"),
)

# =============================================================================================
# Files that are not readable records
# =============================================================================================
add(
    Case("GK-09-04", "json", "gk09-04_unknown-form.json", {
        "record_no": "FK-2025-060", "customer": "华东电力设备公司"},
        [("QMS-RECORD", "unreadable_record")], "不存在的表单号 SJE/JL/GK-09-04 / a form id that does not exist",
        form_id="SJE/JL/GK-09-04"),
)
