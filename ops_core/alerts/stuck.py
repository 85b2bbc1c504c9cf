"""Payments stuck in pending: older than their route allows and without a final status.

The allowance is data (alert_rules.csv) in the rail's own unit: seconds (RTP, FedNow, cards,
SEPA Inst, SPEI, UPI), banking days on the rail's calendar (ACH: an entry not final after N
more banking days), or block confirmations at the chain's block time (USDC: confirmations
times seconds per block, since the ledger keeps no block heights).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from ops_core import calendars, sql
from ops_core.alerts import findings as fx
from ops_core.alerts.rules import settings_frame


def created_before(at: datetime, unit: str, threshold: float, unit_seconds, cal: str, tz: str):
    """The instant an attempt must have been created before to count as stuck at ``at``."""
    if unit == "seconds":
        return at - timedelta(seconds=threshold)
    if unit == "confirmations":
        return at - timedelta(seconds=threshold * unit_seconds)
    return banking_cut(at, int(threshold), cal, tz)


def banking_cut(at: datetime, n: int, cal: str, tz: str) -> datetime:
    """Stuck after ``n`` banking days: more than n banking days of ``cal`` lie in
    (created day, today], i.e. created before the (n+1)-th most recent banking day up to
    today (local dates in ``tz``). Its local midnight is the cut."""
    zone = ZoneInfo(tz)
    day: date = at.astimezone(zone).date()
    if not calendars.is_banking_day(cal, day):
        day = calendars.previous_banking_day(cal, day)
    for _ in range(n):
        day = calendars.previous_banking_day(cal, day)
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def cuts(cur, times: list[datetime], ctx: fx.Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stuck settings per route, and one cut per (evaluation time, route)."""
    s = settings_frame("stuck", ctx.routes, ctx.on)
    rails = cur.execute("SELECT rail_id, calendar, cutoff_timezone FROM rails").df()
    s = s.merge(rails, on="rail_id")
    rows = []
    for r in s.itertuples():
        tz = r.cutoff_timezone if isinstance(r.cutoff_timezone, str) else "UTC"
        for at in times:
            before = created_before(at, r.unit, r.threshold, r.unit_seconds, r.calendar, tz)
            rows.append(
                {
                    "eval_at": at,
                    "rail_id": r.rail_id,
                    "partner_id": r.partner_id,
                    "created_before": before,
                    "created_after": at - timedelta(days=r.lookback_days),
                    "min_age_seconds": _min_age(r.unit, r.threshold, r.unit_seconds),
                }
            )
    return s, pd.DataFrame(rows)


def _min_age(unit: str, threshold: float, unit_seconds) -> float:
    if unit == "banking_days":
        return threshold * 86400  # n banking days passed means at least n days passed
    return threshold * (unit_seconds if unit == "confirmations" else 1)


def detect(cur, times: list[datetime], ctx: fx.Context) -> pd.DataFrame:
    s, c = cuts(cur, times, ctx)
    if c.empty:
        return fx.empty()
    cur.register("stuck_cuts", c)
    try:
        df = sql.query(cur, "alerts/stuck").rename(columns={"eval_at": "at"})
    finally:
        cur.unregister("stuck_cuts")
    df = df.merge(s, on=["rail_id", "partner_id"])
    hit = df[df.stuck >= df.min_volume]
    if hit.empty:
        return fx.empty()
    return fx.route_findings(
        hit,
        "stuck",
        ctx,
        "Stuck payments",
        lambda r: _sentence(r, ctx),
        lambda r: fx.rail_health_link(
            r.oldest,
            r.at,
            rails=[r.rail_id],
            partners=[r.partner_id],
            payments="1",
            status="pending",
        ),
        client_id=[c[0] if len(c) == 1 else None for c in hit.clients],
        severity=fx.severity(hit.stuck, hit.critical),
        value=hit.stuck,
        baseline=0,
        threshold=hit.min_volume,
        unit="count",
        impact_count=hit.stuck,
        impact_amount_minor=hit.amount_minor,
        currency=hit.currency,
        window_start=hit.oldest,
    )


def allowance(unit: str, threshold: float, unit_seconds) -> str:
    if unit == "seconds":
        return f"{threshold:g} s"
    if unit == "confirmations":
        minutes = threshold * unit_seconds / 60
        return f"{threshold:g} confirmations (~{minutes:.0f} min at {unit_seconds:g} s a block)"
    return f"{threshold:g} banking days"


def _sentence(r, ctx: fx.Context) -> str:
    age = fx.utc(r.at) - fx.utc(r.oldest)
    hours = age.total_seconds() / 3600
    clients = ", ".join(ctx.clients.get(c, c) for c in r.clients[:3])
    more = f" and {len(r.clients) - 3} more" if len(r.clients) > 3 else ""
    return (
        f"{int(r.stuck)} payments on {ctx.route(r.rail_id, r.partner_id)} pending longer than "
        f"{allowance(r.unit, r.threshold, r.unit_seconds)} without a final status (normally 0; "
        f"threshold {r.min_volume:g}); the oldest created {fx.hhmm(r.oldest)}, {hours:.1f} h "
        f"ago. Clients: {clients}{more}."
    )
