"""The JSON Schemas (qmsdoc/schema.py) agree with the loader they are made from (load/shapes.py).

1. Every bundled source validates: qmsdoc.yaml, each form, each procedure's front matter and each
   rules file, the released snapshots and the sources `qmsdoc init` writes.
2. Mutations made from the shapes (an unknown key in each kind of mapping, a wrong type for each
   key, each required key left out, a key that applies only to other field types, each group of
   keys of which one is needed left out), each applied to the first bundled document that has the
   mapping: the loader refuses it with an error inside the mutated mapping, and the schema refuses
   it too.
3. The loader reading a key its shape does not declare fails loudly.
4. `qmsdoc schema --out` writes the four files, the same bytes every time.

And what the schema cannot express: documents the loader refuses that the schema lets through
(`KNOWN_GAPS`, listed in docs/editor-schemas.md too).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from qmsdoc.cli import main
from qmsdoc.errors import Diagnostic, Diagnostics, Location
from qmsdoc.load.config import load_config
from qmsdoc.load.forms import load_form
from qmsdoc.load.procedures import load_procedure, split_front_matter
from qmsdoc.load.reader import MapReader
from qmsdoc.load.rules import load_rules
from qmsdoc.load.shapes import (
    TEXT,
    Choice,
    Key,
    ListOf,
    MapOf,
    OneOf,
    Scalar,
    Shape,
    UndeclaredKey,
    ValueType,
    shape_named,
)
from qmsdoc.load.yamlsrc import YMap, YNode, YScalar, YSeq, parse_yaml
from qmsdoc.model.project import Project
from qmsdoc.scaffold.init import starter_files
from qmsdoc.schema import SCHEMAS, _reachable, json_schema, yaml_instance

from conftest import REPO
from support.sources import form_text

KINDS = {"config": "qmsdoc.schema.json", "procedure": "procedure.schema.json", "form": "form.schema.json",
         "rules": "rules.schema.json"}


@dataclass(frozen=True)
class Source:
    kind: str
    rel: str
    node: YNode
    body: str = ""
    """A procedure's text after its front matter."""


def _parse(kind: str, rel: str, text: str) -> Source:
    diags = Diagnostics()
    body = ""
    if kind == "procedure":
        parts = split_front_matter(text, rel, diags)
        assert parts is not None, rel
        text, body = parts[0], parts[1]
    node = parse_yaml(text, rel, diags, line_offset=1 if kind == "procedure" else 0)
    assert node is not None and not diags, (rel, [d.format() for d in diags.items])
    return Source(kind, rel, node, body)


