"""The downloadable files inside the site: each built .docx, and its PDF when one is up to date.

The site is served on its own (`qmsdoc serve` serves nothing outside it) and opened from
file://, so the files are copied into `site/files/`, at the same path they have under the
build output (files/forms/…, files/archive/procedures/…) and with the same names: id and
revision. A copy is rewritten only when its bytes differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from qmsdoc.outputs import Built, output_name, write_if_changed
from qmsdoc.portal.catalogue import DocKey, Document, Download, key_of

FILES_DIR = "files"


def pdf_of(docx: Path) -> Path:
    """Where a document's PDF lives: next to its .docx, same name."""
    return docx.with_suffix(".pdf")


def pdf_is_fresh(docx: Path) -> bool:
    """A PDF exists for `docx` and was made after the .docx was last written."""
    pdf = pdf_of(docx)
    return pdf.is_file() and pdf.stat().st_mtime_ns >= docx.stat().st_mtime_ns


def built_files(out: Path, built: Sequence[Built] | None, site: Path) -> dict[str, Path]:
    """The built .docx files by name: from the build's results, or else found under `out`.

    Names are unique (id and revision). Without results, a name found twice (a stale copy left
    by an older build) resolves to the most recently written file.
    """
    if built is not None:
        return {b.path.name: b.path for b in built}
    found: dict[str, Path] = {}
    for path in sorted(out.rglob("*.docx")):
        if path.is_relative_to(site):
            continue
        if path.name not in found or path.stat().st_mtime_ns > found[path.name].stat().st_mtime_ns:
            found[path.name] = path
    return found


class Publisher:
    """Copies files into the site and remembers every path it wrote, for pruning."""

    def __init__(self, site: Path):
        self.site = site
        self.written: set[Path] = set()
        self.changed = 0

    def write(self, rel: str, data: bytes) -> None:
        path = self.site / rel
        if write_if_changed(path, data):
            self.changed += 1
        self.written.add(path)

    def publish_documents(self, out: Path, docs: Iterable[Document],
                          built: Sequence[Built] | None = None) -> dict[DocKey, tuple[Download, ...]]:
        """Copy each document's .docx (and fresh PDF) into site/files/; their downloads by document."""
        files = built_files(out, built, self.site)
        downloads: dict[DocKey, tuple[Download, ...]] = {}
        for doc in docs:
            docx = files.get(output_name(doc.id, doc.revision))
            if docx is None or not docx.is_file():
                continue
            found = [self._publish(out, docx, "docx")]
            if pdf_is_fresh(docx):
                found.append(self._publish(out, pdf_of(docx), "pdf"))
            downloads[key_of(doc)] = tuple(found)
        return downloads

    def _publish(self, out: Path, source: Path, fmt: str) -> Download:
        data = source.read_bytes()
        try:
            rel = f"{FILES_DIR}/{source.relative_to(out).as_posix()}"
        except ValueError:  # built elsewhere: keep the name
            rel = f"{FILES_DIR}/{source.name}"
        self.write(rel, data)
        return Download(fmt, rel, len(data))

    def prune(self) -> int:
        """Delete every file under the site that this run did not write; empty folders too.

        Symbolic links are deleted as links, never followed.
        """
        removed = 0
        for path in sorted(self.site.rglob("*"), reverse=True):
            if path.is_symlink() or path.is_file():
                if path not in self.written:
                    path.unlink()
                    removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return removed
