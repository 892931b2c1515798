"""Alembic's environment: migrations run on the connection `qmsdoc.store.migrate` hands over, inside
the transaction (and lock) it holds, so a store is upgraded whole or not at all."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
