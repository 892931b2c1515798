"""`qmsdoc release`: freeze revisions in releases/<id>/<revision>/ with their digests and inputs.

A release folder holds the exact source bytes, the generated .docx, the PDF when LibreOffice
is available, and release.json: who prepared, reviewed and approved it and when, the
effective date, the day it was released and by whom, the digest of every file, and the inputs
the .docx was rendered from besides its source (site settings, label texts, other documents'
titles and params, see `qmsdoc.model.inputs`). Releasing needs
complete approval data; every gap is reported at its path:line:col and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qmsdoc import __version__
from qmsdoc.errors import Diagnostics, Location, SourceError
from qmsdoc.generator.render import render
from qmsdoc.lifecycle.digest import canonical_digest, sha256
from qmsdoc.load.common import same_person
from qmsdoc.load.releases import FORMAT
from qmsdoc.model.documents import Form, Procedure, Signoff
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.releases import RELEASE_FILE, Release, ReleasedFile, release_folder
from qmsdoc.model.signatures import SIGNATURES_DIR, Manifestation, Signature
from qmsdoc.outputs import output_name

RELEASABLE = ("effective", "obsolete")
"""A revision is released once it is approved to take effect (or to withdraw the document)."""
PDF_TIMEOUT = 1800


class ReleaseError(Exception):
    """Releasing failed for a reason outside the sources (LibreOffice, the file system)."""


@dataclass(frozen=True)
class Skipped:
    """A document that was asked for (or looked at by --all) and not released, and why."""

    id: str
    revision: str
    reason: str


@dataclass(frozen=True)
class Unreleased:
    """An effective revision with no release: in force on paper, but not frozen or verifiable."""

    id: str
    revision: str
    loc: Location

    def message(self) -> str:
        return f"{self.id} {self.revision} is effective but has not been released"

    @property
    def hint(self) -> str:
        return f"run `qmsdoc release {self.id}` to freeze it with its approval data and digests"


def unreleased(project: Project) -> list[Unreleased]:
    """The documents whose current revision is effective and has no release, by path."""
    docs: list[Procedure | Form] = sorted([*project.procedures.values(), *project.forms.values()],
                                          key=lambda d: d.path)
    return [Unreleased(d.id, d.revision, d.locs.get("status", Location(d.path, 1, 1)))
            for d in docs if d.status == "effective" and project.release_of(d.id, d.revision) is None]


def select(project: Project, ids: list[str], everything: bool) -> tuple[list[Procedure | Form], list[Skipped]]:
    """The documents to release: the ids given, or with `everything` each whose revision has no release.

    Raises KeyError naming an id that is neither a procedure nor a form.
    """
    chosen: list[Procedure | Form] = []
    skipped: list[Skipped] = []
    docs = [project.document(i) for i in ids] if ids else []
    for doc_id, doc in zip(ids, docs, strict=True):
        if doc is None:
            raise KeyError(doc_id)
    if everything:
        docs = [*project.procedures.values(), *project.forms.values()]
    for doc in docs:
        assert doc is not None
        done = project.release_of(doc.id, doc.revision)
        if done is not None:
            if not everything:  # --all passes over released revisions silently
                skipped.append(Skipped(doc.id, doc.revision, f"already released on {done.released_on}"))
        elif everything and doc.status not in RELEASABLE:
            skipped.append(Skipped(doc.id, doc.revision, f"{doc.status}: not ready to release"))
        elif all(c.id != doc.id for c in chosen):
            chosen.append(doc)
    return chosen, skipped


def check_releasable(doc: Procedure | Form, released_on: dt.date, diags: Diagnostics,
                     signed: SignedRevision | None = None, *, signatures_on: bool = False) -> None:
    """Complete approval data: three different people, each dated, approved by the effective date.

    `signatures_on`: electronic signatures are enabled, so the sign-offs are the signatures' (names and
    dates, `signed`: None when they do not hold, which `signed_revision` has reported), and the typed
    ones are not used."""
    loc = lambda key: doc.locs.get(key, Location(doc.path, 1, 1))  # noqa: E731
    what = f"{doc.id} {doc.revision}"
    if doc.status not in RELEASABLE:
        diags.error(loc("status"), f"{what} is {doc.status}; only an effective revision can be released",
                    "set status: effective and effective: the day it takes effect "
                    "(until that day it is listed as approved, not yet in force)")
    if doc.effective is None:
        diags.error(loc("status"), f'{what} cannot be released without an "effective" date',
                    "add effective: YYYY-MM-DD")
    if signatures_on:
        approved_on = signed.signoffs["approved"].date if signed and "approved" in signed.signoffs else None
        if approved_on and doc.effective and approved_on > doc.effective:
            diags.error(loc("status"), f"{what} was approved (signed) on {approved_on}, after its effective date "
                                       f"{doc.effective}", "approval must be on or before the effective date")
        return
    signoffs: dict[str, Signoff] = {}
    for key in ("prepared", "reviewed", "approved"):
        value: Signoff | None = getattr(doc, key)
        if value is None:
            diags.error(loc(key), f'{what} cannot be released without "{key}" (a name and a date)',
                        f"add {key}: {{name: …, date: YYYY-MM-DD}}")
        else:
            signoffs[key] = value
    for clash in same_person(doc.prepared, doc.reviewed, doc.approved):
        diags.error(loc(clash.second), f"{what}: {clash.message()}", clash.hint)
    approved = signoffs.get("approved")
    if approved and doc.effective and approved.date > doc.effective:
        diags.error(loc("approved"),
                    f"{what} was approved on {approved.date}, after its effective date {doc.effective}",
                    "approval must be on or before the effective date")
    if approved and released_on < approved.date:
        diags.error(loc("approved"),
                    f"{what} would be released on {released_on}, before it was approved ({approved.date})",
                    "release it on or after the approval date (--date)")


@dataclass(frozen=True)
class SignedRevision:
    """A revision's signatures, checked complete and valid, and what they give the release."""

    signatures: tuple[Signature, ...]
    signoffs: dict[str, Signoff]
    """Per meaning, the signer's printed name and the day of signing (in the site's time zone)."""
    approvals: dict[str, Manifestation]


