"""Signing one revision: the statement, the checks before signing, the signature file.

What is signed is a `Statement` (see `qmsdoc.model.signatures`) naming the revision, the sha256
of its source, and the signing digest of the document as it will be released: rendered in
signature mode with no signature shown, so that showing the signatures later does not change
what was signed (`qmsdoc.generator.ooxml.signatures`). Any change to the source, or to anything
the document prints from elsewhere, changes one of the two digests and invalidates the signature.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from qmsdoc.generator.ooxml.signatures import signing_digest
from qmsdoc.generator.render import render
from qmsdoc.lifecycle.digest import sha256
from qmsdoc.load.signatures import read_signatures, signature_json, signatures_folder
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.signatures import MEANINGS, Manifestation, Signature, Signer, Statement
from qmsdoc.signing import SigningError
from qmsdoc.signing.check import Expected, check_signatures
from qmsdoc.signing.keys import public_text, sign_bytes

UNSIGNED: Mapping[str, Manifestation | None] = dict.fromkeys(MEANINGS)
"""Signature mode with no signature shown: what a signing digest is computed from."""


def expected_now(project: Project, doc: Procedure | Form, labels: Labels) -> Expected:
    """The digests a signature of this revision must carry today: its source bytes and its rendering."""
    source = (project.root / doc.path).read_bytes()
    data = render(project, doc, labels, approvals=UNSIGNED).data
    return Expected(doc.id, doc.revision, sha256(source), signing_digest(data))


def sign(project: Project, doc: Procedure | Form, meaning: str, signer: Signer, key: Ed25519PrivateKey,
         at: dt.datetime, labels: Labels) -> Signature:
    """Sign `meaning` of the document's current revision as `signer` at `at` (aware), and write the file.

    Refused (SigningError, nothing written) when signatures are not enabled, the revision is released,
    the key is not the signer's registered key, the signer's roles do not allow the meaning, the key
    was revoked, the signer signed another meaning of it, a meaning before this one is not signed
    (or is signed later than `at`), or a valid signature for the meaning exists."""
    settings = project.site.signatures
    what = f"{doc.id} {doc.revision}"
    if not settings.enabled:
        raise SigningError("signatures are not enabled in qmsdoc.yaml",
                           "add signatures: {enabled: true, roles: {prepared: […], reviewed: […], approved: […]}}")
    if meaning not in MEANINGS:
        raise SigningError(f'"{meaning}" is not a meaning of a signature', f"one of: {', '.join(MEANINGS)}")
    if project.release_of(doc.id, doc.revision) is not None:
        raise SigningError(f"{what} is released: a released revision is never signed again",
                           "signatures are given before release; revise the document to change it")
    if public_text(key.public_key()) != signer.public_key:
        raise SigningError(f"the private key is not {signer.id}'s registered key",
                           "use the key made for this login (qmsdoc keygen), or ask to have it registered")
    tz = ZoneInfo(project.site.timezone)
    if signer.revoked_at(at, tz):
        raise SigningError(f"{signer.id}'s key was revoked on {signer.revoked}", "a revoked key signs nothing")
    allowed = settings.roles_for(meaning)
    if not set(signer.roles) & set(allowed):
        raise SigningError(f"{signer.id}'s roles ({', '.join(signer.roles)}) do not allow signing as {meaning}",
                           f"roles that may: {', '.join(allowed) or 'none configured'}")
    existing, unreadable = read_signatures(project.root, doc.id, doc.revision)
    if unreadable:
        path, why = unreadable[0]
        raise SigningError(f"{path}: {why}", "restore the signatures folder from git before signing")
    expected = expected_now(project, doc, labels)
    problems = check_signatures(existing, expected, project.signers, settings, tz, complete=False)
    broken = {p.meaning for p in problems}
    for s in existing:
        st = s.statement
        if st.meaning == meaning and meaning not in broken:
            raise SigningError(f"{what} is already signed as {meaning} by {st.signer} ({st.signed_at.isoformat()})",
                               "a valid signature is never replaced")
        if st.signer == signer.id and st.meaning != meaning and st.meaning not in broken:
            raise SigningError(f"{signer.id} signed {what} as {st.meaning} already",
                               "prepared, reviewed and approved are signed by three different people")
    valid = {s.statement.meaning: s for s in existing if s.statement.meaning not in broken}
    for before in MEANINGS[:MEANINGS.index(meaning)]:
        earlier = valid.get(before)
        if earlier is None:
            raise SigningError(f"{what} has no valid {before} signature yet", f"it is signed as {before} first")
        if earlier.statement.signed_at > at:
            raise SigningError(f"{what} was signed as {before} at {earlier.statement.signed_at.isoformat()}, "
                               "after this signing time")
    statement = Statement(doc.id, doc.revision, meaning, signer.id, signer.name, at.astimezone(tz).replace(
        microsecond=0), expected.source_sha256 or "", expected.document_digest or "")
    signature = Signature(statement, signer.public_key, sign_bytes(key, statement.canonical()),
                          f"{signatures_folder(doc.id, doc.revision)}/{meaning}.json")
    _write(project.root / signature.path, signature_json(signature))
    return signature


def _write(path: Path, text: str) -> None:
    """Write through a temporary file and a rename: a signature file is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
