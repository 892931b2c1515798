"""Alembic migrations of the store, kept inside the package: `qmsdoc db upgrade` applies them."""
