"""Rollups agree with the ledger they summarise, incrementally as well as in full."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from ops_core import rollups
from ops_core.db import open_db
from tests.conftest import AS_OF

T0 = datetime(2026, 11, 2, 10, 15, tzinfo=UTC)


def add(
    cur,
    pid,
    *,
    orig=None,
    attempt=1,
    status="completed",
    rail="RTP",
    minutes=0,
    latency_s=2.0,
    code=None,
    amount=1000,
):
    created = T0 + timedelta(minutes=minutes)
    orig_created = cur.execute(
        "SELECT created_at FROM payments WHERE payment_id = ?", [orig]
    ).fetchone()
    final = None if status == "pending" else created + timedelta(seconds=latency_s)
    cur.execute(
        "INSERT INTO payments (payment_id, original_payment_id, attempt_no, original_created_at,"
        " client_id, rail_id, partner_id, direction, dc, amount_minor, currency, created_at,"
        " final_at, status, code_scheme, code) VALUES (?, ?, ?, ?, 'c1', ?, 'P1', 'push',"
        " 'credit', ?, 'USD', ?, ?, ?, ?, ?)",
        [
            pid,
            orig or pid,
            attempt,
            orig_created[0] if orig_created else created,
            rail,
            amount,
            created,
            final,
            status,
            "iso20022" if code else None,
            code,
        ],
    )


def test_retries_count_once_by_final_outcome(empty_db):
    with empty_db.transaction() as cur:
        add(cur, 1, status="failed", code="DS24")
        add(cur, 2, orig=1, attempt=2, minutes=90)  # retry an hour later succeeds
        add(cur, 3, status="failed", code="AC04")
        add(cur, 4, status="pending", minutes=5)
        rollups.refresh(cur)
    row = (
        empty_db.cursor()
        .execute(
            "SELECT sum(attempts), sum(payments), sum(succeeded), sum(failed), sum(pending) "
            "FROM rollup_hourly"
        )
        .fetchone()
    )
    assert row == (4, 3, 1, 1, 1)
    hours = empty_db.cursor().execute("SELECT DISTINCT hour FROM rollup_hourly").fetchall()
    assert hours == [(T0.replace(minute=0),)]  # the retry counts in its original's hour
    codes = empty_db.cursor().execute("SELECT code, n FROM rollup_codes ORDER BY code").fetchall()
    assert codes == [("AC04", 1), ("DS24", 1)]  # every failed attempt's code


def test_latency_histogram_percentiles_within_ten_percent(empty_db):
    rng = np.random.default_rng(1)
    lat = rng.lognormal(np.log(1.5), 0.6, 2000)
    with empty_db.transaction() as cur:
        for i, s in enumerate(lat, start=1):
            add(cur, i, latency_s=float(s))
        rollups.refresh(cur)
    got = (
        empty_db.cursor()
        .execute("SELECT p50_ms, p95_ms, p99_ms FROM (" + _latency_sql() + ")")
        .fetchone()
    )
    exact = np.percentile(lat * 1000, [50, 95, 99])
    assert np.allclose(got, exact, rtol=0.10), (got, exact)


def _latency_sql() -> str:
    from ops_core import sql

    return (
        sql.statement("health/latency_series")
        .replace("$start", "TIMESTAMPTZ '2000-01-01'")
        .replace("$end", "TIMESTAMPTZ '2100-01-01'")
        .replace("$grain", "'month'")
        .replace("$tz", "'UTC'")
        .replace("list_contains($rails, rail_id)", "true")
        .replace("list_contains($partners, partner_id)", "true")
    )


TABLES = ["rollup_hourly", "rollup_latency", "rollup_codes", "pending_payments"]


def snapshot(db):
    cur = db.cursor()
    return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


@pytest.mark.slow
def test_incremental_refresh_equals_full_rebuild(demo_copy):
    db = open_db(demo_copy)
    since = AS_OF - timedelta(days=3)
    with db.transaction() as cur:
        # a status file arrives: three-day-old pending payments complete, some fail
        cur.execute("""
            UPDATE payments SET status = 'completed', final_at = created_at + INTERVAL 3 SECOND
            WHERE status = 'pending' AND rail_id = 'FEDNOW'""")
        cur.execute(
            """
            UPDATE payments SET status = 'failed', code_scheme = 'iso20022', code = 'AC04'
            WHERE payment_id IN (SELECT payment_id FROM payments WHERE rail_id = 'RTP'
                                 AND created_at >= $s ORDER BY payment_id LIMIT 25)""",
            {"s": since},
        )
        rollups.refresh(cur, since=since)
    incremental = snapshot(db)
    with db.transaction() as cur:
        rollups.refresh(cur)
    assert snapshot(db) == incremental
    db.close()
