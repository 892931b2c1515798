"""The command line: validates, loads and calls an action; the only place that picks exit codes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from qmsdoc import __version__
from qmsdoc.cli_common import (
    NORMAL,
    QUIET,
    VERBOSE,
    adopt_conventions,
    config_missing,
    group_root_option,
    label,
    quiet_option,
    root_option,
    say,
    verbosity,
    verbosity_options,
)
from qmsdoc.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Diagnostics, SourceError
from qmsdoc.lint_formats import LINT_FORMATS, REVIEW, UNFROZEN, UNRELEASED, LintMessage
from qmsdoc.load.project import load_project
from qmsdoc.model.findings import Report
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.portal.serve import REQUEST_TIMEOUT, WORKERS
from qmsdoc.report.due import FORMATS as DUE_FORMATS

FORMAT_CHOICES = ("text", "json", "jsonl", "junit", "sarif", "html", "docx", "xlsx", "csv")

def _load(root: Path, *, exit_code: int = EXIT_FINDINGS) -> Project:
    """The validated project, or exit after printing every problem (1, or 2 for `check`)."""
    if not (root / "qmsdoc.yaml").is_file():
        click.echo(f"{label('error')} {config_missing(root)}", err=True)
        sys.exit(EXIT_USAGE)
    try:
        return load_project(root)
    except SourceError as exc:
        _print_problems(exc)
        sys.exit(exit_code)


def _print_problems(exc: SourceError) -> None:
    items = exc.diagnostics.sorted()
    for d in items:
        click.echo(d.format(), err=True)
    click.echo(f"{len(items)} problem(s) found.", err=True)


COMMAND_ORDER = ("init", "new", "import", "lint", "clauses", "schema", "keygen", "signer", "sign", "build", "release",
                 "freeze", "redline", "register", "verify", "serve", "extract", "check", "due", "records", "audit",
                 "capa", "db")
"""The commands in the order of the work, as `qmsdoc --help` lists them: start a document set, write
and lint the documents, build and release them, keep them verified, then check and keep records.
A command missing here is listed last (and a test fails, so none is forgotten)."""


class _Commands(click.Group):
    """The command group; an unexpected error ends in one line and exit 2, not a traceback. Lists the
    commands in the order of the work, and gives each -q/-v (cli_common) when it lacks them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        known = [name for name in COMMAND_ORDER if name in self.commands]
        return known + sorted(name for name in self.commands if name not in COMMAND_ORDER)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            adopt_conventions(command)  # also a command registered by another module, however late
        return command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except OSError as exc:
            from qmsdoc.records.files import display_path

            name = display_path(os.fsdecode(exc.filename)) if isinstance(exc.filename, (str, bytes)) else ""
            click.echo(f"error: {name}: {exc.strerror or exc}".replace("error: : ", "error: "), err=True)
            sys.exit(EXIT_USAGE)
        except Exception as exc:  # a bug: say so plainly; QMSDOC_DEBUG=1 shows the traceback
            if os.environ.get("QMSDOC_DEBUG"):
                raise
            click.echo(f"qmsdoc: internal error: {type(exc).__name__}: {exc}\n"
                       "    please report it; run again with QMSDOC_DEBUG=1 for the details", err=True)
            sys.exit(EXIT_USAGE)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qmsdoc")
@group_root_option
@verbosity_options
def main() -> None:
    """Document control for a quality management system.

    Run in the folder of a document set (or any folder below it), or give --root DIR before or after
    the command. -q and -v work before and after every command. Shell completion: see README.

    Example: qmsdoc lint && qmsdoc build
    """


@main.command()
@root_option
@click.option("--as-of", callback=lambda c, p, v: _parse_day(c, p, v), metavar="YYYY-MM-DD",
              help="Also report periodic reviews due (within 30 days) or overdue on this day.")
@click.option("--fail-on-overdue", is_flag=True,
              help="Exit 1 when a periodic review is overdue (on --as-of, default today).")
@click.option("--format", "fmt", type=click.Choice(LINT_FORMATS), default="text", show_default=True,
              help="text: path:line:col lines on standard error; json, sarif (2.1.0) or github (Actions "
                   "annotations) on standard output. The exit code is the same in every format.")