def signed_revision(project: Project, doc: Procedure | Form, released_on: dt.date, labels: Labels,
                    diags: Diagnostics) -> SignedRevision | None:
    """The revision's signatures when each meaning is validly signed; otherwise every problem goes to
    `diags`, at the signature file (or the source when a meaning is not signed)."""
    from zoneinfo import ZoneInfo

    from qmsdoc.load.signatures import read_signatures
    from qmsdoc.signing.check import check_signatures
    from qmsdoc.signing.sign import expected_now

    signatures, unreadable = read_signatures(project.root, doc.id, doc.revision)
    for path, why in unreadable:
        diags.error(Location(path, 1, 1), f"{doc.id} {doc.revision}: {why}", "restore it from git, or sign again")
    expected = replace(expected_now(project, doc, labels), released_on=released_on)
    tz = ZoneInfo(project.site.timezone)
    problems = check_signatures(signatures, expected, project.signers, project.site.signatures, tz, complete=True)
    for p in problems:
        where = Location(p.path, 1, 1) if p.path else doc.locs.get("revision", Location(doc.path, 1, 1))
        diags.error(where, p.message(), p.hint or None)
    if problems or unreadable:
        return None
    return SignedRevision(
        tuple(signatures),
        {s.statement.meaning: Signoff(s.statement.name, s.statement.signed_at.astimezone(tz).date())
         for s in signatures},
        {s.statement.meaning: Manifestation.of(s) for s in signatures})


