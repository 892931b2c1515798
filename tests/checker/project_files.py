"""A small document set for checker tests: one procedure, two forms, and rules of every kind."""

from __future__ import annotations

from support.sources import form_text, procedure_text

PROCEDURE = procedure_text("""\
为了测试，特制定本制度。

1. 复印件在{{ params.copy_days }}天内上交。
   1. 答复在{{ params.reply_hours }}小时内。
   2. 提前{{ params.lead_hours }}小时通知。
2. 费用不超过产值的{{ params.cap_percent }}%。
""", numbering="{lists: [article, cn-paren]}", forms=["SJE/JL/GK-90-01", "SJE/JL/GK-90-02"],
    params={"copy_days": 10, "work_days": 3, "reply_hours": 72, "lead_hours": 48, "cap_percent": 1, "rate_batch2": "0.8",
            "per_quarter": 1, "report_month": 12, "report_day": 15})

FORM = form_text("""\
- {id: record_no, label: 编号, type: text, required: true}
- {id: issued_on, label: 填写日期, type: date, required: true}
- {id: owner, label: 经办人, type: person, required: true}
- id: kind
  label: 类别
  type: choice
  options:
    - {value: major, label: 重大}
    - {value: normal, label: 一般}
- id: channel
  label: 渠道
  type: choice
  options:
    - {value: fax, label: 传真}
    - {value: email, label: 电子邮件}
    - {value: phone, label: 电话}
- {id: amount, label: 费用, type: money}
- {id: output_value, label: 产值, type: money}
- {id: batch, label: 批次, type: number}
- {id: rate, label: 奖励比例, type: number, min: 0, max: 5}
- {id: target_year, label: 目标年度, type: number}
- {id: received_at, label: 收到时间, type: datetime}
- {id: replied_at, label: 答复时间, type: datetime}
- {id: supply_at, label: 供货时间, type: datetime}
- {id: returned_on, label: 返回日期, type: date, required: true}
- {id: copy_on, label: 复印件上交日期, type: date}
- {id: started_on, label: 开始日期, type: date}
- {id: done_on, label: 完成日期, type: date}
- {id: attached, label: 附件已附, type: checkbox}
- {id: note, label: 备注, type: multiline, required: true}
- {id: leader, label: 负责人, type: signature, role: 主管领导, required: true}
- {id: approver, label: 批准人, type: signature, role: 总经理}
- id: staff
  label: 人员
  type: table
  required: true
  max_rows: 5
  columns:
    - {id: name, label: 姓名, type: person}
    - id: via
      label: 方式
      type: choice
      options:
        - {value: fax, label: 传真}
        - {value: phone, label: 电话}
""", title="测试记录", revision="B/0", effective="2025-06-01", dated_by="issued_on",
    history=[("A/0", "2024-01-01", "王伟", "首次发布。"), ("B/0", "2025-06-01", "王伟", "改版。")])

TRIP = form_text("""\
- {id: record_no, label: 编号, type: text, required: true}
- {id: returned_on, label: 返回日期, type: date}
- {id: salesperson, label: 业务员, type: person}
""", id="SJE/JL/GK-90-02", title="出差报告", effective="2025-01-01", clause="第二条")

RULES = """\
procedure: SJE/ZY/GK-90
rules:
  - code: T-01
    title: 必填
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: minor
    required: [note, staff.name, attached]
  - code: T-02
    title: 签字
    form: SJE/JL/GK-90-01
    clause: 第一条（一）
    severity: major
    signatures: {of: [leader], distinct: [[leader, approver]]}
  - code: T-03
    title: 顺序
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: minor
    order: [issued_on, returned_on]
  - code: T-04
    title: 10 天内上交
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: major
    deadline: {from: returned_on, to: copy_on, within: params.copy_days, unit: calendar_days}
  - code: T-05
    title: 72 小时内答复
    form: SJE/JL/GK-90-01
    clause: 第一条（一）
    severity: major
    deadline: {from: received_at, to: replied_at, within: params.reply_hours, unit: hours}
  - code: T-06
    title: 3 个工作日内完成
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: minor
    deadline: {from: started_on, to: done_on, within: params.work_days, unit: working_days}
  - code: T-07
    title: 提前 48 小时
    form: SJE/JL/GK-90-01
    clause: 第一条（二）
    severity: major
    lead_time: {notice: received_at, event: supply_at, at_least: params.lead_hours, unit: hours}
  - code: T-08
    title: 不接受电话
    form: SJE/JL/GK-90-01
    clause: 第一条
    severity: major
    allowed: {field: channel, forbidden: [phone]}
  - code: T-09
    title: 费用上限
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: major
    limit: {value: amount, max: output_value * params.cap_percent / 100}
  - code: T-10
    title: 第二批奖励
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    when: batch == 2
    limit: {value: rate, equals: params.rate_batch2}
  - code: T-11
    title: 重大项目需批准
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: major
    when: kind == "major"
    signatures: [approver]
  - code: T-12
    title: 年度报告 12 月 15 日前
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: major
    deadline: {to: issued_on, by: "date(target_year - 1, params.report_month, params.report_day)"}
  - code: T-13
    title: 每季度至少一份
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    frequency: {date: issued_on, per: quarter, at_least: params.per_quarter}
  - code: T-14
    title: 编号不重复
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    unique: [record_no]
  - code: T-15
    title: 出差后 3 天内上交
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    match: {form: SJE/JL/GK-90-02, on: {owner: salesperson}}
    deadline: {from: match.returned_on, to: copy_on, within: 3}
  - code: T-16
    title: 每人每年一份
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    coverage:
      key: owner
      date: issued_on
      per: year
      population: {form: SJE/JL/GK-90-02, key: salesperson, date: returned_on}
  - code: T-17
    title: 附件
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: observation
    expect: attached or kind != "major"
  - code: T-18
    title: 一般项目写明经办人
    form: SJE/JL/GK-90-01
    clause: 第二条
    severity: minor
    when: kind == "normal"
    required: [owner]
"""

FILES = {"procedures/T.md": PROCEDURE, "forms/F.yaml": FORM, "forms/T.yaml": TRIP, "rules/T.yaml": RULES}