@verbosity_options
def lint(root: Path, as_of: dt.date | None, fail_on_overdue: bool, fmt: str = "text") -> None:
    """Check every source file; print path:line:col problems; exit 1 if there are any.

    Effective revisions not released and releases without recorded inputs are warnings, periodic
    reviews due are notes (errors when overdue under --fail-on-overdue); only errors make exit 1.

    Example: qmsdoc lint --format github
    """
    from qmsdoc.lint_formats import SOURCE

    if not (root / "qmsdoc.yaml").is_file():
        _load(root)  # says where it looked, exit 2
    try:
        project = load_project(root)
        from qmsdoc.checker.revisions import rule_book

        book = rule_book(project)  # every rule against every revision of its procedure it applies to
        found = Diagnostics()
        found.extend(book.diagnostics)
        if project.signers or project.site.signatures.enabled:  # signatures given, not yet released
            from qmsdoc.load.labels import load_labels
            from qmsdoc.signing.lint import signature_diagnostics

            found.extend(signature_diagnostics(project, load_labels(project.site.language)))
        if found:
            raise SourceError(found)
    except SourceError as exc:
        problems = [LintMessage(d.location, "error", d.message, d.hint, SOURCE) for d in exc.diagnostics.sorted()]
        if fmt == "text":
            _print_problems(exc)
        else:
            _emit_lint(fmt, problems, root, f"{len(problems)} problem(s) found.")
        sys.exit(EXIT_FINDINGS)
    messages, overdue = _lint_notices(project, as_of, fail_on_overdue)
    codes = len({r.code for r in book.all_rules()})
    summary = f"{len(project.procedures)} procedures, {len(project.forms)} forms, {codes} rules"
    if fail_on_overdue and overdue:
        closing = f"{summary}: {overdue} periodic review(s) overdue."
    else:
        counts = Counter(m.rule for m in messages)
        extra = [f"{counts[UNRELEASED]} effective revision(s) not released"] if counts[UNRELEASED] else []
        extra += [f"{counts[UNFROZEN]} release(s) without recorded inputs"] if counts[UNFROZEN] else []
        extra += [f"{counts[REVIEW]} periodic review(s) due or overdue"] if counts[REVIEW] else []
        closing = f"{summary}: no problems" + "".join(f"; {e}" for e in extra) + "."
    if fmt == "text":
        for m in messages:
            click.echo(f"{m.location}: {label(m.severity)} {m.message}\n    hint: {m.hint}", err=True)
        if fail_on_overdue and overdue:
            click.echo(closing, err=True)  # the reason for exit 1: never hidden
        else:
            say(NORMAL, closing)
    else:
        _emit_lint(fmt, messages, root, closing)
    sys.exit(EXIT_FINDINGS if fail_on_overdue and overdue else EXIT_OK)


def _lint_notices(project: Project, as_of: dt.date | None, fail_on_overdue: bool) -> tuple[list[LintMessage], int]:
    """What lint says of a project that loads: periodic reviews (with --as-of or --fail-on-overdue),
    effective revisions not released, releases without recorded inputs; and how many reviews are overdue."""
    from qmsdoc.lifecycle.freeze import without_inputs
    from qmsdoc.lifecycle.release import unreleased

    messages: list[LintMessage] = []
    overdue = 0
    if as_of or fail_on_overdue:
        from qmsdoc.lifecycle.review import OVERDUE, review_notices

        day = as_of or dt.date.today()  # the only clock reading: reviews are judged on this day
        for notice in review_notices(project, day):
            level = "error" if notice.status == OVERDUE and fail_on_overdue else "note"
            overdue += notice.status == OVERDUE
            messages.append(LintMessage(notice.loc, level, notice.message(), notice.hint, REVIEW))
    for u in unreleased(project):  # a warning, not a problem: the exit code stays as it is
        messages.append(LintMessage(u.loc, "warning", u.message(), u.hint, UNRELEASED))
    for r in without_inputs(project):
        messages.append(LintMessage(
            r.loc, "warning", f"{r.id} {r.revision} was released before qmsdoc recorded what it was rendered from, "
            "so a change to its params, titles or site settings is not caught", "run `qmsdoc freeze` to record them",
            UNFROZEN))
    return messages, overdue


def _emit_lint(fmt: str, messages: list[LintMessage], root: Path, closing: str) -> None:
    """Lint's messages in a machine format on standard output; the closing line on standard error."""
    from qmsdoc.lint_formats import render_github, render_json, render_sarif

    text = {"json": lambda: render_json(messages), "sarif": lambda: render_sarif(messages, root),
            "github": lambda: render_github(messages, root)}[fmt]()
    click.echo(text, nl=False)
    say(NORMAL, closing, err=True)


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output/ under --root).")
@click.option("--pdf", is_flag=True,
              help="Also convert the documents that changed to PDF with LibreOffice (soffice).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes generating documents (default: all cores); the bytes are the same.")
@click.option("--as-of", callback=lambda c, p, v: _parse_day(c, p, v), metavar="YYYY-MM-DD",
              help="Publish the documents as they stand on this day (default: today): a revision whose "
                   "effective date has not come is pending, its predecessor stays current.")
@click.option("--db", "db_url", envvar="QMSDOC_DATABASE_URL", show_envvar=True, metavar="URL",
              help="The records store the portal's dashboard is made from (default: the project's SQLite store, "
                   "when there is one; no store, no dashboard).")
