"""Partner scorecards: how a banking partner or network performed, per rail, week by week.

Success rate (of decided logical payments), p95 latency (from the latency histogram, so any
span of weeks reads a true percentile), settlement timeliness (completed attempts final
within what the rail should take: ACH by the next banking day, other rails within twice
their typical time; sql/alerts/scorecard_counts.sql), break rate (breaks per 1,000
payments, once reconciliation exists), alerts and incidents. Weeks are counted back from
the data's now: week 0 is the 7 days before it. The period shown is compared with the
period before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from ops_core import calendars, sql
from ops_core.access import partner_view
from ops_core.alerts.rules import Rule, missing_sources

HISTORY_WEEKS = 12
BREAKS = Rule(
    "break_rate",
    "",
    "",
    (),
    requires=(
        ("recon_breaks", ("partner_id", "rail_id", "detected_at")),
        ("recon_runs", ("status",)),
    ),
)


@dataclass(frozen=True)
class Scorecard:
    partner_id: str
    name: str
    kind: str
    end: datetime
    weeks: int  # the period: the last ``weeks`` weeks, compared with the ``weeks`` before
    compared: bool  # the data covers the period before too (else no comparison is shown)
    summary: pd.DataFrame  # per rail: this period and the previous one
    trend: pd.DataFrame  # per rail and week: success, p95, on-time, breaks, alerts
    incidents: pd.DataFrame
    breaks_available: bool


def partners(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Banking partners and networks with traffic, banks first."""
    return cur.execute(
        "SELECT p.partner_id, p.name, p.kind, list(rp.rail_id ORDER BY rp.rail_id) AS rails"
        " FROM partners AS p JOIN rail_partners AS rp USING (partner_id)"
        " GROUP BY p.partner_id, p.name, p.kind"
        " ORDER BY CASE p.kind WHEN 'bank' THEN 0 WHEN 'network' THEN 1 ELSE 2 END, p.name"
    ).df()


def scorecard(
    cur: duckdb.DuckDBPyConnection,
    partner_id: str,
    end: datetime,
    weeks: int = 4,
    masked: bool = False,
) -> Scorecard:
    """The partner's scorecard; ``masked``: as its own screen-share view shows it (incident
    titles with client names, people and other partners masked: issue 8)."""
    span = max(HISTORY_WEEKS, 2 * weeks)
    info = cur.execute(
        "SELECT name, kind FROM partners WHERE partner_id = ?", [partner_id]
    ).fetchall()
    name, kind = info[0] if info else (partner_id, "")
    full = _full_weeks(cur, partner_id, end)  # weeks back the data wholly covers
    span = min(span, full)
    counts = _counts(cur, partner_id, end, span)
    hist = sql.query(cur, "alerts/scorecard_latency", partner=partner_id, end=end, weeks=span)
    alerts = _alerts(cur, partner_id, end, span)
    breaks_ok = _reconciled(cur)
    breaks = _breaks(cur, partner_id, end, span) if breaks_ok else None
    trend = _trend(counts, hist, alerts, breaks, end)
    compared = full >= 2 * weeks
    summary = _summary(counts, hist, alerts, breaks, weeks, compared)
    return Scorecard(
        partner_id,
        name,
        kind,
        end,
        weeks,
        compared,
        summary,
        trend,
        _incidents(cur, partner_id, masked),
        breaks_ok,
    )


def _full_weeks(cur, partner_id: str, end: datetime) -> int:
    """How many whole weeks before ``end`` the partner's data covers (a partial first week
    would read as a drop in volume)."""
    first = cur.execute(
        "SELECT min(hour) FROM rollup_hourly WHERE partner_id = ?", [partner_id]
    ).fetchall()[0][0]
    if first is None:
        return 0
    return int((pd.Timestamp(end) - pd.Timestamp(first)) / pd.Timedelta(weeks=1))


def _reconciled(cur) -> bool:
    """Break rates mean something once reconciliation has run on this database."""
    if missing_sources(cur, BREAKS) is not None:
        return False
    return cur.execute("SELECT count(*) FROM recon_runs WHERE status = 'done'").fetchall()[0][0] > 0


def _counts(cur, partner_id: str, end: datetime, span: int) -> pd.DataFrame:
    cals = [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT calendar FROM rails WHERE operating_hours = 'banking_days'"
        ).fetchall()
    ]
    start = (end - timedelta(weeks=span + 1)).date()
    days = [
        calendars.banking_day_table(c, start, (end + timedelta(days=7)).date()).assign(calendar=c)
        for c in cals
    ]
    table = (
        pd.concat(days) if days else pd.DataFrame(columns=["calendar", "day", "banking_day_index"])
    )
    cur.register("score_days", table)
    try:
        return sql.query(cur, "alerts/scorecard_counts", partner=partner_id, end=end, weeks=span)
    finally:
        cur.unregister("score_days")


