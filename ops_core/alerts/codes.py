"""Unexpected failure and return codes, hour by hour per route (rail x partner):

- ``new_code``: a code never seen on the rail (any partner) in the baseline window;
- ``code_spike``: a known code whose share of the route's codes is far above its baseline
  share (binomial z-test, so a quiet hour's two codes page nobody).

Codes count in the hour they arrive (rollup_codes), so an ACH return counts when it comes back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from ops_core import sql
from ops_core.alerts import findings as fx
from ops_core.alerts.rules import settings_frame

KEYS = ["rail_id", "partner_id", "code_scheme", "code"]


def hourly(cur, times: list[datetime], lookback_days: int) -> pd.DataFrame:
    start = fx.floor_hour(min(times)) - timedelta(days=2)
    end = fx.floor_hour(max(times))
    df = sql.query(cur, "alerts/codes", start=start, end=end, lookback_days=lookback_days)
    df["share"] = df.n / df.total
    df["base_share"] = df.base_n / df.base_total.where(df.base_total > 0)
    return df


def detect_new(cur, times: list[datetime], ctx: fx.Context) -> pd.DataFrame:
    s = settings_frame("new_code", ctx.routes, ctx.on)
    if s.empty:
        return fx.empty()
    df = hourly(cur, times, int(s.lookback_days.max())).merge(s, on=["rail_id", "partner_id"])
    df["fire"] = (df.rail_seen == 0) & (df.n >= df.threshold)
    df = fx.streaks(df, KEYS, ["n", "amount_minor"])
    hit = fx.at_times(df, times, KEYS)
    if hit.empty:
        return fx.empty()
    out = _frame(hit, "new_code", ctx)
    out["severity"] = fx.severity(hit.n, hit.critical).to_numpy()
    out["value"] = hit.n.to_numpy()
    out["baseline"] = 0
    out["threshold"] = hit.threshold.to_numpy()
    out["unit"] = "count"
    out["title"] = [
        f"New code {r.code} on {ctx.route(r.rail_id, r.partner_id)}" for r in hit.itertuples()
    ]
    out["explanation"] = [
        f"{ctx.route(r.rail_id, r.partner_id)}: code {r.code} ({r.title}) arrived {int(r.n)} "
        f"times in {fx.utc(r.hour):%H:%M}–{fx.utc(r.hour) + fx.HOUR:%H:%M} UTC "
        f"({r.share:.0%} of the route's codes); it was never seen on "
        f"{ctx.route(r.rail_id, None)} in the {int(r.lookback_days)} days before "
        f"yesterday (threshold {r.threshold:g} in an hour). {int(r.n_run)} since "
        f"{fx.hhmm(r.streak_start)}."
        for r in hit.itertuples()
    ]
    return out.reindex(columns=fx.COLUMNS)


def detect_spike(cur, times: list[datetime], ctx: fx.Context) -> pd.DataFrame:
    s = settings_frame("code_spike", ctx.routes, ctx.on)
    if s.empty:
        return fx.empty()
    df = hourly(cur, times, int(s.lookback_days.max())).merge(s, on=["rail_id", "partner_id"])
    p = df.base_share.clip(lower=1e-3, upper=0.999)
    df["ratio"] = df.share / p
    df["z"] = (df.share - df.base_share) / np.sqrt(p * (1 - p) / df.total)
    df["fire"] = (
        (df.base_n > 0)
        & (df.n >= df.min_volume)
        & (df.ratio >= df.threshold)
        & (df.z >= df.min_z.fillna(0))
    ).fillna(False)
    df = fx.streaks(df, KEYS, ["n", "amount_minor"])
    hit = fx.at_times(df, times, KEYS)
    if hit.empty:
        return fx.empty()
    out = _frame(hit, "code_spike", ctx)
    out["severity"] = fx.severity(hit.ratio, hit.critical).to_numpy()
    out["value"] = (hit.share * 100).to_numpy()
    out["baseline"] = (hit.base_share * 100).to_numpy()
    out["threshold"] = (hit.base_share * 100 * hit.threshold).to_numpy()
    out["unit"] = "pct"
    out["title"] = [
        f"Code {r.code} surging on {ctx.route(r.rail_id, r.partner_id)}" for r in hit.itertuples()
    ]
    out["explanation"] = [
        f"{ctx.route(r.rail_id, r.partner_id)}: code {r.code} ({r.title}) is {r.share:.0%} of "
        f"the route's {int(r.total)} codes in {fx.utc(r.hour):%H:%M}–"
        f"{fx.utc(r.hour) + fx.HOUR:%H:%M} UTC vs {r.base_share:.1%} over the "
        f"{int(r.lookback_days)} days before yesterday: {r.ratio:.1f}x (threshold "
        f"{r.threshold:g}x, z = {r.z:.1f}); {int(r.n_run)} since {fx.hhmm(r.streak_start)}."
        for r in hit.itertuples()
    ]
    return out.reindex(columns=fx.COLUMNS)


def _frame(hit: pd.DataFrame, rule_id: str, ctx: fx.Context) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "at": hit["at"].to_numpy(),
            "rule_id": rule_id,
            "rail_id": hit.rail_id.to_numpy(),
            "partner_id": hit.partner_id.to_numpy(),
            "subject": hit.code.to_numpy(),
            "impact_count": hit.n_run.to_numpy(),
            "impact_amount_minor": hit.amount_minor_run.to_numpy(),
            "currency": [_currency(ctx, r) for r in hit.rail_id],
            "window_start": hit.streak_start.to_numpy(),
            "link": [
                fx.rail_health_link(
                    # an ACH return comes back days after its entry was created
                    r.streak_start - timedelta(days=30 if r.rail_id == "ACH" else 1),
                    r.hour + fx.HOUR,
                    rails=[r.rail_id],
                    partners=[r.partner_id],
                    payments="1",
                    status="failed,returned",
                    codes=r.code,
                )
                for r in hit.itertuples()
            ],
        }
    )


def _currency(ctx: fx.Context, rail: str) -> str | None:
    return ctx.currencies.get(rail)