@verbosity_options
def build(root: Path, out: Path | None, pdf: bool, jobs: int | None, as_of: dt.date | None,
          db_url: str | None) -> None:
    """Build controlled Word documents, blank forms and the staff portal (output/site/).

    Says one line: how many documents, how many changed, and the portal; -v also names each file
    written.

    Example: qmsdoc build --as-of 2026-12-01 --pdf
    """
    from qmsdoc.load.labels import load_labels
    from qmsdoc.portal.pdf import PdfError, convert_to_pdf, needing_pdf, require_soffice
    from qmsdoc.portal.write import write_site
    from qmsdoc.publish import build_all

    project = _load(root)
    out = out or root / "output"
    soffice = None
    if pdf:
        try:
            soffice = require_soffice()
        except PdfError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
    day = as_of or dt.date.today()  # the only clock reading: what is in force is decided for this day
    try:
        results = build_all(project, out, as_of=day, jobs=jobs)
    except SourceError as exc:  # a released file that is missing
        _print_problems(exc)
        sys.exit(EXIT_FINDINGS)
    changed = sum(1 for r in results if r.changed)
    for r in results:
        if r.changed:
            say(VERBOSE, f"wrote {r.path}")
    pdf_failed = False
    if soffice:
        todo = needing_pdf(results)
        try:
            made = convert_to_pdf(soffice, todo)
            say(NORMAL, f"{len(made)} PDF(s) made with LibreOffice ({len(results) - len(todo)} up to date).")
        except PdfError as exc:
            click.echo(f"error: {exc}", err=True)
            pdf_failed = True
    from qmsdoc.store.cli import site_dashboard

    site = write_site(project, load_labels(project.site.language), out, built=results, as_of=day,
                      dashboard=site_dashboard(root, db_url, project, day))
    say(NORMAL, f"{len(results)} documents in {out} as of {day} ({changed} changed); portal: {site.home} lists "
                f"{site.current} current, {site.pending} pending and {site.archived} archived documents "
                f"({site.changed} files changed).")
    if pdf_failed:
        sys.exit(EXIT_FINDINGS)


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder holding site/ (default: output/ under --root).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=REQUEST_TIMEOUT, show_default=True,
              help="Seconds a client has to send its request, and for each read or write after it.")
@click.option("--workers", type=click.IntRange(1, 256), default=WORKERS, show_default=True,
              help="Threads that answer requests.")
def serve(root: Path, out: Path | None, host: str, port: int, timeout: float, workers: int) -> None:
    """Serve the staff portal built by `qmsdoc build`, read-only; nothing outside output/site/.

    Example: qmsdoc serve --host 0.0.0.0 --port 8080
    """
    from qmsdoc.portal.serve import make_server
    from qmsdoc.portal.write import HOME, site_dir

    site = site_dir(out or root / "output")
    if not (site / HOME).is_file():
        click.echo(f"error: {site / HOME} not found; run `qmsdoc build` first", err=True)
        sys.exit(EXIT_USAGE)
    try:
        server = make_server(site, host, port, timeout=timeout, workers=workers)
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror}; choose another --port", err=True)
        sys.exit(EXIT_USAGE)
    shown = f"[{host}]" if ":" in host else host
    say(NORMAL, f"Serving {site} at http://{shown}:{server.server_address[1]}/ (read-only; Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say(NORMAL, "stopped.")
    finally:
        server.server_close()


@main.command()
@root_option
@click.argument("doc_id")
def clauses(root: Path, doc_id: str) -> None:
    """List the clause labels of a procedure, as rules and forms cite them.

    Works while other files have lint problems (they are counted, not shown): only the procedure's
    own file must load.

    Example: qmsdoc clauses SJE/ZY/GK-09
    """
    from qmsdoc.cli_common import suggest_ids
    from qmsdoc.load.project import load_one_procedure

    if not (root / "qmsdoc.yaml").is_file():
        _load(root)  # says where it looked, exit 2
    try:
        found = load_one_procedure(root, doc_id)
    except SourceError as exc:  # the procedure's own file (or qmsdoc.yaml) does not load
        _print_problems(exc)
        sys.exit(EXIT_FINDINGS)
    if found.elsewhere:
        click.echo(f"{label('note')} {found.elsewhere} problem(s) elsewhere in the sources are not shown; "
                   "run `qmsdoc lint` to see them", err=True)
    proc = found.procedure
    if proc is None:
        close = suggest_ids(doc_id, found.ids)
        listed = ", ".join(sorted(found.ids)[:12]) + (", …" if len(found.ids) > 12 else "")
        hint = (f"did you mean {' or '.join(close)}?" if close
                else f"the procedures are: {listed}" if found.ids else "there is no procedure in procedures/ yet")
        click.echo(f"{label('error')} no procedure {doc_id}\n    hint: {hint}", err=True)
        sys.exit(EXIT_USAGE)
    for name, clause in proc.clauses.items():
        click.echo(f"{proc.id} {name}\t{clause.loc}")


@main.command()
@root_option
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True)
def extract(root: Path, files: tuple[Path, ...], fmt: str) -> None:
    """Read filled .docx forms back as typed field values.

    A file that cannot be read gets one line on standard error and the others are still read;
    exit 1 when any could not be read. A FIFO, device or socket is never opened.

    Example: qmsdoc extract --format yaml filled/反馈单-001.docx
    """
    import json
    import stat

    from qmsdoc.model.records import RecordError
    from qmsdoc.records.docx_form import read_docx_form, record_to_dict
    from qmsdoc.records.files import display_path

    project = _load(root)
    out, failed = [], 0
    for path in files:
        source = display_path(path)
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                raise RecordError(source, "not a regular file (a folder, FIFO, device or socket): not read")
            out.append(record_to_dict(read_docx_form(path, project, source)))
        except RecordError as exc:
            failed += 1
            click.echo(f"{exc.source}: error: {exc.message}", err=True)
        except OSError as exc:
            failed += 1
            click.echo(f"{source}: error: cannot be read: {exc.strerror or exc}", err=True)
        except Exception as exc:  # a reader bug costs this file, not the others
            if os.environ.get("QMSDOC_DEBUG"):
                raise
            failed += 1
            click.echo(f"{source}: error: internal error while reading: {type(exc).__name__}: {exc}; "
                       "please report it", err=True)
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        import yaml
        click.echo(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), nl=False)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a date; write YYYY-MM-DD') from None