def _alerts(cur, partner_id: str, end: datetime, span: int) -> pd.DataFrame:
    return cur.execute(
        "SELECT CAST(floor((epoch($end) - epoch(opened_at)) / 604800) AS INTEGER) AS k, rail_id,"
        " count(*) AS alerts, count(DISTINCT incident_id) AS incidents FROM alerts"
        " WHERE partner_id = $p AND opened_at < $end"
        " AND opened_at >= $end - to_days(7 * $w) GROUP BY ALL",
        {"p": partner_id, "end": end, "w": span},
    ).df()


def _breaks(cur, partner_id: str, end: datetime, span: int) -> pd.DataFrame:
    return cur.execute(
        "SELECT CAST(floor((epoch($end) - epoch(detected_at)) / 604800) AS INTEGER) AS k,"
        " rail_id, count(*) AS breaks FROM recon_breaks WHERE partner_id = $p"
        " AND detected_at < $end AND detected_at >= $end - to_days(7 * $w) GROUP BY ALL",
        {"p": partner_id, "end": end, "w": span},
    ).df()


def p95(hist: pd.DataFrame) -> float:
    """The 95th percentile (ms) of a quarter-octave histogram (bucket, n): the middle of the
    first bucket where the cumulative count reaches 95% (as the rail-health SQL reads it)."""
    if hist.empty or hist.n.sum() == 0:
        return np.nan
    h = hist.groupby("bucket").n.sum().sort_index()
    first = h.index[(h.cumsum() >= 0.95 * h.sum()).to_numpy()][0]
    return float(2 ** ((first + 0.5) / 4))


def _rates(g: pd.DataFrame) -> dict:
    decided, settled = g.decided.sum(), g.settled.sum()
    return {
        "payments": int(g.payments.sum()),
        "amount_minor": int(g.amount_minor.sum()),
        "success_rate": g.succeeded.sum() / decided if decided else np.nan,
        "on_time": g.on_time.sum() / settled if settled else np.nan,
    }


def _breaks_per_k(breaks, rail, ks, payments) -> float:
    if breaks is None:
        return np.nan
    n = breaks[(breaks.rail_id == rail) & breaks.k.isin(ks)].breaks.sum()
    return n * 1000 / payments if payments else np.nan


def _trend(counts, hist, alerts, breaks, end: datetime) -> pd.DataFrame:
    rows = []
    for (rail, k), g in counts.groupby(["rail_id", "k"]):
        h = hist[(hist.rail_id == rail) & (hist.k == k)]
        a = alerts[(alerts.rail_id == rail) & (alerts.k == k)]
        r = _rates(g)
        rows.append(
            {
                "rail_id": rail,
                "week_ending": (pd.Timestamp(end) - pd.Timedelta(weeks=int(k))).normalize(),
                "k": k,
                **r,
                "p95_ms": p95(h),
                "alerts": int(a.alerts.sum()),
                "break_rate": _breaks_per_k(breaks, rail, [k], r["payments"]),
            }
        )
    return pd.DataFrame(rows).sort_values(["rail_id", "k"], ascending=[True, False])


def _summary(counts, hist, alerts, breaks, weeks: int, compared: bool) -> pd.DataFrame:
    """Per rail: this period ('now') and the one before ('before'; empty when the data does
    not reach back that far, so no change is shown)."""
    rows = []
    for rail, g in counts.groupby("rail_id"):
        row = {"rail_id": rail, "currency": g.currency.iat[0]}
        before = range(weeks, 2 * weeks) if compared else range(0)
        for label, ks in (("now", range(weeks)), ("before", before)):
            part = g[g.k.isin(ks)]
            r = _rates(part)
            a = alerts[(alerts.rail_id == rail) & alerts.k.isin(ks)]
            row |= {f"{k}_{label}": v for k, v in r.items()}
            row[f"p95_ms_{label}"] = p95(hist[(hist.rail_id == rail) & hist.k.isin(ks)])
            row[f"alerts_{label}"] = int(a.alerts.sum())
            row[f"break_rate_{label}"] = _breaks_per_k(breaks, rail, list(ks), r["payments"])
        rows.append(row)
    return pd.DataFrame(rows)


def _incidents(cur, partner_id: str, masked: bool = False) -> pd.DataFrame:
    """Incidents with an alert on this partner, newest first."""
    df = cur.execute(
        "SELECT i.incident_id, i.title, i.severity, i.status, i.started_at, i.resolved_at,"
        " list(DISTINCT a.rail_id) AS rails FROM incidents AS i JOIN alerts AS a"
        " USING (incident_id) WHERE a.partner_id = ? GROUP BY ALL ORDER BY i.started_at DESC",
        [partner_id],
    ).df()
    return partner_view.load(cur, partner_id).frame(df, text=("title",)) if masked else df
