"""Operational scenarios the demo injects, as data. data/README.md documents each one.

Windows are relative to the end of the demo data (``as_of``): ``day`` is days before the
as-of date, hours are UTC. The generator applies them; the ``demo_scenarios`` table records
them with absolute times so pages, alert rules and tests can check they are visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True)
class Scenario:
    scenario_id: str
    title: str
    rail_id: str
    partner_id: str | None
    client_id: str | None
    day: int  # days before the as-of date (for ramps: the ramp's first day)
    start_hour: float
    end_hour: float  # may exceed 24 for multi-day windows
    where_seen: str

    def window(self, as_of: datetime) -> tuple[datetime, datetime]:
        base = datetime.combine(as_of.date() - timedelta(days=self.day), time(), tzinfo=UTC)
        start = base + timedelta(hours=self.start_hour)
        return start, min(base + timedelta(hours=self.end_hour), as_of)


SCENARIOS: list[Scenario] = [
    Scenario(
        "rtp_lakeshore_timeouts",
        "Lakeshore Bank RTP degradation: DS24 timeout spike",
        "RTP",
        "LAKESHORE",
        None,
        3,
        14,
        17,
        "Rail Health (RTP, last 7 days): success-rate dip and p95 spike marked as anomalies; "
        "DS24 tops the code ranking; partner breakdown shows Lakeshore Bank",
    ),
    Scenario(
        "fednow_meridian_stuck",
        "FedNow batch stuck in pending at Meridian Trust",
        "FEDNOW",
        "MERIDIAN",
        "northwind",
        1,
        22 + 10 / 60,
        22 + 20 / 60,
        "Overview: FedNow tile red with stuck payments; 'Needs attention' lists the batch; "
        "Rail Health drill-down with status pending",
    ),
    Scenario(
        "granite_ach_unauthorized",
        "Granite Rent ACH unauthorized returns climbing past 0.5%",
        "ACH",
        None,
        "granite",
        60,
        0,
        24 * 57,
        "Rail Health (ACH, 90 days, client Granite Rent): R10/R05/R29/R07/R11 rising in the "
        "code ranking and client breakdown",
    ),
    Scenario(
        "visa_latency_day",
        "Visa Direct latency spike day",
        "VISA_DIRECT",
        "VISA",
        None,
        6,
        0,
        24,
        "Rail Health (Visa Direct, 14 days): p95/p99 latency spike all day, marked as "
        "anomalies; more 91 (issuer inoperative) declines",
    ),
    Scenario(
        "spei_unexpected_code",
        "SPEI returns with a code never seen before (26)",
        "SPEI",
        "ALTAVISTA",
        None,
        2,
        13,
        16,
        "Rail Health (SPEI, 7 days): code 26 'participant decided not to accept' appears in "
        "the ranking; success-rate dip that morning in Mexico City (13:00-16:00 UTC)",
    ),
]


def scenario(scenario_id: str) -> Scenario:
    return next(s for s in SCENARIOS if s.scenario_id == scenario_id)


def as_of_date(as_of: datetime) -> date:
    return as_of.astimezone(UTC).date()
