"""releases/<id>/<revision>/signatures/<meaning>.json → Signature.

Written by `qmsdoc sign`; read here like any other source. A file that cannot be read as a
signature is a problem of its own (named with its path), never silently skipped: an unreadable
signature is not a signature.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from qmsdoc.model.releases import release_folder
from qmsdoc.model.signatures import MEANINGS, SIGNATURES_DIR, STATEMENT_FORMAT, Signature, Statement

MAX_SIGNATURE_BYTES = 64 * 1024
STATEMENT_KEYS = ("format", "document", "revision", "meaning", "signer", "name", "signed_at", "source_sha256",
                  "document_digest")


def signatures_folder(doc_id: str, revision: str) -> str:
    """Where the signatures of one revision are kept, relative to the project root."""
    return f"{release_folder(doc_id, revision)}/{SIGNATURES_DIR}"


def read_signatures(root: Path, doc_id: str, revision: str) -> tuple[list[Signature], list[tuple[str, str]]]:
    """The signatures of one revision in meaning order, and (path, why) for each file that is not one."""
    folder = root / signatures_folder(doc_id, revision)
    found: list[Signature] = []
    problems: list[tuple[str, str]] = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.iterdir()):
        rel = path.relative_to(root).as_posix()
        if path.suffix != ".json" or path.stem not in MEANINGS:
            problems.append((rel, f"not a signature file (expected {', '.join(m + '.json' for m in MEANINGS)})"))
            continue
        signature, why = read_signature(path, rel)
        if signature is None:
            problems.append((rel, why))
        elif signature.statement.meaning != path.stem:
            problems.append((rel, f"holds a signature for {signature.statement.meaning}, not {path.stem}"))
        else:
            found.append(signature)
    found.sort(key=lambda s: MEANINGS.index(s.statement.meaning))
    return found, problems


def read_signature(path: Path, rel: str) -> tuple[Signature | None, str]:
    """One signature file, or (None, why it is not one)."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_SIGNATURE_BYTES + 1)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    if len(raw) > MAX_SIGNATURE_BYTES:
        return None, f"larger than {MAX_SIGNATURE_BYTES} bytes"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"not valid JSON ({exc})"
    if not isinstance(data, dict) or not isinstance(data.get("statement"), dict):
        return None, 'expected an object with "statement", "public_key" and "signature"'
    s = data["statement"]
    texts = {k: s.get(k) for k in STATEMENT_KEYS}
    missing = [k for k, v in texts.items() if not isinstance(v, str) or not v]
    if missing:
        return None, f"the statement lacks {', '.join(missing)}"
    if set(s) != set(STATEMENT_KEYS):
        return None, f"the statement has keys other than {', '.join(STATEMENT_KEYS)}"
    if texts["format"] != STATEMENT_FORMAT:
        return None, f'the statement is not in the format "{STATEMENT_FORMAT}"'
    if texts["meaning"] not in MEANINGS:
        return None, f'the meaning "{texts["meaning"]}" is not one of {", ".join(MEANINGS)}'
    try:
        signed_at = dt.datetime.fromisoformat(str(texts["signed_at"]))
    except ValueError:
        return None, f'"signed_at" is not a date-time: {texts["signed_at"]}'
    if signed_at.utcoffset() is None:
        return None, '"signed_at" has no time zone offset'
    key, value = data.get("public_key"), data.get("signature")
    if not isinstance(key, str) or not isinstance(value, str):
        return None, '"public_key" and "signature" must be texts'
    statement = Statement(str(texts["document"]), str(texts["revision"]), str(texts["meaning"]),
                          str(texts["signer"]), str(texts["name"]), signed_at, str(texts["source_sha256"]),
                          str(texts["document_digest"]))
    return Signature(statement, key, value, rel), ""


def signature_json(signature: Signature) -> str:
    """A signature file's text (what `read_signature` reads back)."""
    data = {"statement": signature.statement.as_dict(), "public_key": signature.public_key,
            "signature": signature.value}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
