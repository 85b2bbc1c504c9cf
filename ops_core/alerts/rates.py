"""Success-rate drops and p95 latency spikes per rail and partner, hour by hour, against the
seasonal baseline Rail Health uses (``ops_core.rail_health.mark_anomalies``: the same weekday
and hour over the previous 4 weeks). Thresholds per rail and partner: alert_rules.csv."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from ops_core import sql
from ops_core.alerts import findings as fx
from ops_core.alerts.rules import settings_frame
from ops_core.rail_health import mark_anomalies

BASELINE_SPAN = timedelta(days=29)  # 4 prior weeks of the same weekday and hour, plus a day
HISTORY = timedelta(days=2)  # streaks (and their impact) are followed this far back
# An hour with too little volume to judge neither fires nor clears: an alert stays open over
# up to HOLD quiet hours (a card network's night) and is judged again on the next busy hour.
HOLD = timedelta(hours=12)
ROUTE = ["rail_id", "partner_id"]


def hourly(cur, times: list[datetime]) -> pd.DataFrame:
    """Hourly counts and p95 per route with their seasonal baselines, for the hours the
    evaluation ``times`` look at (and the streaks leading up to them)."""
    first = fx.floor_hour(min(times)) - HISTORY
    end = fx.floor_hour(max(times))
    df = sql.query(cur, "alerts/hourly", start=first - BASELINE_SPAN, end=end)
    if df.empty:
        return df
    df["bucket"] = df.hour.dt.tz_convert("UTC").dt.tz_localize(None)
    df["route"] = df.rail_id + "|" + df.partner_id
    decided = df.payments - df.pending
    df["decided"] = decided
    df["success_rate"] = df.succeeded / decided.where(decided > 0)
    df = mark_anomalies(df, "hour", ["success", "latency"], min_volume=0, by="route")
    return df[df.hour >= pd.Timestamp(first)].drop(columns=["bucket", "route"])


def detect_success(cur, times: list[datetime], ctx: fx.Context, h: pd.DataFrame) -> pd.DataFrame:
    if h.empty:
        return fx.empty()
    s = settings_frame("success_drop", ctx.routes, ctx.on)
    df = h.merge(s, on=["rail_id", "partner_id"])
    if df.empty:
        return fx.empty()
    p = df.baseline_success_rate.clip(0.005, 0.995)
    gap_pp = (df.baseline_success_rate - df.success_rate) * 100
    z = (gap_pp / 100) / np.sqrt(p * (1 - p) / df.decided.where(df.decided > 0))
    df = df.assign(gap_pp=gap_pp, z=z)
    df = df[(df.decided >= df.min_volume) & df.baseline_success_rate.notna()]
    df["fire"] = ((df.gap_pp >= df.threshold) & (df.z >= df.min_z.fillna(0))).fillna(False)
    df = fx.streaks(df, ROUTE, ["failed", "unsettled_amount_minor"], gap=HOLD + fx.HOUR)
    hit = fx.at_times(df, times, ROUTE, hold=HOLD)
    if hit.empty:
        return fx.empty()
    return fx.route_findings(
        hit,
        "success_drop",
        ctx,
        "Success-rate drop",
        lambda r: _success_sentence(r, ctx),
        _link,
        severity=fx.severity(hit.gap_pp, hit.critical),
        value=hit.success_rate * 100,
        baseline=hit.baseline_success_rate * 100,
        threshold=(hit.baseline_success_rate * 100 - hit.threshold),
        unit="pct",
        impact_count=hit.failed_run,
        impact_amount_minor=hit.unsettled_amount_minor_run,
        currency=hit.currency,
        window_start=hit.streak_start,
    )


def _success_sentence(r, ctx: fx.Context) -> str:
    hour = fx.utc(r.hour)
    return (
        f"{ctx.route(r.rail_id, r.partner_id)}: success rate {r.success_rate:.1%} of "
        f"{int(r.decided)} decided payments in {hour:%H:%M}–{hour + fx.HOUR:%H:%M} UTC "
        f"vs {r.baseline_success_rate:.1%} baseline (same weekday and hour, previous 4 weeks): "
        f"{r.gap_pp:.1f} pp lower (threshold {r.threshold:g} pp, z = {r.z:.1f}); "
        f"{int(r.streak)} judged hours in a row since {fx.hhmm(r.streak_start)}, "
        f"{int(r.failed_run)} payments failed."
    )


def detect_latency(cur, times: list[datetime], ctx: fx.Context, h: pd.DataFrame) -> pd.DataFrame:
    if h.empty:
        return fx.empty()
    s = settings_frame("latency_spike", ctx.routes, ctx.on)
    df = h.merge(s, on=["rail_id", "partner_id"])
    if df.empty:
        return fx.empty()
    df["ratio"] = df.p95_ms / df.baseline_p95_ms.where(df.baseline_p95_ms > 0)
    df = df[(df.attempts >= df.min_volume) & df.ratio.notna()]
    df["fire"] = df.ratio >= df.threshold
    df = fx.streaks(df, ROUTE, ["attempts"], gap=HOLD + fx.HOUR)
    hit = fx.at_times(df, times, ROUTE, hold=HOLD)
    if hit.empty:
        return fx.empty()
    return fx.route_findings(
        hit,
        "latency_spike",
        ctx,
        "p95 latency spike",
        lambda r: _latency_sentence(r, ctx),
        _link,
        severity=fx.severity(hit.ratio, hit.critical),
        value=hit.p95_ms,
        baseline=hit.baseline_p95_ms,
        threshold=hit.baseline_p95_ms * hit.threshold,
        unit="ms",
        impact_count=hit.attempts_run,
        impact_amount_minor=0,
        currency=hit.currency,
        window_start=hit.streak_start,
    )


def _latency_sentence(r, ctx: fx.Context) -> str:
    hour = fx.utc(r.hour)
    return (
        f"{ctx.route(r.rail_id, r.partner_id)}: p95 latency {_ms(r.p95_ms)} over "
        f"{int(r.attempts)} attempts in {hour:%H:%M}–{hour + fx.HOUR:%H:%M} UTC vs "
        f"{_ms(r.baseline_p95_ms)} baseline (median p95 of the same weekday and hour, previous "
        f"4 weeks): {r.ratio:.1f}x (threshold {r.threshold:g}x); {int(r.streak)} judged hours "
        f"in a row since {fx.hhmm(r.streak_start)}, {int(r.attempts_run)} attempts exposed."
    )


def _ms(ms: float) -> str:
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def _link(r) -> str:
    return fx.rail_health_link(
        r.streak_start - timedelta(days=1),
        r.hour + fx.HOUR,
        rails=[r.rail_id],
        partners=[r.partner_id],
    )
