"""Banking-day calendars by id: which days a rail's banks and settlement systems are open.

Calendar ids (the ``calendar`` column of table ``rails``):

- ``US_FED``: Federal Reserve banking days, domain.md §10 (FedACH / Fedwire).
- ``TARGET2``: TARGET / ECB holidays, domain.md §9.1 (SEPA settlement).
- ``MX_BANXICO``: Mexican bank holidays, approximated (see ``_mx_holidays``). ⚠️
- ``IN_RBI``: Indian bank holidays, approximated (see ``_in_holidays``). ⚠️
- ``24x7``: every day is a banking day.

Ad-hoc closures and openings come from ``reference/calendar_overrides.csv`` and win over the
rules. Closed days are computed once per (calendar, year) and cached, so ``is_banking_day`` is
a set lookup.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import holidays
import pandas as pd
import pyarrow as pa

from ops_core.errors import ConfigError
from ops_core.reference.csvload import REFERENCE_DIR, read_rows

OVERRIDES_CSV = REFERENCE_DIR / "calendar_overrides.csv"
OVERRIDE_COLUMNS = ("calendar", "date", "closed", "reason", "source")

SATURDAY, SUNDAY = 5, 6
WEEKEND = frozenset({SATURDAY, SUNDAY})
ONE_DAY = timedelta(days=1)
# A calendar with no banking day in ten years is misconfigured, not a reason to loop forever.
_MAX_SCAN_DAYS = 3660

HolidayRule = Callable[[int], Mapping[date, str]]


@dataclass(frozen=True)
class Calendar:
    """A banking-day rule: closed weekdays plus the holidays the rule yields for a year."""

    cal_id: str
    name: str
    closed_weekdays: frozenset[int]
    holiday_rule: HolidayRule  # year -> {closed day: name}, before overrides
    source: str
    uncertain: bool = False


@dataclass(frozen=True)
class Override:
    """One row of calendar_overrides.csv: a day forced closed (or open)."""

    cal_id: str
    day: date
    closed: bool
    reason: str
    source: str


def _fed_holidays(year: int) -> dict[date, str]:
    """Fed closures of ``year`` per the domain.md §10.3 recipe.

    ``holidays.US`` in its default (public) category holds exactly the 11 Fed holidays of §10.1;
    Inauguration Day and days of mourning are in the ``government`` category and are left out.
    Sunday holiday -> closed Monday; Saturday holiday -> no closure, the Fed is OPEN on Friday
    (§10.1, unlike OPM, SIFMA and NYSE). Years around ``year`` are read so a shift across
    New Year is not lost.
    """
    closed: dict[date, str] = {}
    for day, name in holidays.US(years=(year - 1, year, year + 1), observed=False).items():
        if day.weekday() == SUNDAY:
            day, name = day + ONE_DAY, f"{name} (observed)"
        if day.weekday() != SATURDAY and day.year == year:
            closed[day] = name
    return closed


def _target_holidays(year: int) -> dict[date, str]:
    """TARGET closing days (1 Jan, Good Friday, Easter Monday, 1 May, 25 and 26 Dec), §9.1."""
    return dict(holidays.financial_holidays("XECB", years=year))


def _mx_holidays(year: int) -> dict[date, str]:
    """⚠️ Approximation: Mexico's public holidays from ``holidays.Mexico``.

    domain.md §9.3 notes that ``financial_holidays("XMEX")`` is the BMV stock-exchange calendar,
    not Banxico's, so it is not used. The CNBV bank-holiday list is believed to also close
    banks on Holy Thursday, Good Friday, 2 Nov and 12 Dec; not verified, add them as overrides
    once confirmed. SPEI itself runs 24x7; this matters for CEP / settlement business days.
    """
    return dict(holidays.Mexico(years=year))


def _in_holidays(year: int) -> dict[date, str]:
    """⚠️ Approximation: India's national public holidays from ``holidays.India``.

    Not RBI's list: bank holidays vary by state (Negotiable Instruments Act) and banks are also
    believed to close on the 2nd and 4th Saturdays, neither modelled here. UPI runs 24x7
    (domain.md §9.2). ``holidays`` has the lunar holidays only for 2001-2035; outside that range
    only the fixed-date ones are returned (its warning is silenced).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return dict(holidays.India(years=year))


