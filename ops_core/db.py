"""One DuckDB database per process; a cursor per thread or script run.

Pattern from dbt-duckdb's local environment: the connection is opened once, guarded
by a lock, and each user of it takes ``cursor()``. The module-level ``duckdb.sql``
is never used, since it shares one global connection across threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from ops_core import derived
from ops_core.errors import ConfigError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_T = TypeVar("_T")


class Database:
    """A DuckDB file (or ':memory:') with Railyard's schema applied."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = duckdb.connect(self.path, read_only=read_only)
            self._conn.execute("SET TimeZone = 'UTC'")
        except duckdb.IOException as exc:
            raise ConfigError(f"cannot open database {self.path}: {exc}") from exc
        self._lock = threading.Lock()
        # Held by a file load, a rollup catch-up (derived.py) and a reconciliation run: in
        # one process they take turns instead of failing each other on a write-write
        # conflict (each bumps data_version).
        self.writing = threading.Lock()
        self.read_only = read_only

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for this thread; DuckDB cursors are cheap and thread-confined."""
        with self._lock:
            cur = self._conn.cursor()
        cur.execute("SET TimeZone = 'UTC'")
        return cur

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: commit on success, roll back on any exception."""
        cur = self.cursor()
        cur.begin()
        try:
            yield cur
        except BaseException:
            cur.rollback()
            raise
        else:
            cur.commit()
        finally:
            cur.close()

    def close(self) -> None:
        self._conn.close()

    def migrate(self) -> list[str]:
        """Apply pending numbered migrations, each once and in its own transaction."""
        return apply_migrations(self)


def once_more_on_conflict(attempt: Callable[[], _T]) -> _T:
    """Run ``attempt`` (one whole write transaction), and once more if it lost a write-write
    conflict (duckdb.TransactionException, the transaction rolled back). Every write bumps
    ``data_version``, so a load, reconciliation run or rollup catch-up committing in the same
    instant makes an unrelated edit conflict on that row alone; the second attempt then just
    saves. An edit of a row someone else really changed meanwhile is caught on the second
    attempt by the edit's own version check, which names their change."""
    try:
        return attempt()
    except duckdb.TransactionException:
        return attempt()


def migration_files() -> list[Path]:
    files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))
    versions = [f.name[:3] for f in files]
    if len(set(versions)) != len(versions):
        raise ConfigError(f"two migrations share a number: {versions}")
    return files


def apply_migrations(db: Database) -> list[str]:
    with db.transaction() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
        done = {row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for file in migration_files():
        version = int(file.name[:3])
        if version in done:
            continue
        with db.transaction() as cur:
            cur.execute(file.read_text())
            cur.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [version, file.stem, datetime.now(UTC)],
            )
        applied.append(file.stem)
    return applied


def open_db(path: str | Path, *, read_only: bool = False) -> Database:
    """Open a database and bring its schema, and its rollups, up to date (unless read-only)."""
    db = Database(path, read_only=read_only)
    if not read_only:
        db.migrate()
        derived.catch_up(db)
    return db
