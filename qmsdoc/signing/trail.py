"""The audit trail of signing: every key registered or revoked, every signature made, every signing
or release refused, as one line of signers/trail.jsonl.

The file is append-only and hash-chained exactly as the records store's event log
(`qmsdoc.store.events`): events are numbered 1, 2, 3, … and each carries the hash of the one
before and its own hash over [seq, at, actor, action, entity, entity_id, before, after, prev_hash].
Changing, removing or inserting a line breaks the chain at that event, and `verify_trail` names
it. Appends take an exclusive lock on the file, so two signings at once are numbered in turn.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmsdoc.model.signatures import TRAIL_FILE
from qmsdoc.signing import SigningError
from qmsdoc.store.codec import canonical
from qmsdoc.store.events import GENESIS, Event, event_hash

MAX_LINE = 64 * 1024
"""The longest line an event is written as; a longer one is not an event of this trail."""
FIELDS = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash")


TrailEvent = Event
"""One line of the trail: an event as the records store keeps them; `after` holds its details as
canonical JSON text (`details`)."""


def details(event: TrailEvent) -> dict[str, Any]:
    """An event's details (its `after`), as a mapping."""
    value = json.loads(event.after) if event.after else {}
    return value if isinstance(value, dict) else {}


def append(root: Path, at: str, actor: str, action: str, entity: str, entity_id: str,
           details: dict[str, Any]) -> TrailEvent:
    """Append one event to the project's trail (made when missing) and return it."""
    path = root / TRAIL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    with os.fdopen(fd, "r+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.seek(0)
            seq, last = 0, GENESIS
            for number, line in enumerate(f.read().splitlines(), 1):
                if line.strip():
                    try:
                        head = json.loads(line)
                        seq, last = int(head["seq"]), str(head["hash"])
                    except (ValueError, KeyError, TypeError):
                        raise SigningError(f"{TRAIL_FILE}:{number}: not an event of the trail: it was altered",
                                           "restore it from git, then run qmsdoc verify") from None
            after = canonical(details)
            seq += 1
            digest = event_hash(seq, at, actor, action, entity, entity_id, None, after, last)
            event = TrailEvent(seq, at, actor, action, entity, entity_id, None, after, last, digest)
            f.write((canonical({k: getattr(event, k) for k in FIELDS}) + "\n").encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
    return event


@dataclass(frozen=True)
class TrailCheck:
    """What verifying the trail found: its events (up to the first break) and the first broken link."""

    events: tuple[TrailEvent, ...]
    broken: str | None


def read_trail(root: Path) -> Iterator[TrailEvent | str]:
    """The trail's events in order; a line that is not an event is yielded as the reason it is not."""
    path = root / TRAIL_FILE
    if not path.is_file():
        return
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            if len(raw) > MAX_LINE:
                yield f"{TRAIL_FILE}:{number}: a line of {len(raw)} bytes is not an event"
                continue
            try:
                data = json.loads(raw)
                yield TrailEvent(*(data[k] for k in FIELDS))
            except (ValueError, KeyError, TypeError):
                yield f"{TRAIL_FILE}:{number}: not an event of the trail (unreadable JSON or fields missing)"


def verify_trail(root: Path) -> TrailCheck:
    """Walk the trail in order and name the first broken link."""
    expected_prev, expected_seq = GENESIS, 1
    events: list[TrailEvent] = []
    for e in read_trail(root):
        if isinstance(e, str):
            return TrailCheck(tuple(events), f"{e}: the trail was altered")
        if e.seq != expected_seq:
            return TrailCheck(tuple(events), f"{TRAIL_FILE}: event {expected_seq} missing before {e.describe()}: "
                                             "lines were removed from the trail")
        if event_hash(e.seq, e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after,
                      e.prev_hash) != e.hash:
            return TrailCheck(tuple(events), f"{TRAIL_FILE}: {e.describe()}: its content does not give its hash: "
                                             "the line was altered after it was written")
        if e.prev_hash != expected_prev:
            return TrailCheck(tuple(events), f"{TRAIL_FILE}: {e.describe()}: it does not carry the hash of event "
                                             f"{e.seq - 1}: the trail was rewritten from here")
        events.append(e)
        expected_prev, expected_seq = e.hash, e.seq + 1
    return TrailCheck(tuple(events), None)
