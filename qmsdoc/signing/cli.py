"""The signing commands: `qmsdoc keygen`, `qmsdoc signer add|revoke|list`, `qmsdoc sign`.

Registered on the main group by qmsdoc/cli.py. The date-time of a signing, a registration or a
revocation is read from the clock here, and only here. The passphrase is asked for at every
signing and never kept. Every signing, refusal and registry change is appended to the audit
trail (signers/trail.jsonl). Exit codes: 0 done, 1 refused (and logged), 2 a usage error.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from qmsdoc.cli_common import root_option
from qmsdoc.errors import EXIT_FINDINGS, EXIT_USAGE, SourceError
from qmsdoc.model.signatures import MEANINGS
from qmsdoc.signing import SigningError

key_dir_option = click.option(
    "--key-dir", type=click.Path(file_okay=False, path_type=Path), envvar="QMSDOC_KEY_DIR", show_envvar=True,
    help="Folder of private keys (default: $XDG_CONFIG_HOME/qmsdoc/keys, i.e. ~/.config/qmsdoc/keys).")


def _now(tz: str) -> dt.datetime:
    return dt.datetime.now(ZoneInfo(tz)).replace(microsecond=0)  # the only clock reading of signing


def _refuse(exc: SigningError) -> None:
    click.echo(f"error: {exc.message}" + (f"\n    hint: {exc.hint}" if exc.hint else ""), err=True)


@click.command()
@click.option("--id", "login", required=True, metavar="LOGIN", help="The login id the key is for.")
@key_dir_option
def keygen(login: str, key_dir: Path | None) -> None:
    """Make an Ed25519 key pair for signing: the private key, encrypted with a passphrase, goes in the
    key folder outside the project; the public key is printed for the signers registry.

    Example: qmsdoc keygen --id wangfang
    """
    from qmsdoc.signing.keys import MIN_PASSPHRASE, generate
    from qmsdoc.signing.keys import key_dir as default_dir

    folder = default_dir(key_dir)
    passphrase = click.prompt(f"Passphrase for {login} (at least {MIN_PASSPHRASE} characters)", hide_input=True,
                              confirmation_prompt=True, err=True)
    try:
        path, public = generate(login, passphrase, folder, project=Path.cwd())
    except SigningError as exc:
        _refuse(exc)
        sys.exit(EXIT_USAGE)
    click.echo(f"wrote {path} (private key, encrypted; keep it to yourself)", err=True)
    click.echo(public)
    click.echo(f"Give the public key to your document controller, who registers it with:\n"
               f"    qmsdoc signer add {login} --name NAME --role ROLE --public-key {public} --by CONTROLLER",
               err=True)


@click.group()
def signer() -> None:
    """The signers registry (signers/): who may sign, with which roles and key.

    Example: qmsdoc signer list
    """


def _project(root: Path):  # type: ignore[no-untyped-def]
    from qmsdoc.cli import _load

    return _load(root)


@signer.command("add")
@root_option
@click.argument("login")
@click.option("--name", required=True, help="The printed name shown with each signature (§11.50).")
@click.option("--role", "roles", multiple=True, required=True, help="A role of qmsdoc.yaml (repeatable).")
@click.option("--public-key", required=True, metavar="ed25519:BASE64", help="The line qmsdoc keygen printed.")
@click.option("--by", required=True, metavar="NAME", help="The document controller registering the signer.")
def signer_add(root: Path, login: str, name: str, roles: tuple[str, ...], public_key: str, by: str) -> None:
    """Register a signer: writes signers/LOGIN.yaml and logs it in the audit trail.

    Example: qmsdoc signer add wangfang --name 王芳 --role 总经理 --public-key ed25519:… --by 李文控
    """
    from qmsdoc.signing.registry import add_signer

    project = _project(root)
    unknown = [r for r in roles if r not in project.site.roles]
    if unknown:
        click.echo(f"error: not a role of qmsdoc.yaml: {', '.join(unknown)}\n"
                   f"    hint: roles there: {', '.join(project.site.roles)}", err=True)
        sys.exit(EXIT_USAGE)
    now = _now(project.site.timezone)
    try:
        path = add_signer(root, login, name, roles, public_key, now.date(), by, now.isoformat())
    except SigningError as exc:
        _refuse(exc)
        sys.exit(EXIT_USAGE)
    click.echo(f"wrote {path}; commit it with the trail (signers/trail.jsonl)")


@signer.command("revoke")
@root_option
@click.argument("login")
@click.option("--on", "on", required=True, metavar="YYYY-MM-DD",
              help="The first day the key signs nothing (signatures made before it still verify).")
@click.option("--reason", required=True, help="Why (left the company, key lost, …).")
@click.option("--by", required=True, metavar="NAME", help="The document controller revoking it.")
def signer_revoke(root: Path, login: str, on: str, reason: str, by: str) -> None:
    """Revoke a signer's key from a day on, and log it in the audit trail.

    Example: qmsdoc signer revoke wangfang --on 2026-12-20 --reason "left the company" --by 李文控
    """
    from qmsdoc.signing.registry import revoke_signer

    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        raise click.BadParameter(f'"{on}" is not a date; write YYYY-MM-DD', param_hint="--on") from None
    project = _project(root)
    found = project.signers.get(login)
    if found is None:
        click.echo(f"error: no signer {login} in signers/", err=True)
        sys.exit(EXIT_USAGE)
    now = _now(project.site.timezone)
    try:
        path = revoke_signer(root, found, day, by, reason, now.isoformat())
    except SigningError as exc:
        _refuse(exc)
        sys.exit(EXIT_USAGE)
    click.echo(f"revoked {login} from {day}: {path}")


@signer.command("list")
@root_option
def signer_list(root: Path) -> None:
    """List the registered signers, their roles and whether their key is revoked.

    Example: qmsdoc signer list
    """
    project = _project(root)
    for s in project.signers.values():
        state = f"revoked from {s.revoked}" if s.revoked else "active"
        click.echo(f"{s.id}\t{s.name}\t{', '.join(s.roles)}\tadded {s.added}\t{state}")
    if not project.signers:
        click.echo("no signers registered (qmsdoc signer add)")


@click.command()
@root_option
@click.argument("doc_id", metavar="ID")
@click.option("--revision", help="The revision to sign (default: the source's current one; it must be that one).")
@click.option("--meaning", type=click.Choice(MEANINGS), required=True, help="What the signature means.")
@click.option("--signer", "login", required=True, envvar="QMSDOC_SIGNER", show_envvar=True, metavar="LOGIN",
              help="Your login id (as registered).")
@key_dir_option
def sign(root: Path, doc_id: str, revision: str | None, meaning: str, login: str, key_dir: Path | None) -> None:
    """Sign a revision as prepared, reviewed or approved, with your key and passphrase.

    The signature binds your registered name, the meaning and the date-time to the exact source and
    document as they will be released; any later change invalidates it.

    Example: qmsdoc sign SJE/ZY/GK-09 --meaning approved --signer wangfang
    """
    from qmsdoc.load.labels import load_labels
    from qmsdoc.signing.keys import key_dir as default_dir
    from qmsdoc.signing.keys import key_path, open_private
    from qmsdoc.signing.registry import REFUSED, SIGNED
    from qmsdoc.signing.sign import sign as do_sign
    from qmsdoc.signing.trail import append

    project = _project(root)
    doc = project.document(doc_id)
    if doc is None:
        from qmsdoc.errors import did_you_mean

        hint = did_you_mean(doc_id, [*project.procedures, *project.forms])
        click.echo(f"error: no procedure or form {doc_id}" + (f"; {hint}" if hint else ""), err=True)
        sys.exit(EXIT_USAGE)
    if revision is not None and revision != doc.revision:
        click.echo(f"error: {doc_id}'s source is at {doc.revision}, not {revision}: only the current revision "
                   "is signed", err=True)
        sys.exit(EXIT_USAGE)
    what = f"{doc.id} {doc.revision} {meaning}"

    def refused(exc: SigningError) -> None:
        append(root, _now(project.site.timezone).isoformat(), login, REFUSED, "signature", what,
               {"reason": exc.message})
        _refuse(exc)
        sys.exit(EXIT_FINDINGS)

    found = project.signers.get(login)
    if found is None:
        refused(SigningError(f"{login} is not a registered signer", "ask a document controller: qmsdoc signer add"))
        return
    click.echo(f"Signing {doc.id} {doc.revision} 《{doc.title}》 as {meaning}, as {found.name} ({login}).", err=True)
    passphrase = click.prompt("Passphrase", hide_input=True, err=True)
    try:
        key = open_private(key_path(login, default_dir(key_dir)), passphrase)
        del passphrase
        signature = do_sign(project, doc, meaning, found, key, _now(project.site.timezone),
                            load_labels(project.site.language))
    except SigningError as exc:
        refused(exc)
        return
    except SourceError as exc:  # the document does not render
        from qmsdoc.cli import _print_problems

        _print_problems(exc)
        sys.exit(EXIT_FINDINGS)
    st = signature.statement
    append(root, st.signed_at.isoformat(), login, SIGNED, "signature", what,
           {"file": signature.path, "statement_sha256": _digest(st.canonical()), "code": signature.code})
    click.echo(f"signed {doc.id} {doc.revision} as {meaning} at {st.signed_at.isoformat()}; "
               f"verification code {signature.code}; wrote {signature.path}")


def _digest(data: bytes) -> str:
    from qmsdoc.lifecycle.digest import sha256

    return sha256(data)


COMMANDS = (keygen, signer, sign)
