"""Text of a Word paragraph as procedure Markdown that reads back as exactly that text.

Every character that Markdown or the body's template language would take for markup is
escaped (`*`, `[`, `<`, `|`, a `#` or `1.` at the start of a line, `{{` …), bold runs become
`**…**`, and a line break inside a paragraph becomes a hard break. The result is parsed back
with the loader's own Markdown parser: if bold cannot be written so that it reads back (CommonMark
does not close `**` between some punctuation and a Chinese character), the paragraph is written
without bold and the caller reports it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qmsdoc.errors import Diagnostics
from qmsdoc.importer.word import Run
from qmsdoc.load.body import parse_body
from qmsdoc.model.body import Paragraph, Text
from qmsdoc.model.documents import ListNumbering

_ESCAPE = re.compile(r"([\\`*_\[\]<>|&!~])")
_LINE_START = re.compile(r"^([#>+=-]|[0-9]+(?=[.)]))")
_TEMPLATE = re.compile(r"\{(?=[{%#])")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def inline_markdown(runs: Sequence[Run], *, bold: bool = True) -> str:
    """The runs as one Markdown paragraph (lines joined by hard breaks); leading and trailing
    blanks of the paragraph are dropped (Markdown would drop them)."""
    pieces: list[str] = []
    for run in runs:
        text = _escape(run.text)
        if bold and run.bold and run.text.strip():
            lead = text[:len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            text = f"{lead}**{text.strip()}**{trail}"
        pieces.append(text)
    joined = "".join(pieces).strip(" \t\n")
    lines = [line.strip(" \t") for line in joined.split("\n")]
    lines = [_LINE_START.sub(r"\\\1", line) for line in lines]
    return "\\\n".join(lines)


def template_safe(markdown: str) -> str:
    """Markdown whose `{{`, `{%` and `{#` print themselves through the body's template."""
    return _TEMPLATE.sub('{{ "{" }}', markdown)


def reads_back(markdown: str, runs: Sequence[Run], *, bold: bool = True) -> bool:
    """Whether `markdown` parses to the runs' text, with bold where the runs are bold."""
    diags = Diagnostics()
    blocks, _ = parse_body(markdown, "import", 0, ListNumbering(), diags)
    if diags or len(blocks) != 1 or not isinstance(blocks[0], Paragraph):
        return False
    got = [(i.text, i.bold) for i in blocks[0].inlines if isinstance(i, Text)]
    if len(got) != len(blocks[0].inlines):
        return False
    want_text = "\n".join(line.strip(" \t") for line in "".join(r.text for r in runs).strip(" \t\n").split("\n"))
    if "".join(t for t, _ in got) != want_text:
        return False
    if not bold:
        return True
    return _bold_chars(got) == _bold_chars([(r.text, r.bold) for r in runs], want_text)


def _bold_chars(pieces: list[tuple[str, bool]], text: str | None = None) -> str:
    """The non-blank characters shown bold, in order (blanks at the edge of a bold run do not count)."""
    out = "".join(t for t, b in pieces if b)
    return re.sub(r"\s", "", out)
