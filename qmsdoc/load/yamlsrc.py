"""Strict YAML: a node tree that keeps every value's text and position, and coerces nothing.

PyYAML's composer gives the node tree with marks; scalars stay text here, and the typed
readers in `reader.py` turn them into values only where the schema asks for a number,
a date or a boolean. So `NO` stays the text NO, `1:30` is not 90 and `3.10` is not 3.1.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from qmsdoc.errors import Diagnostics, Location

try:  # the C composer is much faster and gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 200_000
"""Upper bound on the nodes of one document, aliases expanded (guards untrusted records)."""


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
    """Parse one YAML document; problems go to `diags` and the result is None on a syntax error.

    `line_offset` is added to every line number (for front matter inside a Markdown file).
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
    budget = [MAX_NODES]
    return _convert(node, path, line_offset, diags, budget)


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
    budget = [MAX_NODES]
    out = []
    for node in nodes:
        if node is not None:
            converted = _convert(node, path, 0, diags, budget)
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


def _convert(
    node: yaml.Node, path: str, offset: int, diags: Diagnostics, budget: list[int]
) -> YNode | None:
    budget[0] -= 1
    if budget[0] < 0:
        if budget[0] == -1:
            diags.error(_loc(path, node.start_mark, offset), "document too large (too many nodes or aliases)")
        return None
    loc = _loc(path, node.start_mark, offset)
    if isinstance(node, yaml.ScalarNode):
        return YScalar(str(node.value), node.style in ("'", '"', "|", ">"), loc)
    if isinstance(node, yaml.SequenceNode):
        items = [_convert(n, path, offset, diags, budget) for n in node.value]
        return YSeq(tuple(i for i in items if i is not None), loc)
    if isinstance(node, yaml.MappingNode):
        values: dict[str, YNode] = {}
        keys: dict[str, YScalar] = {}
        for key_node, value_node in node.value:
            key_loc = _loc(path, key_node.start_mark, offset)
            if not isinstance(key_node, yaml.ScalarNode):
                diags.error(key_loc, "a mapping key must be a plain name, not a list or mapping")
                continue
            key = str(key_node.value)
            if key == "<<" and not key_node.style:
                diags.error(key_loc, "merge keys (<<) are not supported", "write the keys out")
                continue
            if key in keys:
                first = keys[key].loc
                diags.error(key_loc, f'duplicate key "{key}" (first defined at line {first.line})',
                            "remove one of them")
                continue
            value = _convert(value_node, path, offset, diags, budget)
            if value is None:
                continue
            keys[key] = YScalar(key, bool(key_node.style), key_loc)
            values[key] = value
        return YMap(values, keys, loc)
    diags.error(loc, "unsupported YAML node")  # pragma: no cover
    return None


def describe(node: YNode) -> str:
    """How a node reads in an error message: 'a mapping', 'a list' or the quoted text."""
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return f'"{node.text}"'
