"""Routing analytics: which route (rail, partner, service) serves each kind of payment best.

Public API:

- ``refresh(cur, since=None)``: sync the routing rule CSVs and rebuild the day rollups; called
  after ``ops_core.rollups.refresh`` by ``ops_core.derived.catch_up`` once a batch of ledger
  files is loaded (or ``python -m ops_core.routing --db PATH``).
- ``RouteFilters``, ``route_table``, ``route_series``, ``headline``, ``options``: route metrics.
- ``Policy``, ``POLICIES``, ``simulate`` -> ``WhatIf``: the what-if and its recommendations.
- ``recommend.to_csv``: the recommendation table as CSV routing rules.
"""

from ops_core.routing.metrics import (
    GRAINS,
    RouteFilters,
    headline,
    options,
    route_series,
    route_table,
)
from ops_core.routing.recommend import to_csv
from ops_core.routing.refresh import is_built, refresh
from ops_core.routing.whatif import MAX_PERIOD, POLICIES, Policy, WhatIf, simulate

__all__ = [
    "GRAINS",
    "MAX_PERIOD",
    "POLICIES",
    "Policy",
    "RouteFilters",
    "WhatIf",
    "headline",
    "is_built",
    "options",
    "refresh",
    "route_series",
    "route_table",
    "simulate",
    "to_csv",
]
