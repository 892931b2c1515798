"""signers/*.yaml → Signer: the people who may sign, with their roles and public keys.

One file per person, named by login id (signers/wangfang.yaml). Written by `qmsdoc signer add`
and `qmsdoc signer revoke`, which also log each change in the audit trail, and kept in git with
the documents: the registry is itself under change control.
"""

from __future__ import annotations

import re
from pathlib import Path

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.load.common import read_source, read_source_text
from qmsdoc.load.reader import MapReader
from qmsdoc.load.shapes import SIGNER
from qmsdoc.load.yamlsrc import parse_yaml
from qmsdoc.model.limits import Limits
from qmsdoc.model.signatures import SIGNERS_DIR, Signer

LOGIN = re.compile(r"^[a-z][a-z0-9._-]{0,63}$")
"""A login id: lower-case letters, digits, dot, dash and underscore, starting with a letter."""


def load_signers(root: Path, limits: Limits, roles: tuple[str, ...], diags: Diagnostics) -> dict[str, Signer]:
    """Every signer in `root`/signers, by login id (none when the folder is absent)."""
    out: dict[str, Signer] = {}
    folder = root / SIGNERS_DIR
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        signer = read_signer(path, rel, limits, roles, diags)
        if signer is not None:
            out[signer.id] = signer
    return out


def read_signer(path: Path, rel: str, limits: Limits, roles: tuple[str, ...], diags: Diagnostics) -> Signer | None:
    raw = read_source(path, rel, limits, diags)
    text = read_source_text(raw, rel, diags) if raw is not None else None
    node = parse_yaml(text, rel, diags) if text is not None else None
    if node is None:
        return None
    from qmsdoc.signing.keys import parse_public

    r = MapReader(node, diags, "signer", SIGNER)
    login = r.text("id", required=True)
    name = r.text("name", required=True)
    listed = r.str_list("roles")
    key = r.text("public_key", required=True)
    added = r.date("added", required=True)
    r.text("added_by")
    revoked = r.date("revoked")
    r.text("revoked_by")
    r.text("revoke_reason")
    r.finish()
    if login is not None:
        if not LOGIN.match(login):
            diags.error(r.value_loc("id"), f'login id "{login}" must be lower-case letters, digits, ".", "-" or "_"')
            login = None
        elif Path(rel).stem != login:
            diags.error(r.value_loc("id"), f'signer "{login}" is kept in {rel}', f"rename the file to {login}.yaml")
    if not listed and r.ok:
        diags.error(r.key_loc("roles") if r.has("roles") else r.loc, "signer: at least one role is needed",
                    f"roles: [{', '.join(roles[:2]) or 'a role from qmsdoc.yaml'}]")
    for role, loc in listed:
        if roles and role not in roles:
            diags.error(loc, f'signer: "{role}" is not a role of qmsdoc.yaml', f"roles there: {', '.join(roles)}")
    if key is not None and parse_public(key) is None:
        diags.error(r.value_loc("public_key"), "signer: public_key is not an Ed25519 public key (ed25519:BASE64)",
                    "copy the line qmsdoc keygen printed")
        key = None
    if revoked is not None and added is not None and revoked < added:
        diags.error(r.value_loc("revoked"), f"signer: revoked on {revoked}, before the key was added ({added})")
    if not (login and name and key and added):
        return None
    return Signer(login, name, tuple(role for role, _ in listed), key, added, revoked, rel, Location(rel, 1, 1))
