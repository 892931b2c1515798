"""Reading a filled .docx form back: manifest → form definition → typed field values.

Word's real behaviour is expected: text split across runs, proofing marks, tracked
insertions (read) and deletions (ignored), placeholders still showing (empty), and values
typed by hand into date controls (parsed, or reported as unreadable with what was found).

What the person saw is the record, and what could make two programs show two documents is
reported, never read one way:
- a date control's visible text is its value, and a hidden stored date that disagrees with it
  is a problem; so is a check box whose mark (☒, ☐ …) disagrees with its hidden w14:checked;
- text formatted as hidden (w:vanish, w:specVanish: directly, or through the paragraph or
  character style, or the document defaults) in a control is a problem, and so is a hidden
  paragraph mark between two of its paragraphs;
- an mc:AlternateContent in a control is read once when its branches hold the same text, and
  is a problem when they differ (Word shows the branch it understands, others the fallback);
- tracked deletions, and table rows marked deleted, are not part of the document as shown
  with changes accepted: the text and the controls in them are not read, nor counted.

A file that cannot be read at all, for whatever reason, is one RecordError naming the file and
the reason; the text of the controls is gathered in one pass over the document, in time linear
in its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from qmsdoc.errors import SourceError
from qmsdoc.load.snapshots import load_snapshot
from qmsdoc.model.documents import Field, FieldType, Form
from qmsdoc.model.limits import LimitExceeded
from qmsdoc.model.project import Project
from qmsdoc.model.records import FieldProblem, Record, RecordError
from qmsdoc.model.site import SiteConfig
from qmsdoc.records.coerce import BLANK, CHECKED_MARKS, from_text
from qmsdoc.records.files import display_path, read_bounded
from qmsdoc.records.safezip import SafePackage, UnsafeFile
from qmsdoc.records.values import ValueError_

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MANIFEST_NS = "urn:qmsdoc:manifest:1"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Conflict:
    """Why the file does not say one thing for a control: reason key, message, and its params."""

    key: str
    message: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Control:
    """What one content control holds: its text, whether its placeholder shows, extra state.

    `checked` is the hidden state of a check box control (w14:checked), None for other controls,
    and `marks` the characters its checked and unchecked states show. `conflict` is set when the
    file does not say one thing for this control: its tag appears more than once, it holds another
    tagged control, hidden text, or an mc:AlternateContent whose branches differ."""

    tag: str
    text: str
    placeholder: bool
    full_date: str | None
    checked: bool | None
    marks: tuple[str, ...] = ()
    conflict: Conflict | None = None


def read_docx_form(path: Path, project: Project, source: str | None = None, *,
                   any_revision: bool = False) -> Record:
    """One filled form file → Record; raises RecordError with a one-line reason.

    A file made on an older, released revision is read with that revision's definition. One made
    on a revision that is neither current nor released is refused, unless `any_revision` (the
    checker then reads it with the current definition and reports the revision itself).
    Whatever goes wrong while reading the file is a RecordError for this file alone.
    """
    source = source or display_path(path)
    try:
        return _read(path, project, source, any_revision)
    except RecordError:
        raise
    except Exception as exc:  # a reader bug must not cost the run: this file is reported, the others read
        error = f"{type(exc).__name__}: {exc}"
        raise RecordError(source, f"internal error while reading the file: {error}", key="internal_error",
                          error=error) from exc


def _read(path: Path, project: Project, source: str, any_revision: bool) -> Record:
    limits = project.site.limits
    data = read_bounded(path, limits.record_file_bytes, source)
    try:
        pkg = SafePackage(data, limits)
        manifest = _manifest(pkg)
        if manifest is None:
            raise RecordError(source, "not a qmsdoc form (no qmsdoc manifest in the file)", key="not_a_form")
        document = pkg.main_document()
        styles = _Styles(pkg.styles(pkg.main_part()))
    except UnsafeFile as exc:
        raise RecordError(source, str(exc), key=exc.key, **exc.params) from None
    form_id, revision = manifest.get("id", ""), manifest.get("revision", "")
    form = project.forms.get(form_id)
    if form is None:
        raise RecordError(source, f'form "{form_id}" is not a form of this document set', key="unknown_form",
                          form_id=form_id)
    if revision != form.revision and project.release_of(form.id, revision) is None and not any_revision:
        raise RecordError(source, f"made on {form_id} revision {revision}, which is not a known "
                                  f"revision (current: {form.revision})")
    definition = _definition(project, form, revision)
    controls = _controls(document, styles)
    notes: list[str] = []
    if manifest.get("digest") and manifest["digest"] != form.digest:
        notes.append(f"the file was built from a different definition of {form.id} {revision} "
                     "than the current one (its digest differs)")
    problems: list[FieldProblem] = []
    fields = _read_fields(definition, controls, problems, project.site)
    return Record(form.id, revision, source, fields, tuple(problems), notes=tuple(notes))


def _definition(project: Project, form: Form, revision: str) -> Form:
    """The definition the file was made on: the released one of an older revision when there is one."""
    if revision == form.revision:
        return form
    release = project.release_of(form.id, revision)
    if release is None:
        return form
    try:
        older = load_snapshot(project, release)
    except SourceError:
        return form
    return older if isinstance(older, Form) else form


def _manifest(pkg: SafePackage) -> dict[str, str] | None:
    for name in sorted(n for n in pkg.names if n.startswith("customXml/item") and "Props" not in n):
        root = pkg.xml(name, f"{{{MANIFEST_NS}}}manifest")  # other custom XML is not read past its root
        if root is not None:
            return {str(k): str(v) for k, v in root.attrib.items()}
    custom = pkg.xml("docProps/custom.xml", f"{{{CUSTOM_PROPS_NS}}}Properties")
    if custom is not None:
        found = {}
        for prop in custom.iter(f"{{{CUSTOM_PROPS_NS}}}property"):
            name = prop.get("name", "")
            if name.startswith("qmsdoc."):
                found[name[7:]] = "".join(str(text) for text in prop.itertext())
        if found.get("id"):
            return found
    return None


_SDT, _SDT_PR, _SDT_CONTENT = _w("sdt"), _w("sdtPr"), _w("sdtContent")
_P, _R, _T, _TAB, _TR = _w("p"), _w("r"), _w("t"), _w("tab"), _w("tr")
_PPR, _RPR, _TR_PR, _P_STYLE, _R_STYLE = _w("pPr"), _w("rPr"), _w("trPr"), _w("pStyle"), _w("rStyle")
_BREAKS = frozenset((_w("br"), _w("cr")))
_DELETIONS = frozenset((_w("del"), _w("moveFrom")))
_HIDING = (_w("vanish"), _w("specVanish"))
_OFF = frozenset(("0", "false", "off"))
_ON = frozenset(("1", "true", "on"))
_TAG, _VAL, _DATE, _FULL_DATE, _PLACEHOLDER = _w("tag"), _w("val"), _w("date"), _w("fullDate"), _w("showingPlcHdr")
_CHECKBOX, _CHECKED, _W14_VAL = f"{{{W14}}}checkbox", f"{{{W14}}}checked", f"{{{W14}}}val"
_BOX_STATES = (f"{{{W14}}}checkedState", f"{{{W14}}}uncheckedState")
_ALTERNATE, _CHOICE, _FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
_WALKED = (_SDT, _SDT_CONTENT, _P, _R, _T, _TAB, _TR, *_BREAKS, *_DELETIONS, _ALTERNATE, _CHOICE, _FALLBACK)
"""The only elements the walk stops at; the others are skipped inside lxml."""
_MARK = "\u00b6"
"""A hidden paragraph mark, as the hidden text of a problem shows it."""
_SAMPLE = 200
"""At most this much hidden text is kept for the problem that reports it."""


def _hides(rpr: etree._Element | None) -> bool | None:
    """Whether run properties hide their text (w:vanish, w:specVanish): True, False when they say
    it is shown, None when they say nothing. Only their own children count: a w:rPrChange in them
    holds the formatting from before a tracked change."""
    if rpr is None:
        return None
    said = None
    for tag in _HIDING:
        mark = rpr.find(tag)
        if mark is not None:
            if mark.get(_VAL) not in _OFF:
                return True
            said = False
    return said


class _Styles:
    """Which paragraph and character styles hide text, themselves or through a style they are
    based on, and whether the document defaults do; found once, in time linear in the styles part.

    A style that hides text anywhere in its chain counts as hiding: programs differ in how a style
    that shows text again, based on one that hides it, combines with the others."""

    def __init__(self, root: etree._Element | None):
        self.known: frozenset[str] = frozenset()
        self.hiding: frozenset[str] = frozenset()
        self.everything = False  # the document defaults hide all text
        self.default_paragraph = self.default_character = False  # the default style of each kind hides text
        if root is None:
            return
        self.everything = _hides(root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_RPR}")) is True
        own: dict[str, bool] = {}
        based: dict[str, str | None] = {}
        defaults: dict[str, str] = {}
        for style in root.iterchildren(_w("style")):
            kind, ident = style.get(_w("type"), "paragraph"), style.get(_w("styleId"))
            if kind not in ("paragraph", "character") or ident is None:
                continue
            own[ident] = own.get(ident, False) or _hides(style.find(_RPR)) is True
            parent = style.find(_w("basedOn"))
            based.setdefault(ident, parent.get(_VAL) if parent is not None else None)
            if style.get(_w("default"), "0") not in _OFF:
                defaults.setdefault(kind, ident)
        hides: dict[str, bool] = {}
        for ident in based:  # each style's chain is followed up to a style already known: linear
            chain: list[str] = []
            at: str | None = ident
            while at is not None and at in based and at not in hides and at not in chain:
                chain.append(at)
                at = based[at]
            hidden = hides.get(at, False) if at is not None else False
            for link in reversed(chain):
                hidden = hidden or own[link]
                hides[link] = hidden
        self.known = frozenset(based)
        self.hiding = frozenset(ident for ident, hidden in hides.items() if hidden)
        self.default_paragraph = defaults.get("paragraph") in self.hiding
        self.default_character = defaults.get("character") in self.hiding

    def _style(self, props: etree._Element | None, tag: str, default: bool) -> bool:
        style = props.find(tag) if props is not None else None
        ident = style.get(_VAL) if style is not None else None
        if ident is None or ident not in self.known:  # no style, or one the file does not define
            return default
        return ident in self.hiding

    def paragraph(self, ppr: etree._Element | None) -> bool:
        """Whether the style of a paragraph (its pStyle, or the default) hides the text in it."""
        if self.everything:
            return True
        return bool(self.hiding) and self._style(ppr, _P_STYLE, self.default_paragraph)

    def run(self, rpr: etree._Element | None, style_hides: bool) -> bool:
        """Whether a run, or a paragraph mark, with properties `rpr` is hidden, in a paragraph
        whose style hides text (`style_hides`) or not: its own w:vanish decides, then its style."""
        said = _hides(rpr)
        if said is not None:
            return said
        return style_hides or (bool(self.hiding) and self._style(rpr, _R_STYLE, self.default_character))


class _Text:
    """The text gathered for a control: pieces, each a string or the _Text of an mc:AlternateContent
    branch read once (kept whole, not copied, so nested ones cost no more than their size)."""

    __slots__ = ("length", "pieces")

    def __init__(self) -> None:
        self.pieces: list[str | _Text] = []
        self.length = 0

    def add(self, piece: str | _Text) -> None:
        self.pieces.append(piece)
        self.length += len(piece) if isinstance(piece, str) else piece.length

    def __str__(self) -> str:
        out: list[str] = []
        stack: list[Iterator[str | _Text]] = [iter(self.pieces)]
        while stack:
            for piece in stack[-1]:
                if isinstance(piece, str):
                    out.append(piece)
                else:
                    stack.append(iter(piece.pieces))
                    break
            else:
                stack.pop()
        return "".join(out)

    def same(self, other: _Text) -> bool:
        return self.length == other.length and str(self) == str(other)


@dataclass(slots=True)
class _Gathered:
    """What has been read of a control so far: its text, paragraphs, and the hidden text in it."""

    text: _Text = field(default_factory=_Text)
    paragraphs: int = 0
    join: bool = False  # the last paragraph's mark is deleted: the next paragraph continues it
    mark_hidden: bool = False  # the last paragraph's mark is hidden
    hidden: list[str] | None = None  # the hidden text, up to _SAMPLE characters

    def hide(self, piece: str) -> None:
        if self.hidden is None:
            self.hidden = []
        if sum(map(len, self.hidden)) < _SAMPLE:
            self.hidden.append(piece)

    def fork(self) -> _Gathered:
        """The state an mc:AlternateContent branch starts from: where this one is, nothing read."""
        return _Gathered(_Text(), self.paragraphs, self.join, self.mark_hidden)


@dataclass(slots=True)
class _Open:
    """A content control met while walking the document; `gathered` is what is read of it."""

    sdt: etree._Element
    tag: str | None
    content: etree._Element | None
    gathered: _Gathered = field(default_factory=_Gathered)
    nested: bool = False
    alternate: tuple[str, str] | None = None  # (the text Word shows, another program's) when they differ


@dataclass(slots=True)
class _Alternate:
    """An open mc:AlternateContent: the control whose content it is in, and what each branch held."""

    element: etree._Element
    target: _Open | None
    branches: list[tuple[_Gathered | None, list[Control]]] = field(default_factory=list)
    fallback: bool = False


@dataclass(slots=True)
class _Branch:
    """An open mc:Choice or mc:Fallback: its mc:AlternateContent, and what the control held before it."""

    alternate: _Alternate
    before: _Gathered | None


def _controls(document: etree._Element, styles: _Styles) -> dict[str, Control]:
    """Every tagged control of the document by tag, in one walk over the document.

    Visible text goes to the innermost tagged control whose content it is in: runs joined,
    paragraphs as new lines. What is not part of the document as shown with changes accepted is
    not walked: tracked deletions, and table rows marked deleted, with the controls in them.
    Hidden text, a control in another one, a tag used twice, and an mc:AlternateContent whose
    branches differ are a conflict for their control."""
    walker = etree.iterwalk(document, events=("start", "end"), tag=_WALKED)
    sdts: list[_Open] = []  # every open w:sdt
    reading: list[_Open] = []  # open tagged controls whose content is being read, innermost last
    paragraphs: list[tuple[bool, bool]] = []  # for each open paragraph: its style hides text, it is in a hidden run
    runs: list[bool] = []  # for each open run: it is hidden
    sinks: list[list[Control]] = [[]]  # the controls read, the innermost open branch's last
    alternates: list[_Alternate] = []
    branches: list[_Branch | None] = []  # None: a Choice or Fallback outside an mc:AlternateContent
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag == _T:
                if reading and el.text:
                    gathered = reading[-1].gathered
                    gathered.text.add(el.text)
                    if runs and runs[-1]:
                        gathered.hide(el.text)
            elif tag == _R:
                style_hides, inside = paragraphs[-1] if paragraphs else (styles.everything, False)
                runs.append(inside or styles.run(el.find(_RPR), style_hides))
            elif tag == _P:
                ppr = el.find(_PPR)
                paragraph = (styles.paragraph(ppr), bool(runs and runs[-1]))
                paragraphs.append(paragraph)
                if reading:
                    _paragraph(reading[-1].gathered, ppr, styles, paragraph)
            elif tag in _DELETIONS or (tag == _TR and _row_deleted(el)):
                walker.skip_subtree()
            elif tag == _SDT:
                sdts.append(_open(el))
            elif tag == _SDT_CONTENT:
                if sdts and sdts[-1].content is el and sdts[-1].tag is not None:
                    if reading:
                        reading[-1].nested = True
                    reading.append(sdts[-1])
            elif tag == _ALTERNATE:
                alternates.append(_Alternate(el, reading[-1] if reading else None))
            elif tag in (_CHOICE, _FALLBACK):
                if not alternates or el.getparent() is not alternates[-1].element:
                    branches.append(None)  # not a branch: read as it stands
                    continue
                alternate = alternates[-1]
                alternate.fallback = alternate.fallback or tag == _FALLBACK
                target = alternate.target
                branches.append(_Branch(alternate, target.gathered if target is not None else None))
                if target is not None:
                    target.gathered = target.gathered.fork()
                sinks.append([])
            elif reading and (tag in _BREAKS or (tag == _TAB and (parent := el.getparent()) is not None
                                                 and parent.tag == _R)):
                gathered = reading[-1].gathered
                gathered.text.add("\n" if tag in _BREAKS else "\t")
                if runs and runs[-1]:
                    gathered.hide("\n" if tag in _BREAKS else "\t")
        elif tag == _R:
            runs.pop()
        elif tag == _P:
            paragraphs.pop()
        elif tag == _SDT:
            opened = sdts.pop()
            if opened.tag is not None:
                sinks[-1].append(_control(opened))
        elif tag == _SDT_CONTENT:
            if reading and reading[-1].content is el:
                reading.pop()
        elif tag in (_CHOICE, _FALLBACK):
            branch = branches.pop()
            if branch is not None:
                target = branch.alternate.target
                read = target.gathered if target is not None else None
                if target is not None and branch.before is not None:
                    target.gathered = branch.before
                branch.alternate.branches.append((read, sinks.pop()))
        elif tag == _ALTERNATE:
            _settle(alternates.pop(), sinks[-1])
    found: dict[str, Control] = {}
    seen: dict[str, int] = {}
    for control in sinks[0]:
        found.setdefault(control.tag, control)
        seen[control.tag] = seen.get(control.tag, 0) + 1
    for tag, count in seen.items():
        if count > 1:
            found[tag] = Control(tag, "", False, None, None, conflict=Conflict(
                "duplicate_control", f"the entry control appears {count} times in the file (the form was "
                                     "altered), so which one holds the value is not clear"))
    return found


def _paragraph(gathered: _Gathered, ppr: etree._Element | None, styles: _Styles,
               paragraph: tuple[bool, bool]) -> None:
    """A paragraph starts in a control: a new line, unless the last one's mark is deleted."""
    if gathered.paragraphs and not gathered.join:
        gathered.text.add("\n")
        if gathered.mark_hidden:
            gathered.hide(_MARK)
    gathered.paragraphs += 1
    mark = ppr.find(_RPR) if ppr is not None else None
    gathered.join = mark is not None and any(mark.find(tag) is not None for tag in _DELETIONS)
    style_hides, inside = paragraph
    gathered.mark_hidden = inside or styles.run(mark, style_hides)


