"""RAG judgement, time-zone day bounds and anomaly marking, on hand-built inputs."""

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from ops_core import health
from ops_core.rail_health import mark_anomalies

LIMITS = health.thresholds()


def tile(**kw):
    base = dict(
        rail_id="RTP",
        name="RTP",
        payments=1000,
        decided=1000,
        succeeded=990,
        success_rate=0.99,
        baseline_success_rate=0.99,
        baseline_payments=1000,
        p95_ms=2000.0,
        baseline_p95_ms=2000.0,
        stuck=0,
    )
    return base | kw


@pytest.mark.parametrize(
    ("change", "rag", "reason"),
    [
        ({}, "green", None),
        ({"success_rate": 0.975}, "amber", "1.5 pp lower"),
        ({"success_rate": 0.95}, "red", "4.0 pp lower"),
        ({"p95_ms": 3400.0}, "amber", "p95 latency 1.7x"),
        ({"p95_ms": 6000.0}, "red", "p95 latency 3.0x"),
        ({"stuck": 3}, "amber", "3 payments stuck"),
        ({"stuck": 60}, "red", "60 payments stuck"),
        ({"payments": 500}, "amber", "volume 50%"),
        ({"payments": 100}, "red", "volume 10%"),
        ({"decided": 10, "payments": 10, "baseline_payments": 12}, "grey", "too little volume"),
        ({"decided": 10, "success_rate": 0.5, "baseline_payments": 12}, "grey", None),
    ],
)
def test_judge(change, rag, reason):
    out = health.judge(pd.DataFrame([tile(**change)]), LIMITS)
    assert out.rag[0] == rag
    if reason:
        assert any(reason in r for r in out.reasons[0]), out.reasons[0]


def test_judge_puts_worst_first():
    rows = [tile(rail_id="A"), tile(rail_id="B", stuck=60), tile(rail_id="C", p95_ms=3400.0)]
    assert list(health.judge(pd.DataFrame(rows), LIMITS).rail_id) == ["B", "C", "A"]


@pytest.mark.parametrize(
    ("day", "tz", "start", "end"),
    [
        (
            date(2026, 11, 20),
            "UTC",
            datetime(2026, 11, 20, tzinfo=UTC),
            datetime(2026, 11, 21, tzinfo=UTC),
        ),
        (
            date(2026, 11, 20),
            "America/New_York",
            datetime(2026, 11, 20, 5, tzinfo=UTC),
            datetime(2026, 11, 21, 5, tzinfo=UTC),
        ),
        # DST ends on 2026-11-01 in New York: that day has 25 hours
        (
            date(2026, 11, 1),
            "America/New_York",
            datetime(2026, 11, 1, 4, tzinfo=UTC),
            datetime(2026, 11, 2, 5, tzinfo=UTC),
        ),
        (
            date(2026, 11, 20),
            "Asia/Kolkata",
            datetime(2026, 11, 19, 18, 30, tzinfo=UTC),
            datetime(2026, 11, 20, 18, 30, tzinfo=UTC),
        ),
    ],
)
def test_day_bounds_follow_the_viewers_zone(day, tz, start, end):
    assert health.day_bounds(day, tz) == (start, end)


def hourly(n_days=35, volume=200, rate=0.98, p95=2000.0):
    buckets = pd.date_range("2026-10-01", periods=24 * n_days, freq="h")
    rng = np.random.default_rng(0)
    ok = rng.binomial(volume, rate, len(buckets))
    return pd.DataFrame(
        {
            "bucket": buckets,
            "payments": volume,
            "pending": 0,
            "succeeded": ok,
            "success_rate": ok / volume,
            "attempts": volume,
            "p95_ms": p95 * rng.uniform(0.9, 1.1, len(buckets)),
        }
    )


def test_no_anomalies_on_steady_traffic():
    s = mark_anomalies(hourly(), "hour", ["success", "latency"])
    assert s.success_anomaly.sum() == 0 and s.latency_anomaly.sum() == 0


def test_dip_and_spike_are_flagged_where_injected():
    s = hourly()
    hit = s.index[-30:-27]
    s.loc[hit, "succeeded"] = 150
    s.loc[hit, "success_rate"] = 0.75
    s.loc[hit, "p95_ms"] = 9000.0
    s = mark_anomalies(s, "hour", ["success", "latency"])
    assert list(s.index[s.success_anomaly]) == list(hit)
    assert list(s.index[s.latency_anomaly]) == list(hit)


def test_quiet_hours_are_never_flagged():
    s = hourly(volume=10, rate=0.98)
    s.loc[s.index[-5], ["succeeded", "success_rate"]] = [5, 0.5]
    assert mark_anomalies(s, "hour", ["success"]).success_anomaly.sum() == 0


def test_an_empty_view_has_no_anomalies():
    empty = hourly().iloc[0:0]
    out = mark_anomalies(empty, "hour", ["success", "latency"])
    assert out.empty and {"success_anomaly", "latency_anomaly"} <= set(out.columns)


def test_a_tie_for_the_top_code_goes_to_the_first_code(empty_db):
    """Two codes seen as often: the tile shows the first by scheme and code on every render
    (it showed either, depending on the order the rows came back in)."""
    cur = empty_db.cursor()
    hour = datetime(2026, 11, 21, 10, tzinfo=UTC)
    rows = [("FEDNOW", "iso20022", "AC04", 1), ("FEDNOW", "iso20022", "AC03", 1),
            ("ACH", "nacha_return", "R03", 2), ("ACH", "nacha_return", "R01", 2),
            ("ACH", "nacha_return", "R02", 1)]  # fmt: skip
    for rail, scheme, code, n in rows:
        cur.execute(
            "INSERT INTO rollup_codes VALUES (?, ?, 'p', 'c', 'failed', ?, ?, ?, 100)",
            [hour, rail, scheme, code, n],
        )
    every = {"rails": ["ACH", "FEDNOW"], "partners": ["p"], "clients": ["c"]}
    top = health._top_codes(cur, hour, hour.replace(hour=11), every)
    assert dict(zip(top.rail_id, top.top_code, strict=True)) == {"ACH": "R01", "FEDNOW": "AC03"}
