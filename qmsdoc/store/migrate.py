"""Schema migrations with Alembic, run from inside qmsdoc (no alembic.ini): `qmsdoc db upgrade`.

The migration scripts are `qmsdoc/store/migrations/versions/v*.py`, one per schema version. An
upgrade runs in one write transaction (holding the store's write lock), so a store is upgraded
whole or stays as it was; in SQLite and PostgreSQL alike, DDL is transactional. SQLite cannot
alter a column in place: migrations that change a table use Alembic's batch mode, which copies
the table with its rows.
"""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from qmsdoc.store.db import Store

SCRIPTS = "qmsdoc.store:migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    return config


@cache
def known_versions() -> tuple[str, ...]:
    """Every schema version there is a migration for, oldest first."""
    scripts = ScriptDirectory.from_config(_config())
    return tuple(reversed([s.revision for s in scripts.walk_revisions()]))


def upgrade(store: Store, to: str = "head") -> tuple[str | None, str | None]:
    """Bring the store to schema version `to` (the newest by default); (version before, version after)."""
    config = _config()
    with store.writing() as conn:
        before = store.version(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, to)
        after = store.version(conn)
    return before, after
