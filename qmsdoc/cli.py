"""The command line: validates, loads and calls an action; the only place that picks exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qmsdoc import __version__
from qmsdoc.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, SourceError
from qmsdoc.load.project import load_project
from qmsdoc.model.project import Project

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="Folder holding qmsdoc.yaml, procedures/, forms/ and rules/.")


def _load(root: Path) -> Project:
    """The validated project, or exit 1 after printing every problem."""
    try:
        return load_project(root)
    except SourceError as exc:
        _print_problems(exc)
        sys.exit(EXIT_FINDINGS)


def _print_problems(exc: SourceError) -> None:
    items = exc.diagnostics.sorted()
    for d in items:
        click.echo(d.format(), err=True)
    click.echo(f"{len(items)} problem(s) found.", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qmsdoc")
def main() -> None:
    """Document control for a quality management system."""


@main.command()
@root_option
def lint(root: Path) -> None:
    """Check every source file; print path:line:col problems; exit 1 if there are any."""
    project = _load(root)
    click.echo(f"{len(project.procedures)} procedures, {len(project.forms)} forms: no problems.")
    sys.exit(EXIT_OK)


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output/ under --root).")
def build(root: Path, out: Path | None) -> None:
    """Build controlled Word documents and blank forms from sources that lint clean."""
    from qmsdoc.generator.build import build_all

    project = _load(root)
    out = out or root / "output"
    results = build_all(project, out)
    changed = sum(1 for r in results if r.changed)
    for r in results:
        if r.changed:
            click.echo(f"wrote {r.path}")
    click.echo(f"{len(results)} documents in {out} ({changed} changed).")


@main.command()
@root_option
@click.argument("doc_id")
def clauses(root: Path, doc_id: str) -> None:
    """List the clause labels of a procedure, as rules and forms cite them."""
    project = _load(root)
    proc = project.procedures.get(doc_id)
    if proc is None:
        click.echo(f"error: no procedure {doc_id}", err=True)
        sys.exit(EXIT_USAGE)
    for label, clause in proc.clauses.items():
        click.echo(f"{proc.id} {label}\t{clause.loc}")


@main.command()
@root_option
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True)
def extract(root: Path, files: tuple[Path, ...], fmt: str) -> None:
    """Read filled .docx forms back as typed field values."""
    import json

    from qmsdoc.model.records import RecordError
    from qmsdoc.records.docx_form import read_docx_form, record_to_dict

    project = _load(root)
    out, failed = [], 0
    for path in files:
        try:
            out.append(record_to_dict(read_docx_form(path, project)))
        except RecordError as exc:
            failed += 1
            click.echo(f"{exc.source}: error: {exc.message}", err=True)
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        import yaml
        click.echo(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), nl=False)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)
