"""releases/*/*/release.json → Release records, and the rule that a released revision is frozen.

The release files are JSON written by `qmsdoc release`; they are read here like any source,
and every problem names release.json:line:col. Once a revision is released its source may
not change: a changed source under the same revision is a lint error that names the
document and the revision to bump to.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.load.common import read_source
from qmsdoc.load.reader import MAX_DIGITS, parse_iso_date
from qmsdoc.load.yamlsrc import UNWRITABLE
from qmsdoc.model.documents import STATUSES, Form, Procedure, Signoff
from qmsdoc.model.inputs import KINDS as INPUT_KINDS
from qmsdoc.model.inputs import kind_of
from qmsdoc.model.limits import Limits
from qmsdoc.model.releases import (
    RELEASE_FILE,
    RELEASES_DIR,
    Release,
    ReleasedFile,
    next_amendment,
    release_folder,
)

KINDS = ("procedure", "form")
FORMAT = "qmsdoc-release/1"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def load_releases(root: Path, limits: Limits, diags: Diagnostics) -> dict[str, tuple[Release, ...]]:
    """Every release record under `root`/releases, by document id, in the order they were released."""
    found: dict[str, list[Release]] = {}
    base = root / RELEASES_DIR
    if not base.is_dir():
        return {}
    for path in sorted(base.glob(f"*/*/{RELEASE_FILE}")):
        rel = path.relative_to(root).as_posix()
        raw = read_source(path, rel, limits, diags)
        release = read_release(raw, rel, diags) if raw is not None else None
        if release is None:
            continue
        expected = release_folder(release.id, release.revision)
        if release.folder != expected:
            diags.error(Location(rel, 1, 1),
                        f"the release of {release.id} {release.revision} is filed under {release.folder}",
                        f"move it to {expected}/")
            continue
        found.setdefault(release.id, []).append(release)
    return {doc_id: tuple(sorted(rs, key=lambda r: (r.released_on, r.effective, r.revision)))
            for doc_id, rs in sorted(found.items())}


class _Json:
    """Typed reading of one release.json object; positions come from where each key is written."""

    def __init__(self, data: dict, text: str, rel: str, diags: Diagnostics, where: str = ""):
        self.data, self.text, self.rel, self.diags, self.where = data, text, rel, diags, where

    def loc(self, key: str) -> Location:
        """Where `"key":` is written (inside this object's parent key for a nested object)."""
        start = 0
        if self.where:
            parent = re.search(rf'"{re.escape(self.where)}"\s*:', self.text)
            start = parent.end() if parent else 0
        m = re.compile(rf'"{re.escape(key)}"\s*:').search(self.text, start)
        if m is None:
            return Location(self.rel, 1, 1)
        at = m.start()
        line = self.text.count("\n", 0, at) + 1
        return Location(self.rel, line, at - (self.text.rfind("\n", 0, at) + 1) + 1)

    def string(self, key: str) -> str | None:
        value = self.data.get(key)
        what = f"{self.where}.{key}" if self.where else key
        if isinstance(value, str) and value:
            if UNWRITABLE.search(value) is None:
                return value
            self.diags.error(self.loc(key), f'release record: "{what}" holds a control character')
            return None
        if value is None:
            where = self.loc(key) if key in self.data else (
                _Json(self.data, self.text, self.rel, self.diags).loc(self.where) if self.where
                else Location(self.rel, 1, 1))
            self.diags.error(where, f'release record: missing "{what}"',
                             "release records are written by qmsdoc release")
        else:
            self.diags.error(self.loc(key), f'release record: "{what}" must be a text')
        return None

    def date(self, key: str) -> dt.date | None:
        text = self.string(key)
        if text is None:
            return None
        value, why = parse_iso_date(text)
        if value is None:
            self.diags.error(self.loc(key), f'release record: "{key}": {why}, got "{text}"')
        return value

    def enum(self, key: str, choices: tuple[str, ...]) -> str | None:
        text = self.string(key)
        if text is not None and text not in choices:
            self.diags.error(self.loc(key), f'release record: "{key}" is "{text}", not one of: {", ".join(choices)}')
            return None
        return text

    def sub(self, key: str) -> _Json | None:
        value = self.data.get(key)
        if isinstance(value, dict):
            return _Json(value, self.text, self.rel, self.diags, key)
        self.diags.error(self.loc(key), f'release record: "{key}" must be an object')
        return None

    def digest(self, key: str) -> str | None:
        text = self.string(key)
        if text is not None and not _HEX64.match(text):
            self.diags.error(self.loc(key), f'release record: "{key}" is not a sha256 digest (64 hex digits)')
            return None
        return text


def read_release(raw: bytes, rel: str, diags: Diagnostics) -> Release | None:
    """One release.json; `rel` is its path relative to the project root."""
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_int=_json_int)
    except UnicodeDecodeError as exc:
        diags.error(Location(rel), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    except json.JSONDecodeError as exc:
        diags.error(Location(rel, exc.lineno, exc.colno), f"release record is not valid JSON: {exc.msg}",
                    "release records are written by qmsdoc release; restore it from git")
        return None
    except (ValueError, RecursionError) as exc:  # a number too long, or nesting too deep
        diags.error(Location(rel, 1, 1), f"release record is not valid JSON: {exc}",
                    "release records are written by qmsdoc release; restore it from git")
        return None
    if not isinstance(data, dict):
        diags.error(Location(rel, 1, 1), "release record: expected a JSON object")
        return None
    j = _Json(data, text, rel, diags)
    count = len(diags)
    if data.get("format") != FORMAT:
        diags.error(j.loc("format"), f'release record: "format" must be "{FORMAT}"')
    doc_id, kind, title, revision = j.string("id"), j.enum("kind", KINDS), j.string("title"), j.string("revision")
    status = j.enum("status", STATUSES)
    signoffs = {}
    for key in ("prepared", "reviewed", "approved"):
        sub = j.sub(key)
        if sub is not None:
            name, date = sub.string("name"), sub.date("date")
            if name and date:
                signoffs[key] = Signoff(name, date)
    effective, released_on = j.date("effective"), j.date("released_on")
    # written since `release --by`; a record from before it stays valid without it
    released_by = j.string("released_by") if "released_by" in data else None
    inputs = _inputs(j) if "inputs" in data else None
    signed = _signed(j) if "signatures" in data else ()
    files = j.sub("files")
    source = docx = pdf = None
    if files is not None:
        source = _file(files, "source", "sha256")
        docx = _file(files, "docx", "canonical_sha256")
        if "pdf" in files.data:
            pdf = _file(files, "pdf", "sha256")
    folder = rel.rsplit("/", 1)[0]
    if len(diags) > count or not (doc_id and kind and title and revision and status and effective
                                   and released_on and source and docx and len(signoffs) == 3):
        return None
    return Release(doc_id, kind, title, revision, status, signoffs["prepared"], signoffs["reviewed"],
                   signoffs["approved"], effective, released_on, source, docx, pdf, folder, Location(rel, 1, 1),
                   released_by, inputs, signed)


def _signed(j: _Json) -> tuple[str, ...]:
    """The meanings signed electronically: "signatures": {meaning: {"name": "signatures/….json", "signer": …}}."""
    from qmsdoc.model.signatures import MEANINGS, SIGNATURES_DIR

    value = j.data["signatures"]
    if not isinstance(value, dict) or not all(
            m in MEANINGS and isinstance(v, dict) and v.get("name") == f"{SIGNATURES_DIR}/{m}.json"
            and isinstance(v.get("signer"), str) for m, v in value.items()):
        j.diags.error(j.loc("signatures"), 'release record: "signatures" must map each meaning to '
                                           '{"name": "signatures/<meaning>.json", "signer": LOGIN}',
                      "release records are written by qmsdoc release; restore it from git")
        return ()
    return tuple(m for m in MEANINGS if m in value)


def _inputs(j: _Json) -> dict[str, Any] | None:
    """The inputs object: input keys (site:…, title:…, param:…, label:…) → JSON values."""
    value = j.data["inputs"]
    if not isinstance(value, dict):
        j.diags.error(j.loc("inputs"), 'release record: "inputs" must be an object')
        return None
    bad = next((k for k in value if kind_of(k) not in INPUT_KINDS or ":" not in k), None)
    if bad is not None:
        j.diags.error(j.loc("inputs"), f'release record: "inputs" has the key "{bad}", which is not an input',
                      "release records are written by qmsdoc release; restore it from git")
        return None
    return value


def _json_int(text: str) -> int:
    """A JSON integer, its digits counted before it is converted."""
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a number of {len(text.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(text)


def _file(files: _Json, key: str, digest_key: str) -> ReleasedFile | None:
    sub = files.sub(key)
    if sub is None:
        return None
    name, digest = sub.string("name"), sub.digest(digest_key)
    if name and ("/" in name or "\\" in name or name.startswith(".")):
        files.diags.error(sub.loc("name"),
                          f'release record: file name "{name}" must be a plain name in the release folder')
        return None
    return ReleasedFile(name, digest) if name and digest else None


def check_frozen(docs: list[Procedure | Form], releases: dict[str, tuple[Release, ...]],
                 diags: Diagnostics) -> None:
    """A released revision's source never changes, and a released revision is never taken back."""
    known = {d.id for d in docs}
    for doc_id, released in releases.items():
        if doc_id not in known:
            last = released[-1]
            diags.error(last.loc, f"{doc_id} was released ({last.revision} on {last.released_on}), "
                                  "but its source no longer exists",
                        "never delete a released source: withdraw the document with a new revision "
                        "whose status is obsolete")
    for doc in docs:
        history = {h.revision for h in doc.history} | {doc.revision}
        for release in releases.get(doc.id, ()):
            where = doc.locs.get("revision", Location(doc.path, 1, 1))
            if release.kind != doc.kind:
                diags.error(release.loc, f"{doc.id} was released as a {release.kind}, but {doc.path} is a {doc.kind}")
            elif release.revision == doc.revision and release.source.digest != doc.digest:
                bump = next_amendment(doc.revision)
                diags.error(where,
                            f"{doc.id} {doc.revision} was released on {release.released_on}; "
                            "its source has changed since",
                            f"bump the revision ({'e.g. ' + bump if bump else 'a new revision'}) and add a "
                            f"history entry; the released source is {release.source_path}")
            elif release.revision not in history:
                diags.error(where,
                            f"{doc.id} {release.revision} was released on {release.released_on}, but the source "
                            f"is revision {doc.revision} and its history does not list {release.revision}",
                            "a released revision cannot be taken back: continue from it with a newer revision")
