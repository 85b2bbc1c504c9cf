"""ISO weeks in UTC: Monday 00:00 UTC to the next Monday 00:00 UTC (ISO 8601 week dates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ops_core.errors import OpsError

_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO week, e.g. ``IsoWeek(2026, 46)`` = 2026-W46 = Mon 9 Nov to Mon 16 Nov 2026 UTC."""

    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.week <= date(self.year, 12, 28).isocalendar().week:
            raise OpsError(f"{self.year} has no ISO week {self.week}")

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """'2026-W46' (the ISO 8601 week-date form)."""
        m = _LABEL.match(text.strip())
        if not m:
            raise OpsError(f"not an ISO week: {text!r} (expected e.g. 2026-W46)")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def containing(cls, when: datetime | date) -> IsoWeek:
        """The week an instant (taken in UTC) or a calendar date falls in."""
        if isinstance(when, datetime):
            when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).date()
        iso = when.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def start(self) -> datetime:
        """Monday 00:00 UTC."""
        return datetime.combine(self.monday, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 UTC (exclusive)."""
        return self.start + timedelta(days=7)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.containing(self.monday + timedelta(weeks=weeks))

    def span(self) -> str:
        """'Mon 9 Nov – Sun 15 Nov 2026'."""
        sunday = self.monday + timedelta(days=6)
        first = f"Mon {self.monday.day} {self.monday:%b}"
        if self.monday.year != sunday.year:
            first += f" {self.monday.year}"
        return f"{first} – Sun {sunday.day} {sunday:%b} {sunday.year}"

    def __str__(self) -> str:
        return self.label


def last_complete(now: datetime) -> IsoWeek:
    """The newest week that has ended by ``now``."""
    return IsoWeek.containing(now).shift(-1)


def trailing(week: IsoWeek, n: int) -> list[IsoWeek]:
    """The ``n`` weeks ending with ``week``, oldest first."""
    return [week.shift(k) for k in range(1 - n, 1)]


def between(first: datetime, last: datetime) -> list[IsoWeek]:
    """Every week from the one holding ``first`` to the one holding ``last``, newest first."""
    out, week = [], IsoWeek.containing(last)
    stop = IsoWeek.containing(first)
    while week >= stop:
        out.append(week)
        week = week.shift(-1)
    return out
