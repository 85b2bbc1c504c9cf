"""What-if routing: the route each payment of a period would take under a policy.

Set-based in DuckDB (ops_core/sql/routing/whatif_*.sql): payments x candidate routes joined
with the constraint filters (instrument, currency, direction, amount limits, urgency, cut-offs
and banking days, success and latency bars), then the best eligible candidate per payment.
The intermediate tables are TEMP tables of the caller's cursor, so concurrent page runs on
other cursors never see each other's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import duckdb
import pandas as pd

from ops_core import sql
from ops_core.errors import OpsError
from ops_core.routing.frames import frame
from ops_core.routing.recommend import recommendations

POLICIES: dict[str, str] = {
    "cheapest": "Cheapest that meets the bars",
    "fastest": "Fastest",
    "most_reliable": "Most reliable",
}
MAX_PERIOD = timedelta(days=31)
STATS_DAYS = 28  # the expected success and latency come from at least this many days
PRIOR_WEIGHT = 20  # pseudo-payments pulling a thin band towards its route's overall rate
_TEMP = ("routing_whatif", "routing_candidates", "routing_route_stats")


@dataclass(frozen=True)
class Policy:
    """How to pick a route: ``kind`` orders the eligible routes; the bars rule routes out."""

    kind: str = "cheapest"
    min_success: float = 0.0  # expected success rate, 0..1
    max_p95_seconds: float | None = None  # None: no latency bar

    def __post_init__(self) -> None:
        if self.kind not in POLICIES:
            raise OpsError(f"unknown routing policy {self.kind!r}: use one of {list(POLICIES)}")
        if not 0.0 <= self.min_success <= 1.0:
            raise OpsError(f"success bar {self.min_success} is not a rate between 0 and 1")
        if self.max_p95_seconds is not None and self.max_p95_seconds <= 0:
            raise OpsError("the latency bar must be a positive number of seconds")


@dataclass(frozen=True)
class WhatIf:
    """The result of a simulation: headline, moves per profile, constraints hit, rule table."""

    policy: Policy
    start: datetime
    end: datetime
    totals: dict
    moves: pd.DataFrame
    blocked: pd.DataFrame
    recommendations: pd.DataFrame


def stats_window(start: datetime, end: datetime) -> tuple[date, date]:
    """UTC days [first, last) the expected values are learnt from: the period, and at least
    the ``STATS_DAYS`` days up to its end."""
    last = (end.astimezone(UTC) - timedelta(microseconds=1)).date() + timedelta(days=1)
    first = min(start.astimezone(UTC).date(), last - timedelta(days=STATS_DAYS))
    return first, last


def run(cur: duckdb.DuckDBPyConnection, start: datetime, end: datetime, policy: Policy) -> None:
    """Build the temp tables routing_route_stats, routing_candidates and routing_whatif."""
    if end <= start:
        raise OpsError("the what-if period is empty: 'To' must be after 'From'")
    if end - start > MAX_PERIOD:
        raise OpsError(f"the what-if covers at most {MAX_PERIOD.days} days; pick a shorter period")
    first, last = stats_window(start, end)
    sql.execute(
        cur,
        "routing/whatif_stats",
        stats_start=first,
        stats_end=last,
        prior_weight=PRIOR_WEIGHT,
    )
    max_p95_ms = None if policy.max_p95_seconds is None else policy.max_p95_seconds * 1000
    sql.execute(
        cur,
        "routing/whatif_candidates",
        start=start,
        end=end,
        min_success=policy.min_success,
        max_p95_ms=max_p95_ms,
    )
    sql.execute(cur, "routing/whatif_choice", policy=policy.kind)


def drop(cur: duckdb.DuckDBPyConnection) -> None:
    for table in _TEMP:
        cur.execute(f"DROP TABLE IF EXISTS temp.{table}")


def simulate(
    cur: duckdb.DuckDBPyConnection, start: datetime, end: datetime, policy: Policy
) -> WhatIf:
    """Run the what-if for payments first created in [start, end) and summarise it."""
    try:
        run(cur, start, end, policy)
        totals = frame(cur, "routing/whatif_totals").iloc[0].to_dict()
        moves = frame(cur, "routing/whatif_summary")
        blocked = frame(cur, "routing/whatif_blocked")
        recs = recommendations(frame(cur, "routing/recommend"))
    finally:
        drop(cur)
    return WhatIf(policy, start, end, _clean(totals), moves, blocked, recs)


def _clean(totals: dict) -> dict:
    """NaN/NA (an empty period) as None; money stays Decimal."""
    return {k: None if _missing(v) else v for k, v in totals.items()}


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, Decimal) and bool(pd.isna(value)))
