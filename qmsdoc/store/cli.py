"""The store's commands: `qmsdoc db`, `qmsdoc records`. Registered on the main group by qmsdoc/cli.py.

Like qmsdoc/cli.py, this is where exit codes are chosen: 0 done, 1 something could not be done
for some of what was asked (a record refused, a broken chain), 2 a usage error or a store that
cannot be used. Every clock reading of the store's commands is here: when records are submitted,
disposed of, or an event happens, is read once per command and handed down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qmsdoc.cli_common import NORMAL, QUIET, quiet_option, root_option, say, verbosity
from qmsdoc.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Diagnostics
from qmsdoc.model.project import Project
from qmsdoc.store import ENV_URL, StoreError

if TYPE_CHECKING:
    from qmsdoc.model.findings import Report
    from qmsdoc.model.labels import Labels
    from qmsdoc.store.db import Store, StoreUrl

db_option = click.option(
    "--db", "db_url", envvar=ENV_URL, show_envvar=True, metavar="URL",
    help="The store: postgresql://USER@HOST/DB (or …@/DB?host=/socket/dir), or a SQLite file; "
         "default: store: path in qmsdoc.yaml, else .qmsdoc/store.sqlite under --root.")


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    from qmsdoc.cli import _parse_day

    return _parse_day(ctx, param, value)


def _name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from qmsdoc.cli import _person

    return _person(ctx, param, value)


def _text(ctx: click.Context, param: click.Parameter, value: str) -> str:
    text = " ".join(value.split())
    if not text or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise click.BadParameter(f'"{value}" is empty or holds control characters; say it in words')
    return text


def now() -> dt.datetime:
    """The one clock reading of a command that records an event."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def store_url(root: Path, given: str | None) -> StoreUrl:
    """The store's URL: --db / QMSDOC_DATABASE_URL, else qmsdoc.yaml's store: path (only the site
    configuration is read for it)."""
    from qmsdoc.store.db import resolve_url

    configured = None
    if not given:
        from qmsdoc.load.config import load_config

        diags = Diagnostics()
        site = load_config(root, diags)
        if site is None or diags:
            for d in diags.sorted():
                click.echo(d.format(), err=True)
            sys.exit(EXIT_USAGE)
        configured = site.store_path
    try:
        return resolve_url(given, root, configured)
    except StoreError as exc:
        _fail(exc)
        raise AssertionError from exc  # _fail exits


def _fail(exc: StoreError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_USAGE)


def _open(root: Path, given: str | None, *, create: bool = False) -> Store:
    from qmsdoc.store.db import open_store

    where = store_url(root, given)
    try:
        return open_store(where, create=create)
    except StoreError as exc:
        _fail(exc)
        raise AssertionError from exc


def _project(root: Path) -> Project:
    from qmsdoc.cli import _load

    return _load(root, exit_code=EXIT_USAGE)


def _guard(action: Callable[[], None]) -> None:
    """Runs a command's work; a store that fails on the way is one line and exit 2."""
    try:
        action()
    except StoreError as exc:
        _fail(exc)


# -- qmsdoc db ------------------------------------------------------------------------------

@click.group(name="db")
def db() -> None:
    """The store's database: its schema version and upgrades.

    Example: qmsdoc db upgrade
    """


@db.command(name="upgrade")
@root_option
@db_option
@click.option("--to", "to", default="head", show_default=True, metavar="VERSION",
              help="The schema version to upgrade to.")
def db_upgrade(root: Path, db_url: str | None, to: str) -> None:
    """Create the store, or bring it to the newest schema version, keeping everything in it.

    One transaction: the store is upgraded whole or stays as it was.

    Example: qmsdoc db upgrade --db postgresql://qms@db.example.com/qms
    """
    from qmsdoc.store.db import open_store
    from qmsdoc.store.migrate import known_versions, upgrade

    if to != "head" and to not in known_versions():
        raise click.BadParameter(f"{to}: not a schema version; the versions are {', '.join(known_versions())}",
                                 param_hint="--to")
    where = store_url(root, db_url)
    try:
        store = open_store(where, create=True, check_version=False)
        before, after = upgrade(store, to)
    except StoreError as exc:
        _fail(exc)
        return
    if before == after:
        say(NORMAL, f"{where.shown}: at schema version {after}, nothing to do.")
    else:
        say(NORMAL, f"{where.shown}: upgraded from schema version {before or '(empty)'} to {after}.")


@db.command(name="version")
@root_option
@db_option
def db_version(root: Path, db_url: str | None) -> None:
    """Print the store's schema version and the one this qmsdoc needs (exit 1 when they differ).

    Example: qmsdoc db version
    """
    from qmsdoc.store.db import open_store
    from qmsdoc.store.schema import HEAD

    where = store_url(root, db_url)
    try:
        store = open_store(where, create=False, check_version=False)
        with store.reading() as conn:
            version = store.version(conn)
    except StoreError as exc:
        _fail(exc)
        return
    click.echo(f"{where.shown}: schema version {version or '(empty)'}; this qmsdoc needs {HEAD}.")
    sys.exit(EXIT_OK if version == HEAD else EXIT_FINDINGS)