@main.command()
@root_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--store", "from_store", is_flag=True,
              help="Check the records kept in the store (qmsdoc records add) instead of PATHS; a record already "
                   "checked against the same rules on the same audit date is not checked again.")
@click.option("--since-last", is_flag=True,
              help="With --store: only the records submitted since the last stored audit (qmsdoc audit run).")
@click.option("--db", "db_url", envvar="QMSDOC_DATABASE_URL", show_envvar=True, metavar="URL",
              help="With --store: the store (default: the project's SQLite store).")
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD",
              help="Audit date: deadlines are judged on this day (default: today). Printed in every report.")
@click.option("--since", callback=_parse_day, metavar="YYYY-MM-DD",
              help="Start of the audited period for frequency and coverage rules "
                   "(default: the earliest record date).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True,
              help="Format written to standard output.")
@click.option("-o", "--output", "outputs", multiple=True, metavar="[FORMAT:]FILE",
              help="Also write a report file; the format comes from the suffix (.json .jsonl .xml "
                   ".sarif .html .docx .xlsx .csv .txt) or a FORMAT: prefix. Repeatable.")
@click.option("--plan", "plan_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="AUDIT.yaml", help="The audit plan: number, dates, team, auditee, scope, objectives "
                                         "(docs/audit-plan-format.md), printed on the Word, HTML and "
                                         "spreadsheet reports.")
@click.option("--auditor", "auditors", multiple=True, metavar="NAME",
              help="An auditor of the team (repeatable; the first leads it); replaces the plan's team.")
@click.option("--auditee", metavar="TEXT", help="The audited organisation or departments; replaces the plan's.")
@click.option("--audit-number", metavar="NUMBER",
              help="The audit number; replaces the plan's (default: made from the site's record numbers, the "
                   "audit date and a digest of the findings, e.g. SJE/JL/NS-20260115-3F2A).")
@click.option("--fail-on", type=click.Choice(["major", "minor", "observation"]), default="minor",
              show_default=True, help="Exit 1 when a finding of this severity or above is found (a rule that "
                                      "cannot be evaluated counts at its severity; an open item never counts).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (reports are still written).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores).")
@quiet_option(help="No progress bar and no standard-output report (the reports of -o are still written).")
@click.option("--follow-links", is_flag=True,
              help="Also follow symbolic links that lead outside a checked folder (by default each is a "
                   "finding and is not followed). A link loop is walked once.")
@click.option("--allow-empty", is_flag=True,
              help="Accept a run that finds no record (by default a folder without records, or a path or "
                   "pattern that matches none, is an error: exit 2).")
def check(root: Path, paths: tuple[Path, ...], from_store: bool, since_last: bool, db_url: str | None,
          as_of: dt.date | None, since: dt.date | None, fmt: str,
          outputs: tuple[str, ...], plan_path: Path | None, auditors: tuple[str, ...], auditee: str | None,
          audit_number: str | None, fail_on: str, exit_zero: bool, jobs: int | None, quiet: bool,
          follow_links: bool, allow_empty: bool) -> None:
    """Check submitted records (.docx forms, JSON, JSON Lines, YAML, CSV) against the rules.

    PATHS are folders (walked recursively), files, or patterns such as exports/*.jsonl (expanded
    here when the shell has not). Every file, line or row that cannot be read, and every folder
    that cannot be listed, is a finding (QMS-RECORD) and the rest are checked; a FIFO or device
    is never opened. Files that are not records are counted on standard error. Finding no
    record at all is an error (exit 2) unless --allow-empty.

    Example: qmsdoc check records/ --as-of 2026-01-15 -o output/audit/report.docx
    """
    from qmsdoc.model.audit import AuditPlan
    from qmsdoc.model.rules import Severity
    from qmsdoc.records.files import display_path
    from qmsdoc.report import BINARY, render

    quiet = quiet or verbosity() == QUIET  # -q before the command counts too (and -v after it overrides it)
    targets = output_targets(outputs, FORMAT_CHOICES)
    plans: list[AuditPlan | None] = []

    def read_plan(project: Project) -> None:  # before any record is read: a bad plan costs no run
        from qmsdoc.load.audit_plan import load_audit_plan, with_options
        try:
            plan = load_audit_plan(plan_path, display_path(plan_path), project) if plan_path else None
        except SourceError as exc:
            _print_problems(exc)
            sys.exit(EXIT_USAGE)
        plans.append(with_options(plan, auditors, auditee, audit_number))

    if bool(paths) == (from_store or since_last):
        raise click.UsageError("name the records to check (PATHS), or check the stored ones with --store")
    if from_store or since_last:
        from qmsdoc.store.cli import check_store_records

        project, labels, report = check_store_records(root, db_url, as_of, since, since_last, quiet, allow_empty,
                                                      prepare=read_plan, jobs=jobs)
    else:
        project, labels, report = _check_records(root, paths, as_of, since, jobs, quiet, follow_links, allow_empty,
                                                 prepare=read_plan)
    report = dataclasses.replace(report, plan=plans[0])
    write_reports(targets, report, project, labels)
    if not quiet and fmt in BINARY:
        click.echo(f"error: {fmt} goes to a file: -o report.{fmt}", err=True)
    elif not quiet:
        click.echo(render(fmt, report, project, labels).decode("utf-8"), nl=False)
    failing = report.at_or_above(Severity(fail_on))
    sys.exit(EXIT_OK if exit_zero or not failing else EXIT_FINDINGS)


