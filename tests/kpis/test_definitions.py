"""Every KPI definition on the hand-made world (tests/kpis/conftest.py), numbers worked out by
hand. One row: KPI, week, series -> value, numerator, denominator."""

from __future__ import annotations

import math

import pytest

from ops_core.kpis import KPIS, Scope, weekly_report
from ops_core.kpis.compute import rows_behind
from tests.kpis.conftest import NOW, W45, W46

P95_B44 = 2 ** (44.5 / 4) / 1000  # seconds at the middle of histogram bucket 44
P95_B60 = 2 ** (60.5 / 4) / 1000

CASES = [
    # payments: rollup rows; SEPA's Sunday 23:00 hour is W46, its Monday 00:00 hour is W47
    ("volume", W46, "all", 19, None, None),
    ("volume", W46, "ACH", 10, None, None),
    ("volume", W46, "SEPA_INST", 4, None, None),
    ("volume", W45, "all", 25, None, None),
    ("value", W46, "all", 150_000, None, None),  # USD rails only: ACH + RTP
    ("value", W46, "SEPA_INST", 40_000, None, None),  # in EUR minor units
    ("value", W45, "all", 225_000, None, None),
    ("success_rate", W46, "all", 16 / 18, 16, 18),  # one pending payment left out
    ("success_rate", W46, "ACH", 8 / 9, 8, 9),  # the returned one counts as decided
    ("success_rate", W46, "RTP", 4 / 5, 4, 5),
    ("success_rate", W45, "all", 24 / 25, 24, 25),
    ("p95_latency", W46, "RTP", P95_B44, None, 20),
    ("p95_latency", W46, "ACH", P95_B60, None, 1),
    # ACH: 60 days to the week's end; debits only, RCK and credits left out
    ("ach_unauthorized_rate", W46, "all", 1 / 5, 1, 5),
    ("ach_administrative_rate", W46, "all", 1 / 5, 1, 5),
    ("ach_overall_rate", W46, "all", 3 / 5, 3, 5),
    ("ach_unauthorized_rate", W45, "all", 0 / 5, 0, 5),  # R10 arrived 10 Nov, after W45
    ("ach_overall_rate", W45, "all", 2 / 5, 2, 5),
    ("ach_clients_over", W46, "all", 2, 2, 3),  # alpha (unauthorized), beta (overall)
    # reconciliation
    ("break_rate", W46, "all", 3 / 4, 3, 4),  # in_flight is not reconciled yet
    ("break_rate", W45, "all", 2 / 2, 2, 2),
    ("break_resolution_mean", W46, "all", (216 + 12 + 24) / 3, None, 3),
    ("break_resolution_median", W46, "all", 24, None, 3),
    ("break_resolution_mean", W45, "all", 24, None, 1),
    ("open_breaks", W46, "all", 4, None, None),  # break 8 closed exactly at the week's end
    ("open_breaks", W46, "0-1 d", 1, None, None),  # break 3: item 15 Nov
    ("open_breaks", W46, "2-3 d", 1, None, None),  # break 2: item 14 Nov
    ("open_breaks", W46, "4-7 d", 1, None, None),  # break 1: item 11 Nov
    ("open_breaks", W46, "31+ d", 1, None, None),
    ("open_breaks", W45, "all", 2, None, None),
    ("open_breaks", W45, "8-14 d", 1, None, None),  # break 4: item 31 Oct, 9 days
    ("break_sla", W46, "all", 1 / 3, 1, 3),
    ("break_sla", W45, "all", 1 / 2, 1, 2),
    # disputes: closed in the week; accepted = conceded, not counted
    ("dispute_win_rate_count", W46, "all", 2 / 4, 2, 4),
    ("dispute_win_rate_amount", W46, "all", 10_000 / 50_000, 10_000, 50_000),  # USD only
    ("dispute_win_rate_count", W45, "all", 1, 1, 1),
    ("dispute_deadlines_missed", W46, "all", 2, 2, 4),
    ("dispute_deadlines_missed", W45, "all", 1, 1, 1),
]


@pytest.fixture
def report(world):
    return weekly_report(world.cursor(), W46, NOW)


def _frame_row(report, key, week, series):
    df = report.result(key).frame
    hit = df[(df.week == week.monday) & (df.series == series)]
    assert len(hit) == 1, f"{key} {week} {series}: {len(hit)} rows"
    return hit.iloc[0]


