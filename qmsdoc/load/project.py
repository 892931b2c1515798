"""Load a whole repository into the model, checking every cross-reference. One entry point."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from qmsdoc.errors import Diagnostics, Location, SourceError, did_you_mean
from qmsdoc.load.common import Broken, read_source, read_source_text
from qmsdoc.load.config import load_config
from qmsdoc.load.forms import load_form
from qmsdoc.load.inputs import check_inputs
from qmsdoc.load.procedures import load_procedure, split_front_matter
from qmsdoc.load.releases import check_frozen, load_releases
from qmsdoc.load.rules import load_rules
from qmsdoc.load.signers import load_signers
from qmsdoc.load.template import Recorder, render_body
from qmsdoc.load.yamlsrc import YMap, YScalar, parse_yaml
from qmsdoc.model.body import Block, Heading, ListBlock, Paragraph, Ref, Table
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.inputs import Inputs, decode, encode, param_key
from qmsdoc.model.project import Project
from qmsdoc.model.site import SiteConfig

D = TypeVar("D", Procedure, Form)

PROCEDURES_DIR = "procedures"
FORMS_DIR = "forms"


def load_project(root: Path) -> Project:
    """Load and validate everything under `root`: every problem of every kind in one run, but none
    that only follows from another (a reference to a document that did not load, a rule on it).

    Raises SourceError with every problem found.
    """
    diags = Diagnostics()
    site = load_config(root, diags)
    if site is None:
        raise SourceError(diags)
    procedures: dict[str, Procedure] = {}
    broken = Broken()
    for path in sorted((root / PROCEDURES_DIR).glob("*.md")):
        before = len(diags)
        proc = load_procedure(path, _rel(root, path), site, diags)
        if len(diags) > before:
            broken.add(proc.id if proc else _declared_id(path, site), path)
        if proc:
            _add(procedures, proc, diags)
    forms: dict[str, Form] = {}
    for path in sorted((root / FORMS_DIR).glob("*.yaml")):
        before = len(diags)
        form = load_form(path, _rel(root, path), site, diags)
        if len(diags) > before:
            broken.add(form.id if form else _declared_id(path, site), path)
        if form:
            if form.id in procedures:
                diags.error(form.locs["id"], f'id "{form.id}" is already used by {procedures[form.id].path}')
            _add(forms, form, diags)
    _cross_check(procedures, forms, diags, broken)
    forms = {fid: render_instructions(form, procedures, site, diags) for fid, form in forms.items()}
    releases = load_releases(root, site.limits, diags)
    signers = load_signers(root, site.limits, site.roles, diags)
    check_frozen([*procedures.values(), *forms.values()],
                 {doc_id: r for doc_id, r in releases.items() if doc_id not in broken}, diags)
    check_inputs(site, procedures, forms, releases, diags)
    rules = load_rules(root, site, procedures, forms, diags, broken=broken)
    if diags:
        raise SourceError(diags)
    return Project(root=root, site=site, procedures=procedures, forms=forms, rules=rules, releases=releases,
                   signers=signers)


def render_instructions(form: Form, procedures: Mapping[str, Procedure], site: SiteConfig, diags: Diagnostics,
                        frozen: Inputs | None = None) -> Form:
    """Form instructions may use the owning procedure's params, so a deadline is written once.

    What they read (params, site values) is kept as the form's inputs. `frozen`: the inputs a
    released revision recorded, whose values are used instead of today's.
    """
    owner = procedures.get(form.procedure)
    if not form.instructions or "{" not in form.instructions or owner is None:
        return form
    loc = form.locs["instructions"]
    prefix = param_key(owner.id, "")
    params: dict[str, object] = dict(owner.params)
    params.update({k[len(prefix):]: decode(v) for k, v in (frozen or {}).items() if k.startswith(prefix)})
    variables: dict[str, Mapping[str, object]] = {"params": params, "site": site.as_template_vars()}
    recorder = Recorder({"site": "site:", "params": prefix})
    text = render_body(form.instructions, variables, loc.path, loc.line - 1, diags, site.limits, "form instructions",
                       first_col=loc.col, recorder=recorder)
    return replace(form, instructions=text, inputs=encode(recorder.inputs())) if text is not None else form


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _add(index: dict[str, D], doc: D, diags: Diagnostics) -> None:
    if doc.id in index:
        diags.error(doc.locs["id"], f'duplicate id "{doc.id}" (also in {index[doc.id].path})',
                    "every document needs its own id")
    else:
        index[doc.id] = doc


def _declared_id(path: Path, site: SiteConfig) -> str | None:
    """The id a source that did not load gives itself, if it can be read (its problems were reported)."""
    scratch = Diagnostics()
    raw = read_source(path, path.name, site.limits, scratch)
    text = read_source_text(raw, path.name, scratch) if raw is not None else None
    if text is not None and path.suffix == ".md":
        parts = split_front_matter(text, path.name, scratch)
        text = parts[0] if parts else None
    node = parse_yaml(text, path.name, scratch) if text is not None else None
    given = node.values.get("id") if isinstance(node, YMap) else None
    return given.text.strip() or None if isinstance(given, YScalar) and not given.is_null else None


def _cross_check(procedures: dict[str, Procedure], forms: dict[str, Form], diags: Diagnostics,
                 broken: Broken) -> None:
    known = list(procedures) + list(forms)
    for proc in procedures.values():
        for fid in proc.forms:
            loc = proc.locs.get(f"forms:{fid}", Location(proc.path))
            form = forms.get(fid)
            if form is None and fid in broken:
                continue
            if form is None:
                diags.error(loc, f'{proc.id} lists form "{fid}", which does not exist',
                            did_you_mean(fid, forms) or f"add {FORMS_DIR}/…yaml or remove it")
            elif form.procedure != proc.id:
                diags.error(loc, f'{proc.id} lists form {fid}, but that form belongs to {form.procedure}')
        for rid in proc.related:
            if rid not in procedures and rid not in broken:
                diags.error(proc.locs.get(f"related:{rid}", Location(proc.path)),
                            f'related procedure "{rid}" does not exist', did_you_mean(rid, procedures))
        for ref in _refs(proc.body):
            if ref.target not in procedures and ref.target not in forms and ref.target not in broken:
                diags.error(ref.loc, f'reference to "{ref.target}", which is neither a procedure nor a form',
                            did_you_mean(ref.target, known))
    for form in forms.values():
        owner = procedures.get(form.procedure)
        if owner is None and form.procedure in broken:
            continue
        if owner is None:
            diags.error(form.locs["procedure"],
                        f'form {form.id} names procedure "{form.procedure}", which does not exist',
                        did_you_mean(form.procedure, procedures))
            continue
        if form.clause not in owner.clauses and owner.id not in broken:
            diags.error(form.locs["clause"], f'{owner.id} has no clause "{form.clause}"',
                        did_you_mean(form.clause, owner.clauses)
                        or "see the clause labels with: qmsdoc clauses " + owner.id)
        if form.id not in owner.forms:
            diags.error(form.locs["id"], f"form {form.id} belongs to {owner.id}, but {owner.id} does not list it",
                        f"add {form.id} to forms: in {owner.path}")


@dataclass(frozen=True)
class OneProcedure:
    """`load_one_procedure`'s answer: the procedure (None: no procedure file that loads has the id),
    the ids of the procedures that load (for suggestions), and how many problems the project has
    that were set aside (0 when it loads whole)."""

    procedure: Procedure | None
    ids: tuple[str, ...]
    elsewhere: int


def load_one_procedure(root: Path, doc_id: str) -> OneProcedure:
    """One procedure by id, while other files have problems (for `qmsdoc clauses` during editing).

    The whole project is loaded first; when it loads, the answer is exact. Otherwise each procedure
    file is loaded on its own: the one with the id must load without problems (SourceError with
    them, and with qmsdoc.yaml's), and every other problem of the project is only counted.
    """
    try:
        project = load_project(root)
    except SourceError as exc:
        total = len(exc.diagnostics)
    else:
        return OneProcedure(project.procedures.get(doc_id), tuple(project.procedures), 0)
    diags = Diagnostics()
    site = load_config(root, diags)
    if site is None:
        raise SourceError(diags)
    found: Procedure | None = None
    ids: list[str] = []
    for path in sorted((root / PROCEDURES_DIR).glob("*.md")):
        own = Diagnostics()
        proc = load_procedure(path, _rel(root, path), site, own)
        if proc is None:
            continue
        ids.append(proc.id)
        if proc.id == doc_id and found is None:
            if own:
                raise SourceError(own)
            found = proc
    return OneProcedure(found, tuple(ids), total)


def _refs(blocks: tuple[Block, ...]) -> Iterator[Ref]:
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            yield from (i for i in block.inlines if isinstance(i, Ref))
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _refs(item.blocks)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    yield from (i for i in cell if isinstance(i, Ref))
