"""Run checked console queries on an isolated, locked, read-only DuckDB connection.

Why a snapshot file: DuckDB 2.0 refuses every way of opening the live database a second time
in the process that already holds it read-write: ``duckdb.connect(path, read_only=True)``
fails ("Can't open a connection to same database file with a different configuration") and
so does ``ATTACH path (READ_ONLY)`` from a separate in-memory database ("Unique file handle
conflict ... already attached"). Locking the app's own instance is not an option either (it
sets TimeZone per cursor and the importers need its settings). So the console copies the
database (``COPY FROM DATABASE``, one consistent transaction of the app's connection) into a
private temporary file whenever the data version moved on, and opens that copy in a new
DuckDB instance: read-only, external access off (no files, URLs, extensions or Python
objects), extension autoload and install off, configuration locked. A query that slipped
past ``checks`` still cannot read the disk or the network, change a setting, or touch the
live data. Each query gets its own cursor; a timer thread interrupts it at the time limit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from sqlglot import exp

from ops_core import sql
from ops_core.db import Database
from ops_core.errors import OpsError
from ops_core.rollups import data_version
from ops_core.sqlconsole.checks import Catalog, QueryRefused, check, limited

# Each name checked against DuckDB 2.0's duckdb_settings(); verify_locked() re-reads them.
LOCKED_SETTINGS = {
    "access_mode": "read_only",
    "enable_external_access": "false",
    "autoload_known_extensions": "false",
    "autoinstall_known_extensions": "false",
    "allow_community_extensions": "false",
    "allow_unsigned_extensions": "false",
    "python_enable_replacements": "false",
    "lock_configuration": "true",
}
DEFAULT_ROWS, MAX_ROWS = 1_000, 100_000
DEFAULT_SECONDS, MAX_SECONDS = 10, 120
MEMORY_LIMIT = "1GB"
_REFUSALS = ("locked", "read-only", "read only", "disabled")


class QueryStopped(OpsError):
    """The query ran past its time limit and was interrupted."""


class QueryFailed(OpsError):
    """DuckDB could not run a query that passed the checks (a wrong column, a bad cast...)."""


@dataclass(frozen=True)
class Result:
    frame: pd.DataFrame
    truncated: bool  # more rows exist than the row limit
    row_limit: int
    elapsed_ms: float
    sql: str  # the checked DuckDB text (transpiled when written in another dialect)
    dialect: str
    transpiled: bool
    snapshot_version: int


@dataclass
class Snapshot:
    path: Path
    version: int
    taken_at: datetime
    conn: duckdb.DuckDBPyConnection
    catalog: Catalog


class Console:
    """The SQL console over one Railyard database: snapshot, checks, limits."""

    def __init__(self, db: Database, *, threads: int | None = None) -> None:
        self._db = db
        self._threads = threads or min(2, os.cpu_count() or 1)
        self._dir = Path(tempfile.mkdtemp(prefix="railyard-sql-"))
        self._lock = threading.Lock()
        self._snapshots: list[Snapshot] = []
        self._finalizer = weakref.finalize(self, _discard, self._snapshots, self._dir)

    def snapshot(self, *, refresh: bool = False) -> Snapshot:
        """The current snapshot; a new one when the data version moved on (or ``refresh``)."""
        with self._lock:
            current = self._snapshots[-1] if self._snapshots else None
            if current and not refresh and current.version == self._live_version():
                return current
            snap = self._take()
            self._snapshots.append(snap)
            while len(self._snapshots) > 2:  # keep the previous one for queries still running
                _close(self._snapshots.pop(0))
            return snap

    def run(
        self,
        text: str,
        *,
        dialect: str = "duckdb",
        rows: int = DEFAULT_ROWS,
        seconds: float = DEFAULT_SECONDS,
    ) -> Result:
        """Check ``text`` and run it; QueryRefused, QueryStopped or QueryFailed say why not."""
        rows, seconds = _bound(rows, 1, MAX_ROWS), _bound(seconds, 1, MAX_SECONDS)
        snap = self.snapshot()
        checked = check(text, snap.catalog, dialect)
        started = time.perf_counter()
        frame = execute(snap.conn, limited(checked, rows), seconds)
        elapsed = (time.perf_counter() - started) * 1000
        return Result(
            frame.head(rows),
            len(frame) > rows,
            rows,
            elapsed,
            checked.sql,
            dialect,
            checked.transpiled,
            snap.version,
        )

    def execute_unchecked(self, text: str, *, seconds: float = DEFAULT_SECONDS) -> pd.DataFrame:
        """Run ``text`` as given, skipping ``checks``: only for tests proving the connection
        guard holds on its own. Never call it with a person's query."""
        return execute(self.snapshot().conn, text, seconds)

    def schema(self) -> pd.DataFrame:
        """Tables and views with their columns: table_name, table_type, column_name, data_type."""
        cur = self.snapshot().conn.cursor()
        try:
            return sql.query(cur, "sqlconsole/schema")
        finally:
            cur.close()

    def close(self) -> None:
        self._finalizer()

    def _live_version(self) -> int:
        cur = self._db.cursor()
        try:
            return data_version(cur)
        finally:
            cur.close()

    def _take(self) -> Snapshot:
        path = self._dir / f"snapshot-{uuid.uuid4().hex[:12]}.duckdb"
        copy_database(self._db, path)
        conn = open_locked(path, threads=self._threads)
        cur = conn.cursor()
        version = data_version(cur)
        tables = frozenset(sql.query(cur, "sqlconsole/schema")["table_name"].str.lower())
        functions = frozenset(sql.query(cur, "sqlconsole/functions")["function_name"])
        cur.close()
        return Snapshot(path, version, datetime.now(UTC), conn, Catalog(tables, functions))


