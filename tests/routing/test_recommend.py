"""Recommendations per payment profile, their evidence, and the CSV of routing rules."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from ops_core import routing
from ops_core.routing import Policy, recommend, stats
from tests.routing.ledger import Ledger
from tests.routing.worlds import PERIOD, push, same_day


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (50, 100, 0.4038, 0.5962),
        (990, 1000, 0.9817, 0.9946),
    ],
)
def test_wilson_interval(successes, n, low, high):
    lo, hi = stats.wilson(successes, n)
    assert (lo, hi) == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))


@pytest.mark.parametrize(
    ("successes", "n", "label"),
    [
        (0, 0, "low"),
        (49, 50, "low"),
        (196, 200, "medium"),
        (9_950, 10_000, "high"),
        (1_000, 1_000, "high"),
        (500, 1_000, "low"),
    ],
)
def test_confidence(successes, n, label):
    assert stats.confidence(successes, n) == label


@pytest.mark.parametrize(
    ("cost", "amount", "expected"),
    [
        # $1.475 on $700.00 moved = 210.714... cents per $1,000
        (Decimal("147.5"), 70_000, Decimal("147.5") * 100_000 / 70_000),
        (Decimal("12.35"), 100_000, Decimal("12.35")),  # on exactly $1,000
        (5, 0, None),
        (0, 10, 0),
    ],
)
def test_per_thousand_is_exact(cost, amount, expected):
    assert stats.per_thousand_usd(cost, amount) == expected


@pytest.fixture
def recs(world):
    """Tuesday: three next-day ACH pushes, one same-day pull, one $150,000 RTP push."""
    payments = [
        push(12),
        push(13),
        push(14, partner="MERIDIAN"),
        same_day(10, direction="pull"),
        push(12, amount=15_000_000, rail="RTP", partner="MERIDIAN"),
    ]
    with world.transaction() as cur:
        with Ledger(cur, next_id=world.led_next) as led:
            for p in payments:
                led.add(**p)
        routing.refresh(cur)
    return routing.simulate(world.cursor(), *PERIOD, Policy("cheapest")).recommendations


def profile(recs, **where):
    rows = recs
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1
    return rows.iloc[0]


def test_one_rule_per_profile_with_its_evidence(recs):
    assert len(recs) == 3
    r = profile(recs, direction="push", urgency="next_day")
    assert r.route == "ACH via MERIDIAN (next_day)"
    assert r.current == "ACH via LAKESHORE (next_day)" and r.changes_route
    assert r.payments == 3 and r.applies_share == 1.0
    # evidence: Meridian next-day ACH history, push and pull pooled: 196 of 200 decided (98%)
    assert r.evidence_sample == 200 and r.evidence_succeeded == 196
    assert r.success_low < 0.98 < r.success_high and r.confidence == "medium"
    assert r.cost_per_payment_usd_minor == Decimal("12.35")
    assert r.saving_usd_minor == Decimal("6.00")  # two payments move from 15.35 to 12.35
    assert r.rule == (
        "IF instrument = us_bank_account AND direction = push AND currency = USD "
        "AND $100 <= amount (USD) < $1,000 AND urgency = next_day "
        "THEN ACH via MERIDIAN (next_day)"
    )


def test_jumbo_instant_profile_and_same_day_pull(recs):
    jumbo = profile(recs, band="jumbo")
    assert jumbo.route == "RTP via MERIDIAN (instant)" and not jumbo.changes_route
    assert jumbo.evidence_sample == 0 and jumbo.confidence == "low"  # no jumbo history
    assert "$100,000 <= amount (USD) < any" in jumbo.rule
    pull = profile(recs, direction="pull")
    assert pull.route == "ACH via MERIDIAN (same_day)" and pull.urgency == "same_day"


def test_csv_holds_the_rules_with_exact_dollar_amounts(recs):
    text = recommend.to_csv(recs).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == recommend.CSV_COLUMNS
    row = next(r for r in rows if r["direction"] == "push" and r["urgency"] == "next_day")
    assert row["cost_per_payment_usd"] == "0.1235"
    assert row["saving_usd"] == "0.06"
    assert (row["amount_usd_from"], row["amount_usd_to"]) == ("100", "1000")
    assert row["rail_id"] == "ACH" and row["partner_id"] == "MERIDIAN"
    assert row["confidence"] == "medium" and row["changes_route"] == "True"


def test_an_empty_period_gives_an_empty_table(world):
    result = routing.simulate(world.cursor(), *PERIOD, Policy())
    assert result.recommendations.empty and result.totals["payments"] == 0
    text = recommend.to_csv(result.recommendations).decode()
    assert text.strip() == ",".join(recommend.CSV_COLUMNS)
