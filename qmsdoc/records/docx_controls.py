"""What Word shows in a document part: its entry controls, as the person filling the form saw them.

One walk over the part yields each tagged content control (w:sdt) with the text it shows: text
split across runs joined, proofing marks skipped, paragraphs as new lines, tracked insertions
read. What the person saw is what is read, and what could make two programs show two documents
is a Conflict for its control, never read one way:
- text formatted as hidden (w:vanish, w:specVanish: directly, or through the paragraph or
  character style, or the document defaults) in a control is a conflict, and so is a hidden
  paragraph mark between two of its paragraphs;
- an mc:AlternateContent in a control is read once when its branches hold the same text, and
  is a conflict when they differ (Word shows the branch it understands, others the fallback);
- tracked deletions, and table rows marked deleted, are not part of the document as shown
  with changes accepted: the text and the controls in them are not read, nor counted;
- a control in another tagged control, and a tag used more than once, are a conflict.

A check box control also carries its hidden state (w14:checked) and the marks its states show,
for the reader to compare with the mark it shows. The styles part is read once, and the
document part walked once, in time linear in their size.

Most filled forms hold none of that: no tracked deletion, no hidden formatting (in the document
or its styles), no mc:AlternateContent, no control in another one. Such a document shows each
control's text as it stands, so it is read without the walk: lxml finds, in C, that none of those
elements is there and where the controls are, and only each control's own content is read. The
walk reads the others; the two give the same controls for the documents both can read (the
tests in tests/records compare them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Conflict:
    """Why the file does not say one thing for a control: reason key, message, and its params."""

    key: str
    message: str
    params: tuple[tuple[str, str], ...] = ()


class Control(NamedTuple):
    """What one content control holds: its text, whether its placeholder shows, extra state.

    `checked` is the hidden state of a check box control (w14:checked), None for other controls,
    and `marks` the characters its checked and unchecked states show. `conflict` is set when the
    file does not say one thing for this control: its tag appears more than once, it holds another
    tagged control, hidden text, or an mc:AlternateContent whose branches differ.

    A named tuple, not a frozen dataclass: a form has some hundred controls, and making a frozen
    dataclass costs several times more (each field is set through object.__setattr__)."""

    tag: str
    text: str
    placeholder: bool
    full_date: str | None
    checked: bool | None
    marks: tuple[str, ...] = ()
    conflict: Conflict | None = None


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
_IRREGULAR = (*_DELETIONS, *_HIDING, _ALTERNATE, _CHOICE, _FALLBACK)
"""What makes what a document shows differ from its text as it stands; a document that has none
(and whose styles hide nothing) is read without the walk (`_plain_controls`)."""
_TEXT = (_P, _T, _TAB, *_BREAKS)
"""What a control's text is made of, in a document that has nothing `_IRREGULAR`."""
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
        if root is None or next(root.iter(*_HIDING), None) is None:
            return  # nothing in the styles can hide text (found in C, without reading the styles)
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


def hiding_styles(root: etree._Element | None) -> _Styles:
    """What the styles part `root` hides (None: the document has none), for `shown_controls`; it
    depends on nothing else and is not changed, so one styles part serves many documents."""
    return _Styles(root)


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


def shown_controls(document: etree._Element, styles_part: etree._Element | _Styles | None) -> dict[str, Control]:
    """Every tagged control of the document by tag, in one walk over the document; `styles_part`
    is the root of its styles part (None: it has none), or what it hides (`hiding_styles`).

    Visible text goes to the innermost tagged control whose content it is in: runs joined,
    paragraphs as new lines. What is not part of the document as shown with changes accepted is
    not walked: tracked deletions, and table rows marked deleted, with the controls in them.
    Hidden text, a control in another one, a tag used twice, and an mc:AlternateContent whose
    branches differ are a conflict for their control."""
    styles = styles_part if isinstance(styles_part, _Styles) else _Styles(styles_part)
    if not styles.hiding and not styles.everything and next(document.iter(*_IRREGULAR), None) is None:
        plain = _plain_controls(document)
        if plain is not None:
            return _by_tag(plain)
    return _by_tag(_walked_controls(document, styles))


