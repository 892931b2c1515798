"""Hostile and broken .docx records: each is refused with its own reason, or read with a problem,
and never costs the run the other files.

The corpus is made here, in tmp_path, from a blank form built by the generator and filled as
Word stores what a person types: a corrupt deflate stream, a truncated zip, every bound of
`Limits` just passed, DOCTYPEs the old byte search missed, parts not in UTF-8, duplicate and
badly named members, date controls whose text and hidden date disagree, check boxes whose mark
and hidden state disagree, hidden text (direct, through styles, a hidden paragraph mark),
mc:AlternateContent whose branches differ or agree, controls copied into deleted rows and
deletions, a FIFO. For each: the reason key, that a good form read in the same run is still
read and checked, and what `qmsdoc extract` and `qmsdoc check` do (exit 0 or 1, one line for
the file, no traceback).
Bounds cheap to pass at their defaults are tested at their defaults; the others with small
limits that the good form stays within.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from qmsdoc.cli import main
from qmsdoc.generator.render import render_document
from qmsdoc.load.labels import load_labels
from qmsdoc.model.project import Project
from qmsdoc.model.records import Record, RecordError
from qmsdoc.records.docx_form import read_docx_form

from conftest import REPO
from support.fill import fill_docx, fill_plan
from support.hang import HANG_SECONDS

FORM = "SJE/JL/GK-09-01"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
AS_OF = "2026-01-15"
GOOD = {
    "record_no": "FK-2025-031", "marketing_dept": "营销部", "customer": "华东电力公司", "product": "变压器",
    "issued_on": dt.date(2025, 9, 20), "departed_on": dt.date(2025, 9, 21), "returned_on": dt.date(2025, 9, 25),
    "staff.1.name": "张三", "problem_description": "渗油", "problem_nature": "产品质量问题",
    "handled_on": dt.date(2025, 9, 23), "problem_cause": "密封圈老化", "handling": "更换密封圈",
    "handling_result": "已解决", "marketing_leader.name": "刘洋", "marketing_leader.date": dt.date(2025, 9, 26),
    "copy_to_qm_on": dt.date(2025, 9, 30), "qm_receiver.name": "周敏", "qm_receiver.date": dt.date(2025, 9, 30),
    "original_filed_on": dt.date(2025, 10, 11), "original_filed_by": "刘洋"}
"""A filled form; dates picked in the date controls, so each also stores its w:fullDate."""


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# -- making packages -------------------------------------------------------------------------

def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def package(parts: dict[str, bytes] | list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names, on purpose
        with zipfile.ZipFile(out, "w", method) as z:
            for name, blob in (parts.items() if isinstance(parts, dict) else parts):
                z.writestr(name, blob)
    return out.getvalue()


def with_parts(data: bytes, changed: dict[str, bytes]) -> bytes:
    return package({**members(data), **changed})


def with_document(data: bytes, edit: Callable[[str], str]) -> bytes:
    parts = members(data)
    parts[DOCUMENT] = edit(parts[DOCUMENT].decode("utf-8")).encode("utf-8")
    return package(parts)


def before_section(payload: str) -> Callable[[str], str]:
    """Insert body content before the body's own section properties (its last child)."""
    def edit(xml: str) -> str:
        at = xml.rindex("<w:sectPr")
        return xml[:at] + payload + xml[at:]
    return edit


def edit_tree(data: bytes, edit: Callable[[etree._Element], None]) -> bytes:
    parts = members(data)
    root = etree.fromstring(parts[DOCUMENT])
    edit(root)
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return package(parts)


def control(root: etree._Element, tag: str) -> etree._Element:
    [sdt] = [s for s in root.iter(_w("sdt")) if s.find(f"{_w('sdtPr')}/{_w('tag')}").get(_w("val")) == tag]
    return sdt


def replace_text(tag: str, text: str) -> Callable[[etree._Element], None]:
    """An edit for edit_tree: the control `tag` holds one run of `text` in place of its content."""
    def edit(root: etree._Element) -> None:
        content = control(root, tag).find(_w("sdtContent"))
        for child in list(content):
            content.remove(child)
        etree.SubElement(etree.SubElement(content, _w("r")), _w("t")).text = text
    return edit


def directory_entries(data: bytes) -> Iterator[tuple[int, str]]:
    """(offset, name) of each central directory entry."""
    end = data.rindex(b"PK\x05\x06")
    count, _, start = struct.unpack_from("<HLL", data, end + 10)
    at = start
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        yield at, data[at + 46:at + 46 + name_len].decode()
        at += 46 + name_len + extra_len + comment_len


def declare_size(data: bytes, sizes: dict[str, int]) -> bytes:
    """The zip directory lying about the decompressed size of some parts."""
    buf = bytearray(data)
    for at, name in directory_entries(data):
        if name in sizes:
            struct.pack_into("<L", buf, at + 24, sizes[name])
    return bytes(buf)


def renamed(data: bytes, name: str) -> bytes:
    """A member added under `name` exactly as given (zipfile would clean a NUL out of it)."""
    stand_in = "q" * len(name)
    raw = with_parts(data, {stand_in: b"<x/>"})
    assert raw.count(stand_in.encode()) == 2
    return raw.replace(stand_in.encode(), name.encode())


def deflated_span(data: bytes, name: str) -> tuple[int, int]:
    """Where the compressed bytes of member `name` are in the file."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    return start, start + info.compress_size


def flipped(data: bytes, seed: int) -> bytes:
    """Random bytes of the document's deflate stream flipped, as a damaged disk or mail gateway does."""
    rng = random.Random(seed)
    start, end = deflated_span(data, DOCUMENT)
    buf = bytearray(data)
    for _ in range(3):
        buf[rng.randrange(start + 16, end - 16)] ^= rng.randrange(1, 256)
    return bytes(buf)


def utf16_document(data: bytes, prolog: str) -> bytes:
    parts = members(data)
    xml = parts[DOCUMENT].decode("utf-8")
    body = xml[xml.index("?>") + 2:]
    parts[DOCUMENT] = ('<?xml version="1.0" encoding="UTF-16" standalone="yes"?>' + prolog + body).encode("utf-16")
    return package(parts)


