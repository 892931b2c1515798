"""Digests that say whether a file is exactly the released one.

A .docx is a zip: the same parts can be stored in another order, with other timestamps or
another compression level, and still be the same document. Its *canonical digest* is
sha256 over the sorted part names and their contents, each length-prefixed so no two
different packages hash the same stream. Sources and PDFs are hashed as plain bytes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

CANONICAL_TAG = b"qmsdoc-canonical-zip/1\n"
MAX_PARTS = 10_000
MAX_TOTAL = 512 * 1024 * 1024


class DigestError(ValueError):
    """The bytes are not a readable zip package."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_digest(data: bytes) -> str:
    """sha256 over (name, content) of every part, sorted by name; independent of the zip container."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_TOTAL:
                raise DigestError("the package is too large")
            names = [i.filename for i in infos]
            if len(set(names)) != len(names):
                raise DigestError("the package names a part twice")
            h = hashlib.sha256(CANONICAL_TAG)
            for info in sorted(infos, key=lambda i: i.filename.encode("utf-8")):
                name = info.filename.encode("utf-8")
                content = z.read(info)
                h.update(len(name).to_bytes(8, "big"))
                h.update(name)
                h.update(len(content).to_bytes(8, "big"))
                h.update(content)
            return h.hexdigest()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise DigestError(f"not a readable zip package ({exc})") from None