def _bundled() -> list[Source]:
    out = [_parse("config", "qmsdoc.yaml", (REPO / "qmsdoc.yaml").read_text(encoding="utf-8"))]
    for kind, folder, pattern in (("procedure", "procedures", "*.md"), ("form", "forms", "*.yaml"),
                                  ("rules", "rules", "*.yaml")):
        for path in sorted((REPO / folder).glob(pattern)):
            out.append(_parse(kind, path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")))
    return out


def _documented() -> list[Source]:
    """The complete example of docs/config-format.md (it has the closures and limits the bundled
    qmsdoc.yaml leaves out)."""
    text = (REPO / "docs" / "config-format.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    return [_parse("config", "qmsdoc.yaml", example)]


def _all_sources() -> list[Source]:
    out = _bundled() + _documented()
    for path in sorted((REPO / "releases").rglob("*")):
        if path.suffix in (".md", ".yaml"):
            out.append(_parse("procedure" if path.suffix == ".md" else "form", path.relative_to(REPO).as_posix(),
                              path.read_text(encoding="utf-8")))
    for language in ("zh-CN", "en"):
        for rel, data in starter_files(language, None).items():
            kind = ("config" if rel == "qmsdoc.yaml" else "procedure" if rel.startswith("procedures/")
                    else "form" if rel.startswith("forms/") else "rules" if rel.startswith("rules/") else None)
            if kind is not None:
                out.append(_parse(kind, f"init-{language}/{rel}", data.decode("utf-8")))
    return out


def _validator(kind: str) -> jsonschema.Draft7Validator:
    schema = json_schema(KINDS[kind])
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


# -- 1. every bundled source validates ---------------------------------------------------------


def test_every_bundled_source_validates() -> None:
    sources = _all_sources()
    assert {s.kind for s in sources} == set(KINDS) and len(sources) > 100
    validators = {kind: _validator(kind) for kind in KINDS}
    problems = [f"{s.rel}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                for s in sources for e in validators[s.kind].iter_errors(yaml_instance(s.node))]
    assert problems == []


# -- 2. mutations made from the shapes ---------------------------------------------------------


ROOTS = {kind: SCHEMAS[name][0] for kind, name in KINDS.items()}
Path_ = tuple[str | int, ...]


def _walk(node: YNode, value_type: ValueType, path: Path_) -> Iterator[tuple[Shape, YMap, Path_]]:
    """Every mapping in `node` with the shape the loader reads it by."""
    options = value_type.options if isinstance(value_type, OneOf) else (value_type,)
    for option in options:
        if isinstance(option, MapOf) and isinstance(node, YMap):
            shape = shape_named(option.shape)
            yield shape, node, path
            for key, value in node.values.items():
                declared = shape.type_of(key)
                if declared is not None:
                    yield from _walk(value, declared, (*path, key))
            return
        if isinstance(option, ListOf) and isinstance(node, YSeq):
            for i, item in enumerate(node.items):
                yield from _walk(item, option.item, (*path, i))
            return


def _replace(node: YNode, path: Path_, new: YNode) -> YNode:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(node, YMap):
        assert isinstance(head, str)
        values = dict(node.values)
        values[head] = _replace(values[head], rest, new)
        return YMap(values, node.keys, node.loc)
    assert isinstance(node, YSeq) and isinstance(head, int)
    items = list(node.items)
    items[head] = _replace(items[head], rest, new)
    return YSeq(tuple(items), node.loc)


def _plain(text: str, loc: Location) -> YScalar:
    return YScalar(text, False, loc)


def _wrong(value_type: ValueType, loc: Location) -> YNode | None:
    """A value of a type the key does not take, or None when no simple one is sure to be wrong."""
    if isinstance(value_type, Scalar):
        return {"text": YSeq((_plain("a", loc), _plain("b", loc)), loc), "integer": _plain("many", loc),
                "decimal": _plain("many", loc), "bool": _plain("yes", loc), "date": _plain("2025-13-45", loc),
                "period": _plain("soon", loc), "param": YSeq((_plain("a", loc),), loc)}[value_type.kind]
    if isinstance(value_type, Choice):
        return _plain("zz_not_a_choice", loc)
    if isinstance(value_type, (ListOf, MapOf)):
        return _plain("zz", loc)
    if TEXT in value_type.options:  # a text or a list of texts (or a mapping): a list of lists is none
        return YSeq((YSeq((_plain("a", loc),), loc),), loc)
    return _plain("zz_not_valid", loc)


def _with(m: YMap, key: str, value: YNode | None, drop: tuple[str, ...] = ()) -> YMap:
    values = {k: v for k, v in m.values.items() if k not in drop and k != key}
    keys = {k: v for k, v in m.keys.items() if k in values}
    if value is not None:
        values[key] = value
        keys[key] = _plain(key, m.loc)
    return YMap(values, keys, m.loc)


def _holds(key: Key, m: YMap) -> bool:
    """Whether the key's condition (if any) holds in `m`."""
    if key.only is None:
        return True
    given = m.values.get(key.only.key)
    return isinstance(given, YScalar) and given.text in key.only.values


def _excluded(shape: Shape, key: Key, m: YMap) -> bool:
    assert key.only is not None
    given, declared = m.values.get(key.only.key), shape.type_of(key.only.key)
    return (isinstance(given, YScalar) and isinstance(declared, Choice) and given.text in declared.choices
            and given.text not in key.only.values)


@dataclass(frozen=True)
class Mutation:
    name: str
    source: Source
    path: Path_
    mapping: YMap
    """The mutated mapping, which stands at `path`."""


def _mutations() -> list[Mutation]:
    instances: dict[str, list[tuple[Source, YMap, Path_]]] = {}
    for source in _bundled() + _documented():
        for shape, m, path in _walk(source.node, MapOf(ROOTS[source.kind].name), ()):
            instances.setdefault(shape.name, []).append((source, m, path))
    samples = {(shape, k): v for shape, found in instances.items() for _, m, _ in found for k, v in m.values.items()}
    out: list[Mutation] = []

    def first(shape: Shape, test: Callable[[YMap], bool]) -> tuple[Source, YMap, Path_] | None:
        return next(((s, m, p) for s, m, p in instances.get(shape.name, []) if test(m)), None)

    for name in sorted(instances):
        shape = shape_named(name)
        source, m, path = instances[name][0]
        if shape.extra is None:
            out.append(Mutation(f"{name}: unknown key", source, path, _with(m, "zz_unknown_key", _plain("1", m.loc))))
        else:
            wrong = _wrong(shape.extra, m.loc)
            if wrong is not None:
                out.append(Mutation(f"{name}: wrong type of a free key", source, path, _with(m, "zz_free", wrong)))
            if shape.extra_names:
                out.append(Mutation(f"{name}: key name", source, path, _with(m, "Bad-Name", _plain("1", m.loc))))
        for key in shape.keys:
            group = next((g for g in shape.exactly_one if key.name in g), ())
            drop = tuple(k for k in group if k != key.name)
            found = first(shape, lambda m, key=key: _holds(key, m))
            wrong = _wrong(key.type, m.loc)
            if found is not None and wrong is not None:
                s, fm, p = found
                out.append(Mutation(f"{name}: {key.name}: wrong type", s, p, _with(fm, key.name, wrong, drop)))
            if key.required:
                found = first(shape, lambda m, key=key: key.name in m.values and _holds(key, m))
                if found is not None:
                    s, fm, p = found
                    out.append(Mutation(f"{name}: {key.name}: missing", s, p, _with(fm, key.name, None)))
            if key.only is not None and (shape.name, key.name) in samples:
                found = first(shape, lambda m, key=key, shape=shape: key.name not in m.values and _excluded(shape, key, m))
                if found is not None:
                    s, fm, p = found
                    out.append(Mutation(f"{name}: {key.name}: does not apply", s, p,
                                        _with(fm, key.name, samples[(shape.name, key.name)])))
        for group in (*shape.exactly_one, *shape.at_least_one):
            found = first(shape, lambda m, group=group: any(k in m.values for k in group))
            if found is not None:
                s, fm, p = found
                out.append(Mutation(f"{name}: none of {', '.join(group)}", s, p,
                                    _with(fm, "", None, drop=group)))
    return out


class _Emitter:
    """Block YAML from a node tree, keeping what the loader tells apart (quoted or plain scalars), and
    where each mapping stands (first and last line)."""

    def __init__(self, first_line: int) -> None:
        self.lines: list[str] = []
        self.first = first_line
        self.spans: dict[int, tuple[int, int]] = {}

    @staticmethod
    def scalar(node: YScalar) -> str:
        return json.dumps(node.text, ensure_ascii=False) if node.quoted else node.text

    def _line(self) -> int:
        return self.first + len(self.lines) - 1

    def value(self, prefix: str, node: YNode, indent: int) -> None:
        if isinstance(node, YScalar):
            self.lines.append(f"{prefix} {self.scalar(node)}".rstrip())
        elif not (node.values if isinstance(node, YMap) else node.items):
            self.lines.append(f"{prefix} {'{}' if isinstance(node, YMap) else '[]'}")
            self.spans[id(node)] = (self._line(), self._line())
        else:
            self.lines.append(prefix)
            self.block(node, indent)

    def block(self, node: YMap | YSeq, indent: int) -> None:
        start = self._line() + 1
        pad = " " * indent
        if isinstance(node, YMap):
            for key, value in node.values.items():
                self.value(f"{pad}{json.dumps(key, ensure_ascii=False)}:", value, indent + 2)
        else:
            for item in node.items:
                self.value(f"{pad}-", item, indent + 2)
        self.spans[id(node)] = (start, self._line())


def _emit(node: YNode, first_line: int) -> _Emitter:
    assert isinstance(node, YMap)
    emitter = _Emitter(first_line)
    emitter.block(node, 0)
    return emitter


@pytest.fixture(scope="module")
def bundled(project: Project) -> Project:
    return project


def _load(kind: str, rel: str, text: str, tmp: Path, project: Project) -> list[Diagnostic]:
    """What the loader says of `text` as the source `rel`."""
    diags = Diagnostics()
    path = tmp / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if kind == "config":
        load_config(tmp, diags)
    elif kind == "form":
        load_form(path, rel, project.site, diags)
    elif kind == "procedure":
        load_procedure(path, rel, project.site, diags)
    else:
        load_rules(tmp, project.site, dict(project.procedures), dict(project.forms), diags)
    path.unlink()
    return diags.items


def _text(source: Source, node: YNode) -> tuple[str, _Emitter]:
    emitter = _emit(node, 2 if source.kind == "procedure" else 1)
    text = "\n".join(emitter.lines) + "\n"
    return (f"---\n{text}---\n{source.body}" if source.kind == "procedure" else text), emitter


MUTATIONS = _mutations()


def test_mutations_cover_every_shape_of_the_schemas() -> None:
    """Each mapping kind the schemas describe is mutated, and each key of it."""
    mutated = {m.name.split(":")[0] for m in MUTATIONS}
    described = {name for shape in ROOTS.values() for name in _reachable(shape)}
    assert described == mutated
    typed = {tuple(m.name.split(": ")[:2]) for m in MUTATIONS if m.name.endswith(": wrong type")}
    assert {(name, k.name) for name in described for k in shape_named(name).keys if _can_apply(name, k)} == typed


def _can_apply(name: str, key: Key) -> bool:
    """Whether a key can apply (a column's table and signature keys never do: a column is neither)."""
    declared = shape_named(name).type_of(key.only.key) if key.only is not None else None
    return key.only is None or (isinstance(declared, Choice) and bool(set(declared.choices) & set(key.only.values)))


def test_the_emitted_sources_load_as_the_originals(tmp_path: Path, bundled: Project) -> None:
    """The mutations are written back as block YAML; unmutated, that text loads without a problem."""
    for source in {m.source.rel: m.source for m in MUTATIONS}.values():
        text, _ = _text(source, source.node)
        assert _load(source.kind, source.rel, text, tmp_path, bundled) == [], source.rel


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_loader_and_schema_both_refuse(mutation: Mutation, tmp_path: Path, bundled: Project) -> None:
    source = mutation.source
    tree = _replace(source.node, mutation.path, mutation.mapping)
    text, emitter = _text(source, tree)
    first, last = emitter.spans[id(mutation.mapping)]
    found = _load(source.kind, source.rel, text, tmp_path, bundled)
    inside = [d for d in found if d.location.path == source.rel and first <= d.location.line <= last]
    assert inside, f"the loader says nothing within lines {first}–{last} of\n{text}\n{[d.format() for d in found]}"
    schema_errors = list(_validator(source.kind).iter_errors(yaml_instance(tree)))
    assert schema_errors, f"the schema accepts what the loader refuses: {[d.format() for d in inside]}"


# -- what the schema cannot express ------------------------------------------------------------

GAP_FORM = form_text("- {id: customer, label: 顾客, type: text, required: true}\n"
                     "- {id: done_on, label: 完成日期, type: date, required: true}")
KNOWN_GAPS = [
    ("impossible date", "effective: 2025-04-01", "effective: 2025-02-30"),
    ("YAML 1.2 boolean spelt True", "required: true", "required: True"),
    ("hexadecimal number", "copies: 1", "copies: 0x1"),
    ("number out of bounds", "copies: 1", "copies: 0"),
    ("period out of bounds", "retention: 3 years", "retention: 0 years"),
    ("field id not lower_snake_case", "id: customer", "id: Customer"),
    ("a field the form does not have", "copies: 1\n", "copies: 1\ndated_by: no_such_field\n"),
    ("a role qmsdoc.yaml does not list", "type: date, required: true}",
     "type: date, required: true}\n      - {id: signer, label: 签字, type: signature, role: 无此角色}"),
]
"""Documents lint refuses that the schema lets through (docs/editor-schemas.md, "What the schemas do not check")."""


@pytest.mark.parametrize("what,old,new", KNOWN_GAPS, ids=[g[0] for g in KNOWN_GAPS])
def test_what_the_schema_cannot_express(what: str, old: str, new: str, tmp_path: Path, bundled: Project) -> None:
    rel = "forms/GK-90-01.yaml"
    assert _load("form", rel, GAP_FORM, tmp_path, bundled) == []
    assert old in GAP_FORM
    mutated = GAP_FORM.replace(old, new, 1)
    assert _load("form", rel, mutated, tmp_path, bundled), f"lint accepts {what}"
    node = _parse("form", rel, mutated).node
    assert list(_validator("form").iter_errors(yaml_instance(node))) == [], f"the schema now refuses {what}"


# -- 3. the loader reading an undeclared key fails loudly --------------------------------------


def _reader(text: str, shape: str = "option") -> MapReader:
    node = parse_yaml(text, "t.yaml", Diagnostics())
    assert node is not None
    return MapReader(node, Diagnostics(), "option", shape_named(shape))


def test_reading_an_undeclared_key_is_a_bug_in_the_loader() -> None:
    with pytest.raises(UndeclaredKey, match='"colour" of a option'):
        _reader("value: a\nlabel: A\n").text("colour")


@pytest.mark.parametrize("read", [
    lambda r: r.integer("value"),
    lambda r: r.flag("label"),
    lambda r: r.mapping("value"),
    lambda r: r.str_list("label"),
    lambda r: list(r.items()),
])
def test_reading_a_key_as_another_type_is_a_bug_in_the_loader(read: object) -> None:
    with pytest.raises(UndeclaredKey):
        read(_reader("value: a\nlabel: A\n"))  # type: ignore[operator]


def test_an_enum_read_with_other_choices_than_declared_is_a_bug() -> None:
    r = _reader("width: half\n", "field")
    assert r.enum("width", ("half", "full")) == "half"
    with pytest.raises(UndeclaredKey):
        r.enum("width", ("half", "full", "double"))


def test_finish_reports_undeclared_keys_with_the_declared_ones_as_suggestions() -> None:
    r = _reader("value: a\nlabl: A\n")
    r.text("value")
    r.finish()
    assert [(d.message, d.hint) for d in r.diags.items] == [('option: unknown key "labl"', 'did you mean "label"?')]


def test_a_key_for_other_field_types_is_reported_as_such() -> None:
    r = _reader("id: a\nlabel: A\ntype: text\noptions: [{value: x, label: X}]\n", "field")
    r.text("type")
    r.finish()
    assert [d.message for d in r.diags.items] == ['option: key "options" applies only to choice and multichoice fields']


# -- 4. qmsdoc schema --out ------------------------------------------------------------------------


def test_schema_command_writes_the_four_files_deterministically(tmp_path: Path) -> None:
    runs = []
    for out in (tmp_path / "a", tmp_path / "b" / "nested"):
        result = CliRunner().invoke(main, ["schema", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == [f"wrote {out / name}" for name in SCHEMAS]
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert runs[0] == runs[1]
    assert sorted(runs[0]) == sorted(SCHEMAS)
    for name, data in runs[0].items():
        assert data.endswith(b"}\n")
        loaded = json.loads(data)
        assert data.decode() == json.dumps(loaded, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        assert loaded["$schema"] == "http://json-schema.org/draft-07/schema#" and loaded["$id"] == name
        jsonschema.Draft7Validator.check_schema(loaded)


def test_schema_command_needs_out() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 2
    assert "--out" in result.output
