"""recon/judge: every finding's severity, SLA and escalation queue (break_sla) and its queue and
owner (break_routing), checked against a plain reading of the rule tables for a grid of
findings around every threshold the tables hold. judge works the best rule out once per
distinct key (category, rail, partner and the highest thresholds reached), not per finding:
this is what must not change."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pandas as pd

from ops_core import sql
from ops_core.recon import engine, rules
from tests.recon.conftest import AS_OF, World

FINDING_COLUMNS = (
    "break_key VARCHAR, category VARCHAR, side VARCHAR, payment_id BIGINT, ext_id BIGINT,"
    " match_id BIGINT, account VARCHAR, rail_id VARCHAR, partner_id VARCHAR, currency VARCHAR,"
    " ledger_amount_minor BIGINT, ext_amount_minor BIGINT, difference_minor BIGINT,"
    " exposure_minor BIGINT, field VARCHAR, ledger_value VARCHAR, ext_value VARCHAR,"
    " detail VARCHAR, item_date DATE, rule_id VARCHAR"
)


def _best(rows: list[dict], key) -> list[dict]:
    """Every row sharing the lowest key (arg_min may return any of them)."""
    if not rows:
        return []
    low = min(key(r) for r in rows)
    return [r for r in rows if key(r) == low]


def test_judge_picks_the_rule_a_plain_reading_of_the_tables_picks(world: World):
    as_of_day = AS_OF.date()
    cur = world.db.cursor()
    try:
        cur.begin()
        rules.sync(cur)
        engine._register_fx(cur)
        sla = cur.execute("SELECT * FROM break_sla").df().to_dict("records")
        routing = cur.execute("SELECT * FROM break_routing").df().to_dict("records")
        amounts = {r["min_amount_usd_minor"] for r in sla + routing}
        ages = {r["min_age_days"] for r in sla}
        # USD findings, so exposure_minor is the USD amount in cents
        exposures = sorted({max(a + d, 0) for a in amounts for d in (-1, 0, 1)})
        age_days = sorted({max(a + d, 0) for a in ages for d in (-1, 0, 1)})
        categories = [*sorted({r["category"] for r in sla + routing} - {"*"}), "late_settlement"]
        rails = [*sorted({r["rail_id"] for r in routing} - {"*"}), "RTP", None]
        partners = [*sorted({r["partner_id"] for r in routing} - {"*"}), "MERIDIAN", None]
        cur.execute(f"CREATE TEMP TABLE rx_findings ({FINDING_COLUMNS})")
        rows = []
        for n, (cat, rail, partner, exposure, age) in enumerate(
            itertools.product(categories, rails, partners, exposures, age_days)
        ):
            rows.append(
                (f"k{n}", cat, "both", n, None, None, None, rail, partner, "USD", None, None,
                 None, exposure, "amount", "", "", "a finding", as_of_day - timedelta(age),
                 None)
            )  # fmt: skip
        names = [c.split()[0] for c in FINDING_COLUMNS.split(",")]
        cur.register("findings_frame", pd.DataFrame(rows, columns=names))
        cur.execute("INSERT INTO rx_findings SELECT * FROM findings_frame")
        cur.execute(sql.statement("recon/judge"), {"as_of_day": as_of_day})
        judged = cur.execute(
            "SELECT break_key, category, rail_id, partner_id, exposure_usd_minor, age_days,"
            " severity, sla_hours, escalate_to, queue, owner FROM rx_judged"
        ).df()
    finally:
        cur.rollback()
        cur.close()
    assert len(judged) == len(rows) > 1000
    checked_sla = checked_route = 0
    for f in judged.itertuples():
        assert (f.exposure_usd_minor, f.age_days) == (
            rows[int(f.break_key[1:])][13],
            (as_of_day - rows[int(f.break_key[1:])][18]).days,
        )
        sla_rows = [
            r
            for r in sla
            if r["category"] in (f.category, "*")
            and r["min_amount_usd_minor"] <= f.exposure_usd_minor
            and r["min_age_days"] <= f.age_days
            and r["effective_from"].date() <= as_of_day
        ]
        best = _best(
            sla_rows,
            lambda r: (r["category"] == "*", -r["min_amount_usd_minor"], -r["min_age_days"]),
        )
        got = (f.severity, f.sla_hours, f.escalate_to)
        want = {(r["severity"], r["sla_hours"], r["escalate_to"]) for r in best} or {
            ("medium", 48, "recon-leads")
        }
        assert got in want, f
        checked_sla += bool(best)
        rail = f.rail_id if isinstance(f.rail_id, str) else "?"
        partner = f.partner_id if isinstance(f.partner_id, str) else "?"
        route_rows = [
            r
            for r in routing
            if r["rail_id"] in (rail, "*")
            and r["partner_id"] in (partner, "*")
            and r["category"] in (f.category, "*")
            and r["min_amount_usd_minor"] <= f.exposure_usd_minor
            and r["effective_from"].date() <= as_of_day
        ]
        best = _best(
            route_rows,
            lambda r: (
                r["priority"],
                r["rail_id"] == "*",
                r["partner_id"] == "*",
                r["category"] == "*",
            ),
        )
        owner = f.owner if isinstance(f.owner, str) else None
        want = {(r["queue"], r["owner"] if isinstance(r["owner"], str) else None) for r in best}
        assert (f.queue, owner) in (want or {("recon-ops", None)}), f
        checked_route += bool(best)
    # the grid reaches rules of both tables, and findings no rule matches
    assert checked_sla > 100 and checked_route > 100