def _row_deleted(row: etree._Element) -> bool:
    props = row.find(_TR_PR)
    return props is not None and props.find(_w("del")) is not None


def _settle(alternate: _Alternate, sink: list[Control]) -> None:
    """An mc:AlternateContent read once when its branches agree; where they differ, a conflict.

    Word shows the first branch it understands, other programs the mc:Fallback (none: nothing)."""
    target = alternate.target
    branches = alternate.branches
    if not alternate.fallback:
        branches.append((target.gathered.fork() if target is not None else None, []))
    if target is not None:
        read = [gathered for gathered, _ in branches if gathered is not None]
        first = read[0]
        gathered = target.gathered
        gathered.text.add(first.text)
        gathered.paragraphs, gathered.join, gathered.mark_hidden = first.paragraphs, first.join, first.mark_hidden
        for other in read:
            if other.hidden is not None:
                for piece in other.hidden:
                    gathered.hide(piece)
                break
        differs = next((other for other in read[1:] if not other.text.same(first.text)), None)
        if differs is not None and target.alternate is None:
            target.alternate = (str(first.text), str(differs.text))
    lists = [controls for _, controls in branches]
    if all(controls == lists[0] for controls in lists[1:]):
        sink.extend(lists[0])
        return
    by_tag: list[dict[str, list[Control]]] = []
    for controls in lists:
        tags: dict[str, list[Control]] = {}
        for control in controls:
            tags.setdefault(control.tag, []).append(control)
        by_tag.append(tags)
    for tag in dict.fromkeys(tag for tags in by_tag for tag in tags):
        versions = [tags.get(tag, []) for tags in by_tag]
        differing = next((v for v in versions[1:] if v != versions[0]), None)
        if differing is None:
            sink.extend(versions[0])
        else:
            shown = versions[0][0].text if versions[0] else ""
            sink.append(Control(tag, shown, False, None, None,
                                conflict=_alternate(shown, differing[0].text if differing else "")))


