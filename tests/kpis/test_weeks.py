"""ISO weeks in UTC: parsing, bounds, the default week, and invariants (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_core.errors import OpsError
from ops_core.kpis.weeks import IsoWeek, between, last_complete, trailing


@pytest.mark.parametrize(
    ("label", "monday", "span"),
    [
        ("2026-W46", date(2026, 11, 9), "Mon 9 Nov – Sun 15 Nov 2026"),
        ("2026-W01", date(2025, 12, 29), "Mon 29 Dec 2025 – Sun 4 Jan 2026"),  # ISO year
        ("2026-W53", date(2026, 12, 28), "Mon 28 Dec 2026 – Sun 3 Jan 2027"),  # 2026 has 53
        ("2027-W01", date(2027, 1, 4), "Mon 4 Jan – Sun 10 Jan 2027"),
    ],
)
def test_parse_bounds_and_span(label, monday, span):
    w = IsoWeek.parse(label)
    assert (w.label, w.monday, w.span()) == (label, monday, span)
    assert w.start == datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    assert w.end - w.start == timedelta(days=7)


@pytest.mark.parametrize("bad", ["2026-46", "2026W46", "2026-W54", "2025-W53", "W46", ""])
def test_parse_refuses(bad):
    with pytest.raises(OpsError):
        IsoWeek.parse(bad)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 20, 18, 30, tzinfo=UTC), "2026-W46"),  # the demo's as-of (Friday)
        (datetime(2026, 11, 16, 0, 0, tzinfo=UTC), "2026-W46"),  # W46 ended this instant
        (datetime(2026, 11, 15, 23, 59, tzinfo=UTC), "2026-W45"),  # W46 not over yet
        (datetime(2026, 1, 1, 12, tzinfo=UTC), "2025-W52"),
    ],
)
def test_last_complete_week(now, expected):
    assert last_complete(now).label == expected


def test_utc_not_local_time():
    """Sunday 20:00 in New York is Monday 01:00 UTC: the next week."""
    from zoneinfo import ZoneInfo

    ny = datetime(2026, 11, 15, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    assert IsoWeek.containing(ny).label == "2026-W47"


def test_trailing_and_between():
    w = IsoWeek(2026, 46)
    assert [x.label for x in trailing(w, 3)] == ["2026-W44", "2026-W45", "2026-W46"]
    got = between(datetime(2026, 10, 28, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC))
    assert [x.label for x in got] == ["2026-W46", "2026-W45", "2026-W44"]


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 1)))
def test_every_instant_is_in_exactly_its_week(naive):
    t = naive.replace(tzinfo=UTC)
    w = IsoWeek.containing(t)
    assert w.start <= t < w.end
    assert w.start.weekday() == 0 and w.start.time() == datetime.min.time()
    assert IsoWeek.parse(w.label) == w
    assert w.shift(1).shift(-1) == w and w.shift(1).start == w.end
