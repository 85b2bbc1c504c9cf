"""Keep the pre-aggregated rollups in step with the ledger: rebuilt from a given hour by
``ops_core.derived.catch_up`` after a batch of ledger files is loaded."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from ops_core import sql

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# (table, hour column, the statement that rebuilds it from a cut-off hour)
_HOURLY = (
    ("rollup_hourly", "hour", "rollups/refresh_hourly"),
    ("rollup_latency", "hour", "rollups/refresh_latency"),
    ("rollup_codes", "hour", "rollups/refresh_codes"),
)


def refresh(
    cur: duckdb.DuckDBPyConnection, since: datetime | None = None, *, bump: bool = True
) -> None:
    """Rebuild every rollup from ``since`` (its hour) onwards; ``None`` rebuilds all of it.

    ``since`` is the earliest ``original_created_at`` of any payment inserted or changed
    (ops_core.derived.catch_up passes the loads' mark, and ``bump=False``: it bumps the data
    version once, last).
    """
    cut = (since or EPOCH).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    for table, column, name in _HOURLY:
        cur.execute(f"DELETE FROM {table} WHERE {column} >= $cut", {"cut": cut})
        sql.execute(cur, name, since=cut)
    cur.execute("DELETE FROM pending_payments")
    sql.execute(cur, "rollups/refresh_pending")
    if bump:
        bump_version(cur)


def bump_version(cur: duckdb.DuckDBPyConnection) -> None:
    """Mark that data changed, so page caches keyed on the version refresh."""
    cur.execute("UPDATE data_version SET version = version + 1, changed_at = now() WHERE id = 1")


def data_version(cur: duckdb.DuckDBPyConnection) -> int:
    return cur.execute("SELECT version FROM data_version WHERE id = 1").fetchone()[0]