def _alternate(shown: str, other: str) -> Conflict:
    return Conflict("alternate_content",
                    f'the entry holds two versions (mc:AlternateContent): "{shown}", which Word shows, and '
                    f'"{other}", which other programs show, so what the person saw depends on the program',
                    (("shown", shown), ("other", other)))


def _open(sdt: etree._Element) -> _Open:
    pr = sdt.find(_SDT_PR)
    tag_el = pr.find(_TAG) if pr is not None else None
    if tag_el is None:
        return _Open(sdt, None, None)
    return _Open(sdt, tag_el.get(_VAL, ""), sdt.find(_SDT_CONTENT))


def _control(opened: _Open) -> Control:
    pr = opened.sdt.find(_SDT_PR)
    assert pr is not None and opened.tag is not None
    date_el = pr.find(_DATE)
    box = pr.find(_CHECKBOX)
    checked = None
    marks: tuple[str, ...] = ()
    if box is not None:
        state = box.find(_CHECKED)
        checked = state is not None and state.get(_W14_VAL, "1") in _ON
        marks = tuple(_mark(box.find(tag)) for tag in _BOX_STATES)
    gathered = opened.gathered
    text = str(gathered.text)
    conflict = None
    if opened.nested:
        conflict = Conflict("nested_control", "the entry control holds another entry control (the form was "
                                              "altered), so which one holds the value is not clear")
    elif opened.alternate is not None:
        conflict = _alternate(*opened.alternate)
    elif gathered.hidden is not None:
        hidden = "".join(gathered.hidden)[:_SAMPLE]
        conflict = Conflict("hidden_text", f'the entry holds hidden text, "{hidden}", which Word and LibreOffice '
                                           "do not show, so what was read is not what the person saw",
                            (("hidden", hidden),))
    return Control(
        tag=opened.tag,
        text=text,
        placeholder=pr.find(_PLACEHOLDER) is not None,
        full_date=date_el.get(_FULL_DATE) if date_el is not None else None,
        checked=checked,
        marks=marks,
        conflict=conflict,
    )