# -- qmsdoc records -------------------------------------------------------------------------

@click.group(name="records")
def records() -> None:
    """The records register: submitted records kept under control (ISO 9001 7.5.3).

    Example: qmsdoc records add records/2026-03/ --by "Wang Li"
    """


@records.command(name="add")
@root_option
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--by", "by", envvar="QMSDOC_SUBMITTED_BY", show_envvar=True, required=True, callback=_name,
              metavar="NAME", help="Who submits the records (recorded with each).")
@click.option("--follow-links", is_flag=True, help="Also follow symbolic links that lead outside a folder.")
@click.option("--allow-empty", is_flag=True, help="Accept a run that finds no record file.")
@click.option("--replace", is_flag=True,
              help="The records are corrections: each replaces the stored records of its form and record number, "
                   "which are kept, superseded, out of checks and audits.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes reading the records (default: all cores); what is stored is the same.")
@quiet_option(help="No progress bar, and no summary lines.")
def records_add(root: Path, db_url: str | None, paths: tuple[Path, ...], by: str, follow_links: bool,
                allow_empty: bool, replace: bool, jobs: int | None, quiet: bool) -> None:
    """Store submitted records (.docx forms, JSON, JSON Lines, YAML, CSV) in the register.

    Each file's bytes are stored once: the same file again is reported as a duplicate and adds
    nothing. A file, line or row that cannot be read is refused with the reason `qmsdoc check`
    gives, and the others are added (exit 1 when any was refused). Each file is added whole or
    not at all.

    Example: qmsdoc records add records/2026-03/ --by "Wang Li"
    """
    from qmsdoc.checker.run import find_record_files, skipped_summary
    from qmsdoc.cli import _expand_paths, _no_records
    from qmsdoc.load.labels import load_labels
    from qmsdoc.records.files import display_path
    from qmsdoc.store.register import Adder

    quiet = quiet or verbosity() == QUIET  # -q before the command counts too
    named, unmatched = _expand_paths(paths)
    project = _project(root)
    labels = load_labels(project.site.language)
    found = find_record_files(named, root, follow_links=follow_links)
    if found.skipped:
        say(NORMAL, f"note: {skipped_summary(found.skipped)}", err=True)
    nothing = [f"{p}: matches no file" for p in unmatched]
    nothing += [f"no records found under {display_path(p)}" for p in found.empty]
    if nothing and not allow_empty:
        _no_records(nothing)
    store = _open(root, db_url, create=True)
    adder = Adder(store, project, labels, by=by, at=now(), root=root, jobs=jobs, replace=replace)
    show_bar = not quiet and sys.stderr.isatty()
    try:
        with click.progressbar(length=max(1, len(found.files)), label="adding", file=sys.stderr) \
                if show_bar else _NoBar() as bar:
            result = adder.add(found, lambda done, total: bar.update(1))
    except StoreError as exc:
        _fail(exc)
        return
    for dup in result.duplicates:
        say(NORMAL, f"note: {dup.source}: already stored (the same bytes as {dup.first}); nothing added")
    for old, new in result.replaced:
        say(NORMAL, f"record {old} replaced by the corrected record {new} (kept, superseded)")
    for refused in result.refused:
        click.echo(f"{refused.where}: error: {refused.reason}", err=True)
    summary = (f"{result.added} record(s) added from {result.files - len(result.duplicates)} file(s) to "
               f"{store.shown}")
    if result.duplicates:
        summary += f"; {len(result.duplicates)} duplicate file(s)"
    if result.refused:
        summary += f"; {len(result.refused)} refused"
    say(NORMAL, summary + ".")
    sys.exit(EXIT_FINDINGS if result.refused else EXIT_OK)


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--to", "date_to", callback=_day, metavar="YYYY-MM-DD",
                     help="Only records dated on or before this day.")(f)
    f = click.option("--from", "date_from", callback=_day, metavar="YYYY-MM-DD",
                     help="Only records dated on or after this day.")(f)
    return click.option("--form", "form", metavar="FORM", help="Only records of this form (its id).")(f)


LIST_HEAD = ("id", "form", "revision", "record no", "date", "retention end", "source")


