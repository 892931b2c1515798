"""The records store: the register of submitted records, audits and corrective actions over time.

SQLAlchemy Core over SQLite (one file, the default) or PostgreSQL (a shared installation), its
schema versioned by Alembic migrations (`migrations/`), every change an event in a hash-chained,
append-only log (`events.py`). See docs/store.md.

This module stays light (no SQLAlchemy import), so that loading the command line costs nothing
for the commands that do not use the store.
"""

from __future__ import annotations

ENV_URL = "QMSDOC_DATABASE_URL"
"""The environment variable naming the store, when --db is not given."""


class StoreError(Exception):
    """The store cannot be used as asked: the message says what is wrong and what to do."""
