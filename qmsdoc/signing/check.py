"""Whether a revision's signatures hold: each against the registry, the document and the others.

One function, `check_signatures`, used by `lint` (revisions signed and not yet released),
`release` (before anything is written) and `verify` (released revisions, against the released
bytes). Every problem names the document, the signer, the signature file and the reason:
tampered, unknown key, revoked before signing, wrong role, out of order, the same person twice,
or the document changed after signing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from qmsdoc.model.signatures import MEANINGS, Signature, Signer
from qmsdoc.model.site import SignatureSettings
from qmsdoc.signing.keys import verifies


@dataclass(frozen=True)
class SignatureProblem:
    """One reason a signature (or the set of a revision's signatures) does not hold."""

    document: str
    revision: str
    meaning: str
    signer: str
    path: str
    reason: str
    hint: str = ""

    def message(self) -> str:
        who = f" by {self.signer}" if self.signer else ""
        return f"{self.document} {self.revision}: the {self.meaning} signature{who}: {self.reason}"


@dataclass(frozen=True)
class Expected:
    """What the signatures must match: the revision, and the digests of what would be (or was) released."""

    document: str
    revision: str
    source_sha256: str | None
    """The source's sha256 now (None: not known, not compared)."""
    document_digest: str | None
    """The signing digest of the document now (None: not known, not compared)."""
    released_on: dt.date | None = None


def check_signatures(signatures: Sequence[Signature], expected: Expected, signers: Mapping[str, Signer],
                     settings: SignatureSettings, tz: dt.tzinfo, *, complete: bool) -> list[SignatureProblem]:
    """Every problem with `signatures` (one revision's); with `complete`, a meaning not signed is one too."""
    problems: list[SignatureProblem] = []
    doc, rev = expected.document, expected.revision

    def problem(s: Signature, reason: str, hint: str = "") -> None:
        problems.append(SignatureProblem(doc, rev, s.statement.meaning, s.statement.signer, s.path, reason, hint))

    valid: dict[str, Signature] = {}
    for s in signatures:
        st = s.statement
        before = len(problems)
        if (st.document, st.revision) != (doc, rev):
            problem(s, f"it signs {st.document} {st.revision}, not this revision: a signature cannot be copied "
                       "to another document", "sign this revision with qmsdoc sign")
            continue
        signer = signers.get(st.signer)
        if signer is None:
            problem(s, f'unknown signer "{st.signer}": not in the signers registry (signers/)',
                    "a document controller registers signers with qmsdoc signer add")
            continue
        if s.public_key != signer.public_key:
            problem(s, f"unknown key: it was made with a key that is not {st.signer}'s registered key",
                    "sign again with the registered key")
            continue
        if not verifies(signer.public_key, st.canonical(), s.value):
            problem(s, "tampered: the signature does not verify against its statement and the registered key",
                    "the signature file or the registry was altered; restore them from git, or sign again")
            continue
        day = st.signed_at.astimezone(tz).date()
        if day < signer.added:
            problem(s, f"signed on {day}, before the key was registered ({signer.added})")
        if signer.revoked is not None and day >= signer.revoked:
            problem(s, f"revoked before signing: signed on {day}, the key was revoked on {signer.revoked}",
                    "ask a current signer with this role to sign")
        allowed = settings.roles_for(st.meaning)
        if not set(signer.roles) & set(allowed):
            problem(s, f"wrong role: {st.signer}'s roles ({', '.join(signer.roles)}) do not allow signing as "
                       f"{st.meaning}", f"roles that may: {', '.join(allowed) or 'none configured in qmsdoc.yaml'}")
        if expected.source_sha256 is not None and st.source_sha256 != expected.source_sha256:
            problem(s, "the source changed after it was signed",
                    "a changed document is signed again: each signer runs qmsdoc sign once more")
        elif expected.document_digest is not None and st.document_digest != expected.document_digest:
            problem(s, "the document changed after it was signed (what it prints from other documents or "
                       "qmsdoc.yaml differs)", "sign it again, or undo the change")
        if len(problems) == before:
            valid[st.meaning] = s
    _across(signatures, expected, tz, problems)
    if complete:
        signed = {s.statement.meaning for s in signatures}
        for meaning in MEANINGS:
            if meaning not in signed:
                problems.append(SignatureProblem(doc, rev, meaning, "", "", "no signature",
                                                 f"qmsdoc sign {doc} --meaning {meaning}"))
    return problems


def _across(signatures: Sequence[Signature], expected: Expected, tz: dt.tzinfo,
            problems: list[SignatureProblem]) -> None:
    """Three different people, signing in order: prepared ≤ reviewed ≤ approved ≤ released."""
    by_meaning = {s.statement.meaning: s for s in signatures}
    seen: dict[str, str] = {}
    for meaning in MEANINGS:
        s = by_meaning.get(meaning)
        if s is None:
            continue
        who = s.statement.signer
        if who in seen:
            problems.append(SignatureProblem(expected.document, expected.revision, meaning, who, s.path,
                                             f"the same person signed as {seen[who]} and as {meaning}",
                                             "prepared, reviewed and approved are signed by three different people"))
        seen.setdefault(who, meaning)
    ordered = [by_meaning[m] for m in MEANINGS if m in by_meaning]
    for earlier, later in pairwise(ordered):
        if later.statement.signed_at < earlier.statement.signed_at:
            problems.append(SignatureProblem(
                expected.document, expected.revision, later.statement.meaning, later.statement.signer, later.path,
                f"out of order: signed at {later.statement.signed_at.isoformat()}, before the "
                f"{earlier.statement.meaning} signature ({earlier.statement.signed_at.isoformat()})"))
    approved = by_meaning.get("approved")
    if approved is not None and expected.released_on is not None:
        day = approved.statement.signed_at.astimezone(tz).date()
        if day > expected.released_on:
            problems.append(SignatureProblem(expected.document, expected.revision, "approved",
                                             approved.statement.signer, approved.path,
                                             f"out of order: approved on {day}, after the release on "
                                             f"{expected.released_on}"))
