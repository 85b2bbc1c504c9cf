"""The demo world is deterministic, realistic in shape, and shows every documented scenario."""

from datetime import timedelta

import pytest

from ops_core import health
from ops_core import rail_health as rh
from ops_core.db import open_db
from ops_core.demo.build import build
from tests.conftest import AS_OF


def q(db, text, **params):
    return db.cursor().execute(text, params).fetchall()


def test_same_seed_same_world(tmp_path):
    digests = []
    for name in ("a", "b"):
        db = open_db(tmp_path / f"{name}.duckdb")
        build(db, seed=3, payments=20_000, as_of=AS_OF)
        digests.append(
            q(
                db,
                "SELECT count(*), sum(amount_minor), sum(hash(payment_id, status, code, "
                "created_at, ach_trace_number, tx_hash)) FROM payments",
            )[0]
        )
        db.close()
    assert digests[0] == digests[1]


def test_spans_ninety_days_to_as_of(demo_db):
    first, last = q(demo_db, "SELECT min(created_at), max(created_at) FROM payments")[0]
    assert last <= AS_OF
    assert AS_OF - first < timedelta(days=90)
    assert AS_OF - first > timedelta(days=88)


def test_world_size(demo_db):
    clients, partners, rails = q(
        demo_db,
        "SELECT count(DISTINCT client_id), count(DISTINCT partner_id), "
        "count(DISTINCT rail_id) FROM payments",
    )[0]
    assert clients >= 12 and partners >= 5 and rails == 9


def test_every_code_is_reference_data(demo_db):
    unknown = q(
        demo_db,
        "SELECT DISTINCT p.code_scheme, p.code FROM payments p "
        "ANTI JOIN codes c ON c.scheme = p.code_scheme AND c.code = p.code "
        "WHERE p.code IS NOT NULL",
    )
    assert unknown == []


def test_money_is_positive_minor_units_in_the_rails_currency(demo_db):
    bad = q(
        demo_db,
        "SELECT count(*) FROM payments p JOIN rails r USING (rail_id) "
        "WHERE p.currency <> r.currency OR p.amount_minor <= 0",
    )
    assert bad == [(0,)]


def test_rail_references(demo_db):
    rows = dict(
        q(
            demo_db,
            """
        SELECT rail_id, bool_and(CASE rail_id
            WHEN 'ACH' THEN length(ach_trace_number) = 15
            WHEN 'USDC' THEN tx_hash LIKE '0x%' AND length(tx_hash) = 66 AND log_index >= 0
            WHEN 'RTP' THEN end_to_end_id IS NOT NULL AND length(uetr) = 36
            WHEN 'VISA_DIRECT' THEN length(network_txn_id) = 15
            ELSE true END)
        FROM payments GROUP BY rail_id""",
        )
    )
    assert all(rows.values()), rows


def test_ach_is_weekday_and_settles_on_fed_banking_days(demo_db):
    weekend = q(
        demo_db,
        "SELECT count(*) FROM payments WHERE rail_id = 'ACH' "
        "AND final_at IS NOT NULL AND dayofweek(timezone('America/New_York', "
        "final_at)) IN (0, 6)",
    )
    assert weekend == [(0,)]
    thanksgiving_like = q(
        demo_db,
        "SELECT count(*) FROM payments WHERE rail_id = 'ACH' AND "
        "CAST(timezone('America/New_York', final_at) AS DATE) = "
        "DATE '2026-11-11'",
    )  # Veterans Day: Fed closed
    assert thanksgiving_like == [(0,)]


def test_retries_point_at_their_original(demo_db):
    rows = q(
        demo_db,
        """
        SELECT count(*), count(*) FILTER (WHERE o.created_at < r.created_at
                                          AND o.status IN ('failed', 'returned'))
        FROM payments r JOIN payments o ON o.payment_id = r.original_payment_id
        WHERE r.attempt_no = 2""",
    )
    total, ok = rows[0]
    assert total > 100 and ok == total


def test_scenario_fednow_stuck_batch(demo_db):
    stuck = health.stuck_now(demo_db.cursor(), AS_OF)
    fednow = stuck[stuck.rail_id == "FEDNOW"]
    assert len(fednow) == 60 and set(fednow.partner_id) == {"MERIDIAN"}


def test_scenario_granite_unauthorized_rate_crosses_half_percent(demo_db):
    rate = q(
        demo_db,
        """
        SELECT count(*) FILTER (WHERE code IN ('R05','R07','R10','R11','R29')) / count(*)
        FROM payments WHERE rail_id = 'ACH' AND dc = 'debit' AND client_id = $c
          AND created_at >= $as_of - INTERVAL 60 DAY""",
        c="granite",
        as_of=AS_OF,
    )[0][0]
    others = q(
        demo_db,
        """
        SELECT max(r) FROM (SELECT count(*) FILTER (WHERE code IN ('R05','R07','R10','R11','R29'))
            / count(*) AS r FROM payments WHERE rail_id = 'ACH' AND dc = 'debit'
            AND client_id <> 'granite' AND created_at >= $as_of - INTERVAL 60 DAY
            GROUP BY client_id)""",
        as_of=AS_OF,
    )[0][0]
    assert rate > 0.005 > others


@pytest.mark.parametrize(
    ("rail", "days", "kind", "scenario"),
    [
        ("RTP", 7, "success", "rtp_lakeshore_timeouts"),
        ("RTP", 7, "latency", "rtp_lakeshore_timeouts"),
        ("VISA_DIRECT", 14, "latency", "visa_latency_day"),
        ("SPEI", 7, "success", "spei_unexpected_code"),
    ],
)
def test_scenarios_show_as_anomalies_inside_their_window(demo_db, rail, days, kind, scenario):
    cur = demo_db.cursor()
    start, end = q(
        demo_db, "SELECT starts_at, ends_at FROM demo_scenarios WHERE scenario_id = $s", s=scenario
    )[0]
    f = rh.Filters(AS_OF - timedelta(days=days), AS_OF, (rail,), (), (), "hour", "UTC")
    every = health.everything(cur)
    df = rh.series(cur, f, every) if kind == "success" else rh.latency(cur, f, every)
    flagged = df[df[f"{kind}_anomaly"]].bucket
    inside = flagged[(flagged >= start.replace(tzinfo=None)) & (flagged < end.replace(tzinfo=None))]
    assert len(inside) >= 2, f"{scenario} not visible"
    assert len(flagged) - len(inside) <= 2, f"too many false {kind} anomalies: {list(flagged)}"


def test_scenario_spei_code_26_only_in_its_window(demo_db):
    rows = q(
        demo_db,
        """
        SELECT min(created_at) >= s.starts_at AND max(created_at) < s.ends_at, count(*)
        FROM payments AS p, demo_scenarios AS s
        WHERE p.rail_id = 'SPEI' AND p.code = '26' AND s.scenario_id = 'spei_unexpected_code'
        GROUP BY s.starts_at, s.ends_at""",
    )
    assert rows[0][0] and rows[0][1] > 20
