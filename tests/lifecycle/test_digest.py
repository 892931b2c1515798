"""The canonical digest: the same parts give the same digest, whatever the zip container."""

from __future__ import annotations

import io
import zipfile

import pytest

from qmsdoc.lifecycle.digest import DigestError, canonical_digest

PARTS = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", "<w:document>文</w:document>".encode()),
         ("_rels/.rels", b"<Relationships/>")]


def package(parts, compression=zipfile.ZIP_DEFLATED, level=None, when=(1980, 1, 1, 0, 0, 0)) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression, compresslevel=level) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, date_time=when), data, compress_type=compression)
    return out.getvalue()


def test_order_compression_and_timestamps_do_not_change_the_digest() -> None:
    base = canonical_digest(package(PARTS))
    assert canonical_digest(package(list(reversed(PARTS)))) == base
    assert canonical_digest(package(PARTS, zipfile.ZIP_STORED)) == base
    assert canonical_digest(package(PARTS, zipfile.ZIP_DEFLATED, level=9)) == base
    assert canonical_digest(package(PARTS, when=(2025, 6, 1, 12, 30, 0))) == base


def test_any_change_of_a_name_or_a_byte_changes_the_digest() -> None:
    base = canonical_digest(package(PARTS))
    changed = [(n, d.replace("文".encode(), "字".encode())) for n, d in PARTS]
    renamed = [("word/document2.xml" if n == "word/document.xml" else n, d) for n, d in PARTS]
    extra = [*PARTS, ("word/extra.xml", b"")]
    assert len({base, canonical_digest(package(changed)), canonical_digest(package(renamed)),
                canonical_digest(package(extra))}) == 4


def test_length_prefixes_keep_name_and_content_apart() -> None:
    a = [("ab", b"c")]
    b = [("a", b"bc")]
    assert canonical_digest(package(a)) != canonical_digest(package(b))


def test_a_package_with_a_part_twice_or_not_a_zip_is_refused() -> None:
    with pytest.raises(DigestError, match="not a readable zip"):
        canonical_digest(b"PK\x03\x04 not really")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.xml", b"1")
        with pytest.warns(UserWarning, match="Duplicate name"):
            z.writestr("a.xml", b"2")
    with pytest.raises(DigestError, match="twice"):
        canonical_digest(out.getvalue())
