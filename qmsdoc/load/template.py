"""The Jinja2 layer of procedure bodies: parameters and site values written once, used everywhere."""

from __future__ import annotations

from collections.abc import Mapping

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.model.numbering import chinese_count_word, chinese_counting


def _number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise jinja2.TemplateRuntimeError(f"the cn filters take a whole number, got {value!r}")
    return value


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters["cn"] = lambda v: chinese_counting(_number(v))
    env.filters["cn_count"] = lambda v: chinese_count_word(_number(v))
    return env


_ENV = _environment()


def render_body(
    text: str, variables: Mapping[str, Mapping[str, object]], path: str, line_offset: int,
    diags: Diagnostics, first_col: int = 1,
) -> str | None:
    """Render a body template; unknown names are reported at their line, None on failure.

    `first_col` is the file column where the text's first line starts (for YAML values).
    """
    try:
        ast = _ENV.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        diags.error(Location(path, (exc.lineno or 1) + line_offset, 1),
                    f"template syntax error: {exc.message}")
        return None
    ok = True
    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in variables:
            known = variables[node.node.name]
            if node.attr not in known:
                ok = False
                line = node.lineno + line_offset
                col = _column(text, node.lineno, node.attr) + (first_col - 1 if node.lineno == 1 else 0)
                diags.error(Location(path, line, col),
                            f'unknown {node.node.name} "{node.attr}" in the text',
                            did_you_mean(node.attr, known) or
                            f"define it under {node.node.name}: in the front matter")
    for name in ast.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in variables:
            ok = False
            diags.error(Location(path, name.lineno + line_offset, _column(text, name.lineno, name.name)),
                        f'unknown name "{name.name}" in the text',
                        f"the text may use: {', '.join(sorted(variables))}")
    if not ok:
        return None
    try:
        return _ENV.from_string(ast).render(**variables)
    except jinja2.TemplateError as exc:
        diags.error(Location(path, line_offset + 1, 1), f"template error: {exc}")
        return None


def _column(text: str, lineno: int, word: str) -> int:
    lines = text.split("\n")
    if 0 < lineno <= len(lines):
        pos = lines[lineno - 1].find(word)
        if pos >= 0:
            return pos + 1
    return 1
