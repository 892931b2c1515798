"""The sources of a small project, written as the files are: a procedure (front matter and body) and a form.

Every key has a sensible default and can be changed by keyword, so a test names only what it is about.
With the defaults, the lines stand where the position tests expect them. A procedure:

     1 ---
     2 id: SJE/ZY/GK-90
     3 title: 测试制度
     4 revision: A/0
     5 status: effective
     6 owner: 顾客服务部
     7 prepared: {name: 王伟, date: 2025-03-03}
     8 reviewed: {name: 李娜, date: 2025-03-10}
     9 approved: {name: 赵强, date: 2025-03-20}
    10 effective: 2025-04-01
    11 review_period: 24 months
    12 numbering: {lists: [article]}
    13 history:
    14   - {revision: A/0, date: 2025-04-01, by: 王伟, description: 首次发布。}
    15 forms: [...]   (when given)
    .. params:       (when given, a line each)
    .. ---
    .. the body, from body_line(text)

A form: id, title, revision, status, effective, procedure, clause, retention and copies on lines 1 to 9,
history on 10 and 11, then "sections:", "  - title: 基本信息", "    fields:" and the first field on line 15.

A key given as None is left out (a sign-off, the effective date, the form's dated_by); each history
entry is (revision, date, by, description), and the default one is A/0, first issued on the effective date.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

SignOff = tuple[str, str]
"""(name, date) of prepared, reviewed or approved."""
Entry = tuple[str, str, str, str]
"""(revision, date, by, description) of one history entry."""

EFFECTIVE = "2025-04-01"
"""The default effective date, and the date of the default history entry."""


def _history(history: Sequence[Entry] | None, effective: str | None) -> str:
    entries = history if history is not None else [("A/0", effective or EFFECTIVE, "王伟", "首次发布。")]
    return "history:\n" + "".join(f"  - {{revision: {rev}, date: {date}, by: {by}, description: {text}}}\n"
                                  for rev, date, by, text in entries)


def _sign_off(role: str, sign_off: SignOff | None) -> str:
    return "" if sign_off is None else f"{role}: {{name: {sign_off[0]}, date: {sign_off[1]}}}\n"


def front_matter(*, id: str = "SJE/ZY/GK-90", title: str = "测试制度", revision: str = "A/0",
                 status: str = "effective", owner: str = "顾客服务部",
                 prepared: SignOff | None = ("王伟", "2025-03-03"), reviewed: SignOff | None = ("李娜", "2025-03-10"),
                 approved: SignOff | None = ("赵强", "2025-03-20"), effective: str | None = EFFECTIVE,
                 review_period: str = "24 months", numbering: str = "{lists: [article]}",
                 history: Sequence[Entry] | None = None, forms: Sequence[str] = (),
                 params: Mapping[str, object] | None = None) -> str:
    """A procedure's front matter, from its opening `---` to its closing `---` and line break.

    `numbering` is written as given (YAML flow), `forms` as one flow list, `params` one a line (as JSON,
    which is YAML: 10 stays a number, "0.8" a quoted text).
    """
    return (
        f"---\nid: {id}\ntitle: {title}\nrevision: {revision}\nstatus: {status}\nowner: {owner}\n"
        + _sign_off("prepared", prepared) + _sign_off("reviewed", reviewed) + _sign_off("approved", approved)
        + (f"effective: {effective}\n" if effective is not None else "")
        + f"review_period: {review_period}\nnumbering: {numbering}\n"
        + _history(history, effective)
        + (f"forms: [{', '.join(forms)}]\n" if forms else "")
        + ("params:\n" + "".join(f"  {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in params.items())
           if params else "")
        + "---\n"
    )


def procedure_text(body: str = "", **front: Any) -> str:
    """A procedure source: front_matter(**front), then `body` as written."""
    return front_matter(**front) + body


def body_line(text: str) -> int:
    """The file line of the body's first line in a procedure source (the line after the closing `---`)."""
    return text.split("\n").index("---", 1) + 2


def form_text(fields: str, *, id: str = "SJE/JL/GK-90-01", title: str = "测试表", revision: str = "A/0",
              status: str = "effective", effective: str | None = EFFECTIVE, procedure: str = "SJE/ZY/GK-90",
              clause: str = "第一条", retention: str = "3 years", copies: int = 1, dated_by: str | None = None,
              history: Sequence[Entry] | None = None, section: str = "基本信息") -> str:
    """A form definition with one section, `section`, whose fields are `fields`.

    `fields` is the YAML list of the fields as it would stand at the left margin ("- {id: …}" a field);
    it is indented under the section's "fields:".
    """
    return (
        f"id: {id}\ntitle: {title}\nrevision: {revision}\nstatus: {status}\n"
        + (f"effective: {effective}\n" if effective is not None else "")
        + f"procedure: {procedure}\nclause: {clause}\nretention: {retention}\ncopies: {copies}\n"
        + (f"dated_by: {dated_by}\n" if dated_by is not None else "")
        + _history(history, effective)
        + f"sections:\n  - title: {section}\n    fields:\n"
        + textwrap.indent(fields if fields.endswith("\n") else fields + "\n", " " * 6)
    )
