"""Opening untrusted .docx files: one reason for any failure, every size bounded before it is spent,
and only what every reader of the file would read.

- Any failure while reading the package (a damaged zip directory, a corrupt deflate stream, a
  truncated file, an unsupported compression method, a name that is not UTF-8 …) is an
  `UnsafeFile` with a reason key, never another exception.
- The bounds of `Limits` are checked before the work they limit: the member count and the
  decompressed sizes from the zip directory, then again while decompressing (the directory can
  lie: a part that decompresses to more than its entry says is refused as damaged), and the
  depth, element count and runs per paragraph of each XML part while it is parsed, which stops
  as soon as one is passed.
- What is read is what Word shows: a DOCTYPE or entity declaration (found by the parser, in any
  encoding and after any comment), a part not in UTF-8, two members of the same name (OPC names
  compare case-insensitively), or a member name that is absolute or has `..`, `\\` or NUL is
  refused rather than read one way here and another way there. The main document is the part
  the package's relationships name, and its styles the part its own relationships name, as Word
  finds them.
- Parts most forms share byte for byte (the package's relationships, the document's, its
  styles) are decompressed and parsed once per process: what is derived from a small part is
  remembered with its exact compressed bytes, method, size and checksum (`SafePackage.derived`).
  A file whose part has the same four was decompressed and checked (size, checksum) once already:
  the same bytes, under the same bounds, give the same part. The part's local header, and the
  package's allowance of decompressed bytes, are still checked in every file; the first file of
  a run pays the decompression and the parse, as every file did before.
"""

from __future__ import annotations

import functools
import io
import itertools
import lzma
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import NoReturn, TypeVar
from urllib.parse import unquote

from lxml import etree

from qmsdoc.model.limits import DEFAULT_LIMITS, LimitExceeded, Limits

CHUNK = 64 * 1024
"""Bytes fed to the decompressor and parser per step, so a bound is checked at least this often."""

DAMAGED: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError,
    struct.error, UnicodeError, ValueError, OverflowError, OSError, RuntimeError, KeyError, IndexError,
    etree.LxmlError,
)
"""What reading a damaged package can raise (RuntimeError: encrypted members; RecursionError too)."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RUNS = frozenset(f"{{{W}}}{t}" for t in ("r", "ins", "del", "moveTo", "moveFrom"))
"""What `runs_per_paragraph` counts: text runs and the tracked-change wrappers around them."""
_P, _SDT_CONTENT = f"{{{W}}}p", f"{{{W}}}sdtContent"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN_DOCUMENT = frozenset((
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
))
_STYLES = frozenset((
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/styles",
))
STYLES_ROOT = f"{{{W}}}styles"
_DIRECTORY_ENTRY = b"PK\x01\x02"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_NOT_UTF8_SIGNATURES = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

T = TypeVar("T")
MEMO_PART_BYTES = 256 * 1024
"""Parts up to this size are remembered by `SafePackage.derived` (styles parts Word writes are some
tens of kilobytes)."""
MEMO_ENTRIES = 32
"""At most this many derived results are remembered (at most MEMO_ENTRIES * MEMO_PART_BYTES of keys)."""
_DERIVED: dict[tuple[Hashable, ...], object] = {}
"""(derive, its arguments, the part's root, the limits, the part's bytes) → what `derive` made of it."""


class UnsafeFile(Exception):
    """The file is not a readable, bounded Office package; `key` names the reason for reports
    (`reason_<key>` in the label catalogues) and `params` fill its text."""

    def __init__(self, message: str, key: str = "unsafe_file", **params: object):
        super().__init__(message)
        self.key = key
        self.params = {k: str(v) for k, v in params.items()}


_UNSOUND: tuple[type[BaseException], ...] = (UnsafeFile, *DAMAGED)
"""What reading a part's local header can raise when the header is not sound."""


def over_limit(exc: LimitExceeded, part: str = "") -> UnsafeFile:
    where = f"part {part}: " if part else ""
    return UnsafeFile(f"{where}{exc}", "docx_over_limit", name=exc.name, limit=exc.limit)


def damaged(part: str, detail: object) -> UnsafeFile:
    return UnsafeFile(f"damaged .docx: part {part} cannot be read ({detail})", "docx_damaged", part=part)


