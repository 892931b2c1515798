"""`qmsdoc import form FILE.docx`: a Word form → a draft forms/ID.yaml, listed in its procedure.

Exit codes as `qmsdoc new`: 2 when nothing is written (the file cannot be read, no id, an id off
the code scheme, a file or id that exists already, no owning procedure); otherwise the
guesses are listed for review and lint runs, whose exit code is returned (1: the draft, or the
project, has problems, each at its path:line:col).
"""

from __future__ import annotations

from pathlib import Path

import click

from qmsdoc.importer.form_import import import_form
from qmsdoc.scaffold import ScaffoldError
from qmsdoc.scaffold.cli import _done, _refused, root_option


@click.command(name="form")
@root_option
@click.argument("docx", metavar="FILE.docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "form_id", metavar="ID", help="The form's id (default: the form number found in the file).")
@click.option("--procedure", "procedure_id", metavar="ID",
              help="The procedure the form belongs to (default: the one the file's footer names).")
@click.option("--clause", metavar="LABEL",
              help="The clause requiring the form (default: the one the file names, else the procedure's first).")
@click.pass_context
def form_command(ctx: click.Context, root: Path, docx: Path, form_id: str | None, procedure_id: str | None,
                 clause: str | None) -> None:
    """A draft form definition from a Word form (a table of labels and blanks): forms/ID.yaml,
    listed in its procedure's forms:. Lists every guess (types, ids, roles) to review, then lints.

    Example: qmsdoc import form 外部质量信息反馈单.docx --id SJE/JL/GK-09-05 --procedure SJE/ZY/GK-09
    """
    try:
        imported = import_form(root, docx, form_id=form_id, procedure_id=procedure_id, clause=clause,
                               source=str(docx))
    except ScaffoldError as exc:
        _refused(exc)
        return
    if imported.guesses:
        click.echo(f"guesses to review ({len(imported.guesses)}):")
        for line in imported.guesses:
            click.echo(f"  {line}")
    if imported.skipped:
        click.echo(f"not imported ({len(imported.skipped)}):")
        for line in imported.skipped:
            click.echo(f"  {line}")
    _done(ctx, root, imported.written)