def _no_holidays(year: int) -> dict[date, str]:
    return {}


CALENDARS: dict[str, Calendar] = {
    c.cal_id: c
    for c in (
        Calendar(
            "US_FED",
            "Federal Reserve banking days",
            WEEKEND,
            _fed_holidays,
            "domain.md §10; https://richmondfed.org/about_us/holiday_schedule; holidays==0.108",
        ),
        Calendar(
            "TARGET2",
            "TARGET (Eurosystem) settlement days",
            WEEKEND,
            _target_holidays,
            "domain.md §9.1; holidays.financial_holidays('XECB')",
        ),
        Calendar(
            "MX_BANXICO",
            "Mexican bank business days (approximation)",
            WEEKEND,
            _mx_holidays,
            "domain.md §9.3; holidays.Mexico (public holidays; not the CNBV bank list)",
            uncertain=True,
        ),
        Calendar(
            "IN_RBI",
            "Indian bank business days (approximation)",
            WEEKEND,
            _in_holidays,
            "domain.md §9.2; holidays.India (national public holidays; not RBI's list)",
            uncertain=True,
        ),
        Calendar("24x7", "Every day", frozenset(), _no_holidays, "domain.md §4.4, §9"),
    )
}


def calendar(cal_id: str) -> Calendar:
    """The calendar with this id; ConfigError on an unknown id."""
    try:
        return CALENDARS[cal_id]
    except (KeyError, TypeError):
        raise ConfigError(
            f"unknown banking-day calendar {cal_id!r} (expected one of {sorted(CALENDARS)})"
        ) from None


def is_banking_day(cal_id: str, d: date) -> bool:
    """Whether ``d`` is a banking day: one cached set lookup (hot path, keep it lean)."""
    if type(d) is not date:
        d = _as_date(d)
    return d not in _closed_days(cal_id, d.year)


def next_banking_day(cal_id: str, d: date) -> date:
    """The first banking day strictly after ``d``."""
    return _step(cal_id, _as_date(d), ONE_DAY)


def previous_banking_day(cal_id: str, d: date) -> date:
    """The last banking day strictly before ``d``."""
    return _step(cal_id, _as_date(d), -ONE_DAY)


def add_banking_days(cal_id: str, d: date, n: int) -> date:
    """Move ``n`` banking days from ``d``; ``d`` itself is not counted.

    n > 0: the n-th banking day after d; n < 0: the |n|-th banking day before d;
    n == 0: d if it is a banking day, else the next banking day.
    """
    d = _as_date(d)
    if n == 0:
        return d if is_banking_day(cal_id, d) else next_banking_day(cal_id, d)
    step = ONE_DAY if n > 0 else -ONE_DAY
    for _ in range(abs(n)):
        d = _step(cal_id, d, step)
    return d