class SafePackage:
    """A .docx opened for reading within `limits`; `names` are its parts."""

    def __init__(self, data: bytes, limits: Limits = DEFAULT_LIMITS):
        self._data = data
        self._limits = limits
        self._spent = 0
        # Every directory entry the zip reader accepts starts with this signature, so counting it
        # bounds the member count before the directory is parsed into objects.
        if data.count(_DIRECTORY_ENTRY) > limits.package_members:
            raise over_limit(LimitExceeded("package_members", limits.package_members,
                                           f"more than {limits.package_members} parts in the package"))
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                infos = package.infolist()
        except DAMAGED as exc:
            raise UnsafeFile(f"not a .docx (zip) file: {exc}", "not_docx") from None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        declared = 0
        for info in infos:
            raw = info.orig_filename
            if _bad_name(raw):
                raise UnsafeFile(f"the package has a part named {raw!r}, which is not a valid part name",
                                 "docx_bad_part_name", part=ascii(raw))
            if raw.casefold() in folded:
                raise UnsafeFile(f"the package holds the part {raw} more than once; programs differ in "
                                 "which one they read", "docx_duplicate_part", part=raw)
            folded.add(raw.casefold())
            if raw.endswith("/"):
                continue
            if info.file_size > limits.part_bytes:
                raise over_limit(LimitExceeded("part_bytes", limits.part_bytes,
                                               f"part decompresses to {info.file_size} bytes"), raw)
            declared += info.file_size
            self._infos[raw] = info
        if declared > limits.package_bytes:
            raise over_limit(LimitExceeded("package_bytes", limits.package_bytes,
                                           f"package decompresses to more than {limits.package_bytes} bytes "
                                           f"({declared} declared)"))
        self.names = frozenset(self._infos)
        self._by_folded = {name.casefold(): name for name in self._infos}
        self._main: str | None = None

    # -- bytes ----------------------------------------------------------------------------

    def chunks(self, name: str) -> Iterator[bytes]:
        """The decompressed bytes of part `name`, a chunk at a time, within the size bounds."""
        info = self._infos[name]
        try:
            yield from self._chunks(name, info)
        except UnsafeFile:
            raise
        except DAMAGED as exc:
            raise damaged(name, exc) from None

    def _chunks(self, name: str, info: zipfile.ZipInfo) -> Iterator[bytes]:
        if info.flag_bits & 0x1:
            raise damaged(name, "it is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged(name, f"compression method {info.compress_type}, which Word does not write")
        start = self._data_start(name, info)
        end = start + info.compress_size
        if end > len(self._data):
            raise damaged(name, "the file ends inside it")
        data = memoryview(self._data)[start:end]
        bound, bound_name = self._bound()
        produced, crc = 0, 0
        inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
        pos = 0
        while True:
            if inflate is None:
                out = bytes(data[pos:pos + CHUNK])
                pos += len(out)
                finished = pos >= len(data)
            else:
                pending: bytes | memoryview = inflate.unconsumed_tail
                if not pending:
                    pending = data[pos:pos + CHUNK]
                    pos += len(pending)
                out = inflate.decompress(pending, CHUNK)
                finished = inflate.eof
                if not finished and not out and not inflate.unconsumed_tail and pos >= len(data):
                    raise damaged(name, "its compressed data ends early")
            produced += len(out)
            if produced > bound:
                limit = getattr(self._limits, bound_name)
                raise over_limit(LimitExceeded(bound_name, limit, f"decompresses to more than {bound} bytes"
                                               + (" (the rest of the package's allowance)"
                                                  if bound_name == "package_bytes" else "")), name)
            if produced > info.file_size:
                raise damaged(name, f"it decompresses to more than the {info.file_size} bytes "
                                    "its directory entry declares")
            crc = zlib.crc32(out, crc)
            self._spent += len(out)
            if out:
                yield out
            if finished:
                break
        if inflate is not None and (inflate.unused_data or pos < len(data)):
            raise damaged(name, "data follows the end of its compressed stream")
        if produced != info.file_size:
            raise damaged(name, f"it decompresses to {produced} bytes, its directory entry declares "
                                f"{info.file_size}")
        if crc != info.CRC:
            raise damaged(name, "its checksum does not match")

    def _bound(self) -> tuple[int, str]:
        left = self._limits.package_bytes - self._spent
        if left < self._limits.part_bytes:
            return left, "package_bytes"
        return self._limits.part_bytes, "part_bytes"

    def _data_start(self, name: str, info: zipfile.ZipInfo) -> int:
        """Where the member's data starts, after its local header, whose name must be the directory's."""
        at = info.header_offset
        if at < 0 or at + _LOCAL_HEADER.size > len(self._data):
            raise damaged(name, "its local header is outside the file")
        signature, _, flags, _, _, _, _, _, _, name_len, extra_len = _LOCAL_HEADER.unpack_from(self._data, at)
        if signature != b"PK\x03\x04":
            raise damaged(name, "its local header is missing")
        raw = self._data[at + _LOCAL_HEADER.size:at + _LOCAL_HEADER.size + name_len]
        if raw.decode("utf-8" if flags & 0x800 else "cp437") != info.orig_filename:
            raise damaged(name, "its local header names another part")
        return at + _LOCAL_HEADER.size + name_len + extra_len

    # -- XML ------------------------------------------------------------------------------

    def find(self, name: str) -> str | None:
        """The part named `name`, compared as OPC compares part names (case-insensitively)."""
        return self._by_folded.get(name.casefold())

    def xml(self, name: str, root: str | None = None) -> etree._Element | None:
        """Part `name` parsed within the bounds, or None when there is no such part (or, with
        `root`, when its root element is another one: then it is not read further)."""
        found = self.find(name)
        if found is None:
            return None
        return parse_xml(self.chunks(found), found, self._limits, root)

    def derived(self, name: str, root: str | None, derive: Callable[..., T], *args: Hashable) -> T | None:
        """`derive(element, *args)` of part `name` parsed as `xml` parses it (element None when its
        root is not `root`); None when there is no such part.

        `derive` must depend on nothing but the element and `args`, and make something that is not
        changed afterwards: for a part of at most MEMO_PART_BYTES, what it made is remembered with
        the part's compressed bytes, method, size and checksum, and a part that has all four the
        same, in any file, read under the same limits, is neither decompressed nor parsed again:
        decompressing the same bytes gives the same bytes, which passed the checks once. Its local
        header is checked every time, it counts against the package's allowance as if it were read
        (a part past what is left is read, and refused, as always), and a part that fails to
        decompress is read as `xml` reads it, so that it fails as it always did."""
        found = self.find(name)
        if found is None:
            return None
        info = self._infos[found]
        if info.file_size > MEMO_PART_BYTES:
            return derive(parse_xml(self.chunks(found), found, self._limits, root), *args)
        stored = self._stored(found, info)
        key = (derive, args, root, self._limits, info.compress_type, info.file_size, info.CRC, stored)
        if stored is not None and key in _DERIVED and info.file_size <= self._bound()[0]:
            # These compressed bytes, of this size and checksum, were decompressed and checked before:
            # the same bytes give the same part. Only this package's allowance is its own.
            self._spent += info.file_size
            return _DERIVED[key]  # type: ignore[return-value]
        spent = self._spent
        try:
            data = b"".join(self.chunks(found))
        except UnsafeFile:  # read again as a stream: an error in the XML before this one is the reason
            self._spent = spent
            return derive(self.xml(found, root), *args)
        made = derive(parse_xml((data,), found, self._limits, root), *args)
        if stored is not None:
            if len(_DERIVED) >= MEMO_ENTRIES:
                _DERIVED.pop(next(iter(_DERIVED), None), None)  # type: ignore[arg-type]
            _DERIVED[key] = made
        return made

    def _stored(self, name: str, info: zipfile.ZipInfo) -> bytes | None:
        """The compressed bytes of part `name` as the file stores them, when its local header is sound and
        it is stored or deflated, not encrypted (what `chunks` reads); None otherwise."""
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return None
        try:
            start = self._data_start(name, info)
        except _UNSOUND:
            return None
        end = start + info.compress_size
        return self._data[start:end] if end <= len(self._data) else None

    def main_part(self) -> str:
        """The name of the main document part, found as Word finds it: through the package relationships
        (read once: the reader asks for the document and then for its styles)."""
        if self._main is None:
            self._main = self._main_part()
        return self._main

    def _main_part(self) -> str:
        targets = self._related("", _MAIN_DOCUMENT)
        if targets is None:
            return "word/document.xml"
        if len(targets) != 1 or targets[0] is None:
            raise damaged("_rels/.rels", "it does not name exactly one main document in the package")
        return targets[0]

    def main_document(self) -> etree._Element:
        """The main document part (`main_part`), parsed."""
        target = self.main_part()
        document = self.xml(target)
        if document is None:
            raise damaged(target, "it is missing")
        return document

    def styles(self, part: str) -> etree._Element | None:
        """The styles of document part `part`, found as Word finds them: through the part's
        relationships; None when it names no styles part, or that part is missing or is not one."""
        targets = self._related(part, _STYLES)
        if not targets:
            return None
        if len(targets) != 1 or targets[0] is None:
            raise damaged(_rels_name(part), "it does not name exactly one styles part")
        return self.xml(targets[0], STYLES_ROOT)

    def styles_derived(self, part: str, derive: Callable[[etree._Element | None], T]) -> T:
        """`derive` of the styles of document part `part` (None when `styles` finds none), through
        `derived`: a styles part shared by many files is parsed once."""
        targets = self._related(part, _STYLES)
        if not targets:
            return derive(None)
        if len(targets) != 1 or targets[0] is None:
            raise damaged(_rels_name(part), "it does not name exactly one styles part")
        if self.find(targets[0]) is None:
            return derive(None)
        return self.derived(targets[0], STYLES_ROOT, derive)  # type: ignore[return-value]

    def _related(self, part: str, types: frozenset[str]) -> tuple[str | None, ...] | None:
        """The targets of `part`'s relationships of `types` (the package's for ""), as part names;
        None for an external target; None in place of the targets when `part` has no relationships."""
        return self.derived(_rels_name(part), f"{{{_RELS_NS}}}Relationships", _targets,
                            "/" + posixpath.dirname(part), types)


def _targets(rels: etree._Element | None, base: str, types: frozenset[str]) -> tuple[str | None, ...] | None:
    """The targets of the relationships of `types` in relationships part `rels`, relative to `base`."""
    if rels is None:
        return None
    return tuple(posixpath.normpath(posixpath.join(base, unquote(rel.get("Target", "")))).lstrip("/")
                 if rel.get("TargetMode", "Internal") == "Internal" else None
                 for rel in rels.iter(f"{{{_RELS_NS}}}Relationship") if rel.get("Type") in types)


def _rels_name(part: str) -> str:
    """The relationships part of `part` (word/document.xml → word/_rels/document.xml.rels; "" → _rels/.rels)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _bad_name(raw: str) -> bool:
    """A member name that is absolute, climbs out, or that readers would take apart differently."""
    if not raw or "\0" in raw or "\\" in raw or raw.startswith("/") or raw[1:2] == ":":
        return True
    segments = raw.split("/")
    if raw.endswith("/"):  # a folder entry
        segments.pop()
    return any(s in ("", ".", "..") for s in segments)


def parse_xml(chunks: Iterable[bytes], name: str, limits: Limits = DEFAULT_LIMITS,
              root: str | None = None) -> etree._Element | None:
    """Parse one part: no DTD, entities or network; UTF-8 only; within the depth, element count and
    runs of one paragraph or content control.

    Every element and run starts with "<", so a part with no more of those than the element and
    run bounds cannot pass them: it is parsed at once. Any other is fed on, a chunk at a time as it
    is decompressed, to a parser whose events are counted, which stops as soon as a bound is
    passed. With `root`, a part whose root element is another one is not read further (None)."""
    small = min(limits.xml_elements, limits.runs_per_paragraph)
    stream = iter(chunks)
    head: list[bytes] = []
    markup = 0
    for chunk in stream:
        head.append(chunk)
        markup += chunk.count(b"<")
        if markup > small:
            document = _parse_fed(itertools.chain(head, stream), name, limits, root)
            break
    else:
        document = _parse_small(b"".join(head), name, limits, root)
    if document is None:
        return None
    info = document.getroottree().docinfo
    _refuse_dtd(info, name)
    declared = info.encoding or "UTF-8"
    if head and head[0].startswith(_NOT_UTF8_SIGNATURES):
        declared = "UTF-16 or UTF-32, by its byte order mark"
    if declared.upper().replace("-", "").replace("_", "") != "UTF8":
        raise UnsafeFile(f"part {name} is not UTF-8 ({declared}), which Word never writes", "docx_not_utf8",
                         part=name)
    return document


def _parse_small(data: bytes, name: str, limits: Limits, root: str | None) -> etree._Element | None:
    try:
        document = etree.fromstring(data, _PARSER)
    except etree.LxmlError:
        return _parse_fed((data,), name, limits, root)  # the reason: a bound passed before the error, or the error
    _refuse_dtd(document.getroottree().docinfo, name)
    if root is not None and document.tag != root:
        return None
    if _deeper_than(limits.xml_depth)(document):
        raise over_limit(LimitExceeded("xml_depth", limits.xml_depth,
                                       f"elements nested more than {limits.xml_depth} deep"), name)
    return document


def _parse_fed(chunks: Iterable[bytes], name: str, limits: Limits, root: str | None) -> etree._Element | None:
    part = _Part(name, limits, root)
    try:
        for chunk in chunks:
            for at in range(0, len(chunk), CHUNK):
                part.parser.feed(chunk[at:at + CHUNK])
                if not part.take():
                    return None
        return part.parser.close()
    except etree.LxmlError as exc:
        part.take()  # a bound passed in what was parsed before the error is the reason
        raise damaged(name, f"not well-formed XML: {exc}") from None


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False)


@functools.lru_cache(maxsize=4)
def _deeper_than(depth: int) -> etree.XPath:
    """Whether a document has an element nested deeper than `depth`: one level at a time, linear."""
    return etree.XPath("boolean(" + "/*" * (depth + 1) + ")")


class _Part:
    """The parser of one part and the bounds on what it has parsed so far."""

    def __init__(self, name: str, limits: Limits, root: str | None):
        self.parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                          load_dtd=False, dtd_validation=False, huge_tree=False)
        self.name, self.limits, self.root = name, limits, root
        self.depth = self.elements = 0
        self.paragraphs: list[int] = []  # runs so far in each open paragraph
        self.controls: list[int] = []  # runs so far in each open content control

    def take(self) -> bool:
        """Account for the elements parsed since the last call; False when the root is not `root`."""
        events: Iterator[tuple[str, etree._Element]] = self.parser.read_events()  # type: ignore[assignment]
        if not self.elements:
            for _, el in events:  # the first: the prolog before it has been parsed
                _refuse_dtd(el.getroottree().docinfo, self.name)
                if self.root is not None and el.tag != self.root:
                    return False
                self._start(el.tag)
                break
        # The loop runs for every element of every part read: its state is kept in locals.
        limits = self.limits
        max_elements, max_depth, max_runs = limits.xml_elements, limits.xml_depth, limits.runs_per_paragraph
        elements, depth, paragraphs, controls = self.elements, self.depth, self.paragraphs, self.controls
        try:
            for event, el in events:
                tag = el.tag
                if event == "end":
                    depth -= 1
                    if tag == _P:
                        paragraphs.pop()
                    elif tag == _SDT_CONTENT:
                        controls.pop()
                    continue
                elements += 1
                depth += 1
                if elements > max_elements:
                    self._over("xml_elements", f"more than {max_elements} elements")
                if depth > max_depth:
                    self._over("xml_depth", f"elements nested more than {max_depth} deep")
                if tag in _RUNS:
                    if paragraphs:
                        paragraphs[-1] += 1
                        if paragraphs[-1] > max_runs:
                            self._over("runs_per_paragraph", f"more than {max_runs} runs in one paragraph")
                    if controls:
                        controls[-1] += 1
                        if controls[-1] > max_runs:
                            self._over("runs_per_paragraph", f"more than {max_runs} runs in one content control")
                elif tag == _P:
                    paragraphs.append(0)
                elif tag == _SDT_CONTENT:
                    controls.append(0)
        finally:
            self.elements, self.depth = elements, depth
        return True

    def _start(self, tag: str) -> None:
        self.elements += 1
        self.depth += 1
        if tag == _P:
            self.paragraphs.append(0)
        elif tag == _SDT_CONTENT:
            self.controls.append(0)

    def _over(self, bound: str, what: str) -> NoReturn:
        raise over_limit(LimitExceeded(bound, getattr(self.limits, bound), what), self.name)


def _refuse_dtd(info: etree.DocInfo, name: str) -> None:
    if getattr(info, "doctype", "") or info.internalDTD is not None or info.externalDTD is not None:
        raise UnsafeFile(f"part {name} declares a DTD or entities, which are not accepted", "dtd", part=name)
