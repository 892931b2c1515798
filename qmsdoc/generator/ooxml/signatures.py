"""Electronic signatures shown on a document, and the digest a signature signs.

A signature is shown (21 CFR 11.50) as texts in content controls tagged
`qmsdoc-signature:<meaning>:<field>` (fields: `name`, `time`, `code`), locked against editing.
The document a signature signs is the one it is shown on, so what is signed cannot include what
is shown: the *signing digest* is the canonical digest (`qmsdoc.lifecycle.digest`) of the package
whose main document has, inside every tagged control, the text of each `w:t` removed. Everything
else stays bound: the controls themselves (where they are, their properties), and the runs inside
them with their formatting, so hiding or recolouring a signature changes the digest too.

So a document rendered with no signature shown and the same document with its signatures shown
have one signing digest, and any other difference, a character of the body, the revision, a
name typed outside a control, gives another one. What the controls show is not covered: a name
changed inside a control leaves the signing digest as it was. That is `manifestations()`' part:
`verify` compares what the document shows with what its signatures state.

Only the main document part holds signature controls; a tagged control anywhere else (a header)
is covered by the digest like any other content, and is not read as a signature.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx.oxml.ns import qn
from docx.text.run import Run
from lxml import etree

from qmsdoc.generator.ooxml.xml import el
from qmsdoc.lifecycle.digest import canonical_digest
from qmsdoc.records.safezip import SafePackage, UnsafeFile, W

TAG_PREFIX = "qmsdoc-signature:"
FIELDS = ("name", "time", "code")
"""What each signature shows, in its own control: the printed name, the date and time with its
offset, the verification code."""

_SDT, _SDT_PR, _SDT_CONTENT, _TAG, _T = (f"{{{W}}}{t}" for t in ("sdt", "sdtPr", "sdtContent", "tag", "t"))
_VAL = f"{{{W}}}val"
_DOCUMENT = f"{{{W}}}document"


class SignatureMarkupError(ValueError):
    """The bytes are not a .docx whose main document can be read within the bounds, or the signature
    controls in it cannot be read as the fields of one signature each.

    `key` is the reason (`not_docx`, `docx_damaged`, `docx_over_limit`, … as `UnsafeFile` gives
    it, or `not_wordprocessing` when the package's main part is not a Word document, or
    `signature_controls` when its signature controls cannot be read as one signature each)."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def signature_tag(meaning: str, field: str) -> str:
    """The tag of the control that shows `field` of the signature of `meaning`."""
    return f"{TAG_PREFIX}{meaning}:{field}"


def wrap_in_control(run: Run, tag: str, title: str, ident: int) -> None:
    """Put `run` (already in its paragraph, formatted) inside a plain-text content control with
    `tag`, locked against editing and deletion, showing its text as is (no placeholder).

    The run always carries one `w:t` (empty for a signature not given yet), so a control showing
    a signature and one showing none differ only in that text."""
    r = run._r
    texts = r.findall(_T)
    if not texts:
        r.append(el("w:t"))
    for t in r.findall(_T):
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    pr = el("w:sdtPr")
    pr.append(el("w:alias", {"val": title[:255]}))
    pr.append(el("w:tag", {"val": tag}))
    pr.append(el("w:id", {"val": str(ident)}))
    pr.append(el("w:lock", {"val": "sdtContentLocked"}))
    pr.append(el("w:text"))
    sdt = el("w:sdt", {}, pr)
    r.addprevious(sdt)
    sdt.append(el("w:sdtContent", {}, r))


def signing_digest(data: bytes) -> str:
    """The digest a signature of this document signs: its canonical digest with the text shown in
    its signature controls removed (see the module docstring).

    A document without signature controls (a form) has its canonical digest as signing digest.
    Raises SignatureMarkupError for bytes that are not a readable .docx."""
    package, main, document = _open(data)
    controls = list(_signature_controls(document))
    if not controls:
        return canonical_digest(data)
    for sdt in controls:
        _blank(sdt)
    parts = {name: _read(package, name) for name in sorted(package.names) if name != main}
    parts[main] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    return canonical_digest(_zip(parts))


def manifestations(data: bytes) -> dict[str, dict[str, str]]:
    """What the document shows of each signature: meaning → field → text (`""` where the control
    is empty). Only what is in tagged controls counts, and only their `w:t` texts, the part the
    signing digest leaves out; comparing them with the signatures is the caller's job.

    Raises SignatureMarkupError for bytes that are not a readable .docx, or when a control's tag is not
    `qmsdoc-signature:<meaning>:<field>`, a field is shown twice, or controls are nested."""
    _, main, document = _open(data)
    shown: dict[str, dict[str, str]] = {}
    for sdt in _signature_controls(document):
        tag = _tag(sdt)
        meaning, sep, field = tag.removeprefix(TAG_PREFIX).partition(":")
        if not meaning or not sep or field not in FIELDS:
            raise SignatureMarkupError(f"{main}: a signature control is tagged {tag!r}, not "
                                 f"{TAG_PREFIX}<meaning>:<{'|'.join(FIELDS)}>", "signature_controls")
        if any(_tag(a).startswith(TAG_PREFIX) for a in sdt.iterancestors(_SDT)):
            raise SignatureMarkupError(f"{main}: the signature control {tag} is inside another one",
                                 "signature_controls")
        fields = shown.setdefault(meaning, {})
        if field in fields:
            raise SignatureMarkupError(f"{main}: the document shows {field} of the {meaning} signature twice",
                                 "signature_controls")
        content = sdt.find(_SDT_CONTENT)
        fields[field] = "" if content is None else "".join(t.text or "" for t in content.iter(_T))
    return shown


# -- reading ------------------------------------------------------------------------------

def _open(data: bytes) -> tuple[SafePackage, str, etree._Element]:
    """The package, the name of its main part and that part parsed, all within the bounds."""
    try:
        package = SafePackage(data)
        main = package.main_part()
        document = package.xml(main)
    except UnsafeFile as exc:
        raise SignatureMarkupError(str(exc), exc.key) from None
    if document is None or document.tag != _DOCUMENT:
        raise SignatureMarkupError(f"not a Word document: its main part {main} is "
                             f"{'missing' if document is None else 'not w:document'}", "not_wordprocessing")
    return package, main, document


def _read(package: SafePackage, name: str) -> bytes:
    try:
        return b"".join(package.chunks(name))
    except UnsafeFile as exc:
        raise SignatureMarkupError(str(exc), exc.key) from None


def _tag(sdt: etree._Element) -> str:
    tag = sdt.find(f"{_SDT_PR}/{_TAG}")
    return "" if tag is None else tag.get(_VAL, "")


def _signature_controls(document: etree._Element) -> Iterator[etree._Element]:
    """The content controls tagged as showing part of a signature, in document order."""
    for sdt in document.iter(_SDT):
        if _tag(sdt).startswith(TAG_PREFIX):
            yield sdt


def _blank(sdt: etree._Element) -> None:
    """Remove what the control shows and nothing else: each `w:t` in it becomes an empty `<w:t/>`
    (its xml:space too, which only says how to read the text)."""
    content = sdt.find(_SDT_CONTENT)
    if content is None:
        return
    for t in list(content.iter(_T)):
        parent = t.getparent()
        if parent is not None:
            parent.replace(t, etree.Element(qn("w:t")))


def _zip(parts: dict[str, bytes]) -> bytes:
    """A plain zip of `parts`, to compute the canonical digest over (which ignores the container)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for name, content in parts.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()