def _mark(state: etree._Element | None) -> str:
    """The character a check box state (w14:checkedState, w14:uncheckedState) shows, "" if none."""
    try:
        return chr(int(state.get(_W14_VAL, ""), 16)) if state is not None else ""
    except (ValueError, OverflowError):
        return ""


def _blank(control: Control | None) -> bool:
    return control is None or control.placeholder or not control.text.strip(BLANK)


def _read_fields(form: Form, controls: dict[str, Control], problems: list[FieldProblem],
                 site: SiteConfig) -> dict[str, Any]:
    """The typed value of each field of `form`; what cannot be read is added to `problems`."""
    fields: dict[str, Any] = {}
    for f in (f for s in form.sections for f in s.fields):
        if f.type == FieldType.TABLE:
            fields[f.id] = _table(f, controls, problems, site)
        elif f.type == FieldType.SIGNATURE:
            name = _value(f, FieldType.PERSON, _get(controls, f"{f.id}.name", problems), f"{f.id}.name", problems,
                          site)
            date = _value(f, FieldType.DATE, _get(controls, f"{f.id}.date", problems), f"{f.id}.date", problems,
                          site)
            fields[f.id] = None if name is None and date is None else {"name": name, "date": date}
            _missing(controls, problems, f"{f.id}.name", f"{f.id}.date")
        elif f.type == FieldType.MULTICHOICE:
            tags = [f"{f.id}.{o.value}" for o in f.options]
            _missing(controls, problems, *tags)
            chosen = [o.value for o in f.options
                      if _checkbox(_get(controls, f"{f.id}.{o.value}", problems), f"{f.id}.{o.value}", problems)]
            fields[f.id] = chosen or None
        else:
            _missing(controls, problems, f.id)
            fields[f.id] = _value(f, f.type, _get(controls, f.id, problems), f.id, problems, site)
    return fields