def _same(got, want) -> bool:
    if want is None:
        return got is None or (isinstance(got, float) and math.isnan(got))
    return math.isclose(float(got), want, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize(("key", "week", "series", "value", "num", "den"), CASES)
def test_kpi_definition(report, key, week, series, value, num, den):
    row = _frame_row(report, key, week, series)
    assert _same(row.value, value), (key, row.value, value)
    assert _same(row.numerator, num), (key, row.numerator, num)
    assert _same(row.denominator, den), (key, row.denominator, den)


def test_every_kpi_is_checked():
    assert {k.key for k in KPIS} == {c[0] for c in CASES}


def test_summary_judges_this_week_against_last_and_target(report):
    s = report.summary().set_index(["kpi", "series"])
    sla = s.loc[("break_sla", "all")]
    assert sla.this_week == pytest.approx(1 / 3) and sla.last_week == pytest.approx(1 / 2)
    assert sla.change == pytest.approx(1 / 3 - 1 / 2)
    assert (sla.target, sla.status) == (0.95, "missed")
    assert s.loc[("ach_unauthorized_rate", "all")].target == pytest.approx(0.005)
    assert s.loc[("ach_unauthorized_rate", "all")].status == "missed"  # 20% > 0.5%
    assert s.loc[("dispute_deadlines_missed", "all")].status == "missed"  # target zero
    assert s.loc[("volume", "all")].status == "no target"
    assert len(s.loc[("volume", "all")].history) == 12
    assert s.loc[("open_breaks", "8-14 d")].this_week == 0  # counts fill to zero
    assert s.loc[("value", "all")].this_week == 150_000  # money stays integer minor units
    assert isinstance(s.loc[("value", "all")].this_week, int)


def test_rails_scope_filters_every_rail_aware_kpi(world):
    r = weekly_report(world.cursor(), W46, NOW, Scope(rails=("RTP",)))
    s = r.summary().set_index(["kpi", "series"])
    assert s.loc[("volume", "all")].this_week == 5
    assert s.loc[("ach_overall_rate", "all")].this_week is None  # ACH not in scope
    assert s.loc[("dispute_win_rate_count", "all")].this_week == pytest.approx(1 / 2)  # 1, 2
    assert s.loc[("open_breaks", "all")].this_week == 2  # breaks 1 and 2; 3 has no rail


@pytest.mark.parametrize(
    ("key", "count", "first"),
    [
        ("volume", 3, {"rail_id": "ACH", "payments": 10}),
        ("ach_overall_rate", 3, {"client_id": "alpha", "over_threshold": True}),
        ("open_breaks", 7, {"break_id": 8, "open_at_end": True, "age_days_at_end": 47}),
        ("dispute_win_rate_count", 5, {"case_id": 3, "counted": True}),
        ("dispute_deadlines_missed", 4, {"missed": True}),
    ],
)
def test_rows_behind(world, key, count, first):
    df = rows_behind(world.cursor(), key, W46, NOW)
    assert len(df) == count
    row = df.iloc[0]
    for col, want in first.items():
        assert row[col] == want, (col, row[col])


@pytest.mark.parametrize(
    ("entries", "unauthorized", "over"),
    [(200, 1, False), (199, 1, True), (400, 2, False), (1, 0, False)],
)
def test_nacha_threshold_is_exclusive_and_exact(ledger_only, entries, unauthorized, over):
    """0.5% exactly is not over the threshold (1 of 200), compared in integers."""
    cur = ledger_only.cursor()
    cur.execute("DELETE FROM payments")
    cur.execute(
        "INSERT INTO payments (payment_id, original_payment_id, original_created_at, client_id,"
        " rail_id, partner_id, direction, dc, txn_type, amount_minor, currency, created_at,"
        " status, returned_at, code) SELECT i, i, TIMESTAMPTZ '2026-11-10 12:00:00+00', 'alpha',"
        " 'ACH', 'P_ACH', 'pull', 'debit', 'PPD', 100, 'USD', TIMESTAMPTZ '2026-11-10 12:00:00+00',"
        " CASE WHEN i <= ? THEN 'returned' ELSE 'completed' END,"
        " CASE WHEN i <= ? THEN TIMESTAMPTZ '2026-11-11 12:00:00+00' END,"
        " CASE WHEN i <= ? THEN 'R10' END FROM range(1, ? + 1) t(i)",
        [unauthorized, unauthorized, unauthorized, entries],
    )
    r = weekly_report(cur, W46, NOW, keys=("ach_clients_over",))
    assert r.summary().iloc[0].this_week == int(over)


def test_age_buckets_are_the_reconciliation_pages():
    from ops_core.kpis.definitions import AGE_BUCKETS
    from ops_core.recon.breaks import AGE_BUCKETS as RECON

    assert AGE_BUCKETS == tuple(label for _, _, label in RECON)
