"""A Word procedure → the text of procedures/ID.md, and the list of what to review.

The text of every paragraph and table is kept verbatim. Headings (by style or outline level)
become Markdown headings; numbered clauses, whether numbered by Word or typed (第一条, （一）,
一、, 1、, 4.2.3.1, a)), become ordered lists whose format goes to `numbering:` (or to a
`<!-- list: … -->` line for a list that differs), with typed numbers removed from the text.
Document number, revision, effective date, owner and 编制/审核/批准 are read from the header
table or the first page (procedure_meta.py); the revision history and qmsdoc's own lists of
forms and related documents at the end are read back too. The import is a draft: it needs no
release, and a person checks it against the review list before it is approved.

Whatever could not be mapped (an unknown numbering format, an image, a text box, a field, a
footnote, a comment, a tracked change, merged cells, a number qmsdoc will show differently) is
listed with its place in the Word file, and its text is kept in the body.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from qmsdoc.importer import procedure_meta as meta_mod
from qmsdoc.importer.procedure_markdown import inline_markdown, reads_back, template_safe
from qmsdoc.importer.procedure_numbers import ClauseNumber, typed_number, word_number
from qmsdoc.importer.word import Run, WordDocument, WordParagraph, WordTable
from qmsdoc.load.common import follows
from qmsdoc.model.labels import Labels
from qmsdoc.model.numbering import FORMATS
from qmsdoc.model.site import SiteConfig
from qmsdoc.scaffold.new import scalar

MAX_HEADING = 9
_SENTENCE_END = tuple("。；;！!？?：:，,")


@dataclass(frozen=True)
class Review:
    """One thing for a person to check: where in the Word file, and what."""

    place: str
    what: str

    def format(self, source: str) -> str:
        return f"{source}: {self.place}: {self.what}" if self.place else f"{source}: {self.what}"


@dataclass(frozen=True)
class ImportedProcedure:
    doc_id: str | None
    id_place: str
    title: str
    text: str
    review: tuple[Review, ...]


@dataclass(frozen=True)
class Known:
    """What the project has: for the owner, the revision scheme, and references that exist."""

    site: SiteConfig
    labels: Sequence[Labels]
    procedures: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()


# -- the body as Markdown blocks ----------------------------------------------------------------

@dataclass
class _Heading:
    level: int
    runs: tuple[Run, ...]
    number: ClauseNumber | None
    place: str


@dataclass
class _Item:
    depth: int
    fmt: str  # a format name, "outline" or "bullet"
    value: int
    runs: tuple[Run, ...]
    place: str
    starts_list: bool
    start: int = 1


@dataclass
class _Para:
    depth: int  # list items it continues (0: none)
    runs: tuple[Run, ...]
    place: str


@dataclass
class _Table:
    depth: int
    table: WordTable


_Block = _Heading | _Item | _Para | _Table


@dataclass
class _Open:
    key: str
    fmt: str
    depth: int
    last: int


@dataclass
class _Structure:
    review: list[Review]
    blocks: list[_Block] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)
    heading_level: int = 0
    heading_formats: dict[int, Counter[str]] = field(default_factory=dict)
    unnumbered_levels: dict[int, str] = field(default_factory=dict)
    outline: list[int] = field(default_factory=lambda: [0] * (MAX_HEADING + 1))

    def heading(self, level: int, runs: tuple[Run, ...], number: ClauseNumber | None, place: str) -> None:
        self.stack.clear()
        self.heading_level = level
        self.outline[level] += 1
        for deeper in range(level + 1, MAX_HEADING + 1):
            self.outline[deeper] = 0
        if number is not None:
            self.heading_formats.setdefault(level, Counter())[number.fmt] += 1
            expected = tuple(self.outline[1:level + 1]) if number.fmt == "decimal" else (self.outline[level],)
            if number.parts != expected:
                shown = ".".join(map(str, expected)) if number.fmt == "decimal" else \
                    FORMATS[number.fmt].text.format(n=FORMATS[number.fmt].counter(expected[0]))
                self.review.append(Review(place, f"heading numbered “{number.shown}” in the Word file; qmsdoc "
                                                 f"numbers headings in order and will show “{shown}”"))
        else:
            self.unnumbered_levels.setdefault(level, place)
        self.blocks.append(_Heading(level, runs, number, place))

    def item(self, fmt: str, value: int, runs: tuple[Run, ...], place: str, key: str) -> None:
        found = next((k for k, entry in enumerate(self.stack) if entry.key == key), None)
        if found is not None:
            del self.stack[found + 1:]
            entry = self.stack[-1]
            if fmt == "bullet" or value == entry.last + 1:
                entry.last = value
                self.blocks.append(_Item(entry.depth, fmt, value, runs, place, False))
                return
            self.stack.pop()  # numbering starts again or jumps: a new list at the same depth
        depth = len(self.stack)
        self.stack.append(_Open(key, fmt, depth, value))
        self.blocks.append(_Item(depth, fmt, value, runs, place, True, value))

    def paragraph(self, runs: tuple[Run, ...], place: str) -> None:
        self.blocks.append(_Para(len(self.stack), runs, place))


def _body(blocks: Sequence[WordParagraph | WordTable], review: list[Review]) -> _Structure:
    st = _Structure(review)
    heading_outlines = [b.outline_level for b in blocks if isinstance(b, WordParagraph)
                        and b.outline_level is not None and b.text.strip()]
    base = min(heading_outlines, default=0)
    for block in blocks:
        if isinstance(block, WordTable):  # a table ends the lists: items after it keep their numbers by `N.`
            st.stack.clear()
            st.blocks.append(_Table(0, block))
            for note in block.notes:
                review.append(Review(note.place, f"{note.what}: the text is kept in the first cell of the span"))
            continue
        for note in block.notes:
            review.append(Review(note.place, note.what))
        _paragraph(st, block, base)
        for text in block.boxes:
            st.paragraph((Run(text),), block.place)
    return st


def _paragraph(st: _Structure, p: WordParagraph, base: int) -> None:
    runs = tuple(p.runs)
    if not p.text.strip():
        if p.number is not None and p.number.word_fmt != "bullet":
            st.review.append(Review(p.place, f"an empty numbered paragraph (“{p.number.text}”) is left out; "
                                             "the clauses after it are numbered one lower"))
        return
    number: ClauseNumber | None = None
    bullet = False
    if p.number is not None:
        if p.number.word_fmt == "bullet":
            bullet = True
        elif p.number.word_fmt != "none":
            number = word_number(p.number)
            if number is None:
                st.review.append(Review(p.place, f"Word numbers this paragraph “{p.number.text}” (format "
                                                 f"{p.number.word_fmt}, {p.number.lvl_text}), which qmsdoc cannot "
                                                 "show: the number is kept as text"))
                runs = (Run(p.number.text + " "), *runs)
    elif (typed := typed_number(p.text)) is not None:
        number, _ = typed
        runs = _strip_prefix(runs, len(p.text) - len(typed[1]))
    heading = p.outline_level is not None
    if number is not None and number.fmt == "decimal" and not heading:
        depth = number.outline_depth
        parent_ok = st.heading_level == depth - 1 or any(e.key == f"outline{depth - 1}" for e in st.stack)
        text = "".join(r.text for r in runs).strip()
        short = len(text) <= 30 and not text.endswith(_SENTENCE_END)
        if not parent_ok or short or depth == 1:
            heading = True
    if heading:
        if number is not None and number.fmt == "decimal":
            level = number.outline_depth
        else:
            level = (p.outline_level if p.outline_level is not None else 0) - base + 1
        level = max(1, min(level, MAX_HEADING))
        if number is not None and number.fmt == "outline":
            number = None
        st.heading(level, runs, number, p.place)
        return
    if bullet:
        st.item("bullet", 0, runs, p.place, "bullet")
    elif number is not None and number.fmt == "decimal":
        depth = number.outline_depth
        expected_prefix = tuple(st.outline[1:depth]) if st.heading_level == depth - 1 else None
        if expected_prefix is not None and number.parts[:-1] != expected_prefix:
            st.review.append(Review(p.place, f"numbered “{number.shown}” under heading "
                                             f"{'.'.join(map(str, expected_prefix))}: qmsdoc continues the "
                                             "heading's outline, so the number will differ"))
        st.item("outline", number.value, runs, p.place, f"outline{depth}")
    elif number is not None:
        key = number.fmt if number.typed or p.number is None else f"{number.fmt}@{p.number.level}"
        st.item(number.fmt, number.value, runs, p.place, key)
    else:
        st.paragraph(runs, p.place)


def _strip_prefix(runs: tuple[Run, ...], count: int) -> tuple[Run, ...]:
    out: list[Run] = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.bold))
        count = 0
    return tuple(out)


# -- writing -----------------------------------------------------------------------------------

def _markdown(st: _Structure, review: list[Review]) -> tuple[str, dict[str, list[str]]]:
    """The body text, and the numbering: formats per heading level and per list depth."""
    headings: list[str] = []
    if st.heading_formats:
        top = max(st.heading_formats)
        last = "decimal"
        for level in range(1, top + 1):
            counts = st.heading_formats.get(level)
            last = counts.most_common(1)[0][0] if counts else last
            headings.append(last)
        while len(headings) > 1 and headings[-1] == headings[-2]:
            headings.pop()
        for level, place in sorted(st.unnumbered_levels.items()):
            review.append(Review(place, f"this level-{level} heading has no number in the Word file, but other "
                                        "headings do: qmsdoc numbers every heading, so it gains one"))
    by_depth: dict[int, Counter[str]] = {}
    for block in st.blocks:
        if isinstance(block, _Item) and block.starts_list and block.fmt != "bullet":
            by_depth.setdefault(block.depth, Counter())[block.fmt] += 1
    lists = [by_depth[d].most_common(1)[0][0] if d in by_depth else "arabic-dot"
             for d in range(max(by_depth, default=-1) + 1)]
    while len(lists) > 1 and lists[-1] == lists[-2]:
        lists.pop()
    numbering = {"headings": headings, "lists": lists}

    out: list[str] = []
    indents: list[int] = []  # content indent of each open list depth
    open_lists: set[int] = set()  # depths where an ordered list is still open in the Markdown
    for block in st.blocks:
        if isinstance(block, _Heading):
            indents.clear()
            open_lists.clear()
            out.append("#" * block.level + " " + _inline(block.runs, block.place, review, heading=True))
            continue
        del indents[block.depth:]
        open_lists = {d for d in open_lists if d < block.depth or (isinstance(block, _Item) and d == block.depth)}
        lead = " " * (indents[-1] if indents else 0)
        if isinstance(block, _Item):
            marker = "-" if block.fmt == "bullet" else f"{block.value}."
            directive = ""
            if block.starts_list and block.fmt != "bullet":
                default = lists[min(block.depth + 1, len(lists)) - 1]
                if block.fmt != default or block.depth in open_lists:
                    directive = f"{lead}<!-- list: {block.fmt} -->\n"
                open_lists.add(block.depth)
            elif block.fmt == "bullet":
                open_lists.discard(block.depth)
            indents.append(len(lead) + len(marker) + 1)
            item = _inline(block.runs, block.place, review).replace("\\\n", "\\\n" + " " * indents[-1])
            out.append(f"{directive}{lead}{marker} {item}")
        elif isinstance(block, _Para):
            out.append(lead + _inline(block.runs, block.place, review).replace("\\\n", "\\\n" + lead))
        else:
            out.append("\n".join(lead + line for line in _table(block.table, review)))
    return "\n\n".join(out) + "\n", numbering


def _inline(runs: Sequence[Run], place: str, review: list[Review], *, heading: bool = False) -> str:
    text = inline_markdown(runs, bold=not heading)
    if not heading and any(r.bold for r in runs) and not reads_back(text, runs):
        review.append(Review(place, "bold here cannot be written so that Markdown reads it back "
                                    "(it starts or ends at punctuation next to a character): written without bold"))
        text = inline_markdown(runs, bold=False)
    return template_safe(text)


def _table(table: WordTable, review: list[Review]) -> list[str]:
    grid = table.grid()
    width = max((len(r) for r in grid), default=0)
    if not grid or width == 0:
        return []
    for row in table.rows:
        for cell in row:
            if len(cell.paragraphs) > 1 and any(p.text for p in cell.paragraphs[1:]):
                review.append(Review(cell.place, "several paragraphs or lines in one cell: joined into one line"))
            for p in cell.paragraphs:
                for note in p.notes:
                    review.append(Review(note.place, note.what))
    lines = []
    for r, row in enumerate(table.rows):
        cells: list[str] = []
        for cell in row:
            if cell.merged or len(cell.paragraphs) != 1:
                runs = [Run(cell.text.replace("\n", " ") if not cell.merged else "")]
            else:  # the head row is bold anyway: its bold is not written
                runs = [Run(part.text, part.bold and r > 0) for part in cell.paragraphs[0].runs]
            cells.append(template_safe(inline_markdown(runs)).replace("\\\n", " "))
            cells.extend([""] * (cell.span - 1))
        cells.extend([""] * (width - len(cells)))
        lines.append("| " + " | ".join(cells) + " |")
        if r == 0:
            lines.append("|" + "---|" * width)
    return lines


# -- the whole document ------------------------------------------------------------------------

def import_procedure(doc: WordDocument, known: Known, doc_id: str | None = None,
                     fallback_title: str = "") -> ImportedProcedure:
    review: list[Review] = []
    site = known.site
    meta = meta_mod.Metadata()
    body = list(doc.body)

    # the header and footer: label/value pairs, the owner in the footer, other text for review
    header_blocks = [b for part in (*doc.headers, *doc.footers) for b in part.blocks]
    meta_mod.read_pairs(meta, header_blocks)
    header_title = _header_title(doc, known)

    # the first page: a title, tables and lines of label/value pairs, before the first clause
    title, title_place = "", ""
    consumed: set[int] = set()
    start = _heading_title(body)
    if start:  # a document whose one top-level heading comes first (pandoc's "# Title"): that is its title
        heading = body[start - 1]
        assert isinstance(heading, WordParagraph)
        title, title_place = heading.text.strip(), heading.place
        consumed.add(start - 1)
    first_clause = next((k for k, b in enumerate(body) if k >= start and isinstance(b, WordParagraph)
                         and b.text.strip() and (b.outline_level is not None or b.number is not None
                                                 or typed_number(b.text))), len(body))
    for k, block in enumerate(body[:first_clause]):
        if k < start:
            continue
        if isinstance(block, WordParagraph) and block.is_title and not title and block.text.strip():
            title, title_place = block.text.strip(), block.place
            consumed.add(k)
        elif meta_mod.read_pairs(meta, [block]):
            consumed.add(k)
            review.append(Review(block.place, "read as document data (number, revision, dates, sign-offs), "
                                              "not copied into the body"))
    if not title and header_title:
        title, title_place = header_title
    if not title:
        first = next((k for k, b in enumerate(body[:first_clause]) if isinstance(b, WordParagraph)
                      and b.text.strip() and k not in consumed and len(b.text.strip()) <= 60), None)
        if first is not None:
            block = body[first]
            assert isinstance(block, WordParagraph)
            title, title_place = block.text.strip(), block.place
            consumed.add(first)
    if not title:
        title = fallback_title or "未命名"
        review.append(Review("", f"no title found: the file name “{title}” is used; change title: to the real one"))
    elif title_place:
        review.append(Review(title_place, f"read as the title: {title}"))

    # history, forms and related documents: a caption paragraph and the table after it
    labels = known.labels
    history_captions = meta_mod.HISTORY_CAPTIONS + tuple(meta_mod.norm(lab["revision_history"]) for lab in labels)
    forms_captions = meta_mod.FORMS_CAPTIONS + tuple(meta_mod.norm(lab["forms_list"]) for lab in labels)
    related_captions = meta_mod.RELATED_CAPTIONS + tuple(meta_mod.norm(lab["related_procedures"]) for lab in labels)
    forms: list[tuple[str, str]] = []
    related: list[str] = []
    for k, block in enumerate(body):
        if not isinstance(block, WordTable) or k in consumed:
            continue
        caption = _caption_before(body, k)
        history_table = (caption is not None and _is_caption(body[caption], history_captions)) or (
            caption is None and k < first_clause)
        if history_table and meta_mod.read_history(meta, block):
            consumed.update({k} | ({caption} if caption is not None else set()))
            continue
        if caption is not None and k > first_clause:
            listed = meta_mod.two_column_codes(block)
            if listed is None:
                continue
            if _is_caption(body[caption], forms_captions):
                forms.extend(listed)
                consumed.update({k, caption})
            elif _is_caption(body[caption], related_captions):
                related.extend(code for code, _ in listed)
                consumed.update({k, caption})
    body_blocks = [b for k, b in enumerate(body) if k not in consumed]

    st = _body(body_blocks, review)
    body_text, numbering = _markdown(st, review)

    # identity and control data
    found_id = meta.values.get("id")
    id_place = found_id.place if found_id else ""
    chosen_id = doc_id or (found_id.value if found_id else None)
    if found_id and doc_id and found_id.value != doc_id:
        review.append(Review(found_id.place, f"the file's document number is {found_id.value}; imported as {doc_id}"))
    revision = site.revision_example
    if (found := meta.values.get("revision")) is not None:
        if follows(site.revision_pattern, found.value):
            revision = found.value
            review.append(Review(found.place, f"read as the revision: {revision}"))
        else:
            review.append(Review(found.place, f"revision “{found.value}” does not follow revision_scheme.pattern "
                                              f"({site.revision_pattern}): {revision} is used; change it by hand"))
    else:
        review.append(Review("", f"no revision found: {revision} is used"))
    owner = None
    if (found := meta.values.get("owner")) is not None and found.value in site.departments:
        owner = found.value
    if owner is None:
        owner = _owner_in(doc, site)
    if owner is None:
        owner = site.departments[0] if site.departments else ""
        review.append(Review("", f"no owning department found: owner is {owner}; change it if another one owns it"))
    effective = None
    if (found := meta.values.get("effective")) is not None:
        effective = meta_mod.parse_date(found.value)
        if effective is None:
            review.append(Review(found.place, f"effective date “{found.value}” is not a date: left out"))
    signoffs = {key: meta.signoffs.get(key) for key in ("prepared", "reviewed", "approved")}
    for key, found_signoff in signoffs.items():
        if found_signoff is not None:
            review.append(Review(found_signoff.place, f"read as {key}: {found_signoff.name}, {found_signoff.date}"))
    for partial in meta.partial:
        review.append(Review("", f"a sign-off without a name or a readable date, left out: {partial}"))
    history = meta.history
    if history and history[-1].revision != revision:
        review.append(Review(meta.history_place, f"the revision history ends with {history[-1].revision}, the "
                                                 f"document is {revision}: history left out, kept as a table"))
        history = []
    if all(signoffs.values()) and effective:
        review.append(Review("", "all three sign-offs and the effective date were found: it is imported as a draft; "
                                 "once checked, set status: effective and release it (qmsdoc release)"))
    elif any(signoffs.values()) or effective:
        review.append(Review("", "some sign-offs or the effective date are missing: imported as a draft"))
    for code, form_title in forms:
        review.append(Review("", f"the file lists form {code} ({form_title}): add it to forms: once the form "
                                 "exists and names this procedure (qmsdoc import form, qmsdoc new form)"))
    kept_related = [code for code in related if code in known.procedures and code != chosen_id]
    for code in related:
        if code not in kept_related:
            review.append(Review("", f"the file names related document {code}, which is not a procedure here: "
                                     "left out of related:"))
    for note in doc.notes:
        review.append(Review(note.place, f"not in the body, listed here: {note.what}"))
    review.extend(_header_leftovers(doc, known, meta, title))

    text = _front_matter(chosen_id or "", title, revision, owner, signoffs, effective, numbering, history,
                         kept_related) + "\n" + body_text
    return ImportedProcedure(chosen_id, id_place, title, text, tuple(review))


def _caption_before(body: Sequence[WordParagraph | WordTable], k: int) -> int | None:
    """The index of the non-empty paragraph right before table k (empty paragraphs skipped)."""
    j = k - 1
    while j >= 0 and isinstance(body[j], WordParagraph) and not _text(body[j]):
        j -= 1
    return j if j >= 0 and isinstance(body[j], WordParagraph) else None


def _text(block: WordParagraph | WordTable) -> str:
    return block.text.strip() if isinstance(block, WordParagraph) else ""


def _is_caption(block: WordParagraph | WordTable, captions: tuple[str, ...]) -> bool:
    return isinstance(block, WordParagraph) and meta_mod.is_caption(block, captions)


def _header_title(doc: WordDocument, known: Known) -> tuple[str, str] | None:
    """qmsdoc's header layout: the cell under the organisation's name, beside the labels."""
    for part in doc.headers:
        for block in part.blocks:
            if isinstance(block, WordTable):
                for row in block.rows:
                    for cell in row:
                        text = cell.text.strip()
                        if text and text != known.site.organisation and not meta_mod.label_of(text) \
                                and not _is_value(block, cell.place) and not _is_page(text) and len(text) <= 60:
                            return text, cell.place
    return None


def _is_value(table: WordTable, place: str) -> bool:
    for row in table.rows:
        for k, cell in enumerate(row):
            if cell.place == place:
                return k > 0 and meta_mod.label_of(row[k - 1].text) is not None
    return False


def _heading_title(body: list[WordParagraph | WordTable]) -> int:
    """1 + the index of the title when the document has no Title paragraph and its first text is its only
    top-level heading (as pandoc writes "# Title" over "## sections"); 0 otherwise."""
    paragraphs = [(k, b) for k, b in enumerate(body) if isinstance(b, WordParagraph) and b.text.strip()]
    if not paragraphs or any(b.is_title for _, b in paragraphs):
        return 0
    top = [k for k, b in paragraphs if b.outline_level == 0]
    return top[0] + 1 if top == [paragraphs[0][0]] and len(paragraphs) > 1 else 0


def _is_page(text: str) -> bool:
    return any(word in text for word in ("页", "Page", "page"))


def _owner_in(doc: WordDocument, site: SiteConfig) -> str | None:
    """A department named after 归口部门： in a footer (qmsdoc's footer)."""
    for part in doc.footers:
        for block in part.blocks:
            if isinstance(block, WordParagraph):
                for key, value in meta_mod.pairs(block.text):
                    if key == "owner" and value in site.departments:
                        return value
    return None


def _header_leftovers(doc: WordDocument, known: Known, meta: meta_mod.Metadata, title: str) -> list[Review]:
    """Header and footer text that was not read as data: listed, since the body does not keep it."""
    fixed = {known.site.organisation, title}
    for lab in known.labels:
        fixed.update({lab["controlled_copy"], lab["draft_banner"], lab["approved_banner"], lab["obsolete_banner"]})
    used = {f.place for f in meta.values.values()} | {s.place for s in meta.signoffs.values()}
    out = []
    for part in (*doc.headers, *doc.footers):
        for block in part.blocks:
            cells = [(c.place, c.text) for row in block.rows for c in row] if isinstance(block, WordTable) \
                else [(block.place, block.text)]
            for place, text in cells:
                text = text.strip()
                if not text or place in used or text in fixed or meta_mod.label_of(text) or _is_page(text):
                    continue
                if any(text.startswith(f) for f in fixed if f) or meta_mod.PAIR_SHAPE.match(text):
                    continue
                out.append(Review(place, f"{part.kind} text not imported: {text}"))
    return out


def _front_matter(doc_id: str, title: str, revision: str, owner: str, signoffs: dict[str, meta_mod.SignOffFound | None],
                  effective: dt.date | None, numbering: dict[str, list[str]], history: list[meta_mod.HistoryRow],
                  related: list[str]) -> str:
    lines = ["---", f"id: {scalar(doc_id)}", f"title: {scalar(title)}", f"revision: {scalar(revision)}",
             "status: draft                     # imported: check it against the review list, then release it",
             f"owner: {scalar(owner)}"]
    for key, found in signoffs.items():
        if found is not None:
            lines.append(f"{key}: {{name: {scalar(found.name)}, date: {found.date.isoformat()}}}")
    if effective is not None:
        lines.append(f"effective: {effective.isoformat()}")
    lines.append("numbering:")
    if numbering["headings"]:
        lines.append(f"  headings: [{', '.join(numbering['headings'])}]")
    lines.append(f"  lists: [{', '.join(numbering['lists'])}]")
    if history:
        lines.append("history:")
        for row in history:
            lines.extend([f"  - revision: {scalar(row.revision)}", f"    date: {row.date.isoformat()}",
                          f"    by: {scalar(row.by or '—')}", f"    description: {scalar(row.description or '—')}"])
    else:
        lines.append("history: []")
    lines.append("forms: []")
    lines.append(f"related: [{', '.join(scalar(r) for r in related)}]")
    lines.append("params: {}")
    lines.append("---")
    return "\n".join(lines) + "\n"