def _missing(controls: dict[str, Control], problems: list[FieldProblem], *tags: str) -> None:
    for tag in tags:
        if tag not in controls:
            problems.append(FieldProblem(tag, "", "the entry control is missing from the file", key="missing_control"))


def _get(controls: dict[str, Control], tag: str, problems: list[FieldProblem]) -> Control | None:
    """The control of `tag`; one the file does not say one thing for is a problem, and no value."""
    control = controls.get(tag)
    if control is not None and control.conflict is not None:
        conflict = control.conflict
        problems.append(FieldProblem(tag, control.text.strip(BLANK), conflict.message, key=conflict.key,
                                     params=conflict.params))
        return None
    return control


def _table(f: Field, controls: dict[str, Control], problems: list[FieldProblem],
           site: SiteConfig) -> list[dict[str, Any]] | None:
    rows = []
    for r in range(1, f.rows + 1):
        row = {c.id: _value(c, c.type, _get(controls, f"{f.id}.{r}.{c.id}", problems), f"{f.id}.{r}.{c.id}",
                            problems, site)
               for c in f.columns}
        if any(v is not None and v is not False for v in row.values()):
            rows.append(row)
    return rows or None


CHECKED, UNCHECKED = "\u2612", "\u2610"
"""The marks of a check box control as the generator makes it (☒, ☐)."""
_UNCHECKED_MARKS = (UNCHECKED, "\u25a1")


