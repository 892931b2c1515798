"""Parts many files share byte for byte (relationships, styles) are parsed once per process
(`SafePackage.derived`); what is read, and what is refused, stays what it is when each file is
read on its own.

Each test reads a file once before the file under test, so that what the first one left behind
is there when the second is read."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qmsdoc.model.limits import DEFAULT_LIMITS, Limits
from qmsdoc.model.project import Project
from qmsdoc.outputs import output_name
from qmsdoc.records import safezip
from qmsdoc.records.docx_controls import hiding_styles, shown_controls
from qmsdoc.records.safezip import SafePackage, UnsafeFile

from support.fill import fill_docx, fill_plan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLES = "word/styles.xml"


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def _with(data: bytes, name: str, blob: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, old in _members(data):
            if info.filename == name:
                z.writestr(name, blob, compress_type=method)
            else:
                z.writestr(info.filename, old)
    return out.getvalue()


def _styles_bytes(data: bytes) -> bytes:
    return {info.filename: blob for info, blob in _members(data)}[STYLES]


@pytest.fixture
def filled(project: Project, built: Path) -> bytes:
    form = project.forms[sorted(project.forms)[0]]
    blank = (built / "forms" / output_name(form.id, form.revision)).read_bytes()
    return fill_docx(blank, fill_plan(form)[0])


def _read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, object]:
    pkg = SafePackage(data, limits)
    document = pkg.main_document()
    return dict(shown_controls(document, pkg.styles_derived(pkg.main_part(), hiding_styles)))


def _read_parsed(data: bytes) -> dict[str, object]:
    """The controls with the styles parsed for this file alone (no shared parse)."""
    pkg = SafePackage(data)
    return dict(shown_controls(pkg.main_document(), pkg.styles(pkg.main_part())))


def test_a_shared_part_gives_what_parsing_it_gives(filled: bytes) -> None:
    safezip._DERIVED.clear()
    first = _read(filled)
    assert any(key[0] is hiding_styles for key in safezip._DERIVED)  # remembered
    assert _read(filled) == first == _read_parsed(filled)


def test_styles_that_hide_text_are_read_the_same_the_second_time(filled: bytes) -> None:
    """A style that hides text, shared: both reads find the hidden text in the controls it styles."""
    root = etree.fromstring(_styles_bytes(filled))
    for rpr in root.iter(f"{{{W}}}rPr"):
        etree.SubElement(rpr, f"{{{W}}}vanish")
    hiding = _with(filled, STYLES, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    _read(filled)
    once, twice = _read(hiding), _read(hiding)
    assert once == twice == _read_parsed(hiding)
    assert any(getattr(c, "conflict", None) is not None for c in once.values())
    assert once != _read(filled)


def test_damaged_copy_of_a_shared_part_is_still_refused(filled: bytes) -> None:
    """The same name, other (broken) bytes: parsed, and refused, as always."""
    _read(filled)
    broken = _with(filled, STYLES, _styles_bytes(filled)[:-20])
    with pytest.raises(UnsafeFile) as caught:
        _read(broken)
    assert caught.value.key == "docx_damaged"
    assert "word/styles.xml" in str(caught.value)


def test_shared_bytes_with_a_bad_checksum_are_refused(filled: bytes) -> None:
    """Bytes that match a remembered part but whose stored checksum does not are still refused: a
    part is taken from memory only with the same compressed bytes, size and checksum."""
    _read(filled)
    data = bytearray(_with(filled, STYLES, _styles_bytes(filled), zipfile.ZIP_STORED))
    central = bytes(data).rindex(b"PK\x01\x02", 0, bytes(data).rindex(STYLES.encode()) + 1)
    data[central + 16] ^= 0xFF  # the CRC-32 in the directory entry
    with pytest.raises(UnsafeFile) as caught:
        _read(bytes(data))
    assert caught.value.key == "docx_damaged" and "checksum" in str(caught.value)


def test_other_limits_are_not_answered_from_what_was_remembered(filled: bytes) -> None:
    """Parts remembered under the default limits are parsed again under tighter ones, and refused
    (the package's relationships, two levels deep, are the first part read)."""
    _read(filled)
    tight = dataclasses.replace(DEFAULT_LIMITS, xml_depth=1)
    with pytest.raises(UnsafeFile) as caught:
        _read(filled, tight)
    assert caught.value.key == "docx_over_limit" and "_rels/.rels" in str(caught.value)


def test_what_is_remembered_is_bounded(filled: bytes) -> None:
    safezip._DERIVED.clear()
    for k in range(safezip.MEMO_ENTRIES + 5):
        root = etree.fromstring(_styles_bytes(filled))
        root.set("data-k", str(k))  # other bytes each time
        _read(_with(filled, STYLES, etree.tostring(root, xml_declaration=True, encoding="UTF-8")))
    assert len(safezip._DERIVED) <= safezip.MEMO_ENTRIES


def test_a_remembered_part_is_not_decompressed_again(filled: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    safezip._DERIVED.clear()
    first = _read(filled)
    read: list[str] = []
    chunks = SafePackage._chunks

    def counted(self: SafePackage, name: str, info: zipfile.ZipInfo):  # type: ignore[no-untyped-def]
        read.append(name)
        return chunks(self, name, info)

    monkeypatch.setattr(SafePackage, "_chunks", counted)
    assert _read(filled) == first
    assert STYLES not in read and "word/document.xml" in read


def _local_header(data: bytes, name: str) -> int:
    return next(i for i in _headers(data) if data[i + 30:i + 30 + len(name)] == name.encode())


def _headers(data: bytes) -> list[int]:
    found, at = [], data.find(b"PK\x03\x04")
    while at >= 0:
        found.append(at)
        at = data.find(b"PK\x03\x04", at + 1)
    return found


def test_a_remembered_part_with_a_damaged_local_header_is_refused(filled: bytes) -> None:
    _read(filled)
    data = bytearray(filled)
    at = _local_header(filled, STYLES)
    data[at + 30] ^= 0x20  # the part's name in its local header: W instead of w
    with pytest.raises(UnsafeFile) as caught:
        _read(bytes(data))
    assert caught.value.key == "docx_damaged" and "local header names another part" in str(caught.value)


def _reads_before_refused(data: bytes, limits: Limits) -> tuple[int, str]:
    """How many times one package gives its styles before its allowance of decompressed bytes is spent."""
    pkg = SafePackage(data, limits)
    for n in range(1, 1000):
        try:
            pkg.styles_derived(pkg.main_part(), hiding_styles)
        except UnsafeFile as exc:
            return n, exc.params.get("name", "")
    raise AssertionError("never refused")


def test_a_remembered_part_counts_against_the_package_allowance(filled: bytes,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A part given from memory counts as read: the package's allowance runs out on the same read
    whether the styles come from memory or are decompressed each time."""
    declared = sum(len(blob) for _, blob in _members(filled))
    limits = dataclasses.replace(DEFAULT_LIMITS, package_bytes=declared)
    safezip._DERIVED.clear()
    _read(filled, limits)
    remembered = _reads_before_refused(filled, limits)
    monkeypatch.setattr(safezip, "MEMO_PART_BYTES", 0)  # nothing remembered: every read decompresses
    fresh = _reads_before_refused(filled, limits)
    assert remembered == fresh
    assert remembered[0] > 1 and remembered[1] == "package_bytes"
