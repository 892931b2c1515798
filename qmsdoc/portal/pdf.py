"""PDF copies of the built documents, made by LibreOffice headless in one batch.

LibreOffice runs with a profile directory and a HOME of its own (a fresh temporary folder),
so it works for a user without a writable home and never talks to a LibreOffice the user
has open. Only documents whose .docx changed in this build, or whose PDF is missing or older
than the .docx, are converted; each PDF is written next to its .docx.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from qmsdoc.outputs import Built
from qmsdoc.portal.files import pdf_is_fresh, pdf_of

SOFFICE_NAMES = ("soffice", "libreoffice")
BASE_TIMEOUT_S = 180
PER_FILE_TIMEOUT_S = 20


class PdfError(Exception):
    """LibreOffice is missing, or did not convert every file it was given."""


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_soffice() -> str:
    exe = find_soffice()
    if exe is None:
        raise PdfError("--pdf needs LibreOffice, and soffice is not on PATH; install it "
                       "(Debian: apt-get install libreoffice-writer-nogui) or build without --pdf")
    return exe


def needing_pdf(built: Sequence[Built]) -> list[Path]:
    """The .docx files to convert: changed in this build, or with a missing or older PDF."""
    return [b.path for b in built if b.changed or not pdf_is_fresh(b.path)]


def convert_to_pdf(soffice: str, files: Sequence[Path]) -> list[Path]:
    """Convert `files` in one LibreOffice run; each PDF lands next to its .docx. The PDFs written."""
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="qmsdoc-pdf-") as tmp:
        work = Path(tmp)
        profile, home, outdir = work / "profile", work / "home", work / "pdf"
        home.mkdir()
        env = {**os.environ, "HOME": str(home)}
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(outdir), *(str(f.resolve()) for f in files)]
        try:
            done = subprocess.run(command, env=env, cwd=work, capture_output=True, text=True,
                                  timeout=BASE_TIMEOUT_S + PER_FILE_TIMEOUT_S * len(files), check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice did not finish converting {len(files)} file(s) in time") from None
        except OSError as exc:
            raise PdfError(f"cannot run {soffice}: {exc.strerror}") from None
        written, missing = [], []
        for docx in files:
            made = outdir / f"{docx.stem}.pdf"
            if made.is_file():
                target = pdf_of(docx)
                shutil.move(made, target)
                written.append(target)
            else:
                missing.append(docx)
        if missing:
            detail = (done.stderr or done.stdout).strip().splitlines()
            names = ", ".join(str(m) for m in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise PdfError(f"LibreOffice did not convert {len(missing)} file(s): {names}"
                           + (f" ({detail[-1]})" if detail else ""))
        return written
