"""Markdown body → blocks, with every heading and ordered-list item given its clause number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.model.body import (
    Block,
    Clause,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Numbering,
    Paragraph,
    Ref,
    Table,
    Text,
)
from qmsdoc.model.documents import ListNumbering
from qmsdoc.model.numbering import FORMATS, cite_join, format_names

_MD = MarkdownIt("commonmark").enable("table")
_DIRECTIVE = re.compile(r"^\s*<!--\s*list:\s*([\w-]+)\s*-->\s*$")
_WIKI_REF = re.compile(r"\[\[([^\[\]\s]+)\]\]")
_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")
_TEXT = ("text", "code_inline")
"""Inline tokens that carry text."""
HEADING_KEY = "headings"
MAX_OUTLINE = 9


@dataclass
class _State:
    path: str
    line_offset: int
    source_lines: list[str]
    numbering: ListNumbering
    diags: Diagnostics
    clauses: dict[str, Clause] = field(default_factory=dict)
    outline: list[int] = field(default_factory=lambda: [0] * (MAX_OUTLINE + 1))
    heading_cites: list[str | None] = field(default_factory=lambda: [None] * (MAX_OUTLINE + 1))
    heading_level: int = 0
    list_count: int = 0
    pending_format: tuple[str, Location] | None = None

    def loc(self, token: Token) -> Location:
        line = (token.map[0] + 1) if token.map else 1
        return Location(self.path, line + self.line_offset, 1)

    def add_clause(self, clause: Clause) -> None:
        self.clauses.setdefault(clause.label, clause)


def parse_body(
    text: str, path: str, line_offset: int, numbering: ListNumbering, diags: Diagnostics,
    source: str | None = None,
) -> tuple[tuple[Block, ...], dict[str, Clause]]:
    """Parse a rendered body; `line_offset` maps its lines back to the source file.

    `source` is the body as written, before its {{ … }} were filled in: problems are reported
    at their columns there (in `text` if it is not given).
    """
    state = _State(path, line_offset, (text if source is None else source).split("\n"), numbering, diags)
    tokens = _MD.parse(text)
    blocks, _ = _blocks(tokens, 0, None, state, depth=0, parent_cite=None, outline_level=0)
    return tuple(blocks), state.clauses


def _blocks(
    tokens: list[Token], i: int, close: str | None, st: _State, depth: int,
    parent_cite: str | None, outline_level: int,
) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if close and tok.type == close:
            return out, i + 1
        if tok.type == "heading_open":
            if depth:
                st.diags.error(st.loc(tok), "a heading inside a list is not supported",
                               "end the list before the heading")
            out.append(_heading(tok, tokens[i + 1], st))
            i += 3
        elif tok.type == "paragraph_open":
            out.append(Paragraph(_inlines(tokens[i + 1], st), depth))
            i += 3
        elif tok.type in ("ordered_list_open", "bullet_list_open"):
            block, i = _list(tokens, i, st, depth, parent_cite, outline_level)
            out.append(block)
        elif tok.type == "table_open":
            table, i = _table(tokens, i, st)
            out.append(table)
        elif tok.type == "html_block":
            m = _DIRECTIVE.match(tok.content.strip())
            if m:
                st.pending_format = (m[1], st.loc(tok))
            elif not tok.content.strip().startswith("<!--"):
                st.diags.error(st.loc(tok), "raw HTML is not supported in procedure text")
            i += 1
        elif tok.type == "hr":
            i += 1
        else:
            st.diags.error(st.loc(tok), f'"{tok.type.replace("_open", "")}" is not supported in procedure text',
                           "use headings, paragraphs, lists and tables")
            i = _skip(tokens, i)
    return out, i


def _skip(tokens: list[Token], i: int) -> int:
    """Index after the block starting at i (its matching close token, if any)."""
    tok = tokens[i]
    if tok.nesting != 1:
        return i + 1
    level = 0
    while i < len(tokens):
        level += tokens[i].nesting
        i += 1
        if level == 0:
            break
    return i


def _heading(tok: Token, inline: Token, st: _State) -> Heading:
    level = int(tok.tag[1:])
    st.heading_level = level
    st.outline[level] += 1
    for deeper in range(level + 1, MAX_OUTLINE + 1):
        st.outline[deeper] = 0
        st.heading_cites[deeper] = None
    fmt_name = st.numbering.heading_format(level)
    clause = numbering = None
    if fmt_name:
        shown, cite = _outline_number(st, level, fmt_name)
        st.heading_cites[level] = cite
        clause = Clause(cite, shown, st.loc(tok))
        st.add_clause(clause)
        numbering = Numbering(HEADING_KEY, level - 1, _heading_formats(st.numbering))
    return Heading(level, _inlines(inline, st), clause, numbering)


def _heading_formats(n: ListNumbering) -> tuple[str, ...]:
    return tuple(n.heading_format(level) or "decimal" for level in range(1, MAX_OUTLINE + 1))


def _outline_number(st: _State, level: int, fmt_name: str) -> tuple[str, str]:
    fmt = FORMATS[fmt_name]
    if fmt.joiner is None:  # decimal: the whole outline
        shown = ".".join(str(st.outline[k]) for k in range(1, level + 1))
        return shown, shown
    counter = fmt.counter(st.outline[level])
    parent = next((st.heading_cites[k] for k in range(level - 1, 0, -1) if st.heading_cites[k]), None)
    return fmt.text.format(n=counter), cite_join(parent, fmt, fmt.cite.format(n=counter))


def _list(
    tokens: list[Token], i: int, st: _State, depth: int, parent_cite: str | None,
    outline_level: int,
) -> tuple[ListBlock, int]:
    open_tok = tokens[i]
    if parent_cite is None and st.heading_level:
        parent_cite = st.heading_cites[st.heading_level]
    ordered = open_tok.type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    fmt_name = None
    if ordered:
        fmt_name = st.numbering.list_format(depth + 1)
        if st.pending_format:
            name, where = st.pending_format
            if name in format_names(for_lists=True):
                fmt_name = name
            else:
                from qmsdoc.errors import did_you_mean
                st.diags.error(where, f'unknown list format "{name}"',
                               did_you_mean(name, format_names(True)) or
                               f"one of: {', '.join(format_names(True))}")
    st.pending_format = None
    start = int(open_tok.attrGet("start") or 1)
    st.list_count += 1
    key = f"list{st.list_count}"
    items: list[ListItem] = []
    i += 1
    n = start
    base = outline_level or st.heading_level
    if fmt_name == "outline":
        st.outline[base + 1] = start - 1
    while tokens[i].type != close:
        tok = tokens[i]  # list_item_open
        clause = numbering = None
        cite = parent_cite
        if fmt_name == "outline":
            level = base + 1
            st.outline[level] += 1
            for deeper in range(level + 1, MAX_OUTLINE + 1):
                st.outline[deeper] = 0
            shown = ".".join(str(st.outline[k]) for k in range(1, level + 1))
            cite = shown
            clause = Clause(cite, shown, st.loc(tok))
            numbering = Numbering(HEADING_KEY, level - 1, _heading_formats(st.numbering))
            child_outline = level
        elif fmt_name:
            fmt = FORMATS[fmt_name]
            counter = fmt.counter(n)
            cite = cite_join(parent_cite, fmt, fmt.cite.format(n=counter))
            clause = Clause(cite, fmt.text.format(n=counter), st.loc(tok))
            numbering = Numbering(key, 0, (fmt_name,), start)
            child_outline = outline_level
        else:
            child_outline = outline_level
        if clause:
            st.add_clause(clause)
        body, i = _blocks(tokens, i + 1, "list_item_close", st, depth + 1, cite, child_outline)
        items.append(ListItem(tuple(body), clause, numbering, depth))
        n += 1
    return ListBlock(ordered, tuple(items), depth), i + 1


def _table(tokens: list[Token], i: int, st: _State) -> tuple[Table, int]:
    header: list[tuple[Inline, ...]] = []
    rows: list[tuple[tuple[Inline, ...], ...]] = []
    row: list[tuple[Inline, ...]] = []
    in_head = False
    i += 1
    while tokens[i].type != "table_close":
        t = tokens[i].type
        if t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open":
            row = []
        elif t == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
        elif t == "inline":
            row.append(_inlines(tokens[i], st))
        i += 1
    return Table(tuple(header), tuple(rows)), i + 1


def _inlines(tok: Token, st: _State) -> tuple[Inline, ...]:
    out: list[Inline] = []
    bold = italic = False
    link_target: str | None = None
    link_text: list[str] = []
    base_line = (tok.map[0] if tok.map else 0)
    children = tok.children or []
    for k, child in enumerate(children):
        t = child.type
        if link_target is not None and t != "link_close":
            if t in _TEXT:
                link_text.append(child.content)
            elif t == "softbreak":
                link_text.append(_soft_break(children, k))
            continue
        if t in _TEXT:
            out.extend(_wiki_refs(child.content, bold, italic, st, base_line))
        elif t == "softbreak":
            out.append(Text(_soft_break(children, k), bold, italic))
        elif t == "hardbreak":
            out.append(Text("\n", bold, italic))
        elif t == "strong_open":
            bold = True
        elif t == "strong_close":
            bold = False
        elif t == "em_open":
            italic = True
        elif t == "em_close":
            italic = False
        elif t == "link_open":
            href = child.attrGet("href") or ""
            if not str(href).startswith("ref:"):
                st.diags.error(_find(st, base_line, str(href)),
                               f'links must point at a procedure or form as (ref:ID), got "{href}"')
            link_target = str(href)
            link_text = []
        elif t == "link_close":
            target, link_target = link_target or "", None
            if target.startswith("ref:"):
                out.append(Ref(target[4:], "".join(link_text), _find(st, base_line, target[4:])))
            else:  # reported at link_open; its words stay as text
                out.append(Text("".join(link_text), bold, italic))
        elif t == "html_inline":
            st.diags.error(_find(st, base_line, child.content), "inline HTML is not supported")
        elif t == "image":
            st.diags.error(_find(st, base_line, "!["), "images are not supported in procedure text")
    return tuple(_merge(out))


def _soft_break(children: list[Token], k: int) -> str:
    """What the soft break children[k] joins its lines with: nothing beside Chinese, else a space.

    The neighbours are the nearest text characters either side; emphasis and link markers are skipped.
    """
    prev = next((c.content[-1] for c in reversed(children[:k]) if c.type in _TEXT and c.content), "")
    nxt = next((c.content[0] for c in children[k + 1:] if c.type in _TEXT and c.content), "")
    return "" if _CJK.match(prev) or _CJK.match(nxt) else " "


def _wiki_refs(text: str, bold: bool, italic: bool, st: _State, base_line: int) -> list[Inline]:
    out: list[Inline] = []
    pos = 0
    for m in _WIKI_REF.finditer(text):
        if m.start() > pos:
            out.append(Text(text[pos:m.start()], bold, italic))
        out.append(Ref(m[1], None, _find(st, base_line, m[0])))
        pos = m.end()
    if pos < len(text):
        out.append(Text(text[pos:], bold, italic))
    return out


def _find(st: _State, base_line: int, needle: str) -> Location:
    """Where `needle` is written, searching from the block's first line."""
    for k in range(base_line, len(st.source_lines)):
        col = st.source_lines[k].find(needle)
        if col >= 0:
            return Location(st.path, k + 1 + st.line_offset, col + 1)
    return Location(st.path, base_line + 1 + st.line_offset, 1)


def _merge(items: list[Inline]) -> list[Inline]:
    """Join neighbouring text runs of the same style."""
    out: list[Inline] = []
    for item in items:
        prev = out[-1] if out else None
        if (isinstance(item, Text) and isinstance(prev, Text)
                and (prev.bold, prev.italic) == (item.bold, item.italic)):
            out[-1] = Text(prev.text + item.text, item.bold, item.italic)
        elif not (isinstance(item, Text) and item.text == ""):
            out.append(item)
    return out
