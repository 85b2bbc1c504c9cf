"""Route metrics on hand-computed ledgers: retries count once, costs are exact, latency from
the histogram, service read from the settlement date, corridors and bands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_core import routing
from ops_core.db import open_db
from ops_core.routing import RouteFilters
from tests.routing.ledger import Ledger, et, prepare

MON = date(2026, 11, 2)  # a Monday, US_FED banking day; ET is UTC-5
T = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def table(db, **filters):
    cur = db.cursor()
    f = RouteFilters(start=MON - timedelta(days=60), end=MON + timedelta(days=7), **filters)
    return routing.route_table(cur, f)


def one(df, **where):
    rows = df
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.fixture
def rtp(tiny):
    """RTP via Lakeshore, all $100-$1,000 (band 'small'):
    p1 $500 completes in 2 s; p2 $200 fails and its retry completes 60 s after p2 began;
    p4 $150 fails; p5 $300 is pending. Logical: 4 payments, 5 attempts, 2 of 3 decided succeed.
    """
    with tiny.transaction() as cur:
        with Ledger(cur) as led:
            led.add("RTP", "LAKESHORE", T, 50_000, latency_s=2)
            p2 = led.add("RTP", "LAKESHORE", T, 20_000, status="failed", latency_s=1)
            led.add(
                "RTP", "LAKESHORE", T + timedelta(seconds=30), 20_000, retry_of=p2, latency_s=30
            )
            led.add("RTP", "LAKESHORE", T, 15_000, status="failed")
            led.add("RTP", "LAKESHORE", T, 30_000, status="pending")
        routing.refresh(cur)
    return tiny


def test_retries_count_once_by_the_final_attempt(rtp):
    r = one(table(rtp), rail_id="RTP")
    assert (r.payments, r.attempts, r.succeeded, r.failed, r.pending) == (4, 5, 2, 1, 1)
    assert r.success_rate == pytest.approx(2 / 3)
    assert r.retry_rate == pytest.approx(1 / 4)
    assert r.band == "small" and r.corridor == "USD→USD" and r.service == "instant"


def test_cost_is_exact_per_attempt_and_per_thousand_moved(rtp):
    r = one(table(rtp), rail_id="RTP")
    # Lakeshore RTP from 2026-10-01: $0.25 + $0.045 network per attempt, no bps; 5 attempts.
    assert r.cost_minor == Decimal("147.5")
    assert r.cost_usd_minor == Decimal("147.5")
    assert r.cost_per_payment_minor == Decimal("36.875")
    # sent: $500 + $200 + $150 + $300 (pending included); completed: $700
    assert r.amount_usd_minor == Decimal(115_000) and r.moved_usd_minor == Decimal(70_000)
    # $1.475 of fees on $1,150 moved: $1.2826... per $1,000, held as US cents
    assert r.cost_per_1000_usd_minor == Decimal("147.5") * 100_000 / Decimal(115_000)
    assert round(r.cost_per_1000_usd_minor, 2) == Decimal("128.26")
    assert isinstance(r.cost_per_1000_usd_minor, Decimal)


def test_latency_percentiles_within_the_histogram_resolution(rtp):
    r = one(table(rtp), rail_id="RTP")
    # completed: p1 in 2 s; p2 end to end 60 s (retry created +30 s, final 30 s later)
    assert r.completed == 2
    assert r.p50_ms == pytest.approx(2_000, rel=0.1)
    assert r.p95_ms == pytest.approx(60_000, rel=0.1)


def test_fee_schedule_is_applied_by_effective_date(tiny):
    with tiny.transaction() as cur:
        with Ledger(cur) as led:
            led.add("RTP", "LAKESHORE", datetime(2026, 9, 30, 12, tzinfo=UTC), 50_000)
            led.add("RTP", "LAKESHORE", datetime(2026, 10, 1, 12, tzinfo=UTC), 50_000)
        routing.refresh(cur)
    r = one(table(tiny), rail_id="RTP")
    assert r.cost_minor == Decimal("39.5") + Decimal("29.5")  # $0.35 before 2026-10-01, $0.25 on


@pytest.mark.parametrize(
    ("rail", "partner", "client", "amount", "corridor", "band", "cost", "cost_usd"),
    [
        # EUR 100.00 funded in DKK: 20 + 0.2 + 10000 x 35 bps FX spread = 55.2 euro cents
        ("SEPA_INST", "NORDHAVN", "dk1", 10_000, "DKK→EUR", "small", "55.2", "59.616"),
        # 100 USDC: gas 0.65 USDC + 10 bps = 750000 minor units = 75 US cents
        ("USDC", "KEYSTONE", "us1", 100_000_000, "USD→USDC", "small", "750000", "75"),
        # MXN 2,000.00 from a US client: MXN 4.00 + 60 bps of 200000 = 1600 centavos
        ("SPEI", "ALTAVISTA", "us1", 200_000, "USD→MXN", "small", "1600", "88"),
        # USD 99.99 on Visa Direct: 25 + 10 + 12 bps of 9999 (same currency: no FX spread)
        ("VISA_DIRECT", "VISA", "us1", 9_999, "USD→USD", "micro", "46.9988", "46.9988"),
    ],
)
def test_corridor_band_and_cost_per_currency(
    tiny, rail, partner, client, amount, corridor, band, cost, cost_usd
):
    with tiny.transaction() as cur:
        with Ledger(cur) as led:
            led.add(rail, partner, T, amount, client=client)
        routing.refresh(cur)
    r = one(table(tiny), rail_id=rail)
    assert (r.corridor, r.band) == (corridor, band)
    assert r.cost_minor == Decimal(cost)
    assert r.cost_usd_minor == Decimal(cost_usd)


@pytest.mark.parametrize(
    ("created", "final", "status", "service"),
    [
        (et(MON, 10, 0), et(MON, 13, 0), "completed", "same_day"),  # SDA window 1
        (et(MON, 16, 0), et(MON, 18, 0), "completed", "same_day"),  # SDA window 3
        (et(MON, 11, 0), et(MON + timedelta(days=1), 8, 30), "completed", "next_day"),
        (et(MON, 11, 0), et(MON + timedelta(days=1), 8, 30), "returned", "next_day"),
        (et(MON, 11, 0), None, "pending", "next_day"),  # not yet known: counted as next-day
        # 21:00 ET is already the next UTC day: the ET dates decide, not the UTC ones
        (et(MON, 18, 30), et(MON + timedelta(days=1), 8, 30), "completed", "next_day"),
    ],
)
def test_ach_service_is_read_from_the_settlement_date_in_new_york(
    tiny, created, final, status, service
):
    with tiny.transaction() as cur:
        with Ledger(cur) as led:
            led.add("ACH", "MERIDIAN", created, 10_000, status=status, final=final)
        routing.refresh(cur)
    assert one(table(tiny), rail_id="ACH").service == service


def test_filters_and_series(rtp):
    with rtp.transaction() as cur:
        with Ledger(cur, next_id=100) as led:
            led.add("SEPA_INST", "NORDHAVN", T, 10_000, client="dk1")
        routing.refresh(cur)
    assert set(table(rtp, currencies=("EUR",)).rail_id) == {"SEPA_INST"}
    assert set(table(rtp, services=("instant",)).rail_id) == {"RTP", "SEPA_INST"}
    assert table(rtp, bands=("jumbo",)).empty
    f = RouteFilters(start=MON, end=MON, rails=("RTP",))
    s = routing.route_series(rtp.cursor(), f, "day")
    assert len(s) == 1 and s.iloc[0].route == "RTP · LAKESHORE · instant"
    assert s.iloc[0].success_rate == pytest.approx(2 / 3)
    assert s.iloc[0].p95_ms == pytest.approx(60_000, rel=0.1)


def test_headline_totals(rtp):
    h = routing.headline(table(rtp))
    assert h["payments"] == 4 and h["retried"] == 1
    assert h["cost_usd_minor"] == Decimal("147.5")
    assert h["success_rate"] == pytest.approx(2 / 3)


# An attempt: (logical payment 0-5, rail, status, minute offset)
attempts = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from(["RTP", "FEDNOW", "ACH"]),
        st.sampled_from(["completed", "failed", "returned", "pending"]),
        st.integers(0, 3 * 24 * 60),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attempts, st.integers(0, 3 * 24))
def test_rollup_conserves_payments_and_incremental_equals_full(rows, since_hours):
    """payments = distinct (original, rail, partner); outcomes add up; attempts = rows;
    refreshing from any cut-off gives the same rollup as rebuilding it all."""
    db = open_db(":memory:")
    prepare(db)
    partner = {"RTP": "LAKESHORE", "FEDNOW": "MERIDIAN", "ACH": "LAKESHORE"}
    with db.transaction() as cur:
        last: dict[tuple[int, str], int] = {}
        with Ledger(cur) as led:
            for key, rail, status, minute in rows:
                created = T + timedelta(minutes=minute)
                parent = last.get((key, rail))
                last[(key, rail)] = led.add(
                    rail, partner[rail], created, 10_000 + key, status=status, retry_of=parent
                )
        routing.refresh(cur)
        full = _snapshot(cur)
        routing.refresh(cur, since=T + timedelta(hours=since_hours))
        assert _snapshot(cur) == full
        n, p, a, outcomes = cur.execute(
            "SELECT sum(payments), count(*) FILTER (WHERE payments > 0), sum(attempts),"
            " sum(succeeded + failed + returned + pending) - sum(payments) FROM rollup_routes"
        ).fetchone()
    assert n == len(last) and a == len(rows) and outcomes == 0 and p > 0
    db.close()


def _snapshot(cur) -> list[tuple]:
    return sorted(cur.execute("SELECT * FROM rollup_routes").fetchall()) + sorted(
        cur.execute("SELECT * FROM rollup_route_latency").fetchall()
    )
