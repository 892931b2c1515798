"""The Jinja2 layer of procedure bodies and form instructions: values written once, used everywhere.

A template comes from anyone with commit rights, so it is a small language, checked before it
runs and bounded while it runs:

- it reads `params.NAME` and `site.…` values, prints them through the filters in FILTERS, and
  has `{% if %}` and `{% for %}`; nothing else (no other names, calls, slices, `~`, `set`,
  macros, and no include, extends or import: no file is ever opened);
- numbers have at most MAX_DIGITS digits, written or computed, and a power is refused before
  it is computed;
- every value it prints, reads or builds (`'a' * n`, `a + b`) counts by its length, and every
  loop iteration by the size of the loop's body, against `template_output_chars`; the
  iterations of all its loops together are at most `template_loop_iterations`.

Every problem is a lint error at the template's line, never an exception.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from itertools import chain

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.load.reader import MAX_DIGITS
from qmsdoc.load.yamlsrc import UNWRITABLE
from qmsdoc.model.limits import LimitExceeded, Limits
from qmsdoc.model.numbering import chinese_count_word, chinese_counting


def _number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise jinja2.TemplateRuntimeError(f"the cn filters take a whole number, got {value!r}")
    return value


FILTERS: dict[str, Callable[[object], str]] = {
    "cn": lambda v: chinese_counting(_number(v)),
    "cn_count": lambda v: chinese_count_word(_number(v)),
}
_LOOP = "_loop"  # the filter every for loop iterates through (not one a template can name)
_MAX_BITS = 50  # 2 ** 50 > 10 ** MAX_DIGITS: a power whose result has more bits is refused uncomputed

_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.For, nodes.Name, nodes.Const,
            nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test, nodes.CondExpr, nodes.Compare, nodes.Operand,
            nodes.BinExpr, nodes.UnaryExpr, nodes.List, nodes.Tuple, nodes.Keyword)
"""What a template may be made of; anything else is refused before it runs."""
_REFUSED: dict[type[nodes.Node], tuple[str, str]] = {
    nodes.Include: ("{% include %}", "include"), nodes.Import: ("{% import %}", "import"),
    nodes.FromImport: ("{% from … import %}", "from"), nodes.Extends: ("{% extends %}", "extends"),
    nodes.Macro: ("{% macro %}", "macro"), nodes.CallBlock: ("{% call %}", "call"),
    nodes.FilterBlock: ("{% filter %}", "filter"), nodes.Assign: ("{% set %}", "set"),
    nodes.AssignBlock: ("{% set %}", "set"), nodes.With: ("{% with %}", "with"), nodes.Block: ("{% block %}", "block"),
    nodes.Scope: ("{% autoescape %}", "autoescape"), nodes.Call: ("a call", "("), nodes.Slice: ("a slice", ":"),
    nodes.Concat: ("~", "~"), nodes.Dict: ("a mapping", "{"),
}
"""How a refused construct is written, and the word to find it by on its line."""


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _too_long() -> SecurityError:
    return SecurityError(f"a number of more than {MAX_DIGITS} digits")


def _size(value: object) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict)) else 1


def _built(operator: str, left: object, right: object) -> int:
    """The length of the text or list that `left operator right` builds (0 for numbers)."""
    sequences = (str, list, tuple)
    if operator == "+":
        both = isinstance(left, sequences) and isinstance(right, sequences)
        return _size(left) + _size(right) if both else 0
    seq, times = (left, right) if _whole(right) else (right, left)
    return _size(seq) * max(times, 0) if isinstance(seq, sequences) and isinstance(times, int) else 0


class _Sandbox(SandboxedEnvironment):
    """One template's run: Jinja's sandbox, with its numbers bounded and its work counted."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, limits: Limits):
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                         finalize=self._printed)
        self.filters = {**FILTERS, _LOOP: self._loop}
        self.limits = limits
        self.spent = self.iterations = 0
        self.recorder: Recorder | None = None

    def _spend(self, amount: int) -> None:
        self.spent += amount
        limit = self.limits.template_output_chars
        if self.spent > limit:
            raise LimitExceeded("template_output_chars", limit,
                                f"the template prints, reads or builds more than {limit} characters")

    def _printed(self, value: object) -> object:
        if isinstance(value, jinja2.Undefined):
            return value  # printing it raises the undefined error
        if not isinstance(value, (str, int, float, Decimal)):
            raise SecurityError(f"only text and numbers can be printed, not a {type(value).__name__}")
        text = str(value)
        bad = UNWRITABLE.search(text)
        if bad:
            raise SecurityError(f"control character U+{ord(bad[0]):04X} in the text")
        self._spend(len(text))
        return text

    def getattr(self, obj: object, attribute: str) -> object:
        value = super().getattr(obj, attribute)
        self._spend(_size(value))
        if self.recorder is not None:
            self.recorder.read(obj, attribute, value)
        return value

    def getitem(self, obj: object, argument: object) -> object:
        value = super().getitem(obj, argument)
        self._spend(_size(value))
        if self.recorder is not None:
            self.recorder.read(obj, argument, value)
        return value

    def call_binop(self, context: Context, operator: str, left: object, right: object) -> object:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("text cannot be formatted with %")
        self._spend(_built(operator, left, right))
        if (operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1
                and right * (abs(left).bit_length() - 1) > _MAX_BITS):
            raise _too_long()
        value = super().call_binop(context, operator, left, right)
        if isinstance(value, int) and abs(value) >= 10 ** MAX_DIGITS:
            raise _too_long()
        return value

    def _loop(self, iterable: Iterable[object], weight: int) -> Iterator[object]:
        limit = self.limits.template_loop_iterations
        for item in iterable:
            self.iterations += 1
            if self.iterations > limit:
                raise LimitExceeded("template_loop_iterations", limit, f"for loops run more than {limit} times")
            self._spend(weight)
            yield item


