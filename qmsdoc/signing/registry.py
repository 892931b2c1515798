"""Changes to the signers registry (signers/<login>.yaml), each logged in the audit trail.

`add_signer` and `revoke_signer` write the file and append an event carrying the file's sha256,
so `registry_problems` can tell a registry file changed outside these commands (a public key or a
role edited by hand) from one changed through them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from qmsdoc.lifecycle.digest import sha256
from qmsdoc.load.signers import LOGIN
from qmsdoc.model.signatures import SIGNERS_DIR, Signer
from qmsdoc.signing import SigningError
from qmsdoc.signing.keys import parse_public
from qmsdoc.signing.trail import TrailEvent, append, details

SIGNER_ADDED = "signer.add"
SIGNER_REVOKED = "signer.revoke"
SIGNED = "signature.sign"
REFUSED = "signature.refuse"
RELEASE_REFUSED = "release.refuse"
REGISTRY_ACTIONS = (SIGNER_ADDED, SIGNER_REVOKED)


def signer_path(root: Path, login: str) -> Path:
    return root / SIGNERS_DIR / f"{login}.yaml"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def add_signer(root: Path, login: str, name: str, roles: tuple[str, ...], public_key: str, added: dt.date,
               by: str, at: str) -> Path:
    """Register a signer; refuses a login that is registered already or a key that is not Ed25519."""
    if not LOGIN.match(login):
        raise SigningError(f'login id "{login}" must be lower-case letters, digits, ".", "-" or "_"')
    if parse_public(public_key) is None:
        raise SigningError("the public key is not an Ed25519 public key (ed25519:BASE64)",
                           "copy the line qmsdoc keygen printed")
    path = signer_path(root, login)
    if path.exists():
        raise SigningError(f"{path.relative_to(root)} exists: {login} is registered already",
                           "a registration is never overwritten; revoke it and register a new login")
    text = (f"id: {login}\nname: {_quoted(name)}\nroles: [{', '.join(_quoted(r) for r in roles)}]\n"
            f"public_key: {public_key}\nadded: {added.isoformat()}\nadded_by: {_quoted(by)}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    append(root, at, by, SIGNER_ADDED, "signer", login,
           {"name": name, "roles": list(roles), "public_key": public_key, "added": added.isoformat(),
            "file_sha256": sha256(text.encode("utf-8"))})
    return path


def revoke_signer(root: Path, signer: Signer, on: dt.date, by: str, reason: str, at: str) -> Path:
    """Revoke a signer's key from `on`: signatures made before that day still verify."""
    if signer.revoked is not None:
        raise SigningError(f"{signer.id}'s key was revoked on {signer.revoked} already")
    if on < signer.added:
        raise SigningError(f"{on} is before the key was registered ({signer.added})")
    path = signer_path(root, signer.id)
    text = path.read_text(encoding="utf-8")
    text += (("" if text.endswith("\n") else "\n") + f"revoked: {on.isoformat()}\nrevoked_by: {_quoted(by)}\n"
             f"revoke_reason: {_quoted(reason)}\n")
    path.write_text(text, encoding="utf-8")
    append(root, at, by, SIGNER_REVOKED, "signer", signer.id,
           {"revoked": on.isoformat(), "reason": reason, "file_sha256": sha256(text.encode("utf-8"))})
    return path


def registry_problems(root: Path, signers: dict[str, Signer], events: tuple[TrailEvent, ...]) -> list[str]:
    """Each registry file that differs from what the trail recorded for it, or has no record there."""
    recorded: dict[str, tuple[str, TrailEvent]] = {}
    for e in events:
        if e.action in REGISTRY_ACTIONS:
            recorded[e.entity_id] = (str(details(e).get("file_sha256", "")), e)
    problems = []
    folder = root / SIGNERS_DIR
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        login = path.stem
        rel = path.relative_to(root).as_posix()
        if login not in recorded:
            problems.append(f"{rel}: not registered through qmsdoc signer add (no event in the trail)")
            continue
        digest, event = recorded[login]
        if sha256(path.read_bytes()) != digest:
            problems.append(f"{rel}: changed after {event.describe()}: the registry was edited by hand "
                            "(a key, a role or a date)")
    for login, (_, event) in sorted(recorded.items()):
        if not signer_path(root, login).is_file():
            problems.append(f"{SIGNERS_DIR}/{login}.yaml: removed, but registered in {event.describe()}")
    return problems