def doctype_document(data: bytes, *, comment: int = 0, utf16: bool = False) -> bytes:
    """The record number read through an entity: FK-2025-012 written as &e;25-012 (e = FK-20)."""
    parts = members(edit_tree(data, replace_text("record_no", "ENTITY25-012")))
    xml = parts[DOCUMENT].decode("utf-8").replace("ENTITY", "&e;")
    body = xml[xml.index("?>") + 2:]
    prolog = ("<!--" + "x" * comment + "-->" if comment else "") + '<!DOCTYPE w:document [<!ENTITY e "FK-20">]>'
    if utf16:
        parts[DOCUMENT] = ('<?xml version="1.0" encoding="UTF-16"?>' + prolog + body).encode("utf-16")
    else:
        parts[DOCUMENT] = ('<?xml version="1.0" encoding="UTF-8"?>' + prolog + body).encode("utf-8")
    return package(parts)


RUN = "<w:r><w:t>a</w:t></w:r>"
INS = '<w:ins w:id="9" w:author="x">'


# -- the corpus ------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[bytes], bytes]
    key: str
    message: str


FILE_CASES = [
    *(Case(f"flipped-{seed}", lambda d, s=seed: flipped(d, s), "docx_damaged",
           "damaged .docx: part word/document.xml cannot be read") for seed in range(6)),
    Case("truncated", lambda d: d[: len(d) * 2 // 3], "not_docx", "not a .docx (zip) file"),
    Case("bzip2", lambda d: package(members(d), zipfile.ZIP_BZIP2), "docx_damaged",
         "compression method 12, which Word does not write"),
    Case("directory-lies-small", lambda d: declare_size(d, {DOCUMENT: 1000}), "docx_damaged",
         "decompresses to more than the 1000 bytes its directory entry declares"),
    Case("members", lambda d: package({**members(d), **{f"word/media/pad{i}.bin": b"" for i in range(5000)}}),
         "docx_over_limit", "more than 5000 parts in the package (limit package_members: 5000;"),
    Case("part-declared", lambda d: declare_size(d, {DOCUMENT: 64 * 1024 * 1024 + 1}), "docx_over_limit",
         "part word/document.xml: part decompresses to 67108865 bytes (limit part_bytes: 67108864;"),
    Case("package-declared",
         lambda d: declare_size(d, dict.fromkeys(("word/styles.xml", "word/theme/theme1.xml", "word/settings.xml",
                                                  "word/fontTable.xml", "word/numbering.xml"), 60 * 1024 * 1024)),
         "docx_over_limit", "package decompresses to more than 268435456 bytes"),
    Case("depth", lambda d: with_document(d, before_section("<w:p>" + INS * 230 + RUN + "</w:ins>" * 230 + "</w:p>")),
         "docx_over_limit", "elements nested more than 200 deep (limit xml_depth: 200;"),
    Case("depth-in-a-long-part",
         lambda d: with_document(d, before_section("<w:p/>" * 12000 + "<w:p>" + INS * 230 + RUN + "</w:ins>" * 230
                                                   + "</w:p>")),
         "docx_over_limit", "elements nested more than 200 deep (limit xml_depth: 200;"),
    Case("elements", lambda d: with_document(d, before_section(("<w:p>" + RUN * 4500 + "</w:p>") * 60)),
         "docx_over_limit", "more than 500000 elements (limit xml_elements: 500000;"),
    Case("runs-300k-under-insertions",
         lambda d: with_document(d, before_section("<w:p>" + INS * 150 + (RUN * 2000 + "</w:ins>") * 150 + "</w:p>")),
         "docx_over_limit", "more than 10000 runs in one paragraph (limit runs_per_paragraph: 10000;"),
    Case("runs-in-one-control",
         lambda d: with_document(d, before_section(
             '<w:sdt><w:sdtPr><w:tag w:val="pad"/></w:sdtPr><w:sdtContent>'
             + ("<w:p>" + RUN * 500 + "</w:p>") * 21 + "</w:sdtContent></w:sdt>")),
         "docx_over_limit", "more than 10000 runs in one content control (limit runs_per_paragraph: 10000;"),
    Case("doctype-utf16", lambda d: doctype_document(d, utf16=True), "dtd",
         "part word/document.xml declares a DTD or entities"),
    Case("doctype-after-comment", lambda d: doctype_document(d, comment=70_000), "dtd",
         "part word/document.xml declares a DTD or entities"),
    Case("doctype-in-manifest",
         lambda d: with_parts(d, {"customXml/item1.xml": b'<!DOCTYPE m [<!ENTITY e "x">]>'
                                  + members(d)["customXml/item1.xml"].split(b"?>", 1)[1]}),
         "dtd", "part customXml/item1.xml declares a DTD or entities"),
    Case("doctype-in-styles",
         lambda d: with_parts(d, {"word/styles.xml": b'<!DOCTYPE w:styles [<!ENTITY e "x">]>'
                                  + members(d)["word/styles.xml"].split(b"?>", 1)[1]}),
         "dtd", "part word/styles.xml declares a DTD or entities"),
    Case("utf16", lambda d: utf16_document(d, ""), "docx_not_utf8", "part word/document.xml is not UTF-8 (UTF-16"),
    Case("latin1",
         lambda d: with_parts(d, {DOCUMENT: members(d)[DOCUMENT].replace(b"encoding='UTF-8'",
                                                                         b"encoding='ISO-8859-1'")}),
         "docx_not_utf8", "part word/document.xml is not UTF-8 (ISO-8859-1)"),
    Case("duplicate-document",
         lambda d: package([*members(d).items(), (DOCUMENT, members(with_document(d, lambda x: x.replace(
             "华东电力公司", "别的公司")))[DOCUMENT])]),
         "docx_duplicate_part", "holds the part word/document.xml more than once"),
    Case("duplicate-by-case", lambda d: with_parts(d, {"Word/Document.xml": members(d)[DOCUMENT]}),
         "docx_duplicate_part", "holds the part Word/Document.xml more than once"),
    *(Case(f"name-{label}", lambda d, n=name: renamed(d, n), "docx_bad_part_name", "which is not a valid part name")
      for label, name in (("absolute", "/word/x.xml"), ("dotdot", "../../x.xml"), ("inner-dotdot", "word/../x.xml"),
                          ("backslash", "word\\x.xml"), ("nul", "word/x\0.xml"), ("drive", "C:/x.xml"))),
    Case("no-main-document", lambda d: package({n: b for n, b in members(d).items() if n != DOCUMENT}),
         "docx_damaged", "part word/document.xml cannot be read (it is missing)"),
]
"""Files refused whole, with the default limits."""


def _grown(d: bytes) -> bytes:
    return with_document(d, before_section("<w:p><w:r><w:t>" + "x" * 4000 + "</w:t></w:r></w:p>"))


SMART = '<w:smartTag w:element="x">'
"""Nests without being a run: only the depth bound counts it."""


SMALL_CASES = [
    Case("small-members", lambda d: with_parts(d, {"word/media/a.bin": b"", "word/media/b.bin": b""}),
         "docx_over_limit", "parts in the package (limit package_members:"),
    Case("small-part", _grown, "docx_over_limit", "part word/document.xml: part decompresses to"),
    Case("small-part-directory-lies", lambda d: declare_size(_grown(d), {DOCUMENT: 1000}), "docx_over_limit",
         "part word/document.xml: decompresses to more than"),
    Case("small-package", lambda d: with_parts(d, {"word/media/big.bin": bytes(9000)}), "docx_over_limit",
         "package decompresses to more than"),
    Case("small-elements", lambda d: with_document(d, before_section("<w:p/>" * 400)), "docx_over_limit",
         "elements (limit xml_elements:"),
    Case("small-depth",
         lambda d: with_document(d, before_section("<w:p>" + SMART * 30 + RUN + "</w:smartTag>" * 30 + "</w:p>")),
         "docx_over_limit", "deep (limit xml_depth:"),
    Case("small-runs", lambda d: with_document(d, before_section("<w:p>" + RUN * 60 + "</w:p>")),
         "docx_over_limit", "runs in one paragraph (limit runs_per_paragraph:"),
]
"""Files refused whole with limits just above what the good form needs (`small_limits`)."""


# -- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def blank(project: Project) -> bytes:
    """The form as released in force on the good record's date (A/0, 2025: drop-down lists)."""
    release = project.release_of(FORM, "A/0")
    assert release is not None
    return (project.root / release.docx_path).read_bytes()


@pytest.fixture(scope="module")
def good(blank: bytes) -> bytes:
    return fill_docx(blank, GOOD)


def _stats(xml: bytes) -> tuple[int, int, int]:
    """Elements, depth, and the most runs in one paragraph of a part."""
    root = etree.fromstring(xml)
    elements = sum(1 for _ in root.iter())
    depth = max(sum(1 for _ in el.iterancestors()) + 1 for el in root.iter())
    runs = max((sum(1 for el in p.iter() if el.tag in {_w("r"), _w("ins"), _w("del")}) for p in root.iter(_w("p"))),
               default=0)
    return elements, depth, runs


@pytest.fixture(scope="module")
def small_limits(good: bytes) -> dict[str, int]:
    """Bounds the good form stays just within, and each SMALL_CASES file just passes."""
    parts = members(good)
    elements, depth, runs = _stats(parts[DOCUMENT])
    assert runs < 40 and depth < 20
    return {"package_members": len(parts) + 1, "part_bytes": len(parts[DOCUMENT]) + 3000,
            "package_bytes": sum(map(len, parts.values())) + 8000, "xml_elements": elements + 300,
            "xml_depth": depth + 3, "runs_per_paragraph": runs + 10}


def limited(project: Project, bounds: dict[str, int]) -> Project:
    site = dataclasses.replace(project.site, limits=dataclasses.replace(project.site.limits, **bounds))
    return dataclasses.replace(project, site=site)


def _write_corpus(folder: Path, good: bytes, cases: list[Case]) -> Path:
    """`folder` with good.docx and, for each case, `<name>.docx` made from it."""
    (folder / "good.docx").write_bytes(good)
    for case in cases:
        (folder / f"{case.name}.docx").write_bytes(case.make(good))
    return folder


@pytest.fixture(scope="module")
def corpus(good: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("hostile"), good, FILE_CASES)


@pytest.fixture(scope="module")
def small_corpus(good: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("hostile-small"), good, SMALL_CASES)


@pytest.fixture(scope="module")
def small_root(small_limits: dict[str, int], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled document set, with the small limits in its qmsdoc.yaml."""
    root = tmp_path_factory.mktemp("small-root")
    for folder in ("procedures", "forms", "rules", "releases"):
        shutil.copytree(REPO / folder, root / folder)
    config = (REPO / "qmsdoc.yaml").read_text(encoding="utf-8")
    config += "\nlimits:\n" + "".join(f"  {k}: {v}\n" for k, v in small_limits.items())
    (root / "qmsdoc.yaml").write_text(config, encoding="utf-8")
    return root


# -- reading one file --------------------------------------------------------------------------

def _refused(path: Path, project: Project, case: Case) -> RecordError:
    start = time.perf_counter()
    with pytest.raises(RecordError) as info:
        read_docx_form(path, project)
    assert time.perf_counter() - start < HANG_SECONDS, f"{case.name} hung or blew up its work"
    error = info.value
    assert (error.key, error.source) == (case.key, str(path))
    assert case.message in error.message
    assert "\n" not in str(error)
    return error


def _read_good(folder: Path, project: Project) -> None:
    record = read_docx_form(folder / "good.docx", project)
    assert (record.form, record.problems) == (FORM, ())
    assert record.fields["customer"] == "华东电力公司" and record.fields["returned_on"] == dt.date(2025, 9, 25)


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.name)
def test_a_hostile_file_is_refused_with_its_reason(case: Case, corpus: Path, project: Project) -> None:
    _refused(corpus / f"{case.name}.docx", project, case)
    _read_good(corpus, project)


@pytest.mark.parametrize("case", SMALL_CASES, ids=lambda c: c.name)
def test_each_bound_just_passed_is_named(case: Case, small_corpus: Path, small_limits: dict[str, int],
                                         project: Project) -> None:
    small = limited(project, small_limits)
    error = _refused(small_corpus / f"{case.name}.docx", small, case)
    assert error.params["name"] in small_limits
    assert error.params["limit"] == str(small_limits[error.params["name"]])
    _read_good(small_corpus, small)


# -- values inside a file that is read -----------------------------------------------------------

def _read(tmp_path: Path, project: Project, data: bytes, name: str = "r.docx") -> Record:
    path = tmp_path / name
    path.write_bytes(data)
    return read_docx_form(path, project)


def _timed_read(tmp_path: Path, project: Project, data: bytes, name: str) -> tuple[Record, float]:
    """The record and the faster of two reads' seconds: a pause of the machine is not the reader's time."""
    best = HANG_SECONDS
    for _ in range(2):
        start = time.perf_counter()
        record = _read(tmp_path, project, data, name)
        best = min(best, time.perf_counter() - start)
    return record, best


def _full_date(tag: str, value: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        control(root, tag).find(f"{_w('sdtPr')}/{_w('date')}").set(_w("fullDate"), value)
    return edit


def test_the_date_shown_decides_and_a_different_stored_date_is_a_problem(good: bytes, tmp_path: Path,
                                                                          project: Project) -> None:
    record = _read(tmp_path, project, edit_tree(good, _full_date("returned_on", "2025-09-27T00:00:00Z")))
    assert record.fields["returned_on"] is None
    [problem] = record.problems
    assert (problem.field, problem.found, problem.key) == ("returned_on", "2025-09-25", "date_differs")
    assert problem.message == "the date shown, 2025-09-25, differs from the date stored in the control, 2025-09-27"
    assert dict(problem.params) == {"shown": "2025-09-25", "stored": "2025-09-27"}
    assert record.fields["marketing_leader"] == {"name": "刘洋", "date": dt.date(2025, 9, 26)}


def test_a_shown_text_that_is_no_date_is_unreadable_whatever_is_stored(blank: bytes, tmp_path: Path,
                                                                        project: Project) -> None:
    data = edit_tree(fill_docx(blank, {**GOOD, "returned_on": "下周一"}),
                     _full_date("returned_on", "2025-09-25T00:00:00Z"))
    record = _read(tmp_path, project, data)
    assert record.fields["returned_on"] is None
    [problem] = record.problems
    assert (problem.field, problem.found, problem.key) == ("returned_on", "下周一", "not_a_date")


@pytest.mark.parametrize("typed", ["2025年9月25日", "2025/9/25", "２０２５－０９－２５"])
def test_a_date_typed_by_hand_that_agrees_with_the_stored_date_is_read(typed: str, blank: bytes, tmp_path: Path,
                                                                       project: Project) -> None:
    data = edit_tree(fill_docx(blank, {**GOOD, "returned_on": typed}, tracked=True),
                     _full_date("returned_on", "2025-09-25T00:00:00Z"))
    record = _read(tmp_path, project, data)
    assert (record.fields["returned_on"], record.problems) == (dt.date(2025, 9, 25), ())


def test_a_signature_date_that_disagrees_is_reported_on_its_own_entry(good: bytes, tmp_path: Path,
                                                                       project: Project) -> None:
    record = _read(tmp_path, project, edit_tree(good, _full_date("marketing_leader.date", "2025-10-26T00:00:00Z")))
    assert record.fields["marketing_leader"] == {"name": "刘洋", "date": None}
    assert [(p.field, p.key) for p in record.problems] == [("marketing_leader.date", "date_differs")]


def test_a_control_inside_a_control_and_a_control_twice_are_problems(good: bytes, tmp_path: Path,
                                                                      project: Project) -> None:
    def nest(root: etree._Element) -> None:
        content = control(root, "customer").find(_w("sdtContent"))
        inner = etree.SubElement(content, _w("sdt"))
        etree.SubElement(etree.SubElement(inner, _w("sdtPr")), _w("tag")).set(_w("val"), "other")
        etree.SubElement(etree.SubElement(etree.SubElement(inner, _w("sdtContent")), _w("r")), _w("t")).text = "别的"

    def twice(root: etree._Element) -> None:
        sdt = control(root, "product")
        sdt.addnext(copy.deepcopy(sdt))

    record = _read(tmp_path, project, edit_tree(edit_tree(good, nest), twice))
    assert (record.fields["customer"], record.fields["product"]) == (None, None)
    assert [(p.field, p.key) for p in record.problems] == [("customer", "nested_control"),
                                                           ("product", "duplicate_control")]
    assert record.fields["record_no"] == "FK-2025-031"


def test_the_main_document_is_the_one_the_package_relationships_name(good: bytes, tmp_path: Path,
                                                                     project: Project) -> None:
    parts = members(good)
    shown = members(edit_tree(good, replace_text("customer", "西北电网公司")))[DOCUMENT]
    rels = parts["_rels/.rels"].replace(b'Target="word/document.xml"', b'Target="/word/shown.xml"')
    assert rels != parts["_rels/.rels"]
    record = _read(tmp_path, project, package({**parts, "_rels/.rels": rels, "word/shown.xml": shown}))
    assert record.fields["customer"] == "西北电网公司"


def test_reading_is_linear_in_nested_tracked_changes(good: bytes, tmp_path: Path, project: Project) -> None:
    """Runs nested 150 deep under tracked insertions inside an entry, within raised bounds: read, and
    in time linear in their number (each text once, not once per level above it)."""
    raised = limited(project, {"runs_per_paragraph": 400_000})  # both sizes below: parsed the same way
    parts = members(edit_tree(good, replace_text("customer", "MARKER")))

    def nested(runs: int) -> bytes:
        levels = 150
        payload = INS * levels + (RUN * (runs // levels) + "</w:ins>") * levels
        xml = parts[DOCUMENT].decode("utf-8").replace("<w:r><w:t>MARKER</w:t></w:r>", payload)
        return package({**parts, DOCUMENT: xml.encode("utf-8")})

    times = []
    for runs in (15_000, 60_000):
        record, seconds = _timed_read(tmp_path, raised, nested(runs), f"{runs}.docx")
        times.append(seconds)
        assert record.fields["customer"] == "a" * (runs // 150 * 150)
    assert times[1] < 8 * times[0] + 0.5  # four times the text: linear is 4×, once per level 16×


# -- what the person saw: check boxes, hidden text, alternate content, deleted rows --------------

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
FRAGMENT_NS = {"w": W, "mc": MC, "w14": W14, "v": "urn:schemas-microsoft-com:vml",
               "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
               "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
               "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"}
BOXES = "SJE/JL/GK-02-03"
"""A form with a check box (confidentiality_observed) and a multiple choice (tech_inputs)."""


def fragment(xml: str) -> list[etree._Element]:
    """Elements written as Word writes them (prefixes w:, mc:, wps:, v: …)."""
    declared = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in FRAGMENT_NS.items())
    return list(etree.fromstring(f"<w:fragment {declared}>{xml}</w:fragment>"))


def set_content(sdt: etree._Element, xml: str) -> None:
    content = sdt.find(_w("sdtContent"))
    for child in list(content):
        content.remove(child)
    content.extend(fragment(xml))


def textbox(runs: str, *, vml: bool = False) -> str:
    """A text box holding a paragraph of `runs`: drawn as Word 2010 draws it (wps), or in VML for
    older readers."""
    inner = f"<w:txbxContent><w:p>{runs}</w:p></w:txbxContent>"
    if vml:
        return f"<w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict>"
    return (f"<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>{inner}</wps:txbx></wps:wsp>"
            "</a:graphicData></a:graphic></wp:anchor></w:drawing>")


def alternate(choice: str | None, fallback: str | None) -> str:
    """A run holding mc:AlternateContent: a text box in each branch, as Word saves one (None: no branch)."""
    branches = "" if choice is None else f'<mc:Choice Requires="wps">{textbox(choice)}</mc:Choice>'
    if fallback is not None:
        branches += f"<mc:Fallback>{textbox(fallback, vml=True)}</mc:Fallback>"
    return f"<w:r><mc:AlternateContent>{branches}</mc:AlternateContent></w:r>"


def run_xml(text: str, props: str = "") -> str:
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}<w:t>{text}</w:t></w:r>"


def with_styles(data: bytes, xml: str) -> bytes:
    """Styles added to the form's own styles part."""
    parts = members(data)
    root = etree.fromstring(parts["word/styles.xml"])
    root.extend(fragment(xml))
    parts["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return package(parts)


HIDDEN_STYLES = ('<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/>'
                 '<w:basedOn w:val="SecretBase"/></w:style>'
                 '<w:style w:type="character" w:styleId="SecretBase"><w:name w:val="Secret Base"/>'
                 "<w:rPr><w:vanish/></w:rPr></w:style>"
                 '<w:style w:type="paragraph" w:styleId="HiddenEntry"><w:name w:val="Hidden Entry"/>'
                 '<w:basedOn w:val="FormEntry"/><w:rPr><w:specVanish/></w:rPr></w:style>')
"""A character style hidden through the style it is based on, and a hidden paragraph style."""


def _customer(xml: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        set_content(control(root, "customer"), xml)
    return edit


def _paragraph_style(style: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        sdt = control(root, "customer")
        sdt.getparent().find(f"{_w('pPr')}/{_w('pStyle')}").set(_w("val"), style)
    return edit


def _block(tag: str, paragraphs: str) -> Callable[[etree._Element], None]:
    """The control of `tag` made a block control holding whole paragraphs, as LibreOffice and Word
    write a control around paragraphs."""
    def edit(root: etree._Element) -> None:
        sdt = control(root, tag)
        paragraph = sdt.getparent()
        block = etree.Element(_w("sdt"))
        block.append(copy.deepcopy(sdt.find(_w("sdtPr"))))
        etree.SubElement(block, _w("sdtContent")).extend(fragment(paragraphs))
        paragraph.addnext(block)
        paragraph.getparent().remove(paragraph)
    return edit


def _others_read(record: Record, expected: dict[str, object], *changed: str) -> None:
    """Every field of the record but `changed` is read as filled."""
    for fid, want in expected.items():
        if fid not in changed:
            assert record.fields[fid] == want, fid


@pytest.fixture(scope="module")
def good_fields(good: bytes, project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The fields read from the good form, which the entries an edit leaves alone must keep."""
    path = tmp_path_factory.mktemp("good") / "good.docx"
    path.write_bytes(good)
    record = read_docx_form(path, project)
    assert record.problems == ()
    assert (record.fields["customer"], record.fields["product"]) == ("华东电力公司", "变压器")
    assert record.fields["staff"] == [{"name": "张三", "trade": None, "speciality": None}]
    assert record.fields["problem_description"] == "渗油"
    return record.fields


@pytest.fixture(scope="module")
def boxes(project: Project) -> tuple[bytes, dict[str, object]]:
    """GK-02-03 filled with a value in every entry: check boxes checked, every other option chosen."""
    form = project.forms[BOXES]
    typed, expected = fill_plan(form)
    assert expected["confidentiality_observed"] is True and expected["tech_inputs"] == ["tech_data", "tech_agreement"]
    return fill_docx(render_document(project, form, load_labels(project.site.language)), typed), expected


def _box(tag: str, *, stored: str | None = None, mark: str | None = None,
         states: tuple[str, str] | None = None) -> Callable[[etree._Element], None]:
    """A check box with its hidden w14:checked, the mark it shows, or its own marks changed."""
    def edit(root: etree._Element) -> None:
        sdt = control(root, tag)
        box = sdt.find(f"{_w('sdtPr')}/{{{W14}}}checkbox")
        if stored is not None:
            box.find(f"{{{W14}}}checked").set(f"{{{W14}}}val", stored)
        if mark is not None:
            sdt.find(f".//{_w('t')}").text = mark
        if states is not None:
            for name, value in zip(("checkedState", "uncheckedState"), states, strict=True):
                box.find(f"{{{W14}}}{name}").set(f"{{{W14}}}val", value)
    return edit


@pytest.mark.parametrize("tag,edit,field,value,key,found,stored", [
    ("confidentiality_observed.yes", _box("confidentiality_observed.yes", stored="0"), "confidentiality_observed", None,
     "checkbox_differs", "\u2612", "\u2610"),
    ("confidentiality_observed.yes", _box("confidentiality_observed.yes", mark="\u2610"), "confidentiality_observed",
     None,
     "checkbox_differs", "\u2610", "\u2612"),
    ("tech_inputs.tech_data", _box("tech_inputs.tech_data", stored="false"), "tech_inputs", ["tech_agreement"],
     "checkbox_differs", "\u2612", "\u2610"),
    ("tech_inputs.quotation", _box("tech_inputs.quotation", mark="\u2714"), "tech_inputs",
     ["tech_data", "tech_agreement"], "checkbox_differs", "\u2714", "\u2610"),
    ("confidentiality_observed.yes", _box("confidentiality_observed.yes", mark="?"), "confidentiality_observed", None,
     "not_yes_no", "?", None),
], ids=["checked-mark-stored-unchecked", "unchecked-mark-stored-checked", "option-stored-unchecked",
        "option-other-checked-mark", "neither-mark"])
def test_the_mark_a_check_box_shows_decides_and_a_different_hidden_state_is_a_problem(
        tag: str, edit: Callable[[etree._Element], None], field: str, value: object, key: str, found: str,
        stored: str | None, boxes: tuple[bytes, dict[str, object]], tmp_path: Path, project: Project) -> None:
    data, expected = boxes
    record = _read(tmp_path, project, edit_tree(data, edit))
    [problem] = record.problems
    assert (problem.field, problem.key, problem.found) == (tag, key, found)
    if stored is not None:
        assert dict(problem.params) == {"shown": found, "stored": stored}
        assert problem.message == f'the check box shows "{found}", but the state stored in the control is "{stored}"'
    assert record.fields[field] == value
    _others_read(record, expected, field)


def test_a_check_box_showing_its_own_checked_mark_is_read(boxes: tuple[bytes, dict[str, object]], tmp_path: Path,
                                                          project: Project) -> None:
    """A box whose checked state shows another character (R: ☑ in Wingdings 2) is read by that mark."""
    data, expected = boxes
    edit = _box("confidentiality_observed.yes", mark="R", states=("0052", "00A3"))
    record = _read(tmp_path, project, edit_tree(data, edit))
    assert record.problems == ()
    _others_read(record, expected)


@pytest.mark.parametrize("edit,found,hidden", [
    (_customer(run_xml("华东电力公司") + run_xml("（未付款）", "<w:vanish/>")), "华东电力公司（未付款）", "（未付款）"),
    (_customer(run_xml("华东", '<w:specVanish w:val="1"/>') + run_xml("电力公司")), "华东电力公司", "华东"),
    (_customer(run_xml("西北", '<w:rStyle w:val="Secret"/>') + run_xml("华东电力公司")), "西北华东电力公司",
     "西北"),
    (_paragraph_style("HiddenEntry"), "华东电力公司", "华东电力公司"),
    (_customer(run_xml("华东电力公司") + '<w:r><w:rPr><w:vanish/></w:rPr><w:br/><w:t>二部</w:t></w:r>'),
     "华东电力公司\n二部", "\n二部"),
], ids=["vanish", "specVanish", "character-style-based-on-hidden", "paragraph-style", "hidden-break"])
def test_hidden_text_in_an_entry_is_a_problem_and_no_value(edit: Callable[[etree._Element], None], found: str,
                                                           hidden: str, good: bytes, good_fields: dict[str, object],
                                                           tmp_path: Path, project: Project) -> None:
    record = _read(tmp_path, project, edit_tree(with_styles(good, HIDDEN_STYLES), edit))
    assert record.fields["customer"] is None
    [problem] = record.problems
    assert (problem.field, problem.key, problem.found) == ("customer", "hidden_text", found)
    assert dict(problem.params) == {"hidden": hidden}
    assert problem.message == (f'the entry holds hidden text, "{hidden}", which Word and LibreOffice do not show, '
                               "so what was read is not what the person saw")
    _others_read(record, good_fields, "customer")


@pytest.mark.parametrize("edit,value", [
    (_customer(run_xml("华东电力公司", '<w:vanish w:val="0"/><w:rStyle w:val="Secret"/>')), "华东电力公司"),
    (_customer(run_xml("华东电力公司", '<w:rPrChange w:id="7" w:author="x"><w:rPr><w:vanish/></w:rPr></w:rPrChange>')),
     "华东电力公司"),
], ids=["vanish-off-over-a-hidden-style", "hidden-before-a-tracked-format-change"])
def test_text_shown_is_read(edit: Callable[[etree._Element], None], value: str, good: bytes, tmp_path: Path,
                            project: Project) -> None:
    def hidden_label(root: etree._Element) -> None:  # hidden text outside the entries is not read at all
        sdt = control(root, "customer")
        sdt.addprevious(fragment(run_xml("备注", "<w:vanish/>"))[0])

    record = _read(tmp_path, project, edit_tree(edit_tree(with_styles(good, HIDDEN_STYLES), edit), hidden_label))
    assert (record.fields["customer"], record.problems) == (value, ())


@pytest.mark.parametrize("paragraphs,value,found", [
    ("<w:p><w:r><w:t>渗油</w:t></w:r></w:p><w:p><w:r><w:t>严重</w:t></w:r></w:p>", "渗油\n严重", None),
    ('<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="x"/></w:rPr></w:pPr><w:r><w:t>渗油</w:t></w:r></w:p>'
     "<w:p><w:r><w:t>严重</w:t></w:r></w:p>", "渗油严重", None),
    ("<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>渗油</w:t></w:r></w:p>"
     "<w:p><w:r><w:t>严重</w:t></w:r></w:p>", None, "渗油\n严重"),
], ids=["two-paragraphs", "deleted-paragraph-mark", "hidden-paragraph-mark"])
def test_a_paragraph_mark_hidden_or_deleted_joins_the_lines(paragraphs: str, value: str | None, found: str | None,
                                                            good: bytes, good_fields: dict[str, object], tmp_path: Path,
                                                            project: Project) -> None:
    record = _read(tmp_path, project, edit_tree(good, _block("problem_description", paragraphs)))
    assert record.fields["problem_description"] == value
    if found is None:
        assert record.problems == ()
    else:
        [problem] = record.problems
        assert (problem.field, problem.key, problem.found) == ("problem_description", "hidden_text", found)
        assert dict(problem.params) == {"hidden": "\u00b6"}
    _others_read(record, good_fields, "problem_description")


@pytest.mark.parametrize("choice,fallback,value,other", [
    ("<w:r><w:t>华东电力公司</w:t></w:r>", "<w:r><w:t>华东电力公司</w:t></w:r>", "华东电力公司", None),
    ("<w:r><w:t>华东电力</w:t></w:r><w:r><w:t>公司</w:t></w:r>", "<w:r><w:t>华东电力公司</w:t></w:r>", "华东电力公司",
     None),
    ("<w:r><w:t>华东电力公司</w:t></w:r>", "<w:r><w:t>西北电网公司</w:t></w:r>", None, "西北电网公司"),
    ("<w:r><w:t>华东电力公司</w:t></w:r>", None, None, ""),
], ids=["same-text", "same-text-split-differently", "different-text", "no-fallback"])
def test_alternate_content_in_an_entry_is_read_once_or_is_a_problem(choice: str, fallback: str | None,
                                                                    value: str | None, other: str | None, good: bytes,
                                                                    good_fields: dict[str, object], tmp_path: Path,
                                                                    project: Project) -> None:
    record = _read(tmp_path, project, edit_tree(good, _customer(alternate(choice, fallback))))
    assert record.fields["customer"] == value
    if other is None:
        assert record.problems == ()
    else:
        [problem] = record.problems
        assert (problem.field, problem.key, problem.found) == ("customer", "alternate_content", "华东电力公司")
        assert dict(problem.params) == {"shown": "华东电力公司", "other": other}
    _others_read(record, good_fields, "customer")


@pytest.mark.parametrize("fallback_text,value,problem", [
    ("变压器", "变压器", None), ("电抗器", None, ("product", "alternate_content", "变压器")),
], ids=["same", "different"])
def test_a_control_in_both_branches_of_alternate_content_is_one_control(
        fallback_text: str, value: str | None, problem: tuple[str, str, str] | None, good: bytes,
        good_fields: dict[str, object], tmp_path: Path, project: Project) -> None:
    """Word saves a text box twice, as a drawing and in VML: a control in it is in the file twice."""
    def boxed(root: etree._Element) -> None:
        sdt = control(root, "product")
        [box] = fragment(alternate("", ""))
        choice, fallback = box.iter(_w("txbxContent"))
        choice.find(_w("p")).append(copy.deepcopy(sdt))
        other = copy.deepcopy(sdt)
        set_content(other, run_xml(fallback_text))
        fallback.find(_w("p")).append(other)
        sdt.addnext(box)
        sdt.getparent().remove(sdt)

    record = _read(tmp_path, project, edit_tree(good, boxed))
    assert record.fields["product"] == value
    assert [(p.field, p.key, p.found) for p in record.problems] == ([problem] if problem else [])
    _others_read(record, good_fields, "product")


def test_nested_alternate_content_is_read_in_linear_time(good: bytes, tmp_path: Path, project: Project) -> None:
    """Branches nested 90 deep in an entry, each fallback differing: one problem, found in time
    linear in the text (each text once, not once per level above it)."""
    raised = limited(project, {"runs_per_paragraph": 400_000})
    parts = members(edit_tree(good, _customer(run_xml("MARKER"))))

    def nested(runs: int) -> bytes:
        levels, text = 90, RUN * (runs // 90)
        payload = ('<mc:AlternateContent><mc:Choice Requires="wps">' * levels + text
                   + (f"</mc:Choice><mc:Fallback>{RUN}</mc:Fallback></mc:AlternateContent>" + text) * levels)
        xml = parts[DOCUMENT].decode("utf-8").replace(run_xml("MARKER"), payload)
        return package({**parts, DOCUMENT: xml.encode("utf-8")})

    times = []
    for runs in (15_000, 60_000):
        record, seconds = _timed_read(tmp_path, raised, nested(runs), f"{runs}.docx")
        times.append(seconds)
        [problem] = record.problems
        assert (problem.key, len(problem.found)) == ("alternate_content", runs // 90 * 90 + runs // 90)
    assert times[1] < 8 * times[0] + 0.5  # four times the text: linear is 4×, once per level 16×


def _row_copy(*, deleted: bool) -> Callable[[etree._Element], None]:
    """The first staff row copied below itself with another name, its row marked deleted or not."""
    def edit(root: etree._Element) -> None:
        row = next(control(root, "staff.1.name").iterancestors(_w("tr")))
        twin = copy.deepcopy(row)
        for sdt in twin.iter(_w("sdt")):
            if sdt.find(f"{_w('sdtPr')}/{_w('tag')}").get(_w("val")) == "staff.1.name":
                set_content(sdt, '<w:del w:id="3" w:author="x"><w:r><w:delText>李四</w:delText></w:r></w:del>'
                            if deleted else run_xml("李四"))
        if deleted:
            twin.find(_w("trPr")).append(fragment('<w:del w:id="4" w:author="x" w:date="2025-09-26T10:00:00Z"/>')[0])
        row.addnext(twin)
    return edit


def _deleted_copy(root: etree._Element) -> None:
    """A copy of the product control, with another product, wholly inside a tracked deletion."""
    sdt = control(root, "product")
    [deletion] = fragment('<w:del w:id="6" w:author="x"/>')
    twin = copy.deepcopy(sdt)
    set_content(twin, "<w:r><w:delText>电抗器</w:delText></w:r>")
    deletion.append(twin)
    sdt.addnext(deletion)


@pytest.mark.parametrize("edit,problems", [
    (_row_copy(deleted=True), []),
    (_deleted_copy, []),
    (_row_copy(deleted=False), [("staff.1.name", "duplicate_control"), ("staff.1.trade", "duplicate_control"),
                                ("staff.1.speciality", "duplicate_control")]),
], ids=["row-marked-deleted", "control-inside-a-deletion", "row-not-deleted"])
def test_a_control_in_deleted_content_is_not_read_nor_counted(edit: Callable[[etree._Element], None],
                                                              problems: list[tuple[str, str]], good: bytes,
                                                              good_fields: dict[str, object], tmp_path: Path,
                                                              project: Project) -> None:
    record = _read(tmp_path, project, edit_tree(good, edit))
    assert [(p.field, p.key) for p in record.problems] == problems
    if problems:
        assert record.fields["staff"] is None
        _others_read(record, good_fields, "staff")
    else:
        _others_read(record, good_fields)


# -- the command line --------------------------------------------------------------------------

def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _extract_lines(result: Result, folder: Path, refused: list[str]) -> None:
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == len(refused)
    for name in refused:
        assert len([x for x in lines if x.startswith(f"{folder / name}: error: ")]) == 1, name
    [record] = json.loads(result.stdout)
    assert record["source"] == str(folder / "good.docx") and record["fields"]["customer"] == "华东电力公司"


def _check_report(result: Result, refused: dict[str, str], labels: dict[str, str]) -> None:
    assert result.exit_code in (0, 1)
    report = json.loads(result.stdout)
    unreadable = {Path(f["record"]["source"]).name: f for f in report["findings"] if f["rule"] == "QMS-RECORD"}
    assert set(unreadable) == set(refused)
    for name, key in refused.items():
        head = labels[f"reason_{key}"].split("{")[0]
        assert head in unreadable[name]["message"], (name, key)
    assert report["counts"]["records"] == 1  # the good form: read and checked


def test_extract_reports_each_hostile_file_on_one_line_and_reads_the_good_one(corpus: Path) -> None:
    names = [f"{case.name}.docx" for case in FILE_CASES]
    result = run("extract", "--root", str(REPO), *(str(corpus / n) for n in names), str(corpus / "good.docx"))
    _extract_lines(result, corpus, names)


def test_check_reports_each_hostile_file_and_checks_the_good_one(corpus: Path, project: Project) -> None:
    result = run("check", "--root", str(REPO), str(corpus), "--as-of", AS_OF, "--format", "json", "-j", "1")
    _check_report(result, {f"{case.name}.docx": case.key for case in FILE_CASES},
                  load_labels(project.site.language).texts)


def test_extract_and_check_with_small_limits(small_corpus: Path, small_root: Path, project: Project) -> None:
    names = [f"{case.name}.docx" for case in SMALL_CASES]
    result = run("extract", "--root", str(small_root), *(str(small_corpus / n) for n in names),
                 str(small_corpus / "good.docx"))
    _extract_lines(result, small_corpus, names)
    result = run("check", "--root", str(small_root), str(small_corpus), "--as-of", AS_OF, "--format", "json",
                 "-j", "1")
    _check_report(result, dict.fromkeys(names, "docx_over_limit"), load_labels(project.site.language).texts)


def test_check_reports_a_date_that_differs_in_the_site_language(good: bytes, tmp_path: Path, project: Project) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "date.docx").write_bytes(edit_tree(good, _full_date("returned_on", "2025-09-27T00:00:00Z")))
    result = run("check", "--root", str(REPO), str(folder), "--as-of", AS_OF, "--format", "json", "-j", "1")
    assert result.exit_code in (0, 1)
    report = json.loads(result.stdout)
    [finding] = [f for f in report["findings"] if f["rule"] == "QMS-VALUE"]
    reason = load_labels(project.site.language).texts["reason_date_differs"].format(shown="2025-09-25",
                                                                                   stored="2025-09-27")
    assert reason in finding["message"]


def test_check_reports_hidden_text_in_the_site_language(good: bytes, tmp_path: Path, project: Project) -> None:
    """The good form passes the rules on that day (exit 0); with hidden text in one entry, that entry
    is the one finding (exit 1), and the record is checked otherwise."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hidden.docx").write_bytes(good)
    result = run("check", "--root", str(REPO), str(folder), "--as-of", AS_OF, "--format", "json", "-j", "1")
    assert (result.exit_code, json.loads(result.stdout)["findings"]) == (0, [])
    (folder / "hidden.docx").write_bytes(edit_tree(good, _customer(run_xml("华东电力公司")
                                                                   + run_xml("（未付款）", "<w:vanish/>"))))
    result = run("check", "--root", str(REPO), str(folder), "--as-of", AS_OF, "--format", "json", "-j", "1")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["counts"]["records"] == 1
    [finding] = report["findings"]
    assert (finding["rule"], finding["fields"], finding["values"]) == ("QMS-VALUE", ["customer"],
                                                                      {"customer": "华东电力公司（未付款）"})
    reason = load_labels(project.site.language).texts["reason_hidden_text"].format(hidden="（未付款）")
    assert reason in finding["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_never_opened_for_reading(corpus: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from qmsdoc.cli import main; main()", "extract", "--root",
                           str(REPO), str(fifo), str(corpus / "good.docx")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert time.perf_counter() - start < HANG_SECONDS
    assert done.returncode == 1
    assert done.stderr.strip() == f"{fifo}: error: not a regular file (a folder, FIFO, device or socket): not read"
    assert json.loads(done.stdout)[0]["fields"]["customer"] == "华东电力公司"
    result = run("check", "--root", str(REPO), str(fifo), str(corpus / "good.docx"), "--as-of", AS_OF,
                 "--format", "json", "-j", "1")
    assert result.exit_code in (0, 1)
    report = json.loads(result.stdout)
    assert {f["rule"] for f in report["findings"] if f["record"]["source"] == str(fifo)} <= {"QMS-RECORD"}
    assert report["counts"]["records"] == 1