class Recorder:
    """Notes the values a template reads from some of its variables, as inputs.

    `prefixes` maps a variable name to the input key its values are filed under, e.g.
    {"site": "site:"} gives `site:organisation.name`. A value read whole (a list, or a
    mapping none of whose values were read one by one) is noted whole.
    """

    def __init__(self, prefixes: Mapping[str, str]):
        self.prefixes = prefixes
        self.used: dict[str, object] = {}
        self._paths: dict[int, str] = {}
        self._branches: dict[str, object] = {}

    def start(self, variables: Mapping[str, object]) -> None:
        for name, prefix in self.prefixes.items():
            if name in variables:
                self._paths[id(variables[name])] = prefix

    def read(self, obj: object, key: object, value: object) -> None:
        base = self._paths.get(id(obj))
        if base is None:
            return
        path = f"{base}{'' if base.endswith(':') else '.'}{key}"
        if isinstance(value, Mapping):
            self._paths[id(value)] = path
            self._branches[path] = value
        else:
            self.used[path] = value

    def inputs(self) -> dict[str, object]:
        """Every value read, by input key."""
        out = dict(self.used)
        for path, value in self._branches.items():
            if not any(k.startswith(path + ".") for k in out):
                out[path] = dict(value)  # type: ignore[call-overload]
        return out


def render_body(
    text: str, variables: Mapping[str, Mapping[str, object]], path: str, line_offset: int,
    diags: Diagnostics, limits: Limits, what: str, first_col: int = 1, recorder: Recorder | None = None,
) -> str | None:
    """Render a template (`what`: "procedure bodies" or "form instructions"); None on failure,
    with every problem reported at its line.

    `first_col` is the file column where the text's first line starts (for YAML values);
    `recorder` notes what the template reads.
    """
    def at(lineno: int, word: str = "{", tag: bool = False) -> Location:
        """Where `word` is on a template line (with `tag`, where the {{ or {% holding it opens)."""
        col = _column(text, lineno, word, tag) + (first_col - 1 if lineno == 1 else 0)
        return Location(path, lineno + line_offset, col)

    env = _Sandbox(limits)
    if recorder is not None:
        recorder.start(variables)
        env.recorder = recorder
    try:
        ast = env.parse(text)
    except ValueError:  # the lexer's int() on a number of thousands of digits
        diags.error(at(_long_number_line(text), ""), f"template syntax error: {_too_long()}")
        return None
    except (jinja2.TemplateSyntaxError, RecursionError) as exc:
        diags.error(at(_syntax_line(exc), ""), f"template syntax error: {_syntax_message(exc)}")
        return None
    if not _check(ast, variables, what, at, diags):
        return None
    for loop in list(ast.find_all(nodes.For)):
        loop.iter = nodes.Filter(loop.iter, _LOOP, [nodes.Const(_weight(loop))], [], None, None,
                                 lineno=loop.lineno).set_environment(env)
    try:
        template = env.from_string(ast)
    except (jinja2.TemplateSyntaxError, RecursionError, SyntaxError) as exc:  # SyntaxError: Python's compiler
        diags.error(at(_syntax_line(exc), ""), f"template syntax error: {_syntax_message(exc)}")
        return None
    try:
        return "".join(template.generate(**variables))
    except LimitExceeded as exc:
        diags.error(at(_template_line(exc)), str(exc))
    except Exception as exc:  # whatever a template does wrong is its author's problem, reported here
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        diags.error(at(_template_line(exc)), f"template error: {message}")
    return None


