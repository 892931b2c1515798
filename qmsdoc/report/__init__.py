"""Report emitters of `qmsdoc check`: one module per output format, registered by name.

Emitters only format a finished `Report`; they never filter, sort or choose exit codes.
`render(fmt, …)` gives the bytes to write for any format (text formats encoded as UTF-8);
`guess_format(path)` names the format an output file's suffix asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import BinaryIO

from qmsdoc.model.findings import Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project

FORMATS = ("text", "json", "jsonl", "junit", "sarif", "html", "docx", "xlsx", "csv")
"""Every output format, the default first."""
FOR_PEOPLE = ("html", "docx", "xlsx", "csv")
"""The audit report's formats, which say findings in the words of the forms: they need the project."""
BINARY = ("docx", "xlsx")
"""Formats that go to a file, never to the terminal."""

SUFFIXES = ((".sarif.json", "sarif"), (".sarif", "sarif"), (".jsonl", "jsonl"), (".ndjson", "jsonl"),
            (".json", "json"), (".xml", "junit"), (".html", "html"), (".htm", "html"),
            (".docx", "docx"), (".xlsx", "xlsx"), (".csv", "csv"), (".txt", "text"))
"""File suffixes and the formats they ask for; longer suffixes first."""


def render(fmt: str, report: Report, project: Project | None, labels: Labels) -> bytes:
    """The report in one format, as the bytes to write.

    `project` is needed by the formats for people (`FOR_PEOPLE`: document titles, form labels, site
    layout). An unknown format, or one of those without a project, is a ValueError that names what is
    valid.
    """
    if fmt not in FORMATS:
        raise ValueError(f'unknown report format "{fmt}": expected one of {", ".join(FORMATS)}')
    if fmt in FOR_PEOPLE and project is None:
        raise ValueError(f"the {fmt} report needs the loaded project")
    return _EMITTERS[fmt](report, project, labels)


def write(fmt: str, report: Report, project: Project | None, labels: Labels, out: BinaryIO) -> None:
    """`render`, written to `out`; JSON Lines goes a batch of lines at a time, so its size is never held in
    memory."""
    if fmt == "jsonl":
        from qmsdoc.report.json_ import jsonl_chunks

        for chunk in jsonl_chunks(report):
            out.write(chunk)
    else:
        out.write(render(fmt, report, project, labels))


def guess_format(path: str | PurePath) -> str | None:
    """The format an output file's suffix asks for (`findings.sarif.json` → sarif), or None."""
    name = PurePath(path).name.lower()
    for suffix, fmt in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return fmt
    return None


# Emitters are imported when used: `--format json` need not load python-docx or Jinja2.
def _text(report: Report, project: Project | None, labels: Labels) -> bytes:
    from qmsdoc.report.text import render_text
    return render_text(report, labels, project).encode("utf-8")


def _json(report: Report, project: Project | None, labels: Labels) -> bytes:
    from qmsdoc.report.json_ import render_json
    return render_json(report).encode("utf-8")


def _jsonl(report: Report, project: Project | None, labels: Labels) -> bytes:
    from qmsdoc.report.json_ import render_jsonl
    return render_jsonl(report).encode("utf-8")


def _junit(report: Report, project: Project | None, labels: Labels) -> bytes:
    from qmsdoc.report.junit import render_junit
    return render_junit(report)


def _sarif(report: Report, project: Project | None, labels: Labels) -> bytes:
    from qmsdoc.report.sarif import render_sarif
    return render_sarif(report).encode("utf-8")


def _html(report: Report, project: Project, labels: Labels) -> bytes:
    from qmsdoc.report.html import render_html
    return render_html(report, labels, project).encode("utf-8")


def _docx(report: Report, project: Project, labels: Labels) -> bytes:
    from qmsdoc.report.docx import render_docx
    return render_docx(report, project, labels)


def _xlsx(report: Report, project: Project, labels: Labels) -> bytes:
    from qmsdoc.report.sheet import render_xlsx
    return render_xlsx(report, project, labels)


def _csv(report: Report, project: Project, labels: Labels) -> bytes:
    from qmsdoc.report.sheet import render_csv
    return render_csv(report, project, labels)


_EMITTERS: dict[str, Callable[..., bytes]] = {
    "text": _text, "json": _json, "jsonl": _jsonl, "junit": _junit, "sarif": _sarif, "html": _html,
    "docx": _docx, "xlsx": _xlsx, "csv": _csv,
}