def release(project: Project, docs: list[Procedure | Form], released_on: dt.date, labels: Labels,
            soffice: str | None, released_by: str) -> list[Release]:
    """Check every document, then write one release folder each; nothing is written if any check fails.

    `released_by` is the person who releases them (the document controller), recorded in each
    release.json as released_by.
    """
    diags = Diagnostics()
    signed: dict[str, SignedRevision | None] = {}
    for doc in docs:
        if project.site.signatures.enabled:
            signed[doc.id] = signed_revision(project, doc, released_on, labels, diags)
        check_releasable(doc, released_on, diags, signed.get(doc.id), signatures_on=project.site.signatures.enabled)
    if diags:
        raise SourceError(diags)
    root = project.root
    with tempfile.TemporaryDirectory(prefix="qmsdoc-release-") as tmp:
        staging = Path(tmp)
        built: list[tuple[Procedure | Form, Path, Path, dict[str, Any]]] = []
        for doc in docs:
            folder = staging / release_folder(doc.id, doc.revision)
            folder.mkdir(parents=True)
            source = root / doc.path
            shutil.copyfile(source, folder / source.name)
            docx = folder / output_name(doc.id, doc.revision)
            sigs = signed.get(doc.id)
            rendered = render(project, doc, labels, approvals=sigs.approvals if sigs else None)
            docx.write_bytes(rendered.data)
            built.append((doc, folder, docx, rendered.inputs))
        if soffice and built:
            _to_pdf(soffice, [d for _, _, d, _ in built], staging / "pdf")
        releases = []
        for doc, folder, docx, inputs in built:
            pdf_made = staging / "pdf" / docx.with_suffix(".pdf").name
            if pdf_made.is_file():
                shutil.move(str(pdf_made), folder / pdf_made.name)
            record = _record(doc, folder, docx, released_on, released_by, inputs, signed.get(doc.id))
            (folder / RELEASE_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
            releases.append(_as_release(doc, record, release_folder(doc.id, doc.revision)))
        for doc, folder, _, _ in built:
            target = root / release_folder(doc.id, doc.revision)
            if (target / RELEASE_FILE).exists() or (target.exists() and doc.id not in signed):
                raise ReleaseError(f"{target} already exists; a released revision is never overwritten")
            target.mkdir(parents=True, exist_ok=True)  # it may hold the revision's signatures/ already
            for part in sorted(folder.iterdir()):
                shutil.move(str(part), target / part.name)
    return releases


def _to_pdf(soffice: str, files: list[Path], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
            check=True, capture_output=True, timeout=PDF_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReleaseError(f"LibreOffice could not make the PDFs ({exc}); release with --no-pdf") from None
    missing = [f.name for f in files if not (out / f.with_suffix(".pdf").name).is_file()]
    if missing:
        raise ReleaseError(f"LibreOffice made no PDF for {', '.join(missing)}; release with --no-pdf")


def _signoff(s: Signoff | None) -> dict[str, str]:
    assert s is not None
    return {"name": s.name, "date": s.date.isoformat()}


def _record(doc: Procedure | Form, folder: Path, docx: Path, released_on: dt.date,
            released_by: str, inputs: dict[str, Any], signed: SignedRevision | None = None) -> dict[str, object]:
    source = folder / Path(doc.path).name
    files: dict[str, dict[str, str]] = {
        "source": {"name": source.name, "sha256": sha256(source.read_bytes())},
        "docx": {"name": docx.name, "canonical_sha256": canonical_digest(docx.read_bytes())},
    }
    pdf = docx.with_suffix(".pdf")
    if pdf.is_file():
        files["pdf"] = {"name": pdf.name, "sha256": sha256(pdf.read_bytes())}
    assert doc.effective is not None
    signoffs = signed.signoffs if signed else {"prepared": doc.prepared, "reviewed": doc.reviewed,
                                               "approved": doc.approved}
    record: dict[str, object] = {
        "format": FORMAT,
        "id": doc.id,
        "kind": doc.kind,
        "title": doc.title,
        "revision": doc.revision,
        "status": doc.status,
        "prepared": _signoff(signoffs["prepared"]),
        "reviewed": _signoff(signoffs["reviewed"]),
        "approved": _signoff(signoffs["approved"]),
        "effective": doc.effective.isoformat(),
        "released_on": released_on.isoformat(),
        "released_by": released_by,
        "files": files,
        "inputs": inputs,
        "generator": f"qmsdoc {__version__}",
    }
    if signed is not None:  # the signature files, whose names and dates the document shows
        record["signatures"] = {s.statement.meaning: {"name": f"{SIGNATURES_DIR}/{s.statement.meaning}.json",
                                                      "signer": s.statement.signer} for s in signed.signatures}
    return record


def _as_release(doc: Procedure | Form, record: dict[str, Any], folder: str) -> Release:
    files = record["files"]
    assert doc.effective
    pdf = files.get("pdf")
    prepared, reviewed, approved = (Signoff(record[k]["name"], dt.date.fromisoformat(record[k]["date"]))
                                    for k in ("prepared", "reviewed", "approved"))
    return Release(doc.id, doc.kind, doc.title, doc.revision, doc.status, prepared, reviewed,
                   approved, doc.effective, dt.date.fromisoformat(record["released_on"]),
                   ReleasedFile(files["source"]["name"], files["source"]["sha256"]),
                   ReleasedFile(files["docx"]["name"], files["docx"]["canonical_sha256"]),
                   ReleasedFile(pdf["name"], pdf["sha256"]) if pdf else None,
                   folder, Location(f"{folder}/{RELEASE_FILE}", 1, 1), record["released_by"], record["inputs"],
                   tuple(record.get("signatures", {})))
