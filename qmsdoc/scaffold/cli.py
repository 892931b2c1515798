"""The scaffolding commands: `qmsdoc init`, `qmsdoc new procedure|form|rule`.

Registered on the main group by qmsdoc/cli.py. Exit codes as everywhere: 0 done, 2 nothing
written (a usage error: a file or id that exists, an id off the code scheme); `new` then runs
lint, whose exit code it returns (1 when the project has lint problems).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qmsdoc.cli_common import NORMAL, given_root, label, root_option, say
from qmsdoc.errors import EXIT_USAGE
from qmsdoc.scaffold import ScaffoldError
from qmsdoc.scaffold.init import LANGUAGES, init_project
from qmsdoc.scaffold.new import RULE_KINDS, Written, new_form, new_procedure, new_rule


def _refused(exc: ScaffoldError) -> None:
    click.echo(f"{label('error')} {exc.message}\n    hint: {exc.hint}", err=True)
    sys.exit(EXIT_USAGE)


@click.command()
@click.argument("directory", required=False, default=None, type=click.Path(file_okay=True, path_type=Path))
@click.option("--language", type=click.Choice(LANGUAGES), default="zh-CN", show_default=True,
              help="Language of the fixed texts and of the example documents.")
@click.option("--organisation", metavar="NAME", help="The organisation's full name (printed in every header).")
def init(directory: Path | None, language: str, organisation: str | None) -> None:
    """Start a document set in DIRECTORY (default: the --root given before the command, else here):
    qmsdoc.yaml, an example procedure, form, rules file and record, and .gitignore. Never overwrites
    a file, and never looks for a document set in the folders above.

    Example: qmsdoc init quality --language en --organisation "Northfield Engineering Ltd"
    """
    directory = directory or given_root() or Path(".")  # never searched for upward: init makes one here
    try:
        written = init_project(directory, language, organisation)
    except ScaffoldError as exc:
        _refused(exc)
        return
    for rel in written:
        say(NORMAL, f"wrote {directory / rel}")
    where = "" if directory == Path(".") else f" --root {directory}"
    say(NORMAL, f"Next: qmsdoc lint{where}; qmsdoc build{where}; qmsdoc check{where} {directory / 'records'}")


@click.group()
def new() -> None:
    """Write the skeleton of a new procedure, form or rule, link it, and lint.

    Example: qmsdoc new procedure SJE/ZY/GK-17 --title 顾客满意度调查管理制度
    """


def _done(ctx: click.Context, root: Path, written: Written) -> None:
    say(NORMAL, f"wrote {root / written.created}")
    for rel in written.changed:
        say(NORMAL, f"changed {root / rel}")
    from qmsdoc.cli import lint

    ctx.invoke(lint, root=root, as_of=None, fail_on_overdue=False, fmt="text")


@new.command("procedure")
@root_option
@click.argument("doc_id", metavar="ID")
@click.option("--title", required=True, help="The procedure's title.")
@click.option("--owner", metavar="DEPARTMENT", help="Owning department (default: the first in qmsdoc.yaml).")
@click.pass_context
def new_procedure_command(ctx: click.Context, root: Path, doc_id: str, title: str, owner: str | None) -> None:
    """A draft procedure in procedures/ID.md (the id's last part names the file).

    Example: qmsdoc new procedure SJE/ZY/GK-17 --title 顾客满意度调查管理制度
    """
    try:
        written = new_procedure(root, doc_id, title, owner)
    except ScaffoldError as exc:
        _refused(exc)
        return
    _done(ctx, root, written)


@new.command("form")
@root_option
@click.argument("doc_id", metavar="ID")
@click.option("--procedure", "procedure_id", required=True, metavar="ID", help="The procedure the form belongs to.")
@click.option("--title", required=True, help="The form's title.")
@click.option("--clause", metavar="LABEL", help="The clause requiring the form (default: the procedure's first).")
@click.pass_context
def new_form_command(ctx: click.Context, root: Path, doc_id: str, procedure_id: str, title: str,
                     clause: str | None) -> None:
    """A draft form in forms/ID.yaml, listed in its procedure's forms:.

    Example: qmsdoc new form SJE/JL/GK-17-01 --procedure SJE/ZY/GK-17 --title 顾客满意度调查表
    """
    try:
        written = new_form(root, doc_id, procedure_id, title, clause)
    except ScaffoldError as exc:
        _refused(exc)
        return
    _done(ctx, root, written)


@new.command("rule")
@root_option
@click.option("--procedure", "procedure_id", required=True, metavar="ID", help="The procedure the rule cites.")
@click.option("--form", "form_id", required=True, metavar="ID", help="The form whose records it checks.")
@click.option("--kind", type=click.Choice(RULE_KINDS), required=True, help="The kind of check.")
@click.option("--title", help="The rule's title (default: a placeholder to replace).")
@click.option("--clause", metavar="LABEL", help="The clause cited (default: the procedure's first).")
@click.pass_context
def new_rule_command(ctx: click.Context, root: Path, procedure_id: str, form_id: str, kind: str,
                     title: str | None, clause: str | None) -> None:
    """A rule appended to the procedure's rules file (rules/ID.yaml, made if missing).

    Example: qmsdoc new rule --procedure SJE/ZY/GK-17 --form SJE/JL/GK-17-01 --kind deadline
    """
    try:
        written = new_rule(root, procedure_id, form_id, kind, title, clause)
    except ScaffoldError as exc:
        _refused(exc)
        return
    _done(ctx, root, written)


COMMANDS = (init, new)
