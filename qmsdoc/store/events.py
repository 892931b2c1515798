"""The append-only event log: every change to a record, an audit or a corrective action, hash-chained.

Each event says who, when, what (an action on an entity: `record.add` on `record 12`) and the
state before and after, as canonical JSON text. Events are numbered 1, 2, 3, … with no gap, and
each carries the hash of the one before (`prev_hash`; the first carries 64 zeros) and its own:

    hash = sha256(canonical JSON of [seq, at, actor, action, entity, entity_id, before, after, prev_hash])

over the texts exactly as stored. Changing, removing or inserting a row breaks the chain at that
event, which `verify_chain` names: the first event whose hash is not that of its content (the row
was altered), whose `prev_hash` is not its predecessor's hash, or whose number skips one (a row
was removed). Events are appended only inside a write transaction (`Store.writing`), which holds
the store's write lock: the head is read once, then events are numbered from it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select

from qmsdoc.store.codec import canonical
from qmsdoc.store.schema import events

GENESIS = "0" * 64
BATCH = 1000


def event_hash(seq: int, at: str, actor: str, action: str, entity: str, entity_id: str, before: str | None,
               after: str | None, prev_hash: str) -> str:
    text = canonical([seq, at, actor, action, entity, entity_id, before, after, prev_hash])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EventLog:
    """Appends events in one write transaction; rows are sent in batches (`flush` sends the rest)."""

    def __init__(self, conn: Connection, at: str, actor: str):
        self.conn = conn
        self.at = at
        self.actor = actor
        head = conn.execute(select(events.c.seq, events.c.hash).order_by(events.c.seq.desc()).limit(1)).first()
        self.seq, self.last = (int(head[0]), str(head[1])) if head else (0, GENESIS)
        self.pending: list[dict[str, Any]] = []

    def append(self, action: str, entity: str, entity_id: str | int, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> None:
        self.seq += 1
        b = canonical(before) if before is not None else None
        a = canonical(after) if after is not None else None
        key = str(entity_id)
        digest = event_hash(self.seq, self.at, self.actor, action, entity, key, b, a, self.last)
        self.pending.append({"seq": self.seq, "at": self.at, "actor": self.actor, "action": action,
                             "entity": entity, "entity_id": key, "before": b, "after": a,
                             "prev_hash": self.last, "hash": digest})
        self.last = digest
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.conn.execute(insert(events), self.pending)
            self.pending = []


@dataclass(frozen=True)
class Event:
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: str | None
    after: str | None
    prev_hash: str
    hash: str

    def describe(self) -> str:
        return f"event {self.seq} ({self.action} {self.entity} {self.entity_id}, {self.at}, by {self.actor})"


def read_events(conn: Connection, entity: str | None = None, entity_id: str | None = None) -> Iterator[Event]:
    """The events in order, all or those of one entity."""
    query = select(events).order_by(events.c.seq)
    if entity is not None:
        query = query.where(events.c.entity == entity)
    if entity_id is not None:
        query = query.where(events.c.entity_id == entity_id)
    for row in conn.execution_options(yield_per=BATCH).execute(query):
        yield Event(int(row.seq), row.at, row.actor, row.action, row.entity, row.entity_id, row.before, row.after,
                    row.prev_hash, row.hash)


@dataclass(frozen=True)
class ChainCheck:
    """What verifying the chain found: how many events, and the first broken link (None: intact)."""

    events: int
    broken: str | None
    last_states: dict[tuple[str, str], str | None]
    """Per (entity, id), the `after` of its last event (None: deleted), for comparing with the tables."""


def verify_chain(conn: Connection) -> ChainCheck:
    """Walk the log in order and name the first broken link."""
    expected_prev, expected_seq, count = GENESIS, 1, 0
    states: dict[tuple[str, str], str | None] = {}
    for e in read_events(conn):
        count += 1
        if e.seq != expected_seq:
            missing = f"event {expected_seq}" if e.seq == expected_seq + 1 else f"events {expected_seq}–{e.seq - 1}"
            return ChainCheck(count, f"{missing} missing before {e.describe()}: rows were removed from the log", states)
        recomputed = event_hash(e.seq, e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after,
                                e.prev_hash)
        if recomputed != e.hash:
            return ChainCheck(count, f"{e.describe()}: its content does not give its hash: the row was altered "
                                     "after it was written", states)
        if e.prev_hash != expected_prev:
            return ChainCheck(count, f"{e.describe()}: it does not carry the hash of event {e.seq - 1}: the log "
                                     "was rewritten from here", states)
        states[(e.entity, e.entity_id)] = e.after
        expected_prev, expected_seq = e.hash, e.seq + 1
    return ChainCheck(count, None, states)


def event_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(events)).scalar_one())
