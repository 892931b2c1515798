"""`qmsdoc verify`: is every released file, and every published copy of a released revision, intact?

Each release folder is checked against its release.json: the source by its sha256, the
.docx by its canonical digest, the PDF by its sha256; a missing file, and a file that is
not part of the release, are reported too. In the output folder, the published .docx of
each released revision that is not archived on the day it was built for must be the
released file (`qmsdoc build` copies it); a difference means the file was altered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from qmsdoc.lifecycle.digest import DigestError, canonical_digest, sha256
from qmsdoc.lifecycle.states import ARCHIVED, document_states
from qmsdoc.model.project import Project
from qmsdoc.model.releases import RELEASE_FILE, RELEASES_DIR, Release
from qmsdoc.model.signatures import SIGNATURES_DIR, TRAIL_FILE
from qmsdoc.outputs import current_path


@dataclass(frozen=True)
class Problem:
    """One file that is not as released."""

    path: str
    message: str

    def format(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Verification:
    """What verify looked at and what it found."""

    releases: int
    files: int
    published: int
    problems: tuple[Problem, ...]
    output_checked: bool
    signatures: int = 0
    """Electronic signatures checked (of signed releases)."""


def verify(project: Project, out: Path | None, as_of: dt.date | None = None) -> Verification:
    """Check releases/ and, when `out` exists, the published copies of the released revisions
    current or pending on `as_of` (the day `out` was built for)."""
    root = project.root
    problems: list[Problem] = []
    files = 0
    releases = [r for rs in project.releases.values() for r in rs]
    for release in releases:
        files += _check_release(root, release, problems)
    problems.extend(_stray_folders(root, {r.folder for r in releases}))
    signatures = 0
    if project.signers or any(r.signed for r in releases) or (root / TRAIL_FILE).exists():
        from qmsdoc.signing.verify import verify_signatures

        signatures, found = verify_signatures(project)
        problems.extend(Problem(f.path, f.message) for f in found)
    published = 0
    checked = out is not None and out.is_dir()
    if checked:
        assert out is not None
        for states in document_states(project, as_of).values():
            for rs in states.revisions:
                if rs.release is None or rs.state in ARCHIVED:
                    continue
                path = current_path(out, rs.kind, rs.id, rs.revision)
                published += 1
                problems.extend(_check_published(path, _show(path, root), rs.id, rs.revision, rs.release))
    return Verification(len(releases), files, published, tuple(problems), checked, signatures)


def _show(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


REBUILD = "rebuild with `qmsdoc build`"
RESTORE = ("restore it from git: a released file never changes (to change the document, bump the revision "
           "and release it)")


def _check_release(root: Path, release: Release, problems: list[Problem]) -> int:
    expected = {RELEASE_FILE, release.source.name, release.docx.name}
    if release.signed:
        expected.add(SIGNATURES_DIR)  # checked signature by signature (qmsdoc.signing.verify)
    checks = [(release.source_path, release.source.digest, "source"), (release.docx_path, release.docx.digest, "docx")]
    if release.pdf and release.pdf_path:
        expected.add(release.pdf.name)
        checks.append((release.pdf_path, release.pdf.digest, "pdf"))
    what = f"{release.id} {release.revision}"
    for rel, digest, kind in checks:
        diff = _differs(root / rel, digest, kind)
        if diff == MISSING:
            problems.append(Problem(rel, f"missing from the release of {what} (its {RELEASE_FILE} lists it); "
                                         f"{RESTORE}"))
        elif diff is not None:
            problems.append(Problem(rel, f"altered since {what} was released on {release.released_on} "
                                         f"({diff}); {RESTORE}"))
    folder = root / release.folder
    for extra in sorted(p for p in folder.iterdir() if p.name not in expected):
        problems.append(Problem(f"{release.folder}/{extra.name}",
                                f"not part of the release of {what} (its {RELEASE_FILE} does not list it); "
                                f"remove it: a release folder holds only the files its {RELEASE_FILE} lists"))
    return len(checks)


def _check_published(path: Path, shown: str, doc_id: str, revision: str, release: Release) -> list[Problem]:
    """The published .docx of a released revision against the release's canonical digest."""
    diff = _differs(path, release.docx.digest, "docx")
    if diff is None:
        return []
    if diff == MISSING:
        return [Problem(shown, f"missing: {doc_id} {revision} is released ({release.docx_path}) but this "
                               f"published copy is not there; {REBUILD}")]
    return [Problem(shown, f"differs from the released file {release.docx_path} ({diff}); {REBUILD}, "
                           "or if the sources changed on purpose, bump the revision and release it")]


MISSING = "missing"


def _differs(path: Path, digest: str, kind: str) -> str | None:
    """How the file at `path` differs from `digest` (MISSING when it is not there), or None when it is the same."""
    if not path.is_file():
        return MISSING
    data = path.read_bytes()
    if kind == "docx":
        try:
            actual = canonical_digest(data)
        except DigestError as exc:
            return f"it cannot be read: {exc}"
    else:
        actual = sha256(data)
    if actual != digest:
        what = "canonical digest" if kind == "docx" else "sha256"
        return f"its {what} is {actual[:16]}…, not the recorded {digest[:16]}…"
    return None


def _stray_folders(root: Path, known: set[str]) -> list[Problem]:
    """Revision folders under releases/ without a release.json."""
    base = root / RELEASES_DIR
    if not base.is_dir():
        return []
    out = []
    for folder in sorted(p for p in base.glob("*/*") if p.is_dir()):
        rel = folder.relative_to(root).as_posix()
        if [p.name for p in folder.iterdir()] == [SIGNATURES_DIR]:
            continue  # a revision signed and not yet released: its signatures wait for the release
        if rel not in known and not (folder / RELEASE_FILE).is_file():
            out.append(Problem(rel, f"a release folder without {RELEASE_FILE}, so nothing in it can be verified; "
                                    f"restore {RELEASE_FILE} from git, or remove the folder if nothing was released"))
    return out
