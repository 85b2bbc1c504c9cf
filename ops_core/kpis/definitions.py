"""The weekly KPIs, each defined once: its SQL (``ops_core/sql/kpis/<sql>.sql``), unit, the
direction that is good, an optional target and the one line shown on hover.

Targets are data: ``reference/kpi_targets.csv`` (team settings) and, for the ACH return
rates, Nacha's thresholds in ``reference/ach_return_thresholds.csv`` (domain.md §1.2), read
through ``ops_core.disputes.analytics.thresholds`` so the two pages can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from ops_core.reference.csvload import REFERENCE_DIR, read_rows

TARGETS_CSV = REFERENCE_DIR / "kpi_targets.csv"
SQL_DIR = Path(__file__).resolve().parents[1] / "sql" / "kpis"

SECTIONS = ("Payments", "ACH returns", "Reconciliation", "Disputes")
UNITS = ("count", "money", "percent", "hours", "seconds")
DIRECTIONS = ("up", "down", "neutral")
AGE_BUCKETS = ("0-1 d", "2-3 d", "4-7 d", "8-14 d", "15-30 d", "31+ d")  # recon.breaks
LOOKBACK_DAYS = 60  # Nacha return rates: "the preceding 60 days" (domain.md §1.2)
RECON_TABLES = ("recon_breaks", "recon_ledger_state", "recon_runs")
DISPUTE_TABLES = ("dispute_cases", "dispute_deadlines")


@dataclass(frozen=True)
class Kpi:
    """One KPI. ``series``: what its rows split by besides 'all' (rail, age or nothing);
    ``headline``: it has an 'all' row for the one-page glance; ``change``: week-on-week
    change shown 'relative' (+12%) or 'absolute' (+3, or percentage points for percents)."""

    key: str
    section: str
    name: str
    sql: str
    unit: str
    direction: str
    explanation: str
    params: dict[str, object] = field(default_factory=dict)  # a plain dict: reports pickle
    series: str = ""
    headline: bool = True
    change: str = "absolute"
    places: int = 1
    needs: tuple[str, ...] = ()
    rows: str = ""

    def __post_init__(self) -> None:
        assert self.section in SECTIONS and self.unit in UNITS and self.direction in DIRECTIONS
        assert (SQL_DIR / f"{self.sql}.sql").exists(), f"no SQL file for KPI {self.key}"


def _p(**kw: object) -> dict[str, object]:
    return kw


# fmt: off
KPIS: tuple[Kpi, ...] = (
    Kpi(
        "volume", "Payments", "Payments", "volume", "count", "up",
        "Payments created in the week (a retried payment counts once).",
        series="rail", change="relative", places=0, rows="payments",
    ),
    Kpi(
        "value", "Payments", "Value", "value", "money", "up",
        "Amount of the payments created in the week, all outcomes; the total adds up the"
        " rails in the reporting currency only (no FX).",
        series="rail", change="relative", places=0, rows="payments",
    ),
    Kpi(
        "success_rate", "Payments", "Success rate", "success_rate", "percent", "up",
        "Completed over decided payments (completed, failed or returned; pending left out);"
        " a retried payment counts once, by its final attempt.",
        series="rail", places=1, rows="payments",
    ),
    Kpi(
        "p95_latency", "Payments", "p95 latency", "p95_latency", "seconds", "down",
        "95th percentile of the time from creation to the first final status, per rail"
        " (read from the latency histogram, within about 9%).",
        series="rail", headline=False, change="relative", rows="payments",
    ),
    Kpi(
        "ach_unauthorized_rate", "ACH returns", "Unauthorized return rate",
        "ach_return_rate", "percent", "down",
        "Unauthorized debit returns (R05, R07, R10, R11, R29, R51) over debit entries, 60 days"
        " to the week's end, Nacha method 1; threshold 0.5%.",
        params=_p(category="unauthorized", lookback_days=LOOKBACK_DAYS), places=2, rows="ach",
    ),
    Kpi(
        "ach_administrative_rate", "ACH returns", "Administrative return rate",
        "ach_return_rate", "percent", "down",
        "Administrative debit returns (R02, R03, R04) over debit entries, 60 days to the"
        " week's end, Nacha method 1; threshold 3%.",
        params=_p(category="administrative", lookback_days=LOOKBACK_DAYS), places=2, rows="ach",
    ),
    Kpi(
        "ach_overall_rate", "ACH returns", "Overall return rate",
        "ach_return_rate", "percent", "down",
        "All debit returns over debit entries (RCK excluded), 60 days to the week's end,"
        " Nacha method 1; threshold 15%.",
        params=_p(category="all", lookback_days=LOOKBACK_DAYS), places=2, rows="ach",
    ),
    Kpi(
        "ach_clients_over", "ACH returns", "Clients over a Nacha limit",
        "ach_clients_over", "count", "down",
        "Clients whose unauthorized, administrative or overall debit return rate over the 60"
        " days to the week's end is above Nacha's threshold.",
        params=_p(lookback_days=LOOKBACK_DAYS), places=0, rows="ach",
    ),
    Kpi(
        "break_rate", "Reconciliation", "Settlement break rate", "break_rate", "percent",
        "down",
        "Breaks opened on the week's items over the ledger items of the week that"
        " reconciliation has judged (matched, broken or resolved).",
        places=2, needs=RECON_TABLES, rows="breaks",
    ),
    Kpi(
        "break_resolution_mean", "Reconciliation", "Mean time to resolve",
        "break_resolution_mean", "hours", "down",
        "Mean hours from detection to resolution (or write-off) of the breaks closed in the week.",
        change="relative", needs=RECON_TABLES, rows="breaks",
    ),
    Kpi(
        "break_resolution_median", "Reconciliation", "Median time to resolve",
        "break_resolution_median", "hours", "down",
        "Median hours from detection to resolution (or write-off) of the breaks closed in the"
        " week.",
        change="relative", needs=RECON_TABLES, rows="breaks",
    ),
    Kpi(
        "open_breaks", "Reconciliation", "Open breaks", "open_breaks", "count", "down",
        "Breaks still open at the week's end (Monday 00:00 UTC), by age since the item's date.",
        series="age", places=0, needs=RECON_TABLES, rows="breaks",
    ),
    Kpi(
        "break_sla", "Reconciliation", "Break SLA compliance", "break_sla", "percent", "up",
        "Of the breaks whose SLA fell due in the week, the share closed by their SLA time.",
        places=1, needs=RECON_TABLES, rows="breaks",
    ),
    Kpi(
        "dispute_win_rate_count", "Disputes", "Dispute win rate", "dispute_win_rate_count",
        "percent", "up",
        "Cases won over cases decided (won, lost or expired; conceded cases left out), for the"
        " cases closed in the week.",
        places=0, needs=DISPUTE_TABLES, rows="disputes",
    ),
    Kpi(
        "dispute_win_rate_amount", "Disputes", "Dispute win rate by amount",
        "dispute_win_rate_amount", "percent", "up",
        "Disputed amount of the cases won over that of the cases decided, for the cases closed"
        " in the week (reporting currency only).",
        places=0, needs=DISPUTE_TABLES, rows="disputes",
    ),
    Kpi(
        "dispute_deadlines_missed", "Disputes", "Dispute deadlines missed",
        "dispute_deadlines_missed", "count", "down",
        "Our dispute responses whose network deadline fell in the week and were answered late"
        " or not at all. Target: zero.",
        places=0, needs=DISPUTE_TABLES, rows="deadlines",
    ),
)
# fmt: on

BY_KEY: Mapping[str, Kpi] = MappingProxyType({k.key: k for k in KPIS})
# Tables whose emptiness means "not available yet" (no reconciliation run, no case recorded).
PROBES: Mapping[tuple[str, ...], tuple[str, str]] = MappingProxyType(
    {
        RECON_TABLES: ("recon_runs", "no reconciliation run has been recorded yet"),
        DISPUTE_TABLES: ("dispute_cases", "no dispute case has been recorded yet"),
    }
)
NACHA_RATE = {
    "ach_unauthorized_rate": "unauthorized",
    "ach_administrative_rate": "administrative",
    "ach_overall_rate": "overall",
}


@dataclass(frozen=True)
class Target:
    kpi: str
    series: str
    value: Decimal
    source: str


def targets(on: date | None = None) -> dict[tuple[str, str], Target]:
    """Every target by (kpi, series): the team's settings, then Nacha's thresholds."""
    out: dict[tuple[str, str], Target] = {}
    for row in read_rows(TARGETS_CSV, ("kpi", "series", "target", "source")):
        kpi = row.required("kpi")
        if kpi not in BY_KEY:
            raise row.error(f"unknown KPI {kpi!r}")
        t = Target(
            kpi, row.required("series"), Decimal(row.required("target")), row.required("source")
        )
        out[(t.kpi, t.series)] = t
    out.update(_nacha_targets(on))
    return out


def _nacha_targets(on: date | None) -> dict[tuple[str, str], Target]:
    from ops_core.disputes.analytics import thresholds

    limits = thresholds(on)
    return {
        (key, "all"): Target(
            key, "all", limits[rate].threshold_pct / 100, f"Nacha: {limits[rate].source}"
        )
        for key, rate in NACHA_RATE.items()
    }


def nacha_limits_bps(on: date | None = None) -> dict[str, int]:
    """The thresholds as basis points, the integers ach_clients_over.sql compares with."""
    from ops_core.disputes.analytics import thresholds

    return {f"limit_{rate}_bps": int(t.threshold_pct * 100) for rate, t in thresholds(on).items()}
