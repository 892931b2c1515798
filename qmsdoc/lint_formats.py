"""`qmsdoc lint --format json|sarif|github`: lint's problems, warnings and notes for machines.

Lint says three kinds of thing: errors (a source file that does not load, a rule that does not
compile: exit 1), warnings (an effective revision not released, a release without recorded inputs)
and notes (a periodic review due or overdue; an error under --fail-on-overdue). Each is one
`LintMessage`; this module writes them as

- json: a list of {path, line, column, severity, message, hint} (line/column null when unknown);
- sarif: a SARIF 2.1.0 log, one result per message, for code-scanning dashboards;
- github: GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which
  show as annotations on the pull request's changed files.

Paths in json are as lint prints them (relative to the document set's folder); in sarif and github
they are relative to the folder lint was run from, as the CI workspace names the files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from qmsdoc import __version__
from qmsdoc.errors import Location
from qmsdoc.report.sarif import SCHEMA_URI

LINT_FORMATS = ("text", "json", "sarif", "github")

SOURCE, UNRELEASED, UNFROZEN, REVIEW = "QMS-SOURCE", "QMS-UNRELEASED", "QMS-UNFROZEN", "QMS-REVIEW"
RULES = {
    SOURCE: ("error", "Source problem", "A source file does not load, or a rule does not compile."),
    UNRELEASED: ("warning", "Effective revision not released",
                 "An effective revision has no release: in force on paper, but not frozen or verifiable."),
    UNFROZEN: ("warning", "Release without recorded inputs",
               "A release was made before qmsdoc recorded what it was rendered from."),
    REVIEW: ("note", "Periodic review due", "A procedure's periodic review is due or overdue."),
}
"""Each kind of lint message: its default level, short title and description (SARIF's rules)."""
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


@dataclass(frozen=True)
class LintMessage:
    """One thing lint says: where, how bad (error, warning or note), what, and how to fix it."""

    location: Location
    severity: str
    message: str
    hint: str | None
    rule: str


def render_json(messages: Sequence[LintMessage]) -> str:
    """The messages as a JSON list, indented, ending with a newline."""
    items = [{"path": m.location.path or None, "line": m.location.line or None, "column": m.location.col or None,
              "severity": m.severity, "message": m.message, "hint": m.hint} for m in messages]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def workspace_path(root: Path, path: str) -> str:
    """A path lint names (relative to the document set) as relative to the folder lint runs in
    (absolute when --root is)."""
    if not path or PurePosixPath(path).is_absolute():
        return path
    return Path(os.path.normpath(root / path)).as_posix()


def _uri(path: str) -> dict[str, str]:
    """A SARIF artifact location: a relative URI (resolved against the folder lint ran in, as code
    scanning resolves it against the repository), or a file:// URI for an absolute path."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/")}


def _sarif_result(m: LintMessage, index: int, root: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": m.rule, "ruleIndex": index, "level": m.severity,
                              "message": {"text": m.message + (f" (hint: {m.hint})" if m.hint else "")}}
    if m.location.path:
        physical: dict[str, Any] = {"artifactLocation": _uri(workspace_path(root, m.location.path))}
        if m.location.line:
            physical["region"] = {"startLine": m.location.line,
                                  **({"startColumn": m.location.col} if m.location.col else {})}
        result["locations"] = [{"physicalLocation": physical}]
    if m.hint:
        result["properties"] = {"hint": m.hint}
    return result


def render_sarif(messages: Sequence[LintMessage], root: Path) -> str:
    """The messages as a SARIF 2.1.0 log (one run of the tool qmsdoc), indented, ending with a newline."""
    codes = list(RULES)
    rules = [{"id": code, "name": code, "shortDescription": {"text": title}, "fullDescription": {"text": text},
              "defaultConfiguration": {"level": level}} for code, (level, title, text) in RULES.items()]
    run = {
        "tool": {"driver": {"name": "qmsdoc", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(m, codes.index(m.rule), root) for m in messages],
    }
    return json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, ensure_ascii=False,
                      indent=2) + "\n"


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (%, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub's toolkit does (also : and ,)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(messages: Sequence[LintMessage], root: Path) -> str:
    """One workflow command a message: `::error`, `::warning` or `::notice`, with file, line, col, title."""
    lines = []
    for m in messages:
        props = []
        if m.location.path:
            props.append(f"file={escape_property(workspace_path(root, m.location.path))}")
            if m.location.line:
                props.append(f"line={m.location.line}")
                if m.location.col:
                    props.append(f"col={m.location.col}")
        props.append(f"title={escape_property('qmsdoc: ' + RULES[m.rule][1])}")
        text = m.message + (f"\nhint: {m.hint}" if m.hint else "")
        lines.append(f"::{GITHUB_COMMANDS[m.severity]} {','.join(props)}::{escape_data(text)}\n")
    return "".join(lines)