@records.command(name="list")
@root_option
@db_option
@_filter_options
@click.option("--disposed", is_flag=True,
              help="Also list disposed records (tombstones) and records replaced by corrected ones.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
def records_list(root: Path, db_url: str | None, form: str | None, date_from: dt.date | None,
                 date_to: dt.date | None, disposed: bool, fmt: str) -> None:
    """List the records in the register, by id, with their form, number, date and retention end.

    Example: qmsdoc records list --form SJE/JL/GK-09-01 --from 2026-01-01
    """
    from qmsdoc.store.register import Filter, list_records

    store = _open(root, db_url)

    def show() -> None:
        with store.reading() as conn:
            count = 0
            if fmt == "text":
                click.echo("\t".join(LIST_HEAD))
            for row in list_records(conn, Filter(form, date_from, date_to, disposed)):
                count += 1
                click.echo(_list_line(row) if fmt == "text" else json.dumps(_row_json(row), ensure_ascii=False))
            if fmt == "text":
                say(NORMAL, f"{count} record(s).")
    _guard(show)


def _list_line(row: Any) -> str:
    place = f"{row['source']}:{row['location']}" if row["location"] else row["source"]
    end = row["retention_end"].isoformat() if row["retention_end"] else "permanent"
    cells = [str(row["id"]), row["form"], row["revision"], row["record_no"] or "—",
             row["record_date"].isoformat() if row["record_date"] else "—", end, place]
    if row["disposed_at"]:
        cells.append(f"(disposed {row['disposed_at']} by {row['disposed_by']})")
    return "\t".join(_printable(c) for c in cells)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _row_json(row: Any) -> dict[str, Any]:
    from qmsdoc.store.register import STATE_KEYS

    return {k: (row[k].isoformat() if isinstance(row[k], dt.date) else row[k]) for k in STATE_KEYS}


@records.command(name="show")
@root_option
@db_option
@click.argument("key", metavar="ID")
def records_show(root: Path, db_url: str | None, key: str) -> None:
    """Show a record (by id, or by record number): its register entry, fields and history.

    Example: qmsdoc records show FK-2025-001
    """
    from qmsdoc.records.docx_form import to_jsonable
    from qmsdoc.store.codec import decode_value
    from qmsdoc.store.events import read_events
    from qmsdoc.store.register import find_records

    store = _open(root, db_url)
    out: list[dict[str, Any]] = []

    def show() -> None:
        with store.reading() as conn:
            for row in find_records(conn, key):
                item = _row_json(row)
                if row["data"] is not None:
                    raw = json.loads(row["data"])
                    item["fields"] = to_jsonable(decode_value(raw["fields"]))
                    if raw.get("problems"):
                        item["problems"] = [{"field": p[0], "found": p[1], "message": p[2]} for p in raw["problems"]]
                item["history"] = [{"seq": e.seq, "at": e.at, "by": e.actor, "action": e.action}
                                   for e in read_events(conn, "record", str(row["id"]))]
                out.append(item)
    _guard(show)
    if not out:
        click.echo(f"error: no record {key} in {store.shown}; `qmsdoc records list` shows the ids", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False, indent=2))


@records.command(name="export")
@root_option
@db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
def records_export(root: Path, db_url: str | None, form: str | None, date_from: dt.date | None,
                   date_to: dt.date | None, fmt: str, output: Path | None) -> None:
    """Export the register, tombstones too: JSON Lines (with each record's fields) or CSV (the entries).

    CSV cells that a spreadsheet would take for a formula are written as text.

    Example: qmsdoc records export --format csv -o register.csv
    """
    import csv
    import io

    from qmsdoc.report.cells import csv_row
    from qmsdoc.store.register import EXPORT_COLUMNS, Filter, export_rows

    store = _open(root, db_url)
    sink = output.open("w", encoding="utf-8", newline="") if output else io.TextIOWrapper(
        sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)

    def write() -> None:
        count = 0
        with store.reading() as conn:
            writer = csv.writer(sink) if fmt == "csv" else None
            if writer:
                writer.writerow(EXPORT_COLUMNS)
            for item in export_rows(conn, Filter(form, date_from, date_to, disposed=True)):
                count += 1
                if writer:
                    writer.writerow(csv_row(item.get(k) for k in EXPORT_COLUMNS))
                else:
                    sink.write(json.dumps(item, ensure_ascii=False) + "\n")
        sink.flush()
        if output:
            say(NORMAL, f"{count} record(s) written to {output}.", err=True)
    try:
        _guard(write)
    finally:
        if output:
            sink.close()
        else:
            sink.detach()


@records.command(name="retention")
@root_option
@db_option
@click.option("--as-of", "as_of", callback=_day, metavar="YYYY-MM-DD",
              help="The day retention is judged on (default: today).")
def records_retention(root: Path, db_url: str | None, as_of: dt.date | None) -> None:
    """List the records kept past the end of their retention period: those due for disposal.

    Nothing is deleted: dispose of each with `qmsdoc records dispose ID… --by NAME --reason TEXT`.

    Example: qmsdoc records retention --as-of 2026-12-31
    """
    from qmsdoc.store.register import retention_due

    day = as_of or dt.date.today()  # the only clock reading: retention is judged on this day
    store = _open(root, db_url)
    due: list[Any] = []

    def read() -> None:
        with store.reading() as conn:
            due.extend(retention_due(conn, day))
    _guard(read)
    click.echo("\t".join(LIST_HEAD))
    for row in due:
        click.echo(_list_line(row))
    say(NORMAL, f"{len(due)} record(s) past their retention end on {day.isoformat()}"
                + ("; dispose of them with `qmsdoc records dispose ID… --by NAME --reason TEXT`." if due else "."))


