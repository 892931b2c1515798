"""`qmsdoc schema --out DIR`: write the JSON Schemas of the sources, for editors and scripts.

Registered on the main group by qmsdoc/cli.py. The schemas come from the shapes the loader reads
by (qmsdoc/schema.py), need no project, and are the same bytes on every run. Exit 0 when written;
a folder that cannot be written ends in one line and exit 2 (the main group's handling of OSError).
"""

from __future__ import annotations

from pathlib import Path

import click

from qmsdoc.cli_common import NORMAL, say
from qmsdoc.schema import write_schemas


@click.command()
@click.option("--out", "out", required=True, metavar="DIR",
              type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
              help="The folder to write the schemas into (made if missing).")
def schema(out: Path) -> None:
    """Write JSON Schemas of qmsdoc.yaml, procedure front matter, form definitions and rules files
    (qmsdoc.schema.json, procedure.schema.json, form.schema.json, rules.schema.json), for completion
    and checking in an editor: see docs/editor-schemas.md.

    Example: qmsdoc schema --out .schemas
    """
    for path in write_schemas(out):
        say(NORMAL, f"wrote {path}")


COMMANDS = (schema,)