def _checkbox(control: Control | None, tag: str, problems: list[FieldProblem]) -> bool | None:
    """Whether a check box is checked: the mark it shows decides, and a hidden state that
    disagrees with it is a problem, and no value (None, as for a control missing or in conflict)."""
    if control is None:
        return None
    text = control.text.strip(BLANK)
    if control.checked is None:  # a text control standing for a check box: its text decides
        return text in CHECKED_MARKS
    shown = _shown_mark(text, control.marks)
    if shown is None:
        problems.append(FieldProblem(tag, text, f'the check box shows "{text}", which is neither a checked nor '
                                                "an unchecked box", key="not_yes_no"))
        return None
    if shown != control.checked:
        stored = CHECKED if control.checked else UNCHECKED
        problems.append(FieldProblem(
            tag, text, f'the check box shows "{text}", but the state stored in the control is "{stored}"',
            key="checkbox_differs", params=(("shown", text), ("stored", stored))))
        return None
    return shown


def _shown_mark(text: str, marks: tuple[str, ...]) -> bool | None:
    """Whether the mark a check box shows is a checked one: the usual marks first, then the
    control's own (w14:checkedState, w14:uncheckedState); None when it is neither."""
    if text in CHECKED_MARKS:
        return True
    if not text or text in _UNCHECKED_MARKS:
        return False
    checked, unchecked = (*marks, "", "")[:2]
    if text in (checked, unchecked) and checked != unchecked:
        return text == checked
    return None


