"""The direct writer (`generator.direct`) writes the bytes python-docx (`ControlledDocument`) writes.

Procedures and forms are built straight as WordprocessingML for speed; the check report, the
register and redlines are still laid out through `ControlledDocument`. These tests keep the two
one layout: every bundled document, in every state and signature mode, on either paper, and
every released revision, gives the same bytes both ways. (That a released procedure, rendered
now, is its released file is `test_signature_block`'s.)
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Mapping

import pytest

from generator import legacy_build
from qmsdoc.generator.archived import archived_copy
from qmsdoc.generator.context import RenderContext
from qmsdoc.generator.direct import DirectDocument, skeleton_for
from qmsdoc.generator.document import HeaderBlock
from qmsdoc.generator.render import render_document
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.inputs import Inputs
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.signatures import MEANINGS, Manifestation

SIGNED: Mapping[str, Manifestation | None] = {
    "prepared": Manifestation("prepared", "张 伟", "2026-11-28 09:05 UTC+08:00", "3F2A-9C01"),
    "reviewed": Manifestation("reviewed", "O'Brien <& \"Sons\">\tx", "2026-11-30 16:42 UTC+08:00", "0B7D-E415"),
    "approved": None,
}


def both(project: Project, labels: Labels, doc: Procedure | Form, *, superseded_by: str | None = None,
         frozen: Inputs | None = None, approvals: Mapping[str, Manifestation | None] | None = None
         ) -> tuple[bytes, bytes]:
    """(direct, python-docx) bytes of one rendering."""
    direct = render_document(project, doc, labels, superseded_by=superseded_by, frozen=frozen, approvals=approvals)
    ctx = RenderContext(project, labels, frozen)
    if isinstance(doc, Procedure):
        reference = legacy_build.build_procedure(ctx, doc, superseded_by=superseded_by, approvals=approvals)
    else:
        reference = legacy_build.build_form(ctx, doc, superseded_by=superseded_by)
    return direct, reference


def first_difference(a: bytes, b: bytes) -> str:
    """Where two packages differ, for the assertion message."""
    with zipfile.ZipFile(io.BytesIO(a)) as x, zipfile.ZipFile(io.BytesIO(b)) as y:
        if x.namelist() != y.namelist():
            return f"parts {x.namelist()} / {y.namelist()}"
        for name in x.namelist():
            p, q = x.read(name), y.read(name)
            if p != q:
                k = next((i for i in range(min(len(p), len(q))) if p[i] != q[i]), min(len(p), len(q)))
                return f"{name} at {k}: {p[k - 80:k + 80]!r} / {q[k - 80:k + 80]!r}"
    return "the zip container"


def test_every_bundled_document_is_written_as_python_docx_writes_it(project: Project, labels: Labels) -> None:
    checked = 0
    for doc in [*project.procedures.values(), *project.forms.values()]:
        variants: list[tuple[Procedure | Form, dict[str, object]]] = [(doc, {})]
        variants.append((dataclasses.replace(doc, status="superseded"), {"superseded_by": "B/0"}))
        variants.append((dataclasses.replace(doc, status="draft"), {}))
        if isinstance(doc, Procedure):
            variants += [(doc, {"approvals": dict.fromkeys(MEANINGS)}), (doc, {"approvals": SIGNED})]
        for model, kwargs in variants:
            direct, reference = both(project, labels, model, **kwargs)  # type: ignore[arg-type]
            assert direct == reference, (doc.id, kwargs, first_difference(direct, reference))
            checked += 1
    assert checked > 300


def test_another_look_is_written_as_python_docx_writes_it(project: Project, labels: Labels) -> None:
    """Letter paper, other margins and fonts: a skeleton of its own, and the A4 one unchanged after it."""
    site = project.site
    other = dataclasses.replace(
        site, paper="Letter", margins=dataclasses.replace(site.margins, left=30.0, right=12.5),
        body_font=dataclasses.replace(site.body_font, east_asian="FangSong", size_pt=11.0))
    letter = dataclasses.replace(project, site=other)
    docs = [*list(project.procedures.values())[:4], *list(project.forms.values())[:12]]
    for doc in docs:
        direct, reference = both(letter, labels, doc)
        assert direct == reference, (doc.id, first_difference(direct, reference))
        assert direct != render_document(project, doc, labels)
    for doc in docs:
        direct, reference = both(project, labels, doc)
        assert direct == reference, (doc.id, first_difference(direct, reference))


def test_every_release_snapshot_is_written_as_python_docx_writes_it(project: Project, labels: Labels) -> None:
    checked = 0
    for releases in project.releases.values():
        for release in releases:
            direct, reference = both(project, labels, load_snapshot(project, release), frozen=release.inputs)
            assert direct == reference, (release.id, release.revision, first_difference(direct, reference))
            checked += 1
    assert checked >= 16


def test_the_skeleton_is_not_written_into(project: Project, labels: Labels) -> None:
    """A document's parts are copies: writing one leaves the next one as it would have been."""
    first = next(iter(project.procedures.values()))
    before = render_document(project, first, labels)
    doc = DirectDocument(project.site, labels, {})
    doc.header(HeaderBlock("X" * 40, "no", "ID", "A/0", None, "BANNER"))
    doc.footer("left", "right")
    doc.title("title")
    doc.to_bytes()
    assert render_document(project, first, labels) == before
    skeleton = skeleton_for(project.site, labels, landscape=False, manifest=False)
    with pytest.raises(ValueError, match="manifest"):
        skeleton.write(skeleton.parts(), "org", {"kind": "form"})


def test_archive_copies_are_the_files_python_docx_made_of_them(project: Project, labels: Labels) -> None:
    """Every bundled release marked superseded and obsolete, with and without the controlled-copy
    mark replaced: the parts changed in place give the bytes python-docx's read and write gave."""
    font = project.site.heading_font.east_asian
    mark = (labels["controlled_copy"], labels["archived_copy"])
    checked = 0
    for releases in project.releases.values():
        for release in releases:
            released = (project.root / release.docx_path).read_bytes()
            for status, banner, controlled in (("superseded", "作废 — B/0 & <x>", mark), ("obsolete", "OBSOLETE", None)):
                fast = archived_copy(released, banner, status, font, controlled)
                reference = legacy_build.archived_copy(released, banner, status, font, controlled)
                assert fast == reference, (release.id, release.revision, first_difference(fast, reference))
                checked += 1
    assert checked >= 32
