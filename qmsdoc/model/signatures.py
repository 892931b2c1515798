"""Electronic signatures: who may sign, what a signature states, and how it is shown.

A signature binds one person (a registered `Signer`) to one meaning (编制 prepared, 审核
reviewed, 批准 approved) of one revision of one document: the `Statement` it signs names the
document and revision, the digest of its source, the digest of the document as it will be
released (without the signatures shown on it: `generator.ooxml.signatures`), the meaning, the
signer and the date-time with its offset. The statement is signed with the signer's Ed25519
key; the signature is kept beside the release (releases/<id>/<revision>/signatures/).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from qmsdoc.errors import NOWHERE, Location

MEANINGS = ("prepared", "reviewed", "approved")
"""The meanings of a signature on a document, in the order they are given."""
STATEMENT_FORMAT = "qmsdoc-signature/1"
KEY_PREFIX = "ed25519:"
"""A public key as written in the registry: `ed25519:` and the 32 raw key bytes in base64."""
SIGNATURES_DIR = "signatures"
"""The folder of a revision's signatures, inside its release folder."""
SIGNERS_DIR = "signers"
"""The signers registry: one signers/<login>.yaml per person, and the audit trail."""
TRAIL_FILE = "signers/trail.jsonl"
"""The audit trail of signing: append-only, hash-chained (see `qmsdoc.signing.trail`)."""


@dataclass(frozen=True)
class Signer:
    """One person who may sign: signers/<id>.yaml."""

    id: str
    name: str
    roles: tuple[str, ...]
    public_key: str
    """`ed25519:` and the raw public key in base64."""
    added: dt.date
    revoked: dt.date | None = None
    """From this day on, the key signs nothing; what it signed before still verifies."""
    path: str = ""
    loc: Location = field(default=NOWHERE, compare=False)

    def revoked_at(self, when: dt.datetime, tz: dt.tzinfo) -> bool:
        """Whether a signature made at `when` was made on or after the revocation day (in the site's zone)."""
        return self.revoked is not None and when.astimezone(tz).date() >= self.revoked


@dataclass(frozen=True)
class Statement:
    """What a signature states; its canonical bytes are what is signed."""

    document: str
    revision: str
    meaning: str
    signer: str
    name: str
    signed_at: dt.datetime
    """Aware: the date-time of signing with its offset (in the site's time zone)."""
    source_sha256: str
    document_digest: str
    """The signing digest of the document as it will be released (`generator.ooxml.signatures`)."""

    def as_dict(self) -> dict[str, str]:
        return {
            "format": STATEMENT_FORMAT, "document": self.document, "revision": self.revision,
            "meaning": self.meaning, "signer": self.signer, "name": self.name,
            "signed_at": self.signed_at.isoformat(timespec="seconds"),
            "source_sha256": self.source_sha256, "document_digest": self.document_digest,
        }

    def canonical(self) -> bytes:
        """The bytes signed: the statement as JSON, keys sorted, no spaces, UTF-8."""
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Signature:
    """A signed statement, as kept in releases/<id>/<revision>/signatures/<meaning>.json."""

    statement: Statement
    public_key: str
    """The key it was made with (`ed25519:…`), matched against the registry when verified."""
    value: str
    """The Ed25519 signature of `statement.canonical()`, in base64."""
    path: str = ""

    @property
    def code(self) -> str:
        """A short verification code printed beside the signature: 8 hex digits of its digest (3F2A-9C01)."""
        digest = hashlib.sha256(self.value.encode("ascii")).hexdigest()[:8].upper()
        return f"{digest[:4]}-{digest[4:]}"


@dataclass(frozen=True)
class Manifestation:
    """How one signature is shown on the document and the portal (21 CFR 11.50): the printed name,
    the date and time with its offset, the meaning and the verification code."""

    meaning: str
    name: str
    signed_at: str
    """`2026-12-01 20:30 UTC+08:00`."""
    code: str

    @classmethod
    def of(cls, signature: Signature) -> Manifestation:
        s = signature.statement
        return cls(s.meaning, s.name, shown_time(s.signed_at), signature.code)


def shown_time(when: dt.datetime) -> str:
    """A signing time as printed: `2026-12-01 20:30 UTC+08:00` (minutes, with the offset)."""
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{when:%Y-%m-%d %H:%M} UTC{sign}{hours:02d}:{mins:02d}"
