"""A small migrated database with a few payments, and a console over it."""

from __future__ import annotations

import duckdb
import pytest

from ops_core import sql
from ops_core.sqlconsole import Catalog, Console


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """Railyard-like tables and DuckDB's own function list, without a database file."""
    conn = duckdb.connect()
    functions = frozenset(sql.query(conn, "sqlconsole/functions")["function_name"])
    conn.close()
    return Catalog(frozenset({"payments", "clients", "partners", "rails", "audit_log"}), functions)


@pytest.fixture
def small_db(empty_db):
    with empty_db.transaction() as cur:
        cur.execute(
            "INSERT INTO clients VALUES ('C1', 'Acme Payroll', 'payroll', 'US', DATE '2025-01-01')"
        )
        cur.execute(
            "INSERT INTO payments (payment_id, original_payment_id, original_created_at, "
            "client_id, rail_id, partner_id, direction, dc, amount_minor, currency, created_at, "
            "status) SELECT i, i, TIMESTAMPTZ '2026-11-20 10:00:00+00' + i * INTERVAL 1 MINUTE, "
            "'C1', 'ACH', 'LAKESHORE', 'push', 'credit', 1000 * i, 'USD', "
            "TIMESTAMPTZ '2026-11-20 10:00:00+00' + i * INTERVAL 1 MINUTE, "
            "CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'completed' END FROM range(1, 51) t(i)"
        )
    return empty_db


@pytest.fixture
def console(small_db):
    c = Console(small_db, threads=1)
    yield c
    c.close()
