"""The stores the tests run against: a SQLite file, and a real PostgreSQL server started here.

The server comes from Debian's `postgresql` package (scripts/install-system-deps installs it):
`initdb` makes a cluster in a new temporary folder, and `pg_ctl` starts it listening on a Unix
socket in that folder only (no TCP port), with trust authentication for the socket (nothing else
can reach it). PostgreSQL refuses to run as root, so as root the server runs as the user
`nobody`, owning that folder. It is stopped, and the folder removed, when the session ends. Each
test gets a database of its own.

A machine where the server cannot be started fails these tests, naming why: they are never
skipped, since CI must show that the store works on PostgreSQL.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_USER = "nobody"
"""Who runs the server when the tests run as root (PostgreSQL refuses root)."""
DB_USER = "qmsdoc"


@dataclass
class PostgresServer:
    """A running server: its socket folder, and a counter for new databases."""

    folder: Path
    counter: itertools.count  # type: ignore[type-arg]

    def new_database(self) -> str:
        """A new, empty database; its URL (Unix socket, user qmsdoc)."""
        import psycopg

        name = f"t{next(self.counter)}"
        with psycopg.connect(host=str(self.folder), user=DB_USER, dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://{DB_USER}@/{name}?host={self.folder}"


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.fail("the PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): install Debian's "
                    "postgresql package, e.g. with scripts/install-system-deps")
    return Path(found[-1]).parent


def _run(command: list[str], as_user: list[str], what: str, log: Path | None = None) -> None:
    result = subprocess.run([*as_user, *command], capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        extra = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        pytest.fail(f"PostgreSQL: {what} failed ({' '.join(command)}):\n{result.stdout}\n{result.stderr}\n{extra}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = _binaries()
    as_root = os.geteuid() == 0  # the server's user must reach the folder: under /tmp, not a private TMPDIR
    folder = Path(tempfile.mkdtemp(prefix="qmsdoc-pg-", dir="/tmp" if as_root else None))
    as_user: list[str] = []
    if as_root:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            pytest.fail(f"running as root, the PostgreSQL server needs the user {SERVER_USER}, which this machine lacks")
        if shutil.which("runuser") is None:
            pytest.fail("running as root, the PostgreSQL server is started as another user with runuser "
                        "(util-linux), which this machine lacks")
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", SERVER_USER, "--"]
    folder.chmod(0o700)
    data, log = folder / "data", folder / "server.log"
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", DB_USER, "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8"], as_user, "initdb")
        options = f"-c listen_addresses='' -k {folder} -c fsync=off -c full_page_writes=off -c max_connections=50"
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
             as_user, "starting the server", log)
        yield PostgresServer(folder, itertools.count(1))
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=120, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store of one test: a new SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "qmsdoc.sqlite")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()