def _value(f: Field, kind: FieldType, control: Control | None, tag: str, problems: list[FieldProblem],
           site: SiteConfig) -> Any:
    if kind == FieldType.CHECKBOX:
        return _checkbox(control, tag, problems)
    if _blank(control):
        return None
    assert control is not None
    text = control.text.strip(BLANK)
    try:
        # the text shown decides, never the date stored beside it
        value = from_text(f, kind, text, site.timezone, limits=site.limits)
    except ValueError_ as exc:
        problems.append(FieldProblem(tag, text, str(exc), exc.kind, exc.key, exc.params))
        return None
    except LimitExceeded as exc:
        problems.append(FieldProblem(tag, text, str(exc), params=(("name", exc.name), ("limit", str(exc.limit)))))
        return None
    if kind == FieldType.DATE and control.full_date:
        stored = _stored_date(control.full_date)
        if stored != value:
            shown = stored.isoformat() if stored is not None else control.full_date[:40]
            problems.append(FieldProblem(
                tag, text, f"the date shown, {text}, differs from the date stored in the control, {shown}",
                key="date_differs", params=(("shown", text), ("stored", shown))))
            return None
    return value


def _stored_date(full_date: str) -> dt.date | None:
    """The day of a date control's w:fullDate (2025-05-01T00:00:00Z), None when it is no date."""
    try:
        return dt.date.fromisoformat(full_date[:10])
    except ValueError:
        return None


def to_jsonable(value: Any) -> Any:
    """Typed values → JSON: ISO dates, date-times with offset, numbers as numbers."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    return value


def record_to_dict(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"form": record.form, "revision": record.revision, "source": record.source,
                           "fields": to_jsonable(record.fields)}
    if record.problems:
        out["problems"] = [{"field": p.field, "found": p.found, "message": p.message} for p in record.problems]
    if record.notes:
        out["notes"] = list(record.notes)
    return out