def copy_database(db: Database, target: Path) -> None:
    """Copy every table, view and sequence of ``db`` into a new file, in one transaction."""
    alias = f"sqlconsole_{uuid.uuid4().hex[:12]}"
    cur = db.cursor()
    try:
        source = cur.execute("SELECT current_database()").fetchone()[0]
        path = exp.Literal.string(str(target)).sql("duckdb")
        cur.execute(f"ATTACH {path} AS {alias} (READ_WRITE)")
        try:
            cur.execute(f"COPY FROM DATABASE {exp.to_identifier(source).sql('duckdb')} TO {alias}")
        finally:
            cur.execute(f"DETACH {alias}")
    finally:
        cur.close()


def open_locked(path: Path, *, threads: int = 1) -> duckdb.DuckDBPyConnection:
    """A new DuckDB instance on ``path``: read-only, no external access, configuration locked."""
    config = {k: v == "true" for k, v in LOCKED_SETTINGS.items() if v in ("true", "false")}
    config = config | {"threads": threads, "memory_limit": MEMORY_LIMIT}
    del config["lock_configuration"]  # locked below, once the time zone is set
    conn = duckdb.connect(str(path), read_only=True, config=config)
    conn.execute("SET TimeZone = 'UTC'")
    conn.execute("SET lock_configuration = true")
    verify_locked(conn)
    return conn


def verify_locked(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Read back every guarding setting; raise unless each holds. Returns what was read."""
    rows = conn.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN "
        f"({', '.join('?' for _ in LOCKED_SETTINGS)})",
        list(LOCKED_SETTINGS),
    ).fetchall()
    found = {name: str(value).lower() for name, value in rows}
    wrong = {k: found.get(k) for k, v in LOCKED_SETTINGS.items() if found.get(k) != v}
    if wrong:
        raise OpsError(f"the SQL console's connection is not locked down: {wrong}")
    return found


def execute(conn: duckdb.DuckDBPyConnection, text: str, seconds: float) -> pd.DataFrame:
    """Run ``text`` on its own cursor of ``conn``, interrupted after ``seconds``."""
    cur = conn.cursor()
    timer = threading.Timer(seconds, _interrupt, [cur])
    timer.daemon = True
    timer.start()
    try:
        return cur.execute(text).df()
    except duckdb.InterruptException:
        raise QueryStopped(
            f"Stopped after {seconds:g} s, the time limit. Narrow the query (a date range, "
            "fewer rows before a join) or raise the limit."
        ) from None
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        if isinstance(exc, duckdb.PermissionException) or any(
            word in message.lower() for word in _REFUSALS
        ):
            raise QueryRefused(f"Refused by the console's locked connection: {message}") from None
        raise QueryFailed(f"DuckDB could not run the query: {message}") from None
    finally:
        timer.cancel()
        cur.close()


def _interrupt(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.interrupt()
    except duckdb.Error:
        pass  # the query ended (and its cursor closed) as the timer fired


def _bound(value: float, low: float, high: float):
    return type(value)(min(max(value, low), high))


def _close(snap: Snapshot) -> None:
    snap.conn.close()
    snap.path.unlink(missing_ok=True)


def _discard(snapshots: list[Snapshot], folder: Path) -> None:
    for snap in snapshots:
        snap.conn.close()
    snapshots.clear()
    shutil.rmtree(folder, ignore_errors=True)