@main.command()
@root_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD",
              help="The day deadlines are judged on (default: today), as for check.")
@click.option("--db", "db_url", envvar="QMSDOC_DATABASE_URL", show_envvar=True, metavar="URL",
              help="The records store whose overdue corrective actions are listed too (default: the project's "
                   "SQLite store, when there is one).")
@click.option("--within", callback=lambda c, p, v: _parse_days(c, p, v), metavar="Nd",
              help="Only items due within N days of --as-of (e.g. 7d); by default all open items.")
@click.option("--format", "fmt", type=click.Choice(DUE_FORMATS), default="text", show_default=True,
              help="Format written to standard output.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead (the format still comes from --format).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
def due(root: Path, paths: tuple[Path, ...], as_of: dt.date | None, db_url: str | None, within: int | None, fmt: str,
        output: Path | None, jobs: int | None) -> None:
    """List the open items of the records: deadlines still running, soonest due first.

    The same rules, calendar and audit date as check; an open item is not a finding. Example:
    qmsdoc due records/ --within 7d"""
    from qmsdoc.report.due import due_items, render_due

    _, labels, report = _check_records(root, paths, as_of, None, jobs, True, False, False)
    data = render_due(fmt, report, due_items(report, within), labels)
    from qmsdoc.store.cli import with_overdue_capas

    data = with_overdue_capas(data, fmt, root, db_url, report.as_of, labels)  # and the overdue corrective actions
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    else:
        click.echo(data.decode("utf-8"), nl=False)
    sys.exit(EXIT_OK)


def _parse_days(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    digits = value[:-1] if value.endswith("d") else value
    if not digits.isdigit() or len(digits) > 5:
        raise click.BadParameter(f'"{value}" is not a number of days; write e.g. 7d')
    return int(digits)


def output_targets(outputs: tuple[str, ...], formats: tuple[str, ...]) -> list[tuple[str, Path]]:
    """Each `-o [FORMAT:]FILE` as (format, path): the prefix when it names a format, else the suffix."""
    from qmsdoc.report import guess_format

    targets = []
    for spec in outputs:
        prefix, sep, rest = spec.partition(":")
        if sep and prefix in formats:
            targets.append((prefix, Path(rest)))
            continue
        guessed = guess_format(Path(spec))
        if guessed is None:
            raise click.BadParameter(f"cannot tell the format of {spec}; add a suffix or a FORMAT: prefix",
                                     param_hint="--output")
        targets.append((guessed, Path(spec)))
    return targets


def write_reports(targets: list[tuple[str, Path]], report: Report, project: Project, labels: Labels, *,
                  announce: bool = False) -> None:
    """Write the report in each (format, path); a file that cannot be written ends the command (exit 2)."""
    from qmsdoc.records.files import display_path
    from qmsdoc.report import write

    for fmt, path in targets:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as out:
                write(fmt, report, project, labels, out)
        except OSError as exc:
            click.echo(f"error: cannot write {display_path(path)}: {exc.strerror}", err=True)
            sys.exit(EXIT_USAGE)
        if announce:
            click.echo(f"wrote {display_path(path)}")


def _check_records(root: Path, paths: tuple[Path, ...], as_of: dt.date | None, since: dt.date | None,
                   jobs: int | None, quiet: bool, follow_links: bool, allow_empty: bool,
                   prepare: Callable[[Project], None] | None = None) -> tuple[Project, Labels, Report]:
    """What `check` and `due` share: load, find the records, check them on the audit date. `prepare` reads
    what else the run needs from the loaded project (the audit plan) before any record is read."""
    from qmsdoc.checker.engine import Checker
    from qmsdoc.checker.run import check_paths, find_record_files, skipped_summary
    from qmsdoc.load.labels import load_labels
    from qmsdoc.records.files import display_path

    named, unmatched = _expand_paths(paths)
    project = _load(root, exit_code=EXIT_USAGE)
    if prepare is not None:
        prepare(project)
    labels = load_labels(project.site.language)
    audit_day = as_of or dt.date.today()  # the only clock reading; rules get the date
    scope = " ".join(display_path(p) for p in paths)
    try:
        checker = Checker(project, labels, audit_day, since=since, scope=scope)
    except SourceError as exc:  # a rule that does not compile against a revision it applies to
        _print_problems(exc)
        sys.exit(EXIT_USAGE)
    found = find_record_files(named, root, follow_links=follow_links)
    if found.skipped:
        say(NORMAL, f"note: {skipped_summary(found.skipped)}", err=True)
    nothing = [f"{p}: matches no file" for p in unmatched]
    nothing += [f"no records found under {display_path(p)}" for p in found.empty]
    if nothing and not allow_empty:
        _no_records(nothing)
    show_bar = not quiet and sys.stderr.isatty()
    with click.progressbar(length=1, label="checking", file=sys.stderr) if show_bar else _NoBar() as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)
        report = check_paths(checker, named, jobs=jobs, root=root, progress=progress,
                             follow_links=follow_links, found=found)
    if not allow_empty and report.records == 0 and not any(f.rule == "QMS-RECORD" for f in report.findings):
        files = "file holds" if report.sources == 1 else f"{report.sources} files hold"
        _no_records([f"no records found under {scope}: the {files} no record"])
    return project, labels, report


GLOB_CHARACTERS = frozenset("*?[")


def _expand_paths(paths: tuple[Path, ...]) -> tuple[list[Path], list[str]]:
    """The paths to check, each pattern (exports/*.jsonl, records/**/*.json) that names no existing file
    expanded in sorted order, as a shell would; and the patterns that matched nothing. A path that does
    not exist and is not a pattern is a usage error."""
    import glob

    named: list[Path] = []
    unmatched: list[str] = []
    for path in paths:
        text = os.fspath(path)
        if path.exists() or path.is_symlink():
            named.append(path)
        elif GLOB_CHARACTERS & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            named.extend(Path(m) for m in matches)
            if not matches:
                unmatched.append(text)
        else:
            raise click.BadParameter(f"{text}: no such file or folder", param_hint="PATHS")
    return named, unmatched


def _no_records(problems: list[str]) -> None:
    """Exit 2: the run would check nothing there, which is never taken as a pass."""
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    click.echo("    hint: check the path (records are .docx, .json, .jsonl, .yaml and .csv files), "
               "or pass --allow-empty to accept a run without records", err=True)
    sys.exit(EXIT_USAGE)


class _NoBar:
    """Stands in for the progress bar when standard error is not a terminal."""

    length = 0
    pos = 0

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        self.pos += n


# -- document-control lifecycle ------------------------------------------------------------

@main.command()
@root_option
@click.argument("doc_ids", nargs=-1, metavar="ID…")
@click.option("--all", "everything", is_flag=True, help="Release every document whose current revision has no release.")
@click.option("--date", "released_on", callback=_parse_day, metavar="YYYY-MM-DD",
              help="The release date the controller records (default: today).")
@click.option("--by", "released_by", envvar="QMSDOC_RELEASED_BY", show_envvar=True, required=True,
              callback=lambda c, p, v: _person(c, p, v), metavar="NAME",
              help="Who releases them (the document controller), recorded as released_by in release.json; "
                   "required, or taken from QMSDOC_RELEASED_BY when --by is not given.")
@click.option("--no-pdf", is_flag=True, help="Do not make PDFs, even when LibreOffice (soffice) is installed.")
def release(root: Path, doc_ids: tuple[str, ...], everything: bool, released_on: dt.date | None, released_by: str,
            no_pdf: bool) -> None:
    """Freeze revisions in releases/: source, .docx, PDF and release.json with digests.

    Who releases them is recorded too: --by NAME, or the environment variable
    QMSDOC_RELEASED_BY when --by is not given; one of them is required.

    Example: qmsdoc release SJE/ZY/GK-09 --by "Wang Li" --date 2026-03-01
    """
    import shutil

    from qmsdoc.errors import did_you_mean
    from qmsdoc.lifecycle.release import ReleaseError, select
    from qmsdoc.lifecycle.release import release as do_release
    from qmsdoc.load.labels import load_labels

    if bool(doc_ids) == everything:
        raise click.UsageError("name the documents to release, or pass --all")
    project = _load(root)
    try:
        docs, skipped = select(project, list(doc_ids), everything)
    except KeyError as exc:
        name = exc.args[0]
        hint = did_you_mean(name, [*project.procedures, *project.forms])
        click.echo(f"error: no procedure or form {name}" + (f"; {hint}" if hint else ""), err=True)
        sys.exit(EXIT_USAGE)
    for s in skipped:
        say(NORMAL, f"{s.id} {s.revision}: not released ({s.reason})")
    if not docs:
        say(NORMAL, "nothing to release.")
        sys.exit(EXIT_OK)
    # the only clock reading: the release date is an event recorded here, on the organisation's calendar
    day = released_on or dt.datetime.now(ZoneInfo(project.site.timezone)).date()
    soffice = None if no_pdf else shutil.which("soffice")
    try:
        done = do_release(project, docs, day, load_labels(project.site.language), soffice, released_by)
    except SourceError as exc:
        _print_problems(exc)
        click.echo("nothing was released.", err=True)
        sys.exit(EXIT_FINDINGS)
    except ReleaseError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    for r in done:
        say(NORMAL, f"released {r.id} {r.revision} on {r.released_on} by {r.released_by} → {r.folder}/"
                    + ("" if r.pdf else " (no PDF)"))
    say(NORMAL, f"{len(done)} revision(s) released.")


def _person(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A name as written in release.json: spacing normalised, no control characters."""
    name = " ".join(value.split())
    if not name or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise click.BadParameter(f'"{value}" is not a name; give the name of the person releasing')
    return name


@main.command()
@root_option
@click.argument("doc_ids", nargs=-1, metavar="[ID]...")
def freeze(root: Path, doc_ids: tuple[str, ...]) -> None:
    """Record the inputs of releases made before qmsdoc kept them, once proven to give the released file.

    Example: qmsdoc freeze SJE/ZY/GK-08
    """
    from qmsdoc.lifecycle.freeze import freeze as do_freeze
    from qmsdoc.load.labels import load_labels

    project = _load(root)
    results = do_freeze(project, load_labels(project.site.language), list(doc_ids))
    refused = [r for r in results if not r.recorded]
    for r in results:
        if r.recorded:
            say(NORMAL, f"{r.release.folder}/release.json: inputs recorded")
    for r in refused:
        click.echo(f"{r.release.loc}: error: {r.release.id} {r.release.revision}: inputs not recorded: {r.reason}\n"
                   "    hint: check out the sources as they were when it was released and run qmsdoc freeze there, "
                   "or leave the record without inputs", err=True)
    closing = (f"{len(results) - len(refused)} release(s) frozen with their inputs"
               + (f"; {len(refused)} could not be" if refused else "") + ".")
    if refused:
        click.echo(closing)  # with the refusals above: the reason for exit 1, never hidden
    else:
        say(NORMAL, closing)
    sys.exit(EXIT_FINDINGS if refused else EXIT_OK)


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder whose published files are checked too (default: output/ under --root).")
@click.option("--as-of", callback=lambda c, p, v: _parse_day(c, p, v), metavar="YYYY-MM-DD",
              help="The day the output was built for (default: today), as given to qmsdoc build.")
@click.option("--db", "db_url", envvar="QMSDOC_DATABASE_URL", show_envvar=True, metavar="URL",
              help="The records store whose event chain is checked too (default: the project's SQLite store, "
                   "when there is one).")
def verify(root: Path, out: Path | None, as_of: dt.date | None, db_url: str | None) -> None:
    """Recompute the digests of releases/ and of the published copies of released revisions, and check
    the records store's event chain.

    Example: qmsdoc verify --as-of 2026-12-01
    """
    from qmsdoc.lifecycle.verify import verify as do_verify
    from qmsdoc.store.cli import verify_store_command

    project = _load(root)
    day = as_of or dt.date.today()  # the only clock reading: which revisions are published on this day
    result = do_verify(project, out or root / "output", day)
    for problem in result.problems:
        click.echo(problem.format(), err=True)
    store_problems, store_summary = verify_store_command(root, db_url)
    for line in store_problems:
        click.echo(line, err=True)
    published = (f", {result.published} published file(s)" if result.output_checked
                 else "; output/ not built, published files not checked")
    signed = f", {result.signatures} electronic signature(s)" if result.signatures else ""
    summary = f"{result.releases} release(s): {result.files} released file(s){signed}{published}"
    if store_summary and store_problems:  # the records store, when there is one
        click.echo(f"{store_summary}: {len(store_problems)} problem(s).", err=True)
    elif store_summary:
        say(NORMAL, f"{store_summary}: OK.")
    if result.problems or store_problems:
        click.echo(f"{summary}: {len(result.problems) + len(store_problems)} problem(s).", err=True)
        sys.exit(EXIT_FINDINGS)
    say(NORMAL, f"{summary}: OK.")


@main.command()
@root_option
@click.option("--as-of", callback=_parse_day, metavar="YYYY-MM-DD",
              help="List states on this day (default: today) and mark periodic reviews due (within 30 days) "
                   "or overdue.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for register.docx, register.xlsx and register.csv (default: output/register/).")
def register(root: Path, as_of: dt.date | None, out: Path | None) -> None:
    """Write the master list of controlled documents (受控文件清单) as .docx, .xlsx and .csv.

    Example: qmsdoc register --as-of 2026-12-01 --out output/register
    """
    from qmsdoc.lifecycle.register import build_register, register_csv
    from qmsdoc.lifecycle.register_docx import register_docx
    from qmsdoc.lifecycle.register_xlsx import register_xlsx
    from qmsdoc.load.labels import load_labels
    from qmsdoc.outputs import write_if_changed

    project = _load(root)
    labels = load_labels(project.site.language)
    as_of = as_of or dt.date.today()  # the only clock reading: the states of this day, as `build` lists them
    try:
        reg = build_register(project, as_of)
    except SourceError as exc:  # a release snapshot that no longer loads
        _print_problems(exc)
        sys.exit(EXIT_FINDINGS)
    folder = out or root / "output" / "register"
    for name, data in (("register.docx", register_docx(reg, project, labels)),
                       ("register.xlsx", register_xlsx(reg, labels)), ("register.csv", register_csv(reg, labels))):
        write_if_changed(folder / name, data)
        say(VERBOSE, f"wrote {folder / name}")
    due = [r for r in reg.rows if r.review]
    listed = sum(1 for r in reg.rows if r.section != "archive")
    say(NORMAL, f"{listed} current or pending, {len(reg.rows) - listed} superseded or obsolete; dated {reg.dated}"
                + (f"; {len(due)} review(s) due or overdue" if as_of else "") + f"; written to {folder}/.")


@main.command()
@root_option
@click.argument("doc_id", metavar="ID")
@click.option("--from", "from_rev", metavar="REV",
              help="The old revision (default: the last released one before --to).")
@click.option("--to", "to_rev", metavar="REV", help="The new revision (default: the current source).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The .docx to write (default: output/redline/ID_FROM_TO.docx).")
def redline(root: Path, doc_id: str, from_rev: str | None, to_rev: str | None, output: Path | None) -> None:
    """Compare two revisions as a .docx with Word tracked changes, and summarise the clauses changed.

    Example: qmsdoc redline SJE/ZY/GK-09 --from A/0 --to B/0
    """
    from qmsdoc.generator.procedure import titles
    from qmsdoc.lifecycle.redline import compare, form_units, procedure_units, summarise
    from qmsdoc.lifecycle.redline_docx import change_record, redline_docx
    from qmsdoc.lifecycle.revisions import load_revision
    from qmsdoc.load.labels import load_labels
    from qmsdoc.model.documents import Form, Procedure
    from qmsdoc.outputs import output_name, write_if_changed

    project = _load(root)
    current = project.document(doc_id)
    released = [r.revision for r in project.releases.get(doc_id, ())]
    to_rev = to_rev or (current.revision if current else (released[-1] if released else None))
    if from_rev is None:
        earlier = released[:released.index(to_rev)] if to_rev in released else released
        from_rev = earlier[-1] if earlier else None
    if to_rev is None or from_rev is None:
        click.echo(f"error: {doc_id} has no earlier released revision to compare with; pass --from", err=True)
        sys.exit(EXIT_USAGE)
    try:
        old, new = load_revision(project, doc_id, from_rev), load_revision(project, doc_id, to_rev)
    except LookupError as exc:
        click.echo(f"error: {exc.args[0]}", err=True)
        sys.exit(EXIT_USAGE)
    except SourceError as exc:
        _print_problems(exc)
        sys.exit(EXIT_FINDINGS)
    labels = load_labels(project.site.language)
    if isinstance(new, Procedure) and isinstance(old, Procedure):
        names = titles(project)
        changes = compare(procedure_units(old, names), procedure_units(new, names))
    else:
        assert isinstance(old, Form) and isinstance(new, Form), "an id is a procedure or a form in every revision"
        changes = compare(form_units(old, labels), form_units(new, labels))
    author, day = change_record(new)
    summary = summarise(changes)
    output = output or root / "output" / "redline" / output_name(doc_id, f"{from_rev}_{to_rev}")
    write_if_changed(output, redline_docx(project, old, new, changes, labels, author, day))
    counts = f"{len(summary.added)} added, {len(summary.removed)} removed, {len(summary.changed)} changed"
    say(NORMAL, f"{doc_id} {from_rev} → {to_rev} ({author}, {day}): {counts}")
    for name, items, rev in (("added", summary.added, to_rev), ("removed", summary.removed, from_rev),
                             ("changed", summary.changed, None)):
        if items:  # added clauses are numbered as in the new revision, removed ones as in the old
            say(NORMAL, f"  {name + ':':9}{', '.join(items)}" + (f" (as numbered in {rev})" if rev else ""))
    if old.title != new.title:
        say(NORMAL, f"  title:   {old.title} → {new.title}")
    say(NORMAL, f"wrote {output}")


from qmsdoc.store.cli import COMMANDS as STORE_COMMANDS  # noqa: E402  (the records store: db, records, …)

for _command in STORE_COMMANDS:
    main.add_command(_command)

from qmsdoc.scaffold.cli import COMMANDS as SCAFFOLD_COMMANDS  # noqa: E402  (init, new)

for _command in SCAFFOLD_COMMANDS:
    main.add_command(_command)

from qmsdoc.importer.cli import COMMANDS as IMPORT_COMMANDS  # noqa: E402  (import procedure|form)

for _command in IMPORT_COMMANDS:
    main.add_command(_command)

from qmsdoc.schema_cli import COMMANDS as SCHEMA_COMMANDS  # noqa: E402  (schema: JSON Schemas for editors)

for _command in SCHEMA_COMMANDS:
    main.add_command(_command)

from qmsdoc.signing.cli import COMMANDS as SIGNING_COMMANDS  # noqa: E402  (keygen, signer, sign)

for _command in SIGNING_COMMANDS:
    main.add_command(_command)
