"""A small document set for the outcome tests: what a rule says when it cannot decide, open items,
date-times given as a date alone, periods of months and years, and the messages about them.

One procedure and one form; each rule is about one class of behaviour (see the tests that use it).
"""

from __future__ import annotations

from support.sources import form_text, procedure_text

FORM = "SJE/JL/GK-91-01"

PROCEDURE = procedure_text("""\
为了测试，特制定本制度。

1. 顾客投诉在{{ params.reply_hours }}小时内答复，供货提前{{ params.notice_hours }}小时通知。
2. 费用不超过产值的{{ params.cap_percent }}%；评审在{{ params.review_months }}个月内完成。
""", id="SJE/ZY/GK-91", numbering="{lists: [article]}", forms=[FORM],
    params={"reply_hours": 72, "notice_hours": 24, "cap_percent": 1, "cap_ratio": "0.01", "review_months": 1,
            "calibration_months": 12, "renewal_years": 1, "meeting_notice_months": 1, "notice_days": 3,
            "notice_working_days": 2, "half_day": "0.5"})

FIELDS = """\
- {id: record_no, label: 编号, type: text, required: true}
- {id: issued_on, label: 填写日期, type: date, required: true}
- {id: complaint_at, label: 投诉时间, type: datetime}
- {id: replied_at, label: 答复时间, type: datetime}
- {id: notice_at, label: 通知时间, type: datetime}
- {id: supply_at, label: 供货时间, type: datetime}
- {id: calibrated_on, label: 校准日期, type: date}
- {id: recalibrated_on, label: 再次校准日期, type: date}
- {id: reviewed_on, label: 评审日期, type: date}
- {id: renewed_on, label: 续签日期, type: date}
- {id: notified_on, label: 会议通知日期, type: date}
- {id: meeting_on, label: 会议日期, type: date}
- {id: started_on, label: 开始日期, type: date}
- {id: done_on, label: 完成日期, type: date}
- {id: amount, label: 费用, type: money}
- {id: output_value, label: 产值, type: money}
- {id: target_year, label: 目标年度, type: number}
- id: category
  label: 类别
  type: choice
  required: true
  options:
    - {value: special, label: 特殊}
    - {value: normal, label: 一般}
- id: kind
  label: 性质
  type: choice
  options:
    - {value: major, label: 重大}
    - {value: minor, label: 一般}
- {id: attached, label: 附件已附, type: checkbox}
"""

FORM_YAML = form_text(FIELDS, id=FORM, title="投诉处理记录", procedure="SJE/ZY/GK-91", dated_by="issued_on")

RULES = """\
procedure: SJE/ZY/GK-91
rules:
  - code: O-01
    title: 投诉 72 小时内答复
    form: SJE/JL/GK-91-01
    clause: 第一条
    severity: major
    deadline: {from: complaint_at, to: replied_at, within: params.reply_hours, unit: hours}
  - code: O-02
    title: 供货提前 24 小时通知
    form: SJE/JL/GK-91-01
    clause: 第一条
    severity: major
    lead_time: {notice: notice_at, event: supply_at, at_least: params.notice_hours, unit: hours}
  - code: O-03
    title: 先投诉后答复
    form: SJE/JL/GK-91-01
    clause: 第一条
    severity: minor
    order: [complaint_at, replied_at]
  - code: O-04
    title: 每 12 个月校准
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: major
    deadline: {from: calibrated_on, to: recalibrated_on, within: params.calibration_months, unit: months, roll: false}
  - code: O-05
    title: 1 个月内评审
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: minor
    deadline: {from: started_on, to: reviewed_on, within: params.review_months, unit: months}
  - code: O-06
    title: 1 年内续签
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: minor
    deadline: {from: calibrated_on, to: renewed_on, within: params.renewal_years, unit: years, roll: false}
  - code: O-07
    title: 会议提前 1 个月通知
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: minor
    lead_time: {notice: notified_on, event: meeting_on, at_least: params.meeting_notice_months, unit: months}
  - code: O-08
    title: 费用比例超限的须附说明
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: minor
    when: amount / output_value > params.cap_ratio
    required: [attached]
  - code: O-09
    title: 特殊类别须附说明
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: minor
    when: category == "special"
    required: [attached]
  - code: O-10
    title: 费用上限
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: major
    limit: {value: amount, max: output_value * params.cap_percent / 100}
  - code: O-11
    title: 重大性质须附说明
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: observation
    expect: attached or kind != "major"
  - code: O-12
    title: 年底前完成
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: minor
    deadline: {to: done_on, by: "date(target_year, 12, 31)"}
  - code: O-13
    title: 答复用时不超过 72 小时
    form: SJE/JL/GK-91-01
    clause: 第一条
    severity: observation
    expect: hours(complaint_at, replied_at) <= params.reply_hours
  - code: O-14
    title: 会议提前 2 个工作日通知
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: observation
    lead_time: {notice: notified_on, event: meeting_on, at_least: params.notice_working_days, unit: working_days}
  - code: O-15
    title: 评审后半天内完成
    form: SJE/JL/GK-91-01
    clause: 第二条
    severity: observation
    deadline: {from: reviewed_on, to: done_on, within: params.half_day}
"""

FILES = {"procedures/T.md": PROCEDURE, "forms/F.yaml": FORM_YAML, "rules/T.yaml": RULES}

BASE = {"record_no": "T-1", "issued_on": "2025-09-01", "category": "normal"}
"""A record that every rule leaves alone: nothing recorded that a rule could time, limit or doubt."""
