"""Deadline arithmetic on banking-day calendars (domain.md §10 via ops_core.calendars).

A rule counts ``days`` calendar or banking days from its anchor date; the day the count
starts from is not counted ("within 5 banking days after the Settlement Date", §1.4).

Three dates per deadline of ours (domain.md §6.2: processors impose shorter deadlines, so
"model two deadlines per stage"): the network's (or regulation's), the processor's (its
offset in banking days earlier, reference/dispute_processor_offsets.csv) and the team's own
(``buffer`` banking days before the processor's). None is ever before the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ops_core import calendars
from ops_core.disputes.rules import ProcessorOffset, Rule, Settings, settings

URGENCY_ORDER = ("missed", "overdue", "due_soon", "upcoming", "watch")


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    start_on: date
    network_due: date
    internal_due: date
    processor_due: date  # = network_due when no processor offset applies


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


def processor_due(network: date, start: date, offset: ProcessorOffset | None) -> date:
    """The processor's date: ``offset.banking_days`` before the network's, never before start."""
    if offset is None or offset.banking_days <= 0:
        return network
    return max(calendars.add_banking_days(offset.calendar, network, -offset.banking_days), start)


def compute(
    rule: Rule,
    start: date,
    cfg: Settings | None = None,
    offset: ProcessorOffset | None = None,
) -> Deadline:
    """The due dates of one rule (``offset``: the processor's, from ``rules.offset_for``).
    Only our own deadlines get the processor's offset and the team's buffer: a
    counterparty's window or a check is a fact about them, not a to-do for us."""
    cfg = cfg or settings()
    due = network_due(rule, start)
    ours = rule.party == "us"
    processor = processor_due(due, start, offset if ours else None)
    buffer = cfg.internal_buffer_banking_days if ours else 0
    team = internal_due(processor, start, buffer, cfg.team_calendar)
    return Deadline(rule, start, due, team, processor)


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
