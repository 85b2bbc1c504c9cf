"""Rules over tables other issues own: dispute deadlines (issue 5, migration 020) and
reconciliation's missing settlements, balance tie-outs and breaks (issue 4, migration 050).

Each rule names the tables and columns it reads (``rules.RULES[..].requires``); while they do
not exist, ``ops_core.alerts.evaluate`` skips the rule and records why in ``alert_runs``, so it
evaluates to nothing rather than failing. The expected shapes are in each SQL file's header.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ops_core import calendars, sql
from ops_core.alerts import findings as fx
from ops_core.alerts.rules import RULES, setting_for
from ops_core.money import format_money

NETWORK_LABEL = {"visa": "Visa", "mastercard": "Mastercard", "nacha": "Nacha ACH", "reg_e": "Reg E"}


def _query(cur, name: str, **params) -> pd.DataFrame:
    return sql.query(cur, name, **params).rename(columns={"eval_at": "at"})


def detect_disputes(cur, times: list[datetime], ctx: fx.Context) -> pd.DataFrame:
    s = setting_for("dispute_deadline", "*", "*", ctx.on)
    if s is None or not s.enabled:
        return fx.empty()
    df = _query(cur, "alerts/dispute_deadlines", times=list(times), horizon_days=14)
    if df.empty:
        return fx.empty()
    at_day = df["at"].dt.tz_convert("UTC").dt.date
    df["internal_due"] = pd.to_datetime(df.internal_due).dt.date
    df["network_due"] = pd.to_datetime(df.network_due).dt.date
    horizon = [
        calendars.add_banking_days(c, d, int(s.threshold))
        for c, d in zip(df.calendar, at_day, strict=True)
    ]
    critical = [
        calendars.add_banking_days(c, d, int(s.critical or 0))
        for c, d in zip(df.calendar, at_day, strict=True)
    ]
    df = df.assign(
        due_soon=[d <= h for d, h in zip(df.internal_due, horizon, strict=True)],
        urgent=[d <= h for d, h in zip(df.network_due, critical, strict=True)],
    )
    df = df[df.due_soon]
    rows = []
    for (at, network), g in df.groupby(["at", "network"]):
        first = g.sort_values("internal_due").iloc[0]
        label = NETWORK_LABEL.get(network, network)
        rows.append(
            {
                "at": at,
                "rule_id": "dispute_deadline",
                "subject": network,
                "severity": "critical" if g.urgent.any() else "warning",
                "title": f"{label} dispute responses due",
                "value": len(g),
                "baseline": 0,
                "threshold": s.threshold,
                "unit": "count",
                "explanation": (
                    f"{len(g)} {label} dispute responses of ours are due by the team's date "
                    f"within {s.threshold:g} banking days ({int(g.urgent.sum())} at or past "
                    f"the network deadline). Earliest: case {first.case_id}, {first.action}, "
                    f"team date {first.internal_due}, network deadline {first.network_due}."
                ),
                "link": fx.app_link("disputes-calendar", networks=network),
                "impact_count": len(g),
                "impact_amount_minor": int(g.amount_minor.sum()),
                "currency": g.currency.mode().iat[0],
                "window_start": at,
            }
        )
    return pd.DataFrame(rows).reindex(columns=fx.COLUMNS)


def detect_settlements(cur, times: list[datetime], ctx: fx.Context) -> pd.DataFrame:
    df = _query(cur, "alerts/settlement_late", times=list(times))
    return _route_groups(df, "settlement_late", ctx, _settlement_text)


def _settlement_text(g: pd.DataFrame, route: str, s) -> str:
    return (
        f"{_n(len(g), 'expected settlement', 'expected settlements')} on {route} not received "
        f"after the settlement window (normally 0; alerting from {s.threshold:g}); the oldest for "
        f"{pd.Timestamp(g.item_date.min()):%Y-%m-%d}. Reconciliation lists them as missing at "
        "the bank."
    )


def detect_breaks(cur, times: list[datetime], ctx: fx.Context) -> pd.DataFrame:
    df = _query(cur, "alerts/break_sla", times=list(times))
    return _route_groups(df, "break_sla", ctx, _break_text)


def _break_text(g: pd.DataFrame, route: str, s) -> str:
    kinds = ", ".join(sorted({c.replace("_", " ") for c in g.category}))
    return (
        f"{_n(len(g), 'open reconciliation break', 'open reconciliation breaks')} on {route} "
        f"past the SLA ({kinds}; normally 0; the worst by {g.hours_past.max():.0f} h, "
        f"critical from {s.critical or 0:g} h)."
    )


def _route_groups(df: pd.DataFrame, rule_id: str, ctx: fx.Context, text) -> pd.DataFrame:
    """One finding per (time, rail, partner) with at least the rule's threshold of items."""
    rows = []
    if df.empty:
        return fx.empty()
    df = df.assign(rail_id=df.rail_id.fillna("*"), partner_id=df.partner_id.fillna("*"))
    for (at, rail, partner), g in df.groupby(["at", "rail_id", "partner_id"]):
        s = setting_for(rule_id, rail, partner, ctx.on)
        if s is None or not s.enabled or len(g) < s.threshold:
            continue
        if rule_id == "break_sla":
            critical = (g.hours_past >= (s.critical or 0)).any()
        else:
            critical = s.critical is not None and len(g) >= s.critical
        route = ctx.route(None if rail == "*" else rail, None if partner == "*" else partner)
        rows.append(
            {
                "at": at,
                "rule_id": rule_id,
                "rail_id": None if rail == "*" else rail,
                "partner_id": None if partner == "*" else partner,
                "severity": "critical" if critical else "warning",
                "title": f"{RULES[rule_id].title}: {route}",
                "value": len(g),
                "baseline": 0,
                "threshold": s.threshold,
                "unit": "count",
                "explanation": text(g, route, s),
                "link": _breaks_link(rule_id, rail),
                "impact_count": len(g),
                "impact_amount_minor": int(g.amount_minor.sum()),
                "currency": g.currency.mode().iat[0],
                "window_start": at,
            }
        )
    return pd.DataFrame(rows).reindex(columns=fx.COLUMNS) if rows else fx.empty()


