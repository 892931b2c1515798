"""The store's tables as SQLAlchemy Core sees them at the newest schema version (`HEAD`).

The migrations in `migrations/versions/` create and change these tables; they never import this
module, so each keeps the schema of its own version. A test compares the two (a store upgraded
from the first version has exactly these tables and columns).

Dates are SQL dates; instants (when an event happened, when a record was submitted) are ISO 8601
text in UTC (`2026-01-15T08:30:00Z`), so that what the event log hashes is the text stored, the
same in SQLite and PostgreSQL. JSON is stored as text, canonical (sorted keys, no spaces), for
the same reason.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

HEAD = "0003"
"""The schema version this qmsdoc writes; `qmsdoc db upgrade` brings an older store to it."""

metadata = MetaData()

blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=True),  # None once every record read from it is disposed of
)

records = Table(
    "records", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("blob", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("source", Text, nullable=False),
    Column("location", Text, nullable=False),
    Column("form", Text, nullable=False),
    Column("revision", Text, nullable=False),
    Column("record_no", Text, nullable=True),
    Column("record_date", Date, nullable=True),
    Column("date_field", Text, nullable=True),
    Column("submitted_by", Text, nullable=False),
    Column("submitted_at", Text, nullable=False),
    Column("retention_end", Date, nullable=True),
    Column("data", Text, nullable=True),
    Column("digest", String(64), nullable=False),
    Column("disposed_at", Text, nullable=True),
    Column("disposed_by", Text, nullable=True),
    Column("disposed_reason", Text, nullable=True),
    Column("superseded_by", Integer, nullable=True),  # the corrected record that replaced it (0003)
    UniqueConstraint("blob", "location", name="uq_records_blob_location"),
    Index("ix_records_form", "form"),
    Index("ix_records_record_date", "record_date"),
    Index("ix_records_record_no", "record_no"),
    Index("ix_records_retention_end", "retention_end"),
)

events = Table(
    "events", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_events_entity", "entity", "entity_id"),
)

check_results = Table(
    "check_results", metadata,
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False),
    Column("ruleset", String(64), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("day", Date, nullable=True),
    Column("applied", Text, nullable=False),
    Column("findings", Text, nullable=True),
    Column("slim", Text, nullable=True),
    PrimaryKeyConstraint("record_id", "ruleset", "as_of", name="pk_check_results"),
)
"""What checking a stored record gave (`check --store`), by the rule set's fingerprint and the audit date:
derived data, kept so that a record is not checked twice against the same rules on the same day; not events."""

check_runs = Table(
    "check_runs", metadata,
    Column("key", String(64), primary_key=True),
    Column("report", Text, nullable=False),
)
"""The report of the last `check --store` run, under the digest of what it depends on (rule set, audit date,
selection, and the event log's head: any change to a record is an event): a run over a store in which nothing
changed takes it as it is."""

audits = Table(
    "audits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("number", Text, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("run_at", Text, nullable=False),
    Column("run_by", Text, nullable=False),
    Column("event_seq", BigInteger, nullable=False),  # the log's head when it ran: what was added after is new
    Column("plan", Text, nullable=False),
    Column("ruleset", String(64), nullable=False),
    Column("report", Text, nullable=False),
    Column("digest", String(64), nullable=False),  # of the report, the plan and the records in scope
    UniqueConstraint("number", name="uq_audits_number"),
)

audit_records = Table(
    "audit_records", metadata,
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False),
    PrimaryKeyConstraint("audit_id", "record_id", name="pk_audit_records"),
)

audit_findings = Table(
    "audit_findings", metadata,
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("key", String(16), nullable=False),
    Column("status", Text, nullable=False),
    Column("finding_id", String(16), nullable=False),
    Column("rule", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("procedure", Text, nullable=False),
    Column("department", Text, nullable=False),
    Column("form", Text, nullable=True),
    Column("record_id", Integer, nullable=True),
    Column("record_no", Text, nullable=True),
    Column("place", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("capa_id", Integer, nullable=True),
    PrimaryKeyConstraint("audit_id", "key", name="pk_audit_findings"),
    Index("ix_audit_findings_key", "key"),
)

capas = Table(
    "capas", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("finding_key", String(16), nullable=False),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    Column("rule", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("procedure", Text, nullable=False),
    Column("department", Text, nullable=False),
    Column("record_no", Text, nullable=True),
    Column("finding", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("owner", Text, nullable=True),
    Column("due", Date, nullable=False),
    Column("root_cause", Text, nullable=True),
    Column("action", Text, nullable=True),
    Column("evidence", Text, nullable=True),
    Column("verified_by", Text, nullable=True),
    Column("verified_on", Date, nullable=True),
    Column("effective", Boolean, nullable=True),
    Column("opened_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Index("ix_capas_finding_key", "finding_key"),
)
