"""The `qmsdoc import` group; registered on the main group by qmsdoc/cli.py."""

from __future__ import annotations

import click

from qmsdoc.importer.form_cli import form_command
from qmsdoc.importer.procedure_cli import procedure_command


@click.group(name="import")
def import_group() -> None:
    """Turn existing Word documents into sources (procedures/, forms/), listing what needs review.

    Example: qmsdoc import procedure 顾客投诉处理程序.docx --id SJE/ZY/GK-17
    """


import_group.add_command(procedure_command)
import_group.add_command(form_command)

COMMANDS = (import_group,)
