"""Opening the store: which database, its connection, transactions that serialise writers, its version.

A store is named by a URL: `--db`, else `QMSDOC_DATABASE_URL`, else the SQLite file that
`store: {path: …}` in qmsdoc.yaml names (default `.qmsdoc/store.sqlite` under the project, which
git ignores). A plain path is a SQLite file; `postgresql://…` (or `postgresql+psycopg://…`) is a
PostgreSQL database, reached with psycopg 3. Nothing else is accepted.

Writes are transactions that hold the store's write lock from their first statement: SQLite's
`BEGIN IMMEDIATE` (the database file's reserved lock; others wait up to `BUSY_SECONDS`), and in
PostgreSQL a transaction-level advisory lock. So two `records add` running at once take turns,
each transaction appending to the event log after the other's last event; nothing is lost and
the chain stays one chain. Reads never take the lock (SQLite runs in WAL mode, so a reader does
not wait for a writer).

A store that does not exist yet is created at the newest schema version on first use. A store
at an older version is refused until `qmsdoc db upgrade` has brought it up to date (on a shared
PostgreSQL store, other installations may still be running the older qmsdoc); one made by a newer
qmsdoc is refused too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool

from qmsdoc.store import ENV_URL, StoreError
from qmsdoc.store.schema import HEAD

__all__ = ["ENV_URL", "Store", "StoreError", "StoreUrl", "open_store", "resolve_url"]
DEFAULT_PATH = ".qmsdoc/store.sqlite"
"""The SQLite file of a project that names none, relative to the project folder (git-ignored)."""
BUSY_SECONDS = 120.0
"""How long a writer waits for another writer's transaction before giving up."""
PG_LOCK_KEY = 0x716D73646F63  # "qmsdoc": the advisory lock every writer of a PostgreSQL store takes
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class StoreUrl:
    """Where the store is, and how to name it in messages (never with its password)."""

    url: URL
    shown: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"


def resolve_url(given: str | None, root: Path, configured: str | None) -> StoreUrl:
    """The store to use: `given` (--db, or QMSDOC_DATABASE_URL by click's envvar), else the project's
    SQLite file (`configured`, relative to `root`, else DEFAULT_PATH)."""
    if given is None or not given.strip():
        path = Path(configured or DEFAULT_PATH)
        return sqlite_url(path if path.is_absolute() else root / path)
    if "://" not in given:
        return sqlite_url(Path(given))
    try:
        url = make_url(given)
    except ArgumentError:
        raise StoreError(f'"{_hide(given)}" is not a database URL; write postgresql://USER@HOST/DB or '
                         "postgresql://USER@/DB?host=/socket/dir, or give the path of a SQLite file") from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise StoreError(f"{url.render_as_string(hide_password=True)}: a {backend} database is not supported; "
                         "use PostgreSQL (postgresql://…) or a SQLite file")
    return StoreUrl(url, url.render_as_string(hide_password=True))


def sqlite_url(path: Path) -> StoreUrl:
    return StoreUrl(URL.create("sqlite", database=os.fspath(path)), os.fspath(path))


def _hide(text_url: str) -> str:
    head, at, tail = text_url.rpartition("@")
    if not at or ":" not in head.split("//", 1)[-1]:
        return text_url
    user = head.split("//", 1)[-1].split(":", 1)[0]
    return f"{head.split('//', 1)[0]}//{user}:***@{tail}"


class Store:
    """An open store: an engine, transactions to read and to write in, and its schema version."""

    def __init__(self, where: StoreUrl, engine: Engine):
        self.where = where
        self.engine = engine

    @property
    def shown(self) -> str:
        return self.where.shown

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: a consistent view, no lock held."""
        with self._errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction holding the store's write lock from its start: committed whole when the
        block ends, rolled back whole when it raises (or the process dies)."""
        with self._errors(), self.engine.connect() as conn:
            conn = conn.execution_options(qmsdoc_write=True)
            with conn.begin():
                if not self.where.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
                yield conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StoreError(f"{self.shown}: {_reason(exc)}") from exc

    def version(self, conn: Connection) -> str | None:
        """The schema version the store is at; None for an empty database."""
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        row = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
        return str(row[0]) if row else None

    def dispose(self) -> None:
        self.engine.dispose()


def _reason(exc: DBAPIError) -> str:
    first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    return f"the database cannot be used: {first}"


def open_store(where: StoreUrl, *, create: bool = True, check_version: bool = True) -> Store:
    """The store at `where`, created at the newest schema version when it does not exist yet (and
    `create`). Raises StoreError when it cannot be reached, or is at another schema version than
    this qmsdoc's (`check_version`)."""
    engine = _engine(where, create)
    store = Store(where, engine)
    if not check_version:
        return store
    with store.reading() as conn:
        version = store.version(conn)
    if version is None and create:
        from qmsdoc.store.migrate import upgrade

        upgrade(store)
        return store
    if version != HEAD:
        store.dispose()
        raise StoreError(version_problem(where.shown, version))
    return store


def version_problem(shown: str, version: str | None) -> str:
    """What is wrong with a store at `version` for this qmsdoc, and what to do."""
    from qmsdoc.store.migrate import known_versions

    if version is None:
        return (f"{shown}: no qmsdoc store in this database yet (no schema version); add records "
                "(qmsdoc records add) or run `qmsdoc db upgrade`, or check --db and QMSDOC_DATABASE_URL")
    if version in known_versions():
        return (f"{shown}: the store is at schema version {version}, this qmsdoc needs {HEAD}; "
                "run `qmsdoc db upgrade` (it keeps every record, audit and event)")
    return (f"{shown}: the store is at schema version {version}, which this qmsdoc does not know "
            f"(it knows up to {HEAD}): it was made by a newer qmsdoc; upgrade qmsdoc")


def _engine(where: StoreUrl, create: bool) -> Engine:
    url = where.url
    try:
        if where.is_sqlite:
            path = Path(url.database or "")
            if not path.exists():
                if not create:
                    raise StoreError(f"{where.shown}: no store there; add records first (qmsdoc records add), "
                                     "or check --db")
                path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_SECONDS})
            _sqlite_events(engine)
        else:
            engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 10})
    except NoSuchModuleError as exc:
        raise StoreError(f"{where.shown}: no driver for this database ({exc}); install qmsdoc's dependencies") from exc
    except OSError as exc:
        raise StoreError(f"{where.shown}: cannot create the store's folder: {exc.strerror}") from exc
    return engine


def _sqlite_events(engine: Engine) -> None:
    """SQLite: WAL (readers do not wait for the writer), foreign keys enforced, and transactions begun
    by us: BEGIN IMMEDIATE for a write, so its lock is held from the first statement."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite must not begin transactions on its own
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("qmsdoc_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
