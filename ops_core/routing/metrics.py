"""Route metrics from the day rollups: success, latency, cost and volume per route and over time.

Success counts a logical payment once, by its final attempt (migration 030); pending payments
are left out of the rate. Costs are exact Decimal minor units: per payment and per $1,000 moved
are Decimal ratios of exact sums. "Moved" is the USD value of the payments sent, whatever
their outcome (fees of failed attempts still count in the cost); using only completed value
would make the newest days, full of pending payments, look expensive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from ops_core.access import masking
from ops_core.routing.frames import frame
from ops_core.routing.stats import per_payment, per_thousand_usd

GRAINS = ("day", "week")
ROUTE_KEY = ["rail_id", "partner_id", "service"]


@dataclass(frozen=True)
class RouteFilters:
    """UTC days [start, end] and list filters; an empty tuple means all."""

    start: date
    end: date
    rails: tuple[str, ...] = ()
    currencies: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    partner: str | None = None  # partner screen-share mode: that partner's routes only

    def params(self) -> dict:
        return {
            "start_day": self.start,
            "end_day": self.end + timedelta(days=1),
            "rails": list(self.rails),
            "currencies": list(self.currencies),
            "bands": list(self.bands),
            "services": list(self.services),
        }


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    decided = df.payments - df.pending if "pending" in df else df.decided
    df["success_rate"] = df.succeeded / decided.where(decided > 0)
    return df


def route_table(cur: duckdb.DuckDBPyConnection, f: RouteFilters) -> pd.DataFrame:
    """One row per route x direction x corridor x band, busiest first."""
    df = _rates(masking.restrict_frame(frame(cur, "routing/route_table", **f.params()), f.partner))
    df["corridor"] = df.source_currency + "→" + df.currency
    df["retry_rate"] = (df.attempts - df.payments) / df.payments.where(df.payments > 0)
    df["cost_per_payment_minor"] = [
        per_payment(c, n) for c, n in zip(df.cost_minor, df.payments, strict=True)
    ]
    df["cost_per_payment_usd_minor"] = [
        per_payment(c, n) for c, n in zip(df.cost_usd_minor, df.payments, strict=True)
    ]
    df["cost_per_1000_usd_minor"] = [
        per_thousand_usd(c, m) for c, m in zip(df.cost_usd_minor, df.amount_usd_minor, strict=True)
    ]
    return df


def route_series(cur: duckdb.DuckDBPyConnection, f: RouteFilters, grain: str) -> pd.DataFrame:
    """Per time bucket and route: payments, success rate, p95 latency, cost per $1,000."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}")
    df = frame(cur, "routing/route_series", grain=grain, **f.params())
    df = _rates(masking.restrict_frame(df, f.partner))
    df["route"] = df.rail_id + " · " + df.partner_id + " · " + df.service
    df["cost_per_1000_usd_minor"] = [
        per_thousand_usd(c, m) for c, m in zip(df.cost_usd_minor, df.amount_usd_minor, strict=True)
    ]
    return df


def headline(table: pd.DataFrame) -> dict:
    """Totals over a route table: payments, success rate, USD moved and cost, per $1,000."""
    decided = int((table.payments - table.pending).sum())
    cost = sum(table.cost_usd_minor, start=0)
    moved = sum(table.amount_usd_minor, start=0)
    return {
        "payments": int(table.payments.sum()),
        "success_rate": table.succeeded.sum() / decided if decided else None,
        "moved_usd_minor": moved,
        "cost_usd_minor": cost,
        "cost_per_1000_usd_minor": per_thousand_usd(cost, moved),
        "retried": int((table.attempts - table.payments).sum()),
    }


def options(
    cur: duckdb.DuckDBPyConnection, partner: str | None = None
) -> dict[str, dict[str, str]]:
    """Filter choices as id -> label: rails (of ``partner``'s routes when given), payout
    currencies, bands, urgencies."""
    rails = cur.execute(
        "SELECT DISTINCT rail_id FROM route_catalog WHERE $p IS NULL OR partner_id = $p ORDER BY 1",
        {"p": partner},
    ).fetchall()
    names = dict(cur.execute("SELECT rail_id, name FROM rails").fetchall())
    currencies = cur.execute(
        "SELECT DISTINCT r.currency FROM route_catalog k JOIN rails r USING (rail_id) ORDER BY 1"
    ).fetchall()
    bands = cur.execute("SELECT band, label FROM amount_bands ORDER BY sort_order").fetchall()
    urgencies = cur.execute("SELECT urgency, label FROM urgencies ORDER BY rank").fetchall()
    return {
        "rails": {r: names.get(r, r) for (r,) in rails},
        "currencies": {c: c for (c,) in currencies},
        "bands": dict(bands),
        "urgencies": dict(urgencies),
    }
