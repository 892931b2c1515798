"""JSON Schemas of the sources, made from the shapes the loader reads them by (load/shapes.py).

An editor with a YAML language server (VS Code's YAML extension) uses them for completion, hover
descriptions and checking as one types. They say what can be said of one file alone: keys, types,
choices, required keys, the keys that apply only to some field types, which keys go together.
What needs the rest of the project (a department of qmsdoc.yaml, a clause of the procedure, a
field of the form) and a few value checks JSON Schema cannot express are left to `qmsdoc lint`;
docs/editor-schemas.md lists them.

The schemas are JSON Schema draft-07, not 2020-12: draft-07 is the newest draft the YAML language
server (and so VS Code's YAML extension) supports in full. An editor reads YAML 1.2, so a value's
JSON type is what YAML 1.2 makes of it (`yes` is a text, `2025-04-01` a text, `10` a number);
`yaml_instance` reads a source the same way, for tests and scripts that validate with a JSON
Schema library.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from qmsdoc.load.shapes import (
    CONFIG,
    FORM,
    PROCEDURE,
    RULES_FILE,
    Choice,
    Key,
    ListOf,
    MapOf,
    OneOf,
    Scalar,
    Shape,
    ValueType,
    shape_named,
)
from qmsdoc.load.yamlsrc import YMap, YNode, YScalar

DIALECT = "http://json-schema.org/draft-07/schema#"
SCHEMAS: dict[str, tuple[Shape, str]] = {
    "qmsdoc.schema.json": (CONFIG, "qmsdoc.yaml"),
    "procedure.schema.json": (PROCEDURE, "procedure front matter"),
    "form.schema.json": (FORM, "form definition"),
    "rules.schema.json": (RULES_FILE, "rules file"),
}
"""Each schema file, the shape at its root and what it describes."""

DATE_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
"""YYYY-MM-DD in the years the loader accepts (1900–2999); 02-30 passes it (lint refuses it)."""
PERIOD_PATTERN = r"^\s*[0-9]{1,4}\s*(months?|years?|个月|年)\s*$"
"""'24 months', '3 years', '6个月', '2年' (lint also bounds it to 1 month–100 years)."""

_SCALARS: dict[str, dict[str, Any]] = {
    "text": {"type": ["boolean", "number", "string"]},  # any single value is a text, kept as written
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "pattern": DATE_PATTERN},
    "period": {"type": "string", "pattern": PERIOD_PATTERN},
    "param": {"type": ["number", "string"]},
}


def json_schema(file_name: str) -> dict[str, Any]:
    """The schema written as `file_name` (a key of SCHEMAS)."""
    root, what = SCHEMAS[file_name]
    definitions = {name: _object(shape_named(name)) for name in sorted(_reachable(root)) if name != root.name}
    out = {"$schema": DIALECT, "$id": file_name, "title": f"qmsdoc {what}", **_object(root)}
    if definitions:
        out["definitions"] = definitions
    return out


def schema_bytes(file_name: str) -> bytes:
    """The schema as written: UTF-8 JSON, keys sorted, two-space indent, a final newline."""
    return (json.dumps(json_schema(file_name), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (made if missing); the paths written, in SCHEMAS order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / name
        path.write_bytes(schema_bytes(name))
        written.append(path)
    return written


# -- shapes → schema --------------------------------------------------------------------------


def _reachable(root: Shape) -> set[str]:
    seen: set[str] = set()
    todo = [root.name]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shape_named(name)
        for value_type in [k.type for k in shape.keys] + ([shape.extra] if shape.extra else []):
            todo.extend(_shapes_in(value_type))
    return seen


def _shapes_in(value_type: ValueType) -> list[str]:
    if isinstance(value_type, MapOf):
        return [value_type.shape]
    if isinstance(value_type, ListOf):
        return _shapes_in(value_type.item)
    if isinstance(value_type, OneOf):
        return [name for option in value_type.options for name in _shapes_in(option)]
    return []


def _object(shape: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": shape.description,
        "properties": {k.name: _property(k) for k in shape.keys},
        "additionalProperties": _value(shape.extra) if shape.extra is not None else False,
    }
    required = [k.name for k in shape.keys if k.required and k.only is None]
    if required:
        out["required"] = required
    if shape.extra_names:
        out["propertyNames"] = {"pattern": shape.extra_names}
    conditions = _conditions(shape)
    if conditions:
        out["allOf"] = conditions
    return out


def _property(key: Key) -> dict[str, Any]:
    """A key's schema; an optional key may also be left empty (null), which the loader reads as absent."""
    schema = _value(key.type)
    nullable = not key.required or key.only is not None
    if nullable:
        schema = _or_null(schema)
    elif "$ref" in schema:  # draft-07 ignores the siblings of $ref: the description goes around it
        schema = {"allOf": [schema]}
    return {**schema, "description": key.description}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None], "type": [*_types(schema), "null"]}
    if "type" in schema and "$ref" not in schema and "anyOf" not in schema:
        return {**schema, "type": [*_types(schema), "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _types(schema: dict[str, Any]) -> list[str]:
    given = schema["type"]
    return list(given) if isinstance(given, list) else [given]


def _value(value_type: ValueType) -> dict[str, Any]:
    if isinstance(value_type, Scalar):
        return dict(_SCALARS[value_type.kind])
    if isinstance(value_type, Choice):
        return {"type": "string", "enum": list(value_type.choices)}
    if isinstance(value_type, ListOf):
        return {"type": "array", "items": _value(value_type.item)}
    if isinstance(value_type, MapOf):
        return {"$ref": f"#/definitions/{value_type.shape}"}
    return {"anyOf": [_value(option) for option in value_type.options]}


def _conditions(shape: Shape) -> list[dict[str, Any]]:
    """What JSON Schema says with if/then and oneOf: keys that apply only for some values of another
    key (and are required then), and groups of keys given together."""
    out: list[dict[str, Any]] = []
    by_condition: dict[tuple[str, tuple[str, ...]], list[Key]] = {}
    for key in shape.keys:
        if key.only is not None:
            by_condition.setdefault((key.only.key, key.only.values), []).append(key)
    for (on, values), keys in by_condition.items():
        declared = shape.type_of(on)
        others = [c for c in declared.choices if c not in values] if isinstance(declared, Choice) else []
        if others:  # as the loader: a key is out of place only beside a valid value it does not apply to
            out.append({"if": {"properties": {on: {"enum": others}}, "required": [on]},
                        "then": {"not": {"anyOf": [{"required": [k.name]} for k in keys]}}})
        needed = [k.name for k in keys if k.required]
        if needed:
            out.append({"if": {"properties": {on: {"enum": list(values)}}, "required": [on]},
                        "then": {"required": needed}})
    for group in shape.exactly_one:
        out.append({"oneOf": [{"required": [name]} for name in group]})
    for group in shape.at_least_one:
        out.append({"anyOf": [{"required": [name]} for name in group]})
    for group in shape.at_most_one:
        for i, first in enumerate(group):
            out.extend({"not": {"required": [first, second]}} for second in group[i + 1:])
    return out


# -- a source as an editor reads it -----------------------------------------------------------

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCTAL = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"^\.(nan|NaN|NAN)$")


def yaml_instance(node: YNode) -> object:
    """The JSON value a YAML 1.2 reader (the core schema, as the YAML language server uses) makes of
    a source: a quoted scalar is a text; a plain one is null, a boolean, a number or a text by its
    spelling (so `yes` and `2025-04-01` are texts, `10` and `1e3` numbers)."""
    if isinstance(node, YMap):
        return {key: yaml_instance(value) for key, value in node.values.items()}
    if not isinstance(node, YScalar):
        return [yaml_instance(item) for item in node.items]
    text = node.text
    if node.quoted:
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    if _OCTAL.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text
