"""`qmsdoc import procedure FILE.docx… [--id ID]`: Word procedures → procedures/ID.md, then lint.

Every file is read and mapped before anything is written, so a refusal (an unreadable file, an
id off the code scheme, a file or id that exists) writes nothing and exits 2, as `qmsdoc new`
does. Then each source is written, what to review is printed (`file.docx: paragraph N: …`), and
lint runs over the project; its exit code is the command's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qmsdoc.errors import EXIT_USAGE
from qmsdoc.importer.procedure import ImportedProcedure, Known, import_procedure
from qmsdoc.importer.word import WordFileError, read_word_file
from qmsdoc.load.common import follows
from qmsdoc.load.labels import load_labels
from qmsdoc.records.files import display_path
from qmsdoc.scaffold import ScaffoldError
from qmsdoc.scaffold.cli import root_option
from qmsdoc.scaffold.new import Written, existing_ids, site_config, stem


def _refuse(message: str, hint: str) -> None:
    click.echo(f"error: {message}\n    hint: {hint}", err=True)
    sys.exit(EXIT_USAGE)


@click.command(name="procedure")
@root_option
@click.argument("files", metavar="FILE.docx…", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", metavar="ID", help="The procedure's id (only with one file; default: the document "
                                                     "number found in the file).")
@click.pass_context
def procedure_command(ctx: click.Context, root: Path, files: tuple[Path, ...], doc_id: str | None) -> None:
    """Turn Word procedures into draft sources in procedures/, listing what to review, then lint.

    Example: qmsdoc import procedure 售后服务管理制度.docx --id SJE/ZY/GK-17
    """
    if doc_id is not None and len(files) > 1:
        _refuse("--id names one procedure, but more than one file was given",
                "import the files one at a time to give each its id, or leave --id out")
    try:
        site = site_config(root)
    except ScaffoldError as exc:
        _refuse(exc.message, exc.hint)
        return
    languages = dict.fromkeys((site.language, "zh-CN", "en"))
    known = Known(site, tuple(load_labels(lang) for lang in languages),
                  frozenset(existing_ids(root, "procedures", "*.md")), frozenset(existing_ids(root, "forms", "*.yaml")))
    ids = existing_ids(root, "procedures", "*.md")
    planned: list[tuple[str, Path, ImportedProcedure]] = []
    for path in files:
        shown = display_path(path)
        try:
            doc = read_word_file(path, site.limits, shown)
        except WordFileError as exc:
            _refuse(exc.message, exc.hint)
            return
        imported = import_procedure(doc, known, doc_id, fallback_title=path.stem)
        pid = imported.doc_id
        if not pid:
            _refuse(f"{shown}: no document number found in the file (a 文件编号 / Document No. in the header "
                    "or on the first page)", "pass --id ID")
            return
        where = f"{shown}: {imported.id_place}: the document number" if not doc_id else "--id"
        if not follows(site.procedure_code, pid):
            _refuse(f'{where} "{pid}" does not follow the code scheme codes.procedure: {site.procedure_code}',
                    "pass --id with an id that follows it, or change codes.procedure in qmsdoc.yaml")
        try:
            rel = f"procedures/{stem(pid)}.md"
        except ScaffoldError as exc:
            _refuse(f"{where}: {exc.message}", exc.hint)
            return
        if pid in ids:
            _refuse(f'{ids[pid]}: "{pid}" exists already ({where})', "pass --id with another id")
        if (root / rel).exists() or (root / rel).is_symlink():
            _refuse(f"{root / rel}: already exists; qmsdoc import never overwrites a file",
                    "pass --id with another id, or move the existing file away")
        if any(rel == other for other, _, _ in planned):
            _refuse(f"{shown}: imports as {rel}, as an earlier file does", "import it separately with --id")
        planned.append((rel, path, imported))
    for rel, _path, imported in planned:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="") as handle:
            handle.write(imported.text)
    for rel, path, imported in planned:
        click.echo(f"wrote {root / rel} from {display_path(path)}")
        if imported.review:
            click.echo(f"review {len(imported.review)} item(s):")
            for item in imported.review:
                click.echo(f"  {item.format(display_path(path))}")
    _lint(ctx, root, Written(planned[0][0]))


def _lint(ctx: click.Context, root: Path, written: Written) -> None:
    from qmsdoc.cli import lint

    ctx.invoke(lint, root=root, as_of=None, fail_on_overdue=False)