@records.command(name="dispose")
@root_option
@db_option
@click.argument("keys", nargs=-1, required=True, metavar="ID…")
@click.option("--by", "by", required=True, callback=_name, metavar="NAME", help="Who disposes of the records.")
@click.option("--reason", required=True, callback=_text, metavar="TEXT",
              help="Why (e.g. retention period ended, destroyed by shredding).")
def records_dispose(root: Path, db_url: str | None, keys: tuple[str, ...], by: str, reason: str) -> None:
    """Dispose of records past their retention end: their content and file go, a tombstone stays.

    All of them, or none when one cannot be disposed of (exit 1, saying why).

    Example: qmsdoc records dispose 12 13 --by "Wang Li" --reason "retention period ended"
    """
    from qmsdoc.store.register import DisposalRefused, dispose

    store = _open(root, db_url)
    try:
        done = dispose(store, keys, by=by, reason=reason, at=now())
    except DisposalRefused as exc:
        click.echo(f"error: {exc}; nothing was disposed of", err=True)
        sys.exit(EXIT_FINDINGS)
    except StoreError as exc:
        _fail(exc)
        return
    say(NORMAL, f"{len(done)} record(s) disposed of by {by}: {', '.join(map(str, done))}; their tombstones remain.")


def check_store_records(root: Path, db_url: str | None, as_of: dt.date | None, since: dt.date | None,
                        since_last: bool, quiet: bool, allow_empty: bool,
                        prepare: Callable[[Project], None] | None = None,
                        jobs: int | None = None) -> tuple[Project, Labels, Report]:
    """`qmsdoc check --store`: the stored records (all, or those submitted since the last stored audit),
    checked as of the audit date, each record only once per rule set and audit date."""
    from qmsdoc.checker.engine import Checker
    from qmsdoc.cli import _no_records, _print_problems
    from qmsdoc.cli import _NoBar as Bar
    from qmsdoc.errors import SourceError
    from qmsdoc.load.labels import load_labels
    from qmsdoc.store.checks import STORE_SCOPE, Selection, check_store, forget, ruleset_fingerprint

    project = _project(root)
    if prepare is not None:
        prepare(project)
    labels = load_labels(project.site.language)
    audit_day = as_of or dt.date.today()  # the only clock reading; rules get the date
    store = _open(root, db_url)
    try:
        checker = Checker(project, labels, audit_day, since=since, scope=STORE_SCOPE)
    except SourceError as exc:
        _print_problems(exc)
        sys.exit(EXIT_USAGE)
    selection = Selection(_last_audit_seq(store) if since_last else None)
    fingerprint = ruleset_fingerprint(project)
    show_bar = not quiet and sys.stderr.isatty()
    try:
        with click.progressbar(length=1, label="checking", file=sys.stderr) if show_bar else Bar() as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)
            run = check_store(store, checker, fingerprint, selection, progress, jobs)
        forget(store, [fingerprint])
    except StoreError as exc:
        _fail(exc)
        raise AssertionError from exc
    if not quiet:
        say(NORMAL, f"note: {run.report.records} stored record(s), {run.checked_now} checked now, "
                    f"{run.report.records - run.checked_now} as checked before (same rules, same audit date)", err=True)
    if run.report.records == 0 and not allow_empty:
        since_text = " submitted since the last audit" if since_last else ""
        _no_records([f"no records{since_text} in the store {store.shown}"])
    return project, labels, run.report


def _last_audit_seq(store: Store) -> int | None:
    """The event log's head when the last stored audit ran (None: no audit yet, so every record is new)."""
    from qmsdoc.store.audits import last_audit_seq

    with store.reading() as conn:
        return last_audit_seq(conn)


def verify_store_command(root: Path, db_url: str | None) -> tuple[list[str], str]:
    """For `qmsdoc verify`: the store's problems and a summary; no store (the default SQLite file not made
    yet) is no problem, and no summary."""
    from qmsdoc.store.db import open_store
    from qmsdoc.store.verify import verify_store

    where = store_url(root, db_url)
    if where.is_sqlite and not Path(where.url.database or "").exists() and not db_url:
        return [], ""
    try:
        store = open_store(where, create=False)
        result = verify_store(store)
    except StoreError as exc:
        return [f"error: {exc}"], f"store {where.shown} cannot be verified"
    summary = f"store {where.shown}: {result.events} event(s), {result.records} record(s)"
    return [f"error: {p}" for p in result.problems], summary


# -- qmsdoc audit -------------------------------------------------------------------------------

@click.group(name="audit")
def audit() -> None:
    """Audits kept in the store: run one over the stored records, list them, write their reports.

    Example: qmsdoc audit run --plan audits/2026-1.yaml --by "Li Na" -o output/audit/report.docx
    """


