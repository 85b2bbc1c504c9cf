"""The policy simulation on small worlds where the right route is known (see worlds.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ops_core import routing
from ops_core.errors import OpsError
from ops_core.reference.csvload import REFERENCE_DIR
from ops_core.routing import Policy, whatif
from tests.routing.ledger import Ledger, et
from tests.routing.worlds import MON, PERIOD, exact, push, same_day, simulate


def chosen(row) -> tuple[str, str, str]:
    return (row.chosen_rail, row.chosen_partner, row.chosen_service)


def blocked(cands, rail, partner, service) -> str | None:
    row = cands[
        (cands.cand_rail == rail)
        & (cands.cand_partner == partner)
        & (cands.cand_service == service)
    ]
    assert len(row) == 1
    return row.iloc[0].blocked_by


def test_cheapest_next_day_payment_goes_to_the_cheapest_ach_partner(world):
    choice, cands = simulate(world, [push(12)], Policy("cheapest"))
    row = choice.iloc[0]
    assert (row.service, chosen(row)) == ("next_day", ("ACH", "MERIDIAN", "next_day"))
    assert row.actual_cost_minor == Decimal("15.35") and row.chosen_cost_minor == Decimal("12.35")
    assert row.eligible == 7  # every US bank-account route can deliver by the next banking day
    # created 12:00 ET: next-day cut-off is 02:15 ET Wednesday, settles 08:30 = 20.5 h later
    assert row.chosen_seconds == pytest.approx(20.5 * 3600)
    assert blocked(cands, "FEDNOW", "MERIDIAN", "instant") is None


def test_success_bar_rules_out_the_cheapest(world):
    choice, cands = simulate(world, [push(12)], Policy("cheapest", min_success=0.985))
    assert chosen(choice.iloc[0]) == ("ACH", "LAKESHORE", "next_day")  # 99% meets it, 98% not
    assert blocked(cands, "ACH", "MERIDIAN", "next_day") == "success_bar"
    assert blocked(cands, "FEDNOW", "MERIDIAN", "instant") == "success_bar"


def test_latency_bar_keeps_only_instant_routes(world):
    choice, cands = simulate(world, [push(12)], Policy("cheapest", max_p95_seconds=10))
    assert chosen(choice.iloc[0]) == ("FEDNOW", "MERIDIAN", "instant")
    assert blocked(cands, "ACH", "MERIDIAN", "next_day") == "latency_bar"


def test_fastest_and_most_reliable(world):
    fast, _ = simulate(world, [push(12)], Policy("fastest"))
    assert chosen(fast.iloc[0]) == ("RTP", "LAKESHORE", "instant")  # 1 s
    sure, _ = simulate(world, [], Policy("most_reliable"))
    assert chosen(sure.iloc[0]) == ("ACH", "LAKESHORE", "same_day")  # 100/100
    assert sure.iloc[0].chosen_success == pytest.approx(1.0)
    # same-day ACH at 12:00 ET takes the 14:45 window and settles 17:00: 5 hours
    assert sure.iloc[0].chosen_seconds == pytest.approx(5 * 3600)


@pytest.mark.parametrize(
    ("amount", "route", "limited"),
    [
        (4_000_000, ("FEDNOW", "MERIDIAN", "instant"), []),
        # $75,000: over Lakeshore's $50,000 RTP limit; FedNow's $100,000 still allows it
        (7_500_000, ("FEDNOW", "MERIDIAN", "instant"), [("RTP", "LAKESHORE", "instant")]),
        # $150,000: FedNow and Lakeshore RTP are both over their limits: Meridian RTP
        (
            15_000_000,
            ("RTP", "MERIDIAN", "instant"),
            [("RTP", "LAKESHORE", "instant"), ("FEDNOW", "MERIDIAN", "instant")],
        ),
    ],
)
def test_amount_limits_rule_out_the_cheapest_instant_route(world, amount, route, limited):
    payment = push(12, amount=amount, rail="RTP", partner="MERIDIAN")
    choice, cands = simulate(world, [payment], Policy("cheapest"))
    assert chosen(choice.iloc[0]) == route
    for r in limited:
        assert blocked(cands, *r) == "amount_limit"
    assert blocked(cands, "ACH", "LAKESHORE", "next_day") == "urgency"  # instant payment


def test_pulls_never_go_over_credit_push_rails(world):
    pull = push(12, direction="pull")
    choice, cands = simulate(world, [pull], Policy("fastest"))
    # RTP would be fastest, but RTP and FedNow are credit push only (domain.md §4.4); both
    # Same Day ACH routes settle at 17:00 ET, and Meridian's is the cheaper of the two
    assert chosen(choice.iloc[0]) == ("ACH", "MERIDIAN", "same_day")
    for rail, partner in (("RTP", "LAKESHORE"), ("RTP", "MERIDIAN"), ("FEDNOW", "MERIDIAN")):
        assert blocked(cands, rail, partner, "instant") == "direction"


def test_same_day_cut_off(world):
    before = same_day(10, direction="pull")
    after = same_day(16, 50, direction="pull")
    choice, cands = simulate(world, [before, after], Policy("cheapest"))
    b, a = choice.iloc[0], choice.iloc[1]
    assert chosen(b) == ("ACH", "MERIDIAN", "same_day") and not b.kept
    # after the 16:45 ET window no same-day route settles today, and next-day is too slow:
    # nothing is eligible, so the payment keeps its route
    assert a.kept and chosen(a) == ("ACH", "LAKESHORE", "same_day")
    late = cands[cands.original_payment_id == a.original_payment_id]
    assert set(late.blocked_by) == {"cut_off", "urgency", "direction"}


def test_a_cut_off_rules_out_the_cheapest_route(world, tmp_path):
    """With instant rails priced at $1.50 and more, Same Day ACH via Meridian is the cheapest
    way to pay the same day, until its last cut-off; after it, the cheapest instant route."""
    fees = (REFERENCE_DIR / "fee_schedule.csv").read_text()
    for old, new in (
        ("FEDNOW,MERIDIAN,instant,USD,20,", "FEDNOW,MERIDIAN,instant,USD,200,"),
        ("RTP,LAKESHORE,instant,USD,25,", "RTP,LAKESHORE,instant,USD,150,"),
        ("RTP,MERIDIAN,instant,USD,30,", "RTP,MERIDIAN,instant,USD,300,"),
    ):
        assert old in fees
        fees = fees.replace(old, new)
    path = tmp_path / "fee_schedule.csv"
    path.write_text(fees)
    choice, cands = simulate(
        world, [same_day(10), same_day(16, 50)], Policy("cheapest"), {"fee_schedule": path}
    )
    assert chosen(choice.iloc[0]) == ("ACH", "MERIDIAN", "same_day")
    assert chosen(choice.iloc[1]) == ("RTP", "LAKESHORE", "instant")  # 154.5 < FedNow 204.5
    late = cands[cands.original_payment_id == choice.iloc[1].original_payment_id]
    assert set(late[late.cand_rail == "ACH"].blocked_by) == {"cut_off", "urgency"}


def test_a_saturday_next_day_payment_settles_on_monday(world):
    sat = dict(
        rail="ACH",
        partner="MERIDIAN",
        created=et(date(2026, 11, 7), 11),
        amount=50_000,
        status="pending",
        direction="push",
    )
    with world.transaction() as cur:
        with Ledger(cur, next_id=world.led_next) as led:
            led.add(**sat)
        world.led_next = led.next_id
        routing.refresh(cur)
    cur = world.cursor()
    saturday = (datetime(2026, 11, 7, 5, tzinfo=UTC), datetime(2026, 11, 8, 5, tzinfo=UTC))
    whatif.run(cur, *saturday, Policy("cheapest"))
    cands = exact(cur, "SELECT * FROM routing_candidates")
    whatif.drop(cur)
    # Saturday next-day: Monday 02:15 cut-off, settles Monday 08:30 = next banking day: fine
    assert blocked(cands, "ACH", "MERIDIAN", "next_day") is None
    row = cands[(cands.cand_rail == "ACH") & (cands.cand_service == "next_day")].iloc[0]
    assert row.banking_days_to_settle == 1
    assert row.expected_seconds == pytest.approx((2 * 24 - 11 + 8.5) * 3600)


def test_expected_cost_includes_retries(world):
    """A route that needs 1.5 attempts per payment costs 1.5 times its fees per payment."""
    with world.transaction() as cur:
        with Ledger(cur, next_id=world.led_next) as led:
            for _ in range(100):  # FedNow history becomes 200 payments, 300 attempts
                first = led.add("FEDNOW", "MERIDIAN", et(MON, 12), 50_000, status="failed")
                led.add("FEDNOW", "MERIDIAN", et(MON, 12, 5), 50_000, retry_of=first)
        world.led_next = led.next_id
    choice, cands = simulate(world, [push(12, rail="RTP", partner="MERIDIAN")], Policy("cheapest"))
    fednow = cands[cands.cand_rail == "FEDNOW"].iloc[0]
    assert fednow.attempts_per_payment == Decimal("1.5")
    assert fednow.cost_minor == Decimal("24.5") * Decimal("1.5")
    assert chosen(choice.iloc[0]) == ("RTP", "LAKESHORE", "instant")  # 29.5 < 36.75


def test_simulate_summarises_and_cleans_up(world):
    with world.transaction() as cur:
        with Ledger(cur, next_id=world.led_next) as led:
            led.add(**push(12))
        routing.refresh(cur)
    cur = world.cursor()
    result = routing.simulate(cur, *PERIOD, Policy("cheapest"))
    assert result.totals["payments"] == 1 and result.totals["moved"] == 1
    assert result.totals["actual_cost_usd_minor"] == Decimal("15.35")
    assert result.totals["chosen_cost_usd_minor"] == Decimal("12.35")
    assert result.moves.iloc[0].chosen_partner == "MERIDIAN"
    assert set(result.blocked.blocked_by) <= {"urgency", "cut_off"}
    tables = cur.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    assert tables == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (PERIOD[1], PERIOD[0], "empty"),
        (PERIOD[0], PERIOD[0] + timedelta(days=32), "at most 31 days"),
    ],
)
def test_period_is_checked(world, start, end, message):
    with pytest.raises(OpsError, match=message):
        whatif.run(world.cursor(), start, end, Policy())


@pytest.mark.parametrize(
    "kwargs", [{"kind": "random"}, {"min_success": 1.5}, {"max_p95_seconds": 0}]
)
def test_policy_is_checked(kwargs):
    with pytest.raises(OpsError):
        Policy(**kwargs)
