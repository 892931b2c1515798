"""What `qmsdoc verify` checks of signatures: the trail, the registry, and every signed release.

For a release made with signatures, each signature must verify against the registered key, belong
to this revision, be made by a signer whose roles allow its meaning, before any revocation, in
order, by three different people, over the released source and the released document (its
signing digest: the released .docx with the signatures it shows blanked); the document must show
exactly what the signatures say; and each signing must be an event of the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from qmsdoc.generator.ooxml.signatures import SignatureMarkupError, manifestations, signing_digest
from qmsdoc.lifecycle.digest import sha256
from qmsdoc.load.signatures import read_signatures
from qmsdoc.model.project import Project
from qmsdoc.model.releases import Release
from qmsdoc.model.signatures import TRAIL_FILE, Manifestation, Signature
from qmsdoc.signing.check import Expected, check_signatures
from qmsdoc.signing.registry import SIGNED, registry_problems
from qmsdoc.signing.trail import TrailEvent, details, verify_trail


@dataclass(frozen=True)
class SignatureFinding:
    """One thing about signatures that does not hold, with the file it is about."""

    path: str
    message: str


def verify_signatures(project: Project) -> tuple[int, list[SignatureFinding]]:
    """How many signatures were checked, and every problem with them, the registry or the trail."""
    root = project.root
    found: list[SignatureFinding] = []
    trail = verify_trail(root)
    if trail.broken:
        found.append(SignatureFinding(TRAIL_FILE, trail.broken))
    for text in registry_problems(root, project.signers, trail.events):
        path, _, message = text.partition(": ")
        found.append(SignatureFinding(path, message))
    events = signing_events(trail.events)
    count = 0
    for releases in project.releases.values():
        for release in releases:
            if release.signed:
                signatures, problems = check_signed_release(project, release, events)
                count += len(signatures)
                found.extend(problems)
    return count, found


def signing_events(events: tuple[TrailEvent, ...]) -> dict[object, TrailEvent]:
    """The last signing event of each signature file, by its path."""
    return {details(e).get("file"): e for e in events if e.action == SIGNED}


def check_signed_release(project: Project, release: Release,
                         events: dict[object, TrailEvent]) -> tuple[list[Signature], list[SignatureFinding]]:
    """A signed release's signatures, and every problem with them (none: the signatures are verified)."""
    root = project.root
    found: list[SignatureFinding] = []
    what = f"{release.id} {release.revision}"
    signatures, unreadable = read_signatures(root, release.id, release.revision)
    for path, why in unreadable:
        found.append(SignatureFinding(path, f"{what}: {why}"))
    present = {s.statement.meaning for s in signatures}
    for meaning in release.signed:
        if meaning not in present and not any(p.endswith(f"/{meaning}.json") for p, _ in unreadable):
            found.append(SignatureFinding(f"{release.folder}/signatures/{meaning}.json",
                                          f"{what}: the {meaning} signature it was released with is missing"))
    docx = _read(root / release.docx_path)
    digest = shown = None
    if docx is not None:
        try:
            digest, shown = signing_digest(docx), manifestations(docx)
        except SignatureMarkupError as exc:
            found.append(SignatureFinding(release.docx_path, f"{what}: the released document cannot be read ({exc})"))
    expected = Expected(release.id, release.revision, release.source.digest, digest, release.released_on)
    tz = ZoneInfo(project.site.timezone)
    for p in check_signatures(signatures, expected, project.signers, project.site.signatures, tz, complete=False):
        found.append(SignatureFinding(p.path or release.folder, p.message()))
    for s in signatures:
        if shown is not None:
            _compare_shown(s, shown.get(s.statement.meaning, {}), release, found)
        _in_trail(s, events, found)
    return signatures, found


def _compare_shown(s: Signature, shown: dict[str, str], release: Release, found: list[SignatureFinding]) -> None:
    """The released document shows exactly the signature's name, time and code."""
    m = Manifestation.of(s)
    want = {"name": m.name, "time": m.signed_at, "code": m.code}
    wrong = [f'{k} "{shown.get(k, "")}" (the signature says "{v}")' for k, v in want.items() if shown.get(k) != v]
    if wrong:
        found.append(SignatureFinding(release.docx_path, f"{release.id} {release.revision}: the document shows for "
                                                         f"{m.meaning} {'; '.join(wrong)}: the .docx was altered"))


def _in_trail(s: Signature, events: dict[object, TrailEvent], found: list[SignatureFinding]) -> None:
    event = events.get(s.path)
    if event is None or details(event).get("statement_sha256") != sha256(s.statement.canonical()):
        found.append(SignatureFinding(s.path, f"{s.statement.document} {s.statement.revision}: the "
                                              f"{s.statement.meaning} signature by {s.statement.signer} is not in "
                                              f"the audit trail ({TRAIL_FILE}): it was not made by qmsdoc sign"))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
