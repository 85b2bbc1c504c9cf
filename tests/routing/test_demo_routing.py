"""Routing on the demo data: rollups agree with the ledger's own rollups, the injected
scenarios show in the route series, and every policy respects every constraint."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ops_core import routing
from ops_core.demo.scenarios import scenario
from ops_core.routing import Policy, RouteFilters, whatif
from tests.conftest import AS_OF

WEEK = (AS_OF - timedelta(days=7), AS_OF)


@pytest.fixture
def cur(routing_demo):
    return routing_demo.cursor()


def test_logical_payments_agree_with_rollup_hourly(cur):
    ours = dict(
        cur.execute(
            "SELECT rail_id || '/' || partner_id, sum(payments) FROM rollup_routes GROUP BY 1"
        ).fetchall()
    )
    theirs = dict(
        cur.execute(
            "SELECT rail_id || '/' || partner_id, sum(payments) FROM rollup_hourly GROUP BY 1"
        ).fetchall()
    )
    assert ours == theirs
    assert (
        cur.execute("SELECT count(*) FROM rollup_routes WHERE band = 'unbanded'").fetchone()[0] == 0
    )


def test_route_table_covers_every_route(cur):
    f = RouteFilters(start=AS_OF.date() - timedelta(days=89), end=AS_OF.date())
    table = routing.route_table(cur, f)
    assert set(zip(table.rail_id, table.partner_id, strict=True)) == set(
        cur.execute("SELECT rail_id, partner_id FROM route_catalog").fetchall()
    )
    assert (table.rows_without_fees == 0).all()
    assert table.success_rate.between(0.9, 1.0).all()
    assert set(table.service[table.rail_id == "ACH"]) == {"same_day", "next_day"}


@pytest.mark.parametrize(
    ("scenario_id", "column", "worse"),
    [("rtp_lakeshore_timeouts", "success_rate", "lower"), ("visa_latency_day", "p95_ms", "higher")],
)
def test_injected_scenarios_show_in_the_daily_series(cur, scenario_id, column, worse):
    s = scenario(scenario_id)
    day = s.window(AS_OF)[0].date()
    f = RouteFilters(start=day - timedelta(days=7), end=day, rails=(s.rail_id,))
    series = routing.route_series(cur, f, "day")
    series = series[series.partner_id == s.partner_id].set_index("bucket")[column]
    that_day, before = series.iloc[-1], series.iloc[:-1]
    assert (that_day < before.min()) if worse == "lower" else (that_day > 2 * before.max())


POLICIES = [
    Policy("cheapest"),
    Policy("cheapest", min_success=0.985, max_p95_seconds=4 * 3600),
    Policy("fastest"),
    Policy("most_reliable"),
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: f"{p.kind}-{p.min_success}")
def test_every_choice_respects_every_constraint(cur, policy):
    whatif.run(cur, *WEEK, policy)
    try:
        bad = cur.execute(
            "SELECT w.*, c.blocked_by FROM routing_whatif w JOIN routing_candidates c"
            " ON c.original_payment_id = w.original_payment_id AND c.rail_id = w.rail_id"
            " AND c.partner_id = w.partner_id AND c.cand_rail = w.chosen_rail"
            " AND c.cand_partner = w.chosen_partner AND c.cand_service = w.chosen_service"
            " WHERE NOT w.kept AND c.blocked_by IS NOT NULL"
        ).fetchall()
        assert bad == []
        # the rules themselves, checked against the chosen route directly
        rules = cur.execute(
            "SELECT"
            " count(*) FILTER (WHERE direction = 'pull' AND chosen_rail IN ('RTP', 'FEDNOW')),"
            " count(*) FILTER (WHERE service = 'instant' AND chosen_service <> 'instant'),"
            " count(*) FILTER (WHERE service = 'same_day' AND chosen_service = 'next_day'),"
            " count(*) FILTER (WHERE chosen_rail = 'RTP' AND chosen_partner = 'LAKESHORE'"
            "   AND amount_minor > 5000000 AND NOT kept),"
            " count(*) FILTER (WHERE currency <> (SELECT currency FROM rails"
            "   WHERE rail_id = chosen_rail)),"
            " count(*) FILTER (WHERE chosen_success IS NULL OR chosen_seconds IS NULL),"
            " count(*)"
            " FROM routing_whatif"
        ).fetchone()
        assert rules[:-1] == (0, 0, 0, 0, 0, 0) and rules[-1] > 50_000
    finally:
        whatif.drop(cur)


@pytest.mark.parametrize(
    ("kind", "better"),
    [
        ("cheapest", "chosen_cost_usd_minor <= actual_cost_usd_minor"),
        ("fastest", "chosen_seconds <= actual_seconds"),
        ("most_reliable", "chosen_success >= actual_success"),
    ],
)
def test_a_policy_never_does_worse_than_the_actual_route_on_its_own_measure(cur, kind, better):
    whatif.run(cur, *WEEK, Policy(kind))
    try:
        query = "SELECT count(*) FROM routing_whatif WHERE actual_blocked_by IS NULL AND NOT "
        worse = cur.execute(f"{query}({better})").fetchone()[0]
    finally:
        whatif.drop(cur)
    assert worse == 0


def test_simulate_on_a_week_of_demo_data(cur):
    result = routing.simulate(cur, *WEEK, Policy("cheapest", min_success=0.98))
    t = result.totals
    assert t["payments"] > 50_000 and 0 < t["moved"] < t["payments"]
    assert t["chosen_cost_usd_minor"] < t["actual_cost_usd_minor"]
    assert not result.recommendations.empty
    assert set(result.recommendations.confidence) <= {"high", "medium", "low"}
