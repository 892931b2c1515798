"""Keys (made, stored encrypted, opened only with the passphrase) and the audit trail (hash-chained)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from qmsdoc.signing import SigningError
from qmsdoc.signing.keys import MIN_PASSPHRASE, generate, open_private, parse_public, public_text, sign_bytes, verifies
from qmsdoc.signing.trail import append, verify_trail

PASS = "correct horse battery"


def test_a_key_pair_is_made_encrypted_and_private(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    path, public = generate("wangfang", PASS, folder)
    assert path == folder / "wangfang.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in path.read_bytes()
    assert public.startswith("ed25519:") and parse_public(public) is not None
    key = open_private(path, PASS)
    assert public_text(key.public_key()) == public
    signature = sign_bytes(key, b"statement")
    assert verifies(public, b"statement", signature)
    assert not verifies(public, b"statement!", signature)


def test_the_wrong_passphrase_opens_nothing(tmp_path: Path) -> None:
    path, _ = generate("wangfang", PASS, tmp_path)
    with pytest.raises(SigningError, match="passphrase does not open"):
        open_private(path, PASS + "x")


def test_keys_are_never_overwritten_nor_kept_in_the_project(tmp_path: Path) -> None:
    generate("wangfang", PASS, tmp_path / "keys")
    with pytest.raises(SigningError, match="exists"):
        generate("wangfang", PASS, tmp_path / "keys")
    with pytest.raises(SigningError, match="inside the project"):
        generate("lisi", PASS, tmp_path / "project" / "keys", project=tmp_path / "project")
    with pytest.raises(SigningError, match="shorter"):
        generate("zhaomin", "x" * (MIN_PASSPHRASE - 1), tmp_path / "keys")


def test_a_public_key_that_is_not_ed25519_is_refused() -> None:
    assert parse_public("ed25519:not-base64!") is None
    assert parse_public("rsa:AAAA") is None
    assert parse_public("ed25519:" + "A" * 8) is None  # too short for a key


def _events(root: Path, n: int) -> None:
    for i in range(n):
        append(root, f"2026-12-01T10:0{i}:00+08:00", "lisi", "signature.sign", "signature", f"doc {i}", {"i": i})


def test_the_trail_chains_its_events(tmp_path: Path) -> None:
    _events(tmp_path, 3)
    check = verify_trail(tmp_path)
    assert check.broken is None and [e.seq for e in check.events] == [1, 2, 3]
    assert check.events[1].prev_hash == check.events[0].hash


@pytest.mark.parametrize("damage, reason", [
    ("edit", "its content does not give its hash"),
    ("remove", "missing before"),
    ("rewrite", "does not carry the hash"),
    ("garbage", "not an event"),
])
def test_every_change_to_the_trail_is_named(tmp_path: Path, damage: str, reason: str) -> None:
    _events(tmp_path, 3)
    path = tmp_path / "signers" / "trail.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    if damage == "edit":
        event = json.loads(lines[1])
        event["actor"] = "mallory"
        lines[1] = json.dumps(event)
    elif damage == "remove":
        del lines[1]
    elif damage == "rewrite":  # a line altered and its own hash recomputed: the next one still points at the old
        from qmsdoc.store.events import event_hash
        event = json.loads(lines[1])
        event["actor"] = "mallory"
        event["hash"] = event_hash(*(event[k] for k in ("seq", "at", "actor", "action", "entity", "entity_id",
                                                        "before", "after", "prev_hash")))
        lines[1] = json.dumps(event)
    else:
        lines[1] = "{not json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = verify_trail(tmp_path)
    assert check.broken is not None and reason in check.broken
