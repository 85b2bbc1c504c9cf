"""Keep routing's rule tables, calendar tables and day rollups in step with the ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb

from ops_core import rollups, sql
from ops_core.routing import reference, windows

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Window instants run past the newest payment: a payment made before a long weekend still
# needs its next cut-off and settlement day.
WINDOW_MARGIN = timedelta(days=14)


def refresh(
    cur: duckdb.DuckDBPyConnection, since: datetime | None = None, *, bump: bool = True
) -> None:
    """Sync the routing CSVs, rebuild the window tables, rebuild the rollups from ``since``.

    Call it after ``ops_core.rollups.refresh`` with the same ``since`` (the earliest
    ``original_created_at`` changed; ``None`` rebuilds everything), as
    ``ops_core.derived.catch_up`` does. Rows are keyed by the UTC day of the first attempt,
    so the whole day of ``since`` is rebuilt.
    """
    reference.sync(cur)
    first, last = cur.execute(
        "SELECT min(original_created_at), max(original_created_at) FROM payments"
    ).fetchone()
    if first is not None:
        start = first.astimezone(UTC).date() - timedelta(days=1)
        windows.refresh_tables(cur, start, last.astimezone(UTC).date() + WINDOW_MARGIN)
    cut = _day_start((since or EPOCH).astimezone(UTC).date())
    sql.execute(cur, "routing/stage_logical", since=cut)  # the view's work, done once
    try:
        for table, name in (
            ("rollup_routes", "routing/refresh_routes"),
            ("rollup_route_latency", "routing/refresh_route_latency"),
        ):
            cur.execute(f"DELETE FROM {table} WHERE day >= $day", {"day": cut.date()})
            sql.execute(cur, name)
    finally:
        cur.execute("DROP TABLE IF EXISTS temp.routing_logical")
    if bump:
        rollups.bump_version(cur)


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def is_built(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the rollups hold anything (pages explain how to build them when not)."""
    return cur.execute("SELECT count(*) > 0 FROM (SELECT 1 FROM rollup_routes LIMIT 1)").fetchone()[
        0
    ]