_NESTED = etree.XPath("boolean(//w:sdt//w:sdt)", namespaces={"w": W})
"""Whether a control is in another one (in its content or anywhere else): time linear in the
part's size times its depth, which is bounded (one descendant search per control; faster than
asking each control for an ancestor)."""


def _plain_controls(document: etree._Element) -> list[Control] | None:
    """The tagged controls of a document that has nothing `_IRREGULAR` and whose styles hide
    nothing, in document order; None when a control is in another one (the walk reads that).

    Such a document shows every control's text as it stands, so only each control's own content
    is read, the elements between them are passed over inside lxml."""
    if _NESTED(document):
        return None
    controls: list[Control] = []
    for sdt in document.iter(_SDT):
        parts = _children(sdt)
        pr = parts.get(_SDT_PR)
        if pr is None:
            continue
        props = _children(pr)
        tag_el = props.get(_TAG)
        if tag_el is None:
            continue
        content = parts.get(_SDT_CONTENT)
        controls.append(_control_of(props, tag_el.get(_VAL, ""),
                                    _plain_text(content) if content is not None else ""))
    return controls


def _plain_text(content: etree._Element) -> str:
    """The text of a control's content as it stands: runs joined, paragraphs as new lines (what
    the walk reads where nothing is deleted, hidden or alternate)."""
    pieces: list[str] = []
    paragraphs = 0
    for el in content.iter(*_TEXT):
        tag = el.tag
        if tag == _T:
            if el.text:
                pieces.append(el.text)
        elif tag == _P:
            if paragraphs:
                pieces.append("\n")
            paragraphs += 1
        elif tag != _TAB:
            pieces.append("\n")
        elif (parent := el.getparent()) is not None and parent.tag == _R:
            pieces.append("\t")
    return "".join(pieces)


def _walked_controls(document: etree._Element, styles: _Styles) -> list[Control]:
    """The tagged controls of any document, in the order they end, read in one walk (see `shown_controls`)."""
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
    return sinks[0]


def _by_tag(controls: list[Control]) -> dict[str, Control]:
    """The controls by tag; a tag used more than once is a conflict."""
    found: dict[str, Control] = {}
    seen: dict[str, int] = {}
    for control in controls:
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
    gathered = opened.gathered
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
    return _control_of(_children(pr), opened.tag, str(gathered.text), conflict)


def _control_of(props: dict[object, etree._Element], tag: str, text: str,
                conflict: Conflict | None = None) -> Control:
    """The control whose properties (w:sdtPr) have the children `props` (`_children`), showing `text`."""
    date_el = props.get(_DATE)
    box = props.get(_CHECKBOX)
    checked = None
    marks: tuple[str, ...] = ()
    if box is not None:
        states = _children(box)
        state = states.get(_CHECKED)
        checked = state is not None and state.get(_W14_VAL, "1") in _ON
        marks = (_mark(states.get(_BOX_STATES[0])), _mark(states.get(_BOX_STATES[1])))
    # positional: a named tuple made from keywords costs about twice as much, once per control
    return Control(tag, text, _PLACEHOLDER in props, date_el.get(_FULL_DATE) if date_el is not None else None,
                   checked, marks, conflict)


def _children(el: etree._Element) -> dict[object, etree._Element]:
    """The first child of each tag (what `el.find(tag)` finds), in one pass over the children:
    `find` costs several times more than reading a child, and a control's properties are a few."""
    found: dict[object, etree._Element] = {}
    for child in el:
        found.setdefault(child.tag, child)
    return found


def _mark(state: etree._Element | None) -> str:
    """The character a check box state (w14:checkedState, w14:uncheckedState) shows, "" if none."""
    try:
        return chr(int(state.get(_W14_VAL, ""), 16)) if state is not None else ""
    except (ValueError, OverflowError):
        return ""
