"""Every sentence of the seed text appears, verbatim, in the generated procedure.

Only clause numbers move from literal text into Word numbering; the reference codes the
generator adds after a cross-reference (character style "Reference Code") are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from qmsdoc.outputs import output_name

from conftest import SEED

# Seed line ranges of each procedure's body (INVENTORY.md, document table), after the code line.
SOURCES = {
    "SJE/ZY/GK-01": (76, 115), "SJE/ZY/GK-02": (120, 163), "SJE/ZY/GK-03": (168, 207),
    "SJE/ZY/GK-04": (212, 251), "SJE/ZY/GK-05": (258, 289), "SJE/ZY/GK-06": (294, 343),
    "SJE/ZY/GK-07": (348, 413), "SJE/ZY/GK-08": (418, 469), "SJE/ZY/GK-09": (474, 497),
    "SJE/ZY/GK-10": (502, 567), "SJE/ZY/GK-11": (572, 617), "SJE/ZY/GK-12": (622, 657),
    "SJE/ZY/GK-13": (662, 689), "SJE/ZY/GK-14": (695, 849), "SJE/ZY/GK-15": (855, 967),
    "SJE/ZY/GK-16": (5, 67),
}
CLAUSE_NUMBER = re.compile(
    r"^(第[一二三四五六七八九十]+条|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|"
    r"\d+、|[a-z]\)|\d+\)|[⑴-⒇]|\d+(\.\d+)+|\d+\.|\d+(?=[^\d.、)]))\s*")


def sentences(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        line = line.strip()
        while True:
            stripped = CLAUSE_NUMBER.sub("", line, count=1)
            if stripped == line:
                break
            line = stripped
        out.extend(s.strip() for s in re.split(r"(?<=[。；！？])", line) if s.strip())
    return out


def docx_text(path: Path) -> str:
    doc = docx.Document(str(path))
    parts = []
    def para_text(p) -> str:  # type: ignore[no-untyped-def]
        return "".join(r.text for r in p.runs if (r.style is None or r.style.name != "Reference Code"))
    for p in doc.paragraphs:
        parts.append(para_text(p))
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.extend(para_text(p) for p in cell.paragraphs)
    return "\n".join(parts)


@pytest.mark.parametrize("doc_id", sorted(SOURCES))
def test_every_source_sentence_is_in_the_document(doc_id: str, built: Path) -> None:
    first, last = SOURCES[doc_id]
    seed = SEED.read_text(encoding="utf-8").split("\n")[first - 1:last]
    text = docx_text(built / "procedures" / output_name(doc_id, "A/0"))
    wanted = sentences(seed)
    assert len(wanted) >= 5
    missing = [s for s in wanted if s not in text]
    assert missing == []
