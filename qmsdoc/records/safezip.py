"""Opening untrusted .docx files: bounded sizes, no external entities, no DTDs."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 5000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False, remove_blank_text=False)


class UnsafeFile(Exception):
    """The file is not a readable, bounded Office package; `key` names the reason for reports."""

    def __init__(self, message: str, key: str = "unsafe_file"):
        super().__init__(message)
        self.key = key


class SafePackage:
    """A .docx opened for reading with limits on size and decompression."""

    def __init__(self, data: bytes):
        if len(data) > MAX_FILE_BYTES:
            raise UnsafeFile(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise UnsafeFile(f"not a .docx (zip) file: {exc}", "not_docx") from None
        if len(infos) > MAX_MEMBERS:
            raise UnsafeFile("too many parts in the package")
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise UnsafeFile("package decompresses to more than the allowed size")
        self.names = {i.filename for i in infos}

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        try:
            with self._zip.open(name) as member:
                data = member.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise UnsafeFile(f"damaged part {name}: {exc}") from None
        if len(data) > MAX_PART_BYTES:
            raise UnsafeFile(f"part {name} is too large")
        return data

    def xml(self, name: str) -> etree._Element | None:
        data = self.read(name)
        if data is None:
            return None
        return parse_xml(data, name)


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse XML without entities, network or DTD; a DOCTYPE is refused outright."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]:
        raise UnsafeFile(f"part {name} declares a DTD or entities, which are not accepted", "dtd")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnsafeFile(f"part {name} is not well-formed XML: {exc}") from None
