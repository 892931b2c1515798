"""The downloadable files inside the site: each built .docx, and its PDF when one is up to date.

The site is served on its own (`qmsdoc serve` serves nothing outside it) and opened from
file://, so the files are copied into `site/files/`, under the same folder and file names as
the build output. A copy is rewritten only when its bytes differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from qmsdoc.generator.build import FORMS_OUT, PROCEDURES_OUT, output_name, write_if_changed
from qmsdoc.portal.catalogue import DocKey, Document, Download, key_of

FILES_DIR = "files"
FOLDERS = {"procedure": PROCEDURES_OUT, "form": FORMS_OUT}


def built_docx(out: Path, doc: Document) -> Path:
    """Where `qmsdoc build` writes a document's .docx under the output folder `out`."""
    return out / FOLDERS[doc.kind] / output_name(doc.id, doc.revision)


def pdf_of(docx: Path) -> Path:
    """Where a document's PDF lives: next to its .docx, same name."""
    return docx.with_suffix(".pdf")


def pdf_is_fresh(docx: Path) -> bool:
    """A PDF exists for `docx` and was made after the .docx was last written."""
    pdf = pdf_of(docx)
    return pdf.is_file() and pdf.stat().st_mtime_ns >= docx.stat().st_mtime_ns


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

    def publish_documents(self, out: Path, docs: Iterable[Document]) -> dict[DocKey, tuple[Download, ...]]:
        """Copy each document's .docx (and fresh PDF) into site/files/; their downloads by document."""
        downloads: dict[DocKey, tuple[Download, ...]] = {}
        for doc in docs:
            docx = built_docx(out, doc)
            if not docx.is_file():
                continue
            found = [self._publish(doc, docx, "docx")]
            if pdf_is_fresh(docx):
                found.append(self._publish(doc, pdf_of(docx), "pdf"))
            downloads[key_of(doc)] = tuple(found)
        return downloads

    def _publish(self, doc: Document, source: Path, fmt: str) -> Download:
        data = source.read_bytes()
        rel = f"{FILES_DIR}/{FOLDERS[doc.kind]}/{source.name}"
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