def _check(ast: nodes.Template, variables: Mapping[str, Mapping[str, object]], what: str,
           at: Callable[..., Location], diags: Diagnostics) -> bool:
    """Report every construct, name, filter and number a template may not use; True if none."""
    count = len(diags)
    bases: set[int] = set()  # the names that are read an attribute or item of
    for node in _walk(ast):
        if not isinstance(node, _ALLOWED):
            written, word = _REFUSED.get(type(node), (type(node).__name__, "{"))
            # a node's first line (the Scope of {% autoescape %} has none of its own)
            lineno = next((n.lineno for n in chain([node], node.find_all(nodes.Node)) if n.lineno), 1)
            diags.error(at(lineno, word, tag=True), f"{written} is not available in {what}",
                        f"{what} use params and site values, the filters {' and '.join(FILTERS)}, "
                        "{% if %} and {% for %}")
        elif isinstance(node, nodes.Getattr | nodes.Getitem):
            bases.add(id(node.node))
            if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name in variables:
                known = variables[node.node.name]
                if node.attr not in known:
                    diags.error(at(node.lineno, node.attr), f'unknown {node.node.name} "{node.attr}" in the text',
                                did_you_mean(node.attr, known) or
                                f"define it under {node.node.name}: in the front matter")
        elif isinstance(node, nodes.Name) and node.ctx == "load":
            if node.name not in variables:
                diags.error(at(node.lineno, node.name), f'unknown name "{node.name}" in the text',
                            f"the text may use: {', '.join(sorted(variables))}")
            elif id(node) not in bases:
                diags.error(at(node.lineno, node.name), f'"{node.name}" cannot be used whole',
                            f"write one of its values: {node.name}.NAME")
        elif isinstance(node, nodes.Filter) and node.name not in FILTERS:
            diags.error(at(node.lineno, node.name), f'unknown filter "{node.name}"',
                        did_you_mean(node.name, FILTERS) or f"the filters are {', '.join(FILTERS)}")
        elif isinstance(node, nodes.Const) and _whole(node.value) and abs(node.value) >= 10 ** MAX_DIGITS:
            diags.error(at(node.lineno, str(node.value)[:MAX_DIGITS]), f"template: {_too_long()}")
    return len(diags) == count


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    """The node and, unless it is refused, everything in it (parents before children)."""
    yield node
    if isinstance(node, _ALLOWED):
        for child in node.iter_child_nodes():
            yield from _walk(child)


def _weight(loop: nodes.For) -> int:
    """What one iteration of a loop may cost: a unit for each part of its body, and its text."""
    weight = 1
    for part in (*loop.body, *([loop.test] if loop.test else [])):
        for node in (part, *part.find_all(nodes.Node)):
            held = node.data if isinstance(node, nodes.TemplateData) else getattr(node, "value", None)
            weight += 1 + (len(held) if isinstance(held, str) else 0)
    return weight


def _syntax_line(exc: Exception) -> int:
    return exc.lineno or 1 if isinstance(exc, jinja2.TemplateSyntaxError) else 1


def _syntax_message(exc: Exception) -> str:
    """Jinja's own message, or what Python's parser or compiler gave up on: nesting too deep."""
    return exc.message or str(exc) if isinstance(exc, jinja2.TemplateSyntaxError) else "nested too deeply"


def _template_line(exc: BaseException) -> int:
    """The template line an error was raised at (Jinja rewrites tracebacks to template lines)."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        return exc.lineno
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == "<template>"]
    return (lines[-1] or 1) if lines else 1


def _long_number_line(text: str) -> int:
    found = re.search(rf"[0-9_]{{{sys.get_int_max_str_digits() + 1},}}", text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _column(text: str, lineno: int, word: str, tag: bool = False) -> int:
    lines = text.split("\n")
    if word and 0 < lineno <= len(lines):
        line = lines[lineno - 1]
        pos = line.find(word)
        if pos >= 0:
            return (max(line.rfind("{{", 0, pos + 1), line.rfind("{%", 0, pos + 1), 0) if tag else pos) + 1
    return 1