def _breaks_link(rule_id: str, rail: str) -> str:
    """The break queue filtered to the route's rail (it has no partner filter)."""
    rails = "" if rail == "*" else rail
    if rule_id == "settlement_late":
        return fx.app_link("breaks", rails=rails, category="missing_at_bank")
    return fx.app_link("breaks", rails=rails, sort="sla_due_at")


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def detect_tieouts(cur, times: list[datetime], ctx: fx.Context) -> pd.DataFrame:
    df = _query(cur, "alerts/balance_tieout", times=list(times))
    rows = []
    for r in df.itertuples():
        partner_id = r.partner_id if isinstance(r.partner_id, str) else "*"
        s = setting_for("balance_tieout", "*", partner_id, ctx.on)
        if s is None or not s.enabled or abs(r.variance_minor) <= s.threshold:
            continue
        partner = ctx.partners.get(partner_id, "unknown partner")
        money = format_money(int(r.variance_minor), r.currency)
        rows.append(
            {
                "at": r.at,
                "rule_id": "balance_tieout",
                "rail_id": r.rail_id if isinstance(r.rail_id, str) else None,
                "partner_id": None if partner_id == "*" else partner_id,
                "subject": r.account,
                "severity": "critical" if abs(r.variance_minor) >= (s.critical or 0) else "warning",
                "title": f"Balance does not tie out: {partner} account {r.account}",
                "value": r.variance_minor,
                "baseline": 0,
                "threshold": s.threshold,
                "unit": "minor_units",
                "explanation": (
                    f"{partner} account {r.account} on {r.day}: the closing balance differs from "
                    f"the opening balance plus movements by {money} that reconciliation cannot "
                    f"explain (tolerance {format_money(int(s.threshold), r.currency)})."
                ),
                "link": fx.app_link("breaks", category="unexplained_balance"),
                "impact_count": 1,
                "impact_amount_minor": abs(int(r.variance_minor)),
                "currency": r.currency,
                "window_start": r.at,
            }
        )
    return pd.DataFrame(rows).reindex(columns=fx.COLUMNS) if rows else fx.empty()