def banking_days_between(cal_id: str, start: date, end: date) -> int:
    """Banking days in (start, end]; negative, -(banking days in (end, start]), if end < start.

    So ``banking_days_between(d, add_banking_days(d, n)) == n`` for every n > 0.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -banking_days_between(cal_id, end, start)
    closed = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _closed_days(cal_id, year)
        if start < day <= end
    )
    return (end - start).days - closed


def holidays_in(cal_id: str, year: int) -> list[tuple[date, str]]:
    """Days of ``year`` closed by a holiday or override that the weekend rule alone leaves open.

    For US_FED this is the "Fed closed (weekdays)" column of domain.md §10.2.
    """
    return sorted(_holiday_closures(cal_id, year).items())


def banking_day_table(cal_id: str, start: date, end: date) -> pd.DataFrame:
    """One row per day in [start, end] for joins in SQL.

    Columns: ``day`` (DATE), ``is_banking_day`` (BOOL), ``banking_day_index`` (INT) = number of
    banking days in [start, day]. A non-banking day shares the index of the banking day before
    it, so the difference of two indexes is ``banking_days_between`` and, within the table,
    ``add_banking_days(d, n)`` for n > 0 is the banking day whose index is index(d) + n.
    """
    start, end = _as_date(start), _as_date(end)
    days = [start + timedelta(days=i) for i in range(max((end - start).days + 1, 0))]
    flags = [is_banking_day(cal_id, d) for d in days]
    return pd.DataFrame(
        {
            "day": pd.Series(days, dtype=pd.ArrowDtype(pa.date32())),
            "is_banking_day": pd.Series(flags, dtype=bool),
            "banking_day_index": pd.Series(flags, dtype="int64").cumsum(),
        }
    )


def load_overrides(path: Path | None = None) -> list[Override]:
    """The rows of calendar_overrides.csv (or ``path``), checked."""
    file = OVERRIDES_CSV if path is None else path
    overrides: dict[tuple[str, date], Override] = {}
    for row in read_rows(file, OVERRIDE_COLUMNS):
        cal_id = row.required("calendar")
        if cal_id not in CALENDARS:
            raise row.error(f"unknown calendar {cal_id!r} (expected one of {sorted(CALENDARS)})")
        item = Override(
            cal_id,
            row.iso_date("date"),
            row.boolean("closed"),
            row.required("reason"),
            row.required("source"),
        )
        if (cal_id, item.day) in overrides:
            raise row.error(f"second override for {cal_id} on {item.day}")
        overrides[(cal_id, item.day)] = item
    return list(overrides.values())


def clear_cache() -> None:
    """Forget cached closures and overrides (after editing calendar_overrides.csv)."""
    _overrides_by_year.cache_clear()
    _holiday_closures.cache_clear()
    _closed_days.cache_clear()


@lru_cache(maxsize=1)
def _overrides_by_year() -> dict[tuple[str, int], tuple[Override, ...]]:
    grouped: dict[tuple[str, int], list[Override]] = {}
    for item in load_overrides():
        grouped.setdefault((item.cal_id, item.day.year), []).append(item)
    return {key: tuple(items) for key, items in grouped.items()}


@lru_cache(maxsize=4096)
def _holiday_closures(cal_id: str, year: int) -> dict[date, str]:
    cal = calendar(cal_id)
    closed = {
        day: name
        for day, name in cal.holiday_rule(year).items()
        if day.year == year and day.weekday() not in cal.closed_weekdays
    }
    for item in _overrides_by_year().get((cal_id, year), ()):
        if item.closed and item.day.weekday() not in cal.closed_weekdays:
            closed[item.day] = item.reason
        elif not item.closed:
            closed.pop(item.day, None)
    return closed


@lru_cache(maxsize=4096)
def _closed_days(cal_id: str, year: int) -> frozenset[date]:
    """Every non-banking day of ``year``: closed weekdays, holidays, overrides applied."""
    cal = calendar(cal_id)
    day, closed = date(year, 1, 1), set(_holiday_closures(cal_id, year))
    while day.year == year:
        if day.weekday() in cal.closed_weekdays:
            closed.add(day)
        day += ONE_DAY
    for item in _overrides_by_year().get((cal_id, year), ()):
        if not item.closed:
            closed.discard(item.day)
    return frozenset(closed)


def _step(cal_id: str, d: date, step: timedelta) -> date:
    for _ in range(_MAX_SCAN_DAYS):
        d += step
        if is_banking_day(cal_id, d):
            return d
    raise ConfigError(f"calendar {cal_id!r} has no banking day within {_MAX_SCAN_DAYS} days")


def _as_date(d: date) -> date:
    """Plain dates only: a datetime would never equal a date in the cached sets."""
    if isinstance(d, datetime):  # includes pandas.Timestamp
        return d.date()
    if isinstance(d, date):
        return d
    raise TypeError(f"expected a date, got {type(d).__name__}")
