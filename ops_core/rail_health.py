"""Rail Health: series over time with anomalies, code ranking, breakdowns, drill-down."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from ops_core import sql
from ops_core.access import masking

GRAINS = ("hour", "day")
LOOKBACK = timedelta(days=28)
STATUSES = ("pending", "completed", "failed", "returned")


@dataclass(frozen=True)
class Filters:
    """What a Rail Health view shows. Empty tuples mean 'all'."""

    start: datetime
    end: datetime
    rails: tuple[str, ...]
    partners: tuple[str, ...]
    clients: tuple[str, ...]
    grain: str = "hour"
    tz: str = "UTC"
    statuses: tuple[str, ...] = field(default=STATUSES)
    codes: tuple[str, ...] = ()
    partner: str | None = None  # partner screen-share mode: only this partner, masked

    def params(self, everything: dict[str, list[str]]) -> dict:
        partners = list(self.partners or everything["partners"])
        if self.partner is not None:  # the scope wins over whatever the filters say
            partners = [p for p in partners if p == self.partner] or [self.partner]
        return {
            "start": self.start,
            "end": self.end,
            "rails": list(self.rails or everything["rails"]),
            "partners": partners,
            "clients": list(self.clients or everything["clients"]),
        }


def series(cur: duckdb.DuckDBPyConnection, f: Filters, everything: dict) -> pd.DataFrame:
    """Volume and success rate per time bucket, with success-rate anomalies.

    Baselines need history, so 28 days before ``start`` are read and then cut off.
    """
    p = f.params(everything) | {"start": f.start - LOOKBACK, "grain": f.grain, "tz": f.tz}
    out = sql.query(cur, "health/series", **p)
    decided = out.payments - out.pending
    out["success_rate"] = out.succeeded / decided.where(decided > 0)
    out = mark_anomalies(out, f.grain, ["success"])
    return _from_start(out, f)


def latency(cur: duckdb.DuckDBPyConnection, f: Filters, everything: dict) -> pd.DataFrame:
    """p50/p95/p99 per rail and time bucket (not split by client), with latency anomalies."""
    p = f.params(everything) | {"start": f.start - LOOKBACK, "grain": f.grain, "tz": f.tz}
    p.pop("clients")
    lat = sql.query(cur, "health/latency_series", **p)
    if lat.empty:
        return lat.assign(latency_anomaly=False, baseline_p95_ms=np.nan)
    return _from_start(mark_anomalies(lat, f.grain, ["latency"], by="rail_id"), f)


def _from_start(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    start_local = pd.Timestamp(f.start).tz_convert(f.tz).tz_localize(None)
    cut = start_local.floor("h") if f.grain == "hour" else start_local.floor("D")
    return df[df.bucket >= cut].reset_index(drop=True)


def mark_anomalies(
    s: pd.DataFrame, grain: str, kinds: list[str], min_volume: int = 30, by: str | None = None
) -> pd.DataFrame:
    """Flag buckets far from their seasonal baseline: the same weekday and hour (hourly grain)
    or the same weekday (daily grain) on the previous 4 weeks. Weekly seasonality matters:
    an ACH entry made on a Friday settles on Monday.

    Success rate: the baseline is the pooled rate of those buckets; an anomaly is at least
    3 percentage points below it and at least 5 binomial standard errors away, so a handful
    of failures in a quiet hour is not one. Latency: the baseline is the median of their
    p95s; an anomaly is a p95 at least twice it. Buckets with fewer than ``min_volume``
    payments are never flagged, so quiet hours page nobody. ``by`` names a column whose
    groups (e.g. rails) get baselines of their own.
    """
    if s.empty:  # nothing in the view (e.g. a client with no payments in the range)
        return s.assign(
            baseline_success_rate=np.nan,
            baseline_p95_ms=np.nan,
            success_anomaly=False,
            latency_anomaly=False,
        )
    s = s.copy()
    weekday = s.bucket.dt.weekday
    s["_period"] = (s.bucket - pd.to_timedelta(weekday, unit="D")).dt.normalize()
    slot = weekday * 24 + s.bucket.dt.hour if grain == "hour" else weekday
    s["_slot"] = slot if by is None else s[by].astype(str) + ":" + slot.astype(str)
    freq, window = "7D", 4
    if "success" in kinds:
        s["_decided"] = s.payments - s.pending
        ok, dec = (_prior(s, c, freq, window, "sum") for c in ("succeeded", "_decided"))
        s = _attach(s, (ok / dec.where(dec > 0)).rename("baseline_success_rate"))
        p = s.baseline_success_rate.clip(0.005, 0.995)
        gap = s.baseline_success_rate - s.success_rate
        z = gap / np.sqrt(p * (1 - p) / s._decided.where(s._decided > 0))
        s["success_anomaly"] = (s._decided >= min_volume) & (gap >= 0.03) & (z >= 5)
        s = s.drop(columns="_decided")
    if "latency" in kinds:
        s = _attach(s, _prior(s, "p95_ms", freq, window, "median").rename("baseline_p95_ms"))
        s["latency_anomaly"] = (s.attempts.fillna(0) >= min_volume) & (
            s.p95_ms >= 2 * s.baseline_p95_ms
        )
    return s.drop(columns=["_period", "_slot"])


def _prior(s: pd.DataFrame, col: str, freq: str, window: int, how: str) -> pd.Series:
    """Per (period, slot): the sum or median of ``col`` over the previous ``window`` periods."""
    wide = s.pivot_table(index="_period", columns="_slot", values=col, aggfunc="sum")
    wide = wide.reindex(pd.date_range(wide.index.min(), wide.index.max(), freq=freq))
    roll = wide.shift(1).rolling(window, min_periods=max(2, window // 2))
    return (roll.sum() if how == "sum" else roll.median()).stack()


def _attach(s: pd.DataFrame, base: pd.Series) -> pd.DataFrame:
    return s.merge(base, left_on=["_period", "_slot"], right_index=True, how="left")


def codes(cur: duckdb.DuckDBPyConnection, f: Filters, everything: dict) -> pd.DataFrame:
    """Codes ranked by count, with meaning and share of all failures in the view."""
    df = sql.query(cur, "health/top_codes", **f.params(everything))
    df["share"] = df.n / df.n.sum() if len(df) else []
    return df


def breakdown(
    cur: duckdb.DuckDBPyConnection, f: Filters, everything: dict, by: str
) -> pd.DataFrame:
    """Payments, value and success rate by partner or by client."""
    df = sql.query(cur, "health/breakdown", **f.params(everything))
    keys = ["partner_id", "partner"] if by == "partner" else ["client_id", "client"]
    g = df.groupby([*keys, "currency"], as_index=False)[
        ["payments", "succeeded", "decided", "failed", "returned", "amount_minor"]
    ].sum()
    g["success_rate"] = g.succeeded / g.decided.where(g.decided > 0)
    g = g.sort_values("payments", ascending=False).reset_index(drop=True)
    return masking.scoped(g, f.partner)


def payments(
    cur: duckdb.DuckDBPyConnection, f: Filters, everything: dict, limit: int = 500
) -> pd.DataFrame:
    """The attempts behind the view (newest first, at most ``limit``)."""
    df = sql.query(
        cur,
        "health/payments",
        **f.params(everything),
        statuses=list(f.statuses or STATUSES),
        codes=list(f.codes),
        limit=limit,
    )
    return masking.scoped(df, f.partner)
