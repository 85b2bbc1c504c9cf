"""The rollups a ledger load leaves behind, and catching them up.

A ledger load writes its payments and status history in its own transaction and records
there how far back the rollups (``ops_core.rollups``) and routing's day tables
(``ops_core.routing.refresh``) are now out of date: ``data_version.rollups_behind_since``,
the earliest first-attempt time it changed. ``catch_up`` rebuilds them from that time in one
transaction and clears the mark, so a batch of files (the Import page's upload, the drop
folder CLI) pays for one rebuild, not one per file, and a load does not hold its
transaction open for derived data. Everything that reads them catches up first: opening the
database for writing (every command), the pages' data version, the loaders' batch end.

In one process loads, catch-ups and reconciliation runs take turns (``Database.writing``); a
catch-up that finds one of them under way returns at once and leaves the mark for the next
reader. Another writer that bumps ``data_version`` meanwhile (a break edit) makes the
catch-up's last statement conflict: it rolls back, the mark stays, so no change is skipped.
The catch-up writes ``data_version`` only in that last statement, to keep the window short.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from ops_core import rollups, routing

if TYPE_CHECKING:  # ops_core.db opens a database by catching it up
    from ops_core.db import Database


def mark_behind(cur: duckdb.DuckDBPyConnection, since: datetime) -> None:
    """In the loading transaction: the rollups lag from ``since`` (the earlier mark wins).
    The loader bumps the data version itself."""
    cur.execute(
        "UPDATE data_version"
        " SET rollups_behind_since = least(coalesce(rollups_behind_since, $since), $since)"
        " WHERE id = 1",
        {"since": since},
    )


def behind_since(cur: duckdb.DuckDBPyConnection) -> datetime | None:
    """The earliest time the rollups are out of date from, or None when they are current."""
    return version_and_mark(cur)[1]


def version_and_mark(cur: duckdb.DuckDBPyConnection) -> tuple[int, datetime | None]:
    """The data version and ``behind_since`` in one read (a page asks on every run)."""
    return cur.execute(
        "SELECT version, rollups_behind_since FROM data_version WHERE id = 1"
    ).fetchone()


def catch_up(db: Database) -> bool:
    """Rebuild what a load left behind, in one transaction; True if there was anything.

    Returns False without waiting when a load, a reconciliation run or another catch-up
    holds ``db.writing``, and when another writer's change to ``data_version`` conflicts
    (the mark stays for the next caller either way).
    """
    if db.read_only or not db.writing.acquire(blocking=False):
        return False
    try:
        with db.transaction() as cur:
            since = behind_since(cur)
            if since is None:
                return False
            rollups.refresh(cur, since, bump=False)
            routing.refresh(cur, since, bump=False)
            cur.execute(
                "UPDATE data_version SET version = version + 1, changed_at = now(),"
                " rollups_behind_since = NULL WHERE id = 1"
            )
        return True
    except duckdb.TransactionException:
        return False
    finally:
        db.writing.release()
