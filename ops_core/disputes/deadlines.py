"""Deadline arithmetic on banking-day calendars (domain.md §10 via ops_core.calendars).

A rule counts ``days`` calendar or banking days from its anchor date; the day the count
starts from is not counted ("within 5 banking days after the Settlement Date", §1.4). The
team's own due date is ``buffer`` banking days earlier, never before the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ops_core import calendars
from ops_core.disputes.rules import Rule, Settings, settings

URGENCY_ORDER = ("missed", "overdue", "due_soon", "upcoming", "watch")


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    start_on: date
    network_due: date
    internal_due: date


def network_due(rule: Rule, start: date) -> date:
    """The network's (or regulation's) deadline for a rule counted from ``start``."""
    if rule.day_type == "banking":
        due = calendars.add_banking_days(rule.calendar, start, rule.days)
    else:
        due = start + timedelta(days=rule.days)
    if rule.roll == "next_banking_day":
        # "by opening of business on the banking day following the 60th calendar day" (§1.1)
        due = calendars.next_banking_day(rule.calendar, due)
    elif rule.roll == "banking_day":
        due = calendars.add_banking_days(rule.calendar, due, 0)
    return due


def internal_due(network: date, start: date, buffer: int, calendar: str) -> date:
    """``buffer`` banking days before the network deadline, but never before ``start``."""
    if buffer <= 0:
        return network
    return max(calendars.add_banking_days(calendar, network, -buffer), start)


def compute(rule: Rule, start: date, cfg: Settings | None = None) -> Deadline:
    """Both due dates of one rule. Only our own deadlines get the buffer: a counterparty's
    window or a check is a fact about them, not a to-do for us."""
    cfg = cfg or settings()
    due = network_due(rule, start)
    buffer = cfg.internal_buffer_banking_days if rule.party == "us" else 0
    return Deadline(rule, start, due, internal_due(due, start, buffer, cfg.team_calendar))


def urgency(party: str, internal: date, network: date, today: date, soon_days: int = 3) -> str:
    """How the calendar colours an open deadline.

    missed: the network deadline has passed; overdue: the team's date has passed;
    due_soon: the team's date is within ``soon_days``; upcoming: later; watch: the
    counterparty's window (nothing for us to do but close the case when it runs out).
    """
    if party != "us":
        return "watch"
    if network < today:
        return "missed"
    if internal < today:
        return "overdue"
    if (internal - today).days <= soon_days:
        return "due_soon"
    return "upcoming"
