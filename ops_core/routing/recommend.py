"""Routing recommendations: one rule per payment profile, with the evidence behind it.

A profile is (instrument, direction, currency, amount band, urgency). Its recommended route is
the one the what-if policy picks most often for the profile's payments; the runner-up is the
fallback for payments the first route cannot take (a cut-off passed, an amount over a limit).
The evidence is the route's record in the statistics window: volume, decided payments, success
with a 95% Wilson interval and a confidence label, p50/p95 latency, and the expected cost.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd

from ops_core.money import to_decimal
from ops_core.routing.stats import confidence, per_payment, per_thousand_usd, wilson

CSV_COLUMNS = [
    "instrument",
    "direction",
    "currency",
    "band",
    "amount_usd_from",
    "amount_usd_to",
    "urgency",
    "rule",
    "rail_id",
    "partner_id",
    "service",
    "applies_share",
    "fallback_rail",
    "fallback_partner",
    "fallback_service",
    "current_rail",
    "current_partner",
    "current_service",
    "changes_route",
    "payments",
    "evidence_payments",
    "evidence_sample",
    "success",
    "success_low",
    "success_high",
    "confidence",
    "p50_seconds",
    "p95_seconds",
    "cost_per_payment_usd",
    "cost_per_1000_usd",
    "saving_usd",
]


def route_label(rail: object, partner: object, service: object) -> str:
    """'RTP via LAKESHORE (instant)'; '' when there is no route."""
    if rail is None or pd.isna(rail):
        return ""
    return f"{rail} via {partner} ({service})"


def recommendations(raw: pd.DataFrame) -> pd.DataFrame:
    """Add the rule text, labels, intervals, confidence and exact costs to recommend.sql's rows.

    Money columns stay Decimal: ``cost_per_payment_usd_minor`` (USD cents),
    ``cost_per_1000_usd_minor`` (USD cents per $1,000 sent), ``saving_usd_minor``.
    """
    df = raw.copy()
    df["route"] = _labels(df, "rail_id", "partner_id", "service")
    df["fallback"] = _labels(df, "fallback_rail", "fallback_partner", "fallback_service")
    df["current"] = _labels(df, "current_rail", "current_partner", "current_service")
    df["changes_route"] = df.route != df.current
    df["applies_share"] = df.route_payments / df.payments
    sample = df.evidence_sample.fillna(0).astype(int)
    ok = df.evidence_succeeded.fillna(0).astype(int)
    intervals = [wilson(s, n) for s, n in zip(ok, sample, strict=True)]
    df["success_low"] = [i[0] if i else None for i in intervals]
    df["success_high"] = [i[1] if i else None for i in intervals]
    df["confidence"] = [confidence(s, n) for s, n in zip(ok, sample, strict=True)]
    cost = df.route_cost_usd_minor
    df["cost_per_payment_usd_minor"] = [
        per_payment(c, n) for c, n in zip(cost, df.route_payments, strict=True)
    ]
    df["cost_per_1000_usd_minor"] = [
        per_thousand_usd(c, a) for c, a in zip(cost, df.route_amount_usd_minor, strict=True)
    ]
    df["saving_usd_minor"] = [
        Decimal(a) - Decimal(c)
        for a, c in zip(df.actual_cost_usd_minor, df.chosen_cost_usd_minor, strict=True)
    ]
    df["rule"] = [_rule(r) for r in df.itertuples()]
    return df


def _labels(df: pd.DataFrame, rail: str, partner: str, service: str) -> list[str]:
    return [route_label(*r) for r in zip(df[rail], df[partner], df[service], strict=True)]


def _bound(minor: object) -> str:
    if minor is None or pd.isna(minor):
        return "any"
    return f"${to_decimal(int(minor), 'USD'):,.0f}"


def _rule(r) -> str:
    """A rule an engineer can type into a router: IF profile THEN route ELSE fallback."""
    when = (
        f"IF instrument = {r.instrument} AND direction = {r.direction} "
        f"AND currency = {r.currency} AND {_bound(r.lower_usd_minor)} <= amount (USD) "
        f"< {_bound(r.upper_usd_minor)} AND urgency = {r.urgency}"
    )
    then = f"THEN {r.route}"
    return f"{when} {then}" + (f" ELSE {r.fallback}" if r.fallback else "")


def _usd(minor: object, places: int = 4) -> str:
    """USD cents (Decimal) as a dollar amount string for the CSV; '' when unknown."""
    if minor is None or (not isinstance(minor, Decimal) and pd.isna(minor)):
        return ""
    return str((Decimal(minor) / 100).quantize(Decimal(1).scaleb(-places)))


def to_csv(recs: pd.DataFrame) -> bytes:
    """The recommendation table as CSV for routing rules: amounts in USD as exact decimals."""
    out = pd.DataFrame(
        {
            **{c: recs[c] for c in ("instrument", "direction", "currency", "band", "urgency")},
            "amount_usd_from": [_usd(v, 0) for v in recs.lower_usd_minor],
            "amount_usd_to": [_usd(v, 0) for v in recs.upper_usd_minor],
            **{c: recs[c] for c in ("rule", "rail_id", "partner_id", "service")},
            "applies_share": recs.applies_share.round(4),
            **{
                c: recs[c]
                for c in (
                    "fallback_rail",
                    "fallback_partner",
                    "fallback_service",
                    "current_rail",
                    "current_partner",
                    "current_service",
                    "changes_route",
                    "payments",
                    "evidence_payments",
                    "evidence_sample",
                )
            },
            "success": recs.expected_success.round(5),
            "success_low": pd.to_numeric(recs.success_low).round(5),
            "success_high": pd.to_numeric(recs.success_high).round(5),
            "confidence": recs.confidence,
            "p50_seconds": (recs.p50_ms / 1000).round(1),
            "p95_seconds": (recs.p95_ms / 1000).round(1),
            "cost_per_payment_usd": [_usd(v) for v in recs.cost_per_payment_usd_minor],
            "cost_per_1000_usd": [_usd(v) for v in recs.cost_per_1000_usd_minor],
            "saving_usd": [_usd(v, 2) for v in recs.saving_usd_minor],
        },
        columns=CSV_COLUMNS,
    )
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
