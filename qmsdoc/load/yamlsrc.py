"""Strict YAML: a node tree that keeps every value's text and position, and coerces nothing.

PyYAML's composer gives the node tree with marks; scalars stay text here, and the typed
readers in `reader.py` turn them into values only where the schema asks for a number,
a date or a boolean. So `NO` stays the text NO, `1:30` is not 90 and `3.10` is not 3.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from qmsdoc.errors import Diagnostics, Location

try:  # the C composer is much faster and gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 200_000
"""Upper bound on the nodes of one document, aliases expanded (guards untrusted records)."""
MAX_DEPTH = 100
"""Upper bound on the nesting of lists and mappings in a source (which nests a few levels)."""
UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Control characters (C0 but tab and line feed, DEL, C1) and what no XML text can hold: a
source never needs them, and a Word document cannot carry them."""
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_NAMED_ESCAPES = {"0": 0x00, "a": 0x07, "b": 0x08, "v": 0x0B, "f": 0x0C, "r": 0x0D, "e": 0x1B, "N": 0x85}


@dataclass(frozen=True)
class YScalar:
    """A scalar as written: its text, whether it was quoted, and where it stands."""

    text: str
    quoted: bool
    loc: Location

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class YSeq:
    """A sequence and where it starts."""

    items: tuple[YNode, ...]
    loc: Location


@dataclass(frozen=True)
class YMap:
    """A mapping with text keys, in source order; `keys` holds each key's own node."""

    values: dict[str, YNode]
    keys: dict[str, YScalar]
    loc: Location


YNode = YScalar | YSeq | YMap


def parse_yaml(
    text: str, path: str, diags: Diagnostics, *, line_offset: int = 0
) -> YNode | None:
    """Parse one source document; problems go to `diags` and the result is None on a syntax error.

    A source is stricter than a record: it has no aliases (so it is no larger than its text)
    and no control character written as an escape ("\\x07"). `line_offset` is added to every
    line number (for front matter inside a Markdown file).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _loc(path, mark, line_offset) if mark else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(loc, f"YAML syntax error: {problem}", "check indentation, colons and quotes")
        return None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        diags.error(Location(path), f"YAML error: {exc}")
        return None
    if node is None:
        return YMap({}, {}, Location(path, 1 + line_offset, 1))
    return _Converter(path, line_offset, diags, source=text).convert(node)


def parse_yaml_documents(text: str, path: str, diags: Diagnostics) -> list[YNode]:
    """Every document of a multi-document stream (records exported one per `---` document)."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        diags.error(_loc(path, mark, 0) if mark else Location(path),
                    f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}")
        return []
    except yaml.YAMLError as exc:
        diags.error(Location(path), f"YAML error: {exc}")
        return []
    converter = _Converter(path, 0, diags)
    out = []
    for node in nodes:
        if node is not None:
            converted = converter.convert(node)
            if converted is not None:
                out.append(converted)
    return out


def to_plain(node: YNode) -> object:
    """The node as plain data: text (never coerced), None for null, lists and dicts."""
    if isinstance(node, YScalar):
        return None if node.is_null else node.text
    if isinstance(node, YSeq):
        return [to_plain(i) for i in node.items]
    return {k: to_plain(v) for k, v in node.values.items()}


def _loc(path: str, mark: yaml.Mark, offset: int) -> Location:
    return Location(path, mark.line + 1 + offset, mark.column + 1)


class _Converter:
    """PyYAML nodes → YNodes, within MAX_NODES. With `source` (the text parsed), within
    MAX_DEPTH too, an unwritable character is an error, and so is an alias: the first one is
    reported, and none is expanded (each stands for the value already converted)."""

    def __init__(self, path: str, offset: int, diags: Diagnostics, source: str | None = None):
        self.path, self.offset, self.diags, self.source = path, offset, diags, source
        self.budget = MAX_NODES
        self.converted: dict[int, YNode | None] = {}
        self.aliased = False

    def convert(self, node: yaml.Node, depth: int = 0) -> YNode | None:
        if self.source is None:
            return self._convert(node, depth)
        if id(node) in self.converted:  # the same node again: an alias
            if not self.aliased:
                self.aliased = True
                self.diags.error(_loc(self.path, node.start_mark, self.offset),
                                 "this anchored value is used again through an alias (*name)",
                                 "aliases are not supported in sources: write the value out")
            return self.converted[id(node)]
        self.converted[id(node)] = None  # an alias inside the value itself stands for nothing
        self.converted[id(node)] = value = self._convert(node, depth)
        return value

    def _convert(self, node: yaml.Node, depth: int) -> YNode | None:
        loc = _loc(self.path, node.start_mark, self.offset)
        self.budget -= 1
        if self.budget < 0:
            if self.budget == -1:
                self.diags.error(loc, "document too large (too many nodes or aliases)")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc)
        if depth == MAX_DEPTH and self.source is not None:
            self.diags.error(loc, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(node, yaml.SequenceNode):
            items = [self.convert(n, depth + 1) for n in node.value]
            return YSeq(tuple(i for i in items if i is not None), loc)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        self.diags.error(loc, "unsupported YAML node")  # pragma: no cover
        return None

    def _scalar(self, node: yaml.ScalarNode, loc: Location) -> YScalar:
        text = str(node.value)
        bad = UNWRITABLE.search(text) if self.source is not None else None
        if bad is not None:
            self.diags.error(self._escape_loc(node, bad[0]), f"control character U+{ord(bad[0]):04X} in the text",
                             "remove it: only tabs and line breaks may be written")
        return YScalar(text, node.style in ("'", '"', "|", ">"), loc)

    def _escape_loc(self, node: yaml.ScalarNode, char: str) -> Location:
        """Where the escape that writes `char` stands in a double-quoted scalar (the scalar if not found)."""
        assert self.source is not None
        start, end = node.start_mark.index, node.end_mark.index
        for m in _ESCAPE.finditer(self.source, start, end):
            digits = m[1] or m[2] or m[3]
            if (int(digits, 16) if digits else _NAMED_ESCAPES.get(m[4], -1)) == ord(char):
                at = m.start()
                line = self.source.count("\n", 0, at)
                return Location(self.path, line + 1 + self.offset, at - self.source.rfind("\n", 0, at))
        return _loc(self.path, node.start_mark, self.offset)

    def _mapping(self, node: yaml.MappingNode, loc: Location, depth: int) -> YMap:
        values: dict[str, YNode] = {}
        keys: dict[str, YScalar] = {}
        for key_node, value_node in node.value:
            key_loc = _loc(self.path, key_node.start_mark, self.offset)
            if not isinstance(key_node, yaml.ScalarNode):
                self.diags.error(key_loc, "a mapping key must be a plain name, not a list or mapping")
                continue
            key = self._scalar(key_node, key_loc)
            if key.text == "<<" and not key_node.style:
                self.diags.error(key_loc, "merge keys (<<) are not supported", "write the keys out")
                continue
            if key.text in keys:
                first = keys[key.text].loc
                self.diags.error(key_loc, f'duplicate key "{key.text}" (first defined at line {first.line})',
                                 "remove one of them")
                continue
            value = self.convert(value_node, depth + 1)
            if value is None:
                continue
            keys[key.text] = key
            values[key.text] = value
        return YMap(values, keys, loc)


def describe(node: YNode) -> str:
    """How a node reads in an error message: 'a mapping', 'a list' or the quoted text."""
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return f'"{shown(node.text)}"'


def shown(text: str) -> str:
    """A source text as a message quotes it: at most its first 40 characters."""
    return text if len(text) <= 40 else text[:40] + "…"
