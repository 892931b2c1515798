"""`qmsdoc import form`'s work: read the Word file, settle the form's id, procedure and clause,
write forms/ID.yaml and list the form in its procedure, as `qmsdoc new form` does.

The checks and the writing are `scaffold/new.py`'s own (the id against the code scheme, a file
or id that exists already is refused, the procedure's `forms:` extended byte for byte), so an
imported form is held to exactly what a new one is. Nothing is written when any of them fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qmsdoc.errors import Diagnostics
from qmsdoc.importer.form import Draft, read_draft
from qmsdoc.importer.form_yaml import draft_yaml
from qmsdoc.importer.word import WordFileError, read_word_file
from qmsdoc.load.procedures import load_procedure
from qmsdoc.model.site import SiteConfig
from qmsdoc.scaffold import ScaffoldError
from qmsdoc.scaffold.new import (
    Written,
    _check_code,
    _first_clause,
    _procedure_file,
    _refuse_existing,
    _write_new,
    add_form_to_procedure,
    existing_ids,
    site_config,
    stem,
)


@dataclass(frozen=True)
class Imported:
    """What the import wrote, and what to review: each guess and each thing not imported."""

    written: Written
    form_id: str
    guesses: tuple[str, ...]
    skipped: tuple[str, ...]


def import_form(root: Path, docx: Path, *, form_id: str | None, procedure_id: str | None,
                clause: str | None, source: str | None = None) -> Imported:
    """Import the Word form `docx` into the project at `root`; ScaffoldError (nothing written) when
    the file cannot be read or the id, procedure or file name is not usable."""
    site = site_config(root)
    source = source or docx.name
    try:
        word = read_word_file(docx, site.limits, source)
    except WordFileError as exc:
        raise ScaffoldError(exc.message, exc.hint) from None
    draft = read_draft(word, source, site)
    fid = form_id or draft.form_id
    if not fid:
        raise ScaffoldError(f"{source}: no form number found in its header, footer or first lines",
                            "pass the form's id: --id ID")
    _check_code(root, site, "form", fid)
    rel = f"forms/{stem(fid)}.yaml"
    _refuse_existing(root, rel, fid, existing_ids(root, "forms", "*.yaml"))
    proc_id = procedure_id or draft.procedure
    if not proc_id:
        raise ScaffoldError(f"{source}: the owning procedure is not named in the file",
                            "pass it: --procedure ID")
    proc_rel = _procedure_file(root, proc_id)
    clause = clause or _known_clause(root, site, proc_rel, draft) or _first_clause(root, site, proc_rel)
    title = draft.title or docx.stem
    if not draft.title:
        draft.guesses.insert(0, f'{source}: title "{title}" (the file name: no title found in the file)')
    proc_path = root / proc_rel
    linked = add_form_to_procedure(proc_path.read_bytes(), fid, proc_rel)
    text = draft_yaml(draft, form_id=fid, title=title, revision=site.revision_example, procedure=proc_id,
                      clause=clause, source=source)
    _write_new(root, rel, text)
    proc_path.write_bytes(linked)
    return Imported(Written(rel, (proc_rel,)), fid, tuple(draft.guesses), tuple(draft.skipped))


def _known_clause(root: Path, site: SiteConfig, proc_rel: str, draft: Draft) -> str | None:
    """The clause the file names (its footer), when the procedure has that clause."""
    if not draft.clause:
        return None
    proc = load_procedure(root / proc_rel, proc_rel, site, Diagnostics())
    return draft.clause if proc is not None and draft.clause in proc.clauses else None