@audit.command(name="run")
@root_option
@db_option
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The audit plan (docs/audit-plan-format.md): number, team, auditee, scope, period, objectives.")
@click.option("--by", "by", envvar="QMSDOC_AUDITOR", show_envvar=True, required=True, callback=_name,
              metavar="NAME", help="Who runs the audit (recorded with it).")
@click.option("--as-of", "as_of", callback=_day, metavar="YYYY-MM-DD", help="The audit date (default: today).")
@click.option("--since-last", is_flag=True, help="Only the records added since the last stored audit.")
@click.option("--capa-days", type=click.IntRange(1, 3650), default=None, metavar="N",
              help="Corrective actions opened by this audit are due N days after the audit date "
                   "(default: corrective_actions: due_days in qmsdoc.yaml, else 30).")
@click.option("-o", "--output", "outputs", multiple=True, metavar="[FORMAT:]FILE",
              help="Write the audit report (as for check: .docx, .html, .xlsx, .json, …). Repeatable.")
@quiet_option(help="No progress bar, and no summary lines.")
def audit_run(root: Path, db_url: str | None, plan_path: Path | None, by: str, as_of: dt.date | None,
              since_last: bool, capa_days: int | None, outputs: tuple[str, ...], quiet: bool) -> None:
    """Check the stored records in the plan's scope and keep the audit with its findings.

    Each finding is new, still open (found by an earlier audit too) or no longer found; each major and
    minor finding without an open corrective action opens one.

    Example: qmsdoc audit run --plan audits/2026-1.yaml --by "Li Na" -o output/audit/report.docx
    """
    from qmsdoc.cli import _print_problems
    from qmsdoc.errors import SourceError
    from qmsdoc.load.audit_plan import load_audit_plan
    from qmsdoc.model.audit import AuditPlan
    from qmsdoc.records.files import display_path
    from qmsdoc.report.audit import audit_number
    from qmsdoc.store.audits import AuditError, scope_of, store_audit
    from qmsdoc.store.checks import check_store, ruleset_fingerprint

    targets = _targets(outputs)
    project = _project(root)
    try:
        plan = load_audit_plan(plan_path, display_path(plan_path), project) if plan_path else AuditPlan()
    except SourceError as exc:
        _print_problems(exc)
        sys.exit(EXIT_USAGE)
    labels = _labels(project)
    day = as_of or dt.date.today()  # the only clock reading of the audit date
    store = _open(root, db_url, create=True)
    checker = _checker(project, labels, day, plan)
    try:
        selection = scope_of(plan, project, _last_audit_seq(store) if since_last else None)
        fingerprint = ruleset_fingerprint(project)
        run = check_store(store, checker, fingerprint, selection)
        report = dataclasses.replace(run.report, plan=plan)
        number = audit_number(report, project.site, labels)
        stored = store_audit(store, project, report, plan, number=number, fingerprint=fingerprint,
                             selection=selection, by=by, at=now(), capa_days=capa_days or project.site.capa_due_days)
    except AuditError as exc:
        where = str(plan.loc("number")) if plan.number else (plan.path or "audit")
        click.echo(f"{where}: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except StoreError as exc:
        _fail(exc)
        return
    _write_audit_reports(store, stored.id, targets, project, labels)
    counts = stored.statuses
    say(NORMAL, f"audit {stored.number} stored: {stored.records} record(s) in scope, {counts['new']} new, "
                f"{counts['still_open']} still open, {counts['no_longer_found']} no longer found; "
                f"{len(stored.opened)} corrective action(s) opened"
                + (f" ({', '.join(f'CA-{i}' for i in stored.opened)})" if 0 < len(stored.opened) <= 20 else "") + ".")


def _labels(project: Project) -> Labels:
    from qmsdoc.load.labels import load_labels

    return load_labels(project.site.language)


def _checker(project: Project, labels: Labels, day: dt.date, plan: Any) -> Any:
    from qmsdoc.checker.engine import Checker
    from qmsdoc.cli import _print_problems
    from qmsdoc.errors import SourceError
    from qmsdoc.store.checks import STORE_SCOPE

    try:
        return Checker(project, labels, day, since=plan.period_from, scope=STORE_SCOPE)
    except SourceError as exc:
        _print_problems(exc)
        sys.exit(EXIT_USAGE)


def _targets(outputs: tuple[str, ...]) -> list[tuple[str, Path]]:
    from qmsdoc.cli import output_targets
    from qmsdoc.report import FORMATS

    return output_targets(outputs, FORMATS)


def _write_audit_reports(store: Store, audit_id: int, targets: list[tuple[str, Path]], project: Project,
                         labels: Labels) -> None:
    """The stored audit's report, each finding with its corrective action as it stands now."""
    from qmsdoc.store.audits import stored_report, with_capa_status
    from qmsdoc.store.schema import audits as audit_table

    if not targets:
        return
    from sqlalchemy import select

    with store.reading() as conn:
        row = conn.execute(select(audit_table).where(audit_table.c.id == audit_id)).one()._mapping
        report = with_capa_status(stored_report(row), conn, audit_id, labels)
    from qmsdoc.cli import write_reports

    write_reports(targets, report, project, labels, announce=True)


@audit.command(name="list")
@root_option
@db_option
def audit_list(root: Path, db_url: str | None) -> None:
    """List the stored audits with their findings by status.

    Example: qmsdoc audit list
    """
    from qmsdoc.store.audits import list_audits

    store = _open(root, db_url)
    rows: list[Any] = []

    def read() -> None:
        with store.reading() as conn:
            rows.extend(list_audits(conn))
    _guard(read)
    click.echo("\t".join(("number", "audit date", "run", "by", "records", "new", "still open", "no longer found")))
    for row, counts, scoped in rows:
        click.echo("\t".join(_printable(str(c)) for c in (
            row["number"], row["as_of"].isoformat(), row["run_at"], row["run_by"], scoped, counts["new"],
            counts["still_open"], counts["no_longer_found"])))
    say(NORMAL, f"{len(rows)} audit(s).")


@audit.command(name="show")
@root_option
@db_option
@click.argument("key", metavar="NUMBER")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def audit_show(root: Path, db_url: str | None, key: str, fmt: str) -> None:
    """Show a stored audit (by number, or `last`): its findings, new, still open or no longer found, with
    their corrective actions.

    Example: qmsdoc audit show last --format json
    """
    from qmsdoc.store.audits import audit_findings_of, capa_name, find_audit

    store = _open(root, db_url)
    found: list[Any] = []

    def read() -> None:
        with store.reading() as conn:
            row = find_audit(conn, key)
            if row is not None:
                found.append((row, audit_findings_of(conn, int(row["id"]))))
    _guard(read)
    if not found:
        click.echo(f"error: no audit {key} in {store.shown}; `qmsdoc audit list` shows them", err=True)
        sys.exit(EXIT_USAGE)
    row, rows = found[0]
    plan = json.loads(row["plan"])
    if fmt == "json":
        click.echo(json.dumps({"number": row["number"], "as_of": row["as_of"].isoformat(), "run_at": row["run_at"],
                               "run_by": row["run_by"], "criteria": plan.get("criteria", {}),
                               "findings": [{k: r[k] for k in ("key", "status", "finding_id", "rule", "severity",
                                                               "outcome", "procedure", "department", "form",
                                                               "record_no", "place", "message")}
                                            | {"capa": capa_name(r["capa_id"]) if r["capa_id"] else None}
                                            for r in rows]}, ensure_ascii=False, indent=2))
        return
    criteria = ", ".join(f"{pid} {rev or '—'}" for pid, rev in plan.get("criteria", {}).items())
    click.echo(f"audit {row['number']}: as of {row['as_of'].isoformat()}, run {row['run_at']} by {row['run_by']}")
    click.echo(f"criteria: {criteria}")
    for r in rows:
        capa = f"  {capa_name(r['capa_id'])}" if r["capa_id"] else ""
        click.echo(_printable(f"{r['status']:16} {r['key']}  {r['severity']:11} {r['rule']}  {r['place']}"
                              f"{' ' + r['record_no'] if r['record_no'] else ''}{capa}"))
        click.echo("    " + _printable(r["message"]))
    say(NORMAL, f"{len(rows)} finding(s).")


@audit.command(name="report")
@root_option
@db_option
@click.argument("key", metavar="NUMBER")
@click.option("-o", "--output", "outputs", multiple=True, required=True, metavar="[FORMAT:]FILE",
              help="The report to write (.docx, .html, .xlsx, .csv, .json, …). Repeatable.")
def audit_report(root: Path, db_url: str | None, key: str, outputs: tuple[str, ...]) -> None:
    """Write the report of a stored audit (by number, or `last`), each finding with the status of its
    corrective action as it stands now.

    Example: qmsdoc audit report last -o output/audit/report.html
    """
    from qmsdoc.store.audits import find_audit

    targets = _targets(outputs)
    project = _project(root)
    labels = _labels(project)
    store = _open(root, db_url)
    found: list[Any] = []

    def read() -> None:
        with store.reading() as conn:
            found.append(find_audit(conn, key))
    _guard(read)
    if found[0] is None:
        click.echo(f"error: no audit {key} in {store.shown}; `qmsdoc audit list` shows them", err=True)
        sys.exit(EXIT_USAGE)
    _write_audit_reports(store, int(found[0]["id"]), targets, project, labels)


# -- qmsdoc capa --------------------------------------------------------------------------------

@click.group(name="capa")
def capa() -> None:
    """Corrective actions (ISO 9001 10.2): opened by audits, followed to verified closure.

    Example: qmsdoc capa list --overdue
    """


CAPA_HEAD = ("id", "status", "due", "severity", "owner", "rule", "record", "audit", "finding")


@capa.command(name="list")
@root_option
@db_option
@click.option("--overdue", is_flag=True, help="Only those past their due date and not verified.")
@click.option("--owner", default=None, metavar="NAME", help="Only those of this owner.")
@click.option("--status", type=click.Choice(["open", "planned", "implemented", "verified", "closed"]), default=None)
@click.option("--as-of", "as_of", callback=_day, metavar="YYYY-MM-DD",
              help="The day overdue is judged on (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
def capa_list(root: Path, db_url: str | None, overdue: bool, owner: str | None, status: str | None,
              as_of: dt.date | None, fmt: str) -> None:
    """List the corrective actions, overdue ones first.

    Example: qmsdoc capa list --overdue --owner "Zhang Wei"
    """
    from qmsdoc.store.audits import CapaFilter, is_overdue, list_capas

    day = as_of or dt.date.today()  # the only clock reading: what is overdue on this day
    store = _open(root, db_url)
    rows: list[Any] = []

    def read() -> None:
        with store.reading() as conn:
            rows.extend(list_capas(conn, CapaFilter(day if overdue else None, owner, status)))
    _guard(read)
    rows.sort(key=lambda r: (not is_overdue(r, day), r["due"], r["id"]))
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(_capa_json(r, day), ensure_ascii=False))
        return
    click.echo("\t".join(CAPA_HEAD))
    for r in rows:
        late = f" (overdue {(day - r['due']).days} d)" if is_overdue(r, day) else ""
        click.echo("\t".join(_printable(str(c)) for c in (
            f"CA-{r['id']}", r["status"], r["due"].isoformat() + late, r["severity"], r["owner"] or "—", r["rule"],
            r["record_no"] or "—", r["audit"], r["finding"].splitlines()[0][:80])))
    say(NORMAL, f"{len(rows)} corrective action(s)" + (f", {sum(is_overdue(r, day) for r in rows)} overdue on "
                                                       f"{day.isoformat()}." if rows else "."))


def _capa_json(r: Any, day: dt.date) -> dict[str, Any]:
    from qmsdoc.store.audits import capa_state, is_overdue

    return {**capa_state(r), "audit": r["audit"], "overdue": is_overdue(r, day)}


@capa.command(name="show")
@root_option
@db_option
@click.argument("key", metavar="ID")
def capa_show(root: Path, db_url: str | None, key: str) -> None:
    """Show a corrective action and its history.

    Example: qmsdoc capa show CA-3
    """
    from qmsdoc.store.audits import CapaFilter, capa_state, list_capas
    from qmsdoc.store.events import read_events

    capa_id = _capa_id(key)
    store = _open(root, db_url)
    out: list[dict[str, Any]] = []

    def read() -> None:
        with store.reading() as conn:
            for r in list_capas(conn, CapaFilter()):
                if r["id"] == capa_id:
                    history = [{"seq": e.seq, "at": e.at, "by": e.actor, "action": e.action,
                                "changed": _changed(e.before, e.after)}
                               for e in read_events(conn, "capa", str(capa_id))]
                    out.append({**capa_state(r), "audit": r["audit"], "history": history})
    _guard(read)
    if not out:
        click.echo(f"error: no corrective action CA-{capa_id} in {store.shown}; `qmsdoc capa list` shows them",
                   err=True)
        sys.exit(EXIT_USAGE)
    click.echo(json.dumps(out[0], ensure_ascii=False, indent=2))


def _changed(before: str | None, after: str | None) -> dict[str, Any]:
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    return {k: v for k, v in new.items() if old.get(k) != v and k != "updated_at"}


def _capa_id(key: str) -> int:
    from qmsdoc.store.audits import parse_capa_id

    capa_id = parse_capa_id(key)
    if capa_id is None:
        raise click.BadParameter(f'"{key}" is not a corrective action id; write CA-3 or 3', param_hint="ID")
    return capa_id


def _yes_no(ctx: click.Context, param: click.Parameter, value: str | None) -> bool | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("yes", "y", "true", "是", "有效"):
        return True
    if text in ("no", "n", "false", "否", "无效"):
        return False
    raise click.BadParameter(f'"{value}": write yes or no')


def _optional_text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None else _text(ctx, param, value)


def _optional_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None else _name(ctx, param, value)


@capa.command(name="update")
@root_option
@db_option
@click.argument("key", metavar="ID")
@click.option("--by", "by", required=True, callback=_name, metavar="NAME", help="Who makes the change (recorded).")
@click.option("--owner", callback=_optional_name, metavar="NAME", help="Who owns the corrective action.")
@click.option("--due", callback=_day, metavar="YYYY-MM-DD", help="When it is due.")
@click.option("--root-cause", callback=_optional_text, metavar="TEXT", help="The root cause found.")
@click.option("--action", callback=_optional_text, metavar="TEXT", help="The corrective action planned.")
@click.option("--evidence", callback=_optional_text, metavar="TEXT", help="Evidence of its implementation.")
@click.option("--verified-by", callback=_optional_name, metavar="NAME",
              help="Who verified it (not its owner).")
@click.option("--verified-on", callback=_day, metavar="YYYY-MM-DD", help="When it was verified.")
@click.option("--effective", callback=_yes_no, metavar="yes|no", help="Whether the verification found it effective.")
@click.option("--status", type=click.Choice(["open", "planned", "implemented", "verified", "closed"]), default=None,
              help="open → planned → implemented → verified → closed (or back to planned).")
def capa_update(root: Path, db_url: str | None, key: str, by: str, owner: str | None, due: dt.date | None,
                root_cause: str | None, action: str | None, evidence: str | None, verified_by: str | None,
                verified_on: dt.date | None, effective: bool | None, status: str | None) -> None:
    """Change a corrective action; each change is an event. A step that lacks what it needs is refused,
    naming it: a corrective action cannot be closed without a verification by someone other than its owner.

    Example: qmsdoc capa update CA-3 --by "Zhang Wei" --action "retrain the service staff" --status planned
    """
    from qmsdoc.store.audits import AuditError, capa_name, update_capa

    capa_id = _capa_id(key)
    given = {"owner": owner, "due": due, "root_cause": root_cause, "action": action, "evidence": evidence,
             "verified_by": verified_by, "verified_on": verified_on, "effective": effective, "status": status}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise click.UsageError("nothing to change: give at least one of --owner, --due, --root-cause, --action, "
                               "--evidence, --verified-by, --verified-on, --effective, --status")
    store = _open(root, db_url)
    try:
        row = update_capa(store, capa_id, changes, by=by, at=now())
    except AuditError as exc:
        click.echo(f"error: {exc}; nothing was changed", err=True)
        sys.exit(EXIT_FINDINGS)
    except StoreError as exc:
        _fail(exc)
        return
    say(NORMAL, f"{capa_name(capa_id)}: {row['status']}, owner {row['owner'] or '—'}, due {row['due'].isoformat()} "
                f"(changed: {', '.join(changes)}; by {by}).")


def overdue_capa_lines(root: Path, db_url: str | None, as_of: dt.date, labels: Labels) -> list[str] | None:
    """For `qmsdoc due`: the corrective actions overdue on `as_of`, one line each (None: no store)."""
    from qmsdoc.store.audits import CapaFilter, capa_name, list_capas
    from qmsdoc.store.db import open_store

    where = store_url(root, db_url)
    if where.is_sqlite and not Path(where.url.database or "").exists() and not db_url:
        return None
    try:
        store = open_store(where, create=False)
        with store.reading() as conn:
            rows = list_capas(conn, CapaFilter(overdue_on=as_of))
    except StoreError as exc:
        _fail(exc)
        return None
    return [labels.format("due_capa_line", due=r["due"].isoformat(), days=(as_of - r["due"]).days,
                          capa=capa_name(r["id"]), status=labels[f"capa_status_{r['status']}"],
                          owner=r["owner"] or labels["capa_no_owner"], rule=r["rule"],
                          record=r["record_no"] or "", finding=r["finding"].splitlines()[0]) for r in rows]


def site_dashboard(root: Path, db_url: str | None, project: Project, as_of: dt.date) -> Any:
    """For `qmsdoc build`: what the portal's dashboard shows, from the store (None: there is no store)."""
    from qmsdoc.store.dashboard import dashboard
    from qmsdoc.store.db import open_store

    where = store_url(root, db_url)
    if where.is_sqlite and not Path(where.url.database or "").exists() and not db_url:
        return None
    try:
        store = open_store(where, create=False)
        with store.reading() as conn:
            return dashboard(conn, project, as_of)
    except StoreError as exc:
        _fail(exc)
        return None


def with_overdue_capas(data: bytes, fmt: str, root: Path, db_url: str | None, as_of: dt.date,
                       labels: Labels) -> bytes:
    """`qmsdoc due`'s listing with the corrective actions overdue on `as_of` after it (nothing added when
    there is no store): a section of text, a key `overdue_corrective_actions` in JSON, a table in HTML."""
    import html

    lines = overdue_capa_lines(root, db_url, as_of, labels)
    if lines is None:
        return data
    title = labels.format("due_capa_title", count=len(lines))
    if fmt == "json":
        doc = json.loads(data)
        doc["overdue_corrective_actions"] = lines
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if not lines:
        return data
    if fmt == "html":
        items = "".join(f"<li><pre>{html.escape(line)}</pre></li>" for line in lines)
        section = f"<h2>{html.escape(title)}</h2>\n<ul>{items}</ul>\n"
        return data.decode("utf-8").replace("</body>", section + "</body>", 1).encode("utf-8")
    return data + ("\n" + "\n".join([title, *lines]) + "\n").encode("utf-8")


COMMANDS: tuple[click.Command, ...] = (db, records, audit, capa)
"""The groups qmsdoc/cli.py adds to the main command."""
