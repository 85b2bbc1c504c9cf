"""Banking-day calendars (ops_core.calendars) against the hand-computed tables of domain.md §10."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops_core import calendars
from ops_core.calendars import (
    CALENDARS,
    add_banking_days,
    banking_day_table,
    banking_days_between,
    calendar,
    holidays_in,
    is_banking_day,
    next_banking_day,
)
from ops_core.errors import ConfigError

D = date.fromisoformat

# domain.md §10.2: Fed closed (weekdays), 2025-2028.
FED_CLOSED = {
    2025: "01-01 01-20 02-17 05-26 06-19 07-04 09-01 10-13 11-11 11-27 12-25",
    2026: "01-01 01-19 02-16 05-25 06-19 09-07 10-12 11-11 11-26 12-25",
    2027: "01-01 01-18 02-15 05-31 07-05 09-06 10-11 11-11 11-25",
    2028: "01-17 02-21 05-29 06-19 07-04 09-04 10-09 11-23 12-25",
}


@pytest.mark.parametrize(("year", "closed"), sorted(FED_CLOSED.items()))
def test_fed_closures_match_domain_md(year: int, closed: str):
    expected = [D(f"{year}-{md}") for md in closed.split()]
    assert [d for d, _ in holidays_in("US_FED", year)] == expected
    assert all(not is_banking_day("US_FED", d) for d in expected)


@pytest.mark.parametrize(
    ("cal_id", "day", "open_"),
    [
        # domain.md §10.2: Saturday holiday -> the Fed is OPEN on the Friday before.
        ("US_FED", "2026-07-03", True),
        ("US_FED", "2027-06-18", True),
        ("US_FED", "2027-12-24", True),
        ("US_FED", "2027-12-31", True),  # for Sat 2028-01-01
        ("US_FED", "2028-11-10", True),
        # Sunday holiday -> closed Monday.
        ("US_FED", "2027-07-05", False),
        ("US_FED", "2026-11-26", False),
        ("US_FED", "2026-11-27", True),  # day after Thanksgiving is a banking day
        ("US_FED", "2026-04-03", True),  # Good Friday: NYSE closes, the Fed does not
        ("US_FED", "2025-01-09", True),  # day of mourning: government category, not a Fed day
        ("US_FED", "2021-01-20", True),  # Inauguration Day: only the Board closed (§10.1)
        ("US_FED", "2026-11-28", False),  # Saturday
        ("US_FED", "2026-11-29", False),  # Sunday
        # domain.md §9.1: TARGET closing days.
        ("TARGET2", "2026-04-03", False),  # Good Friday
        ("TARGET2", "2026-04-06", False),  # Easter Monday
        ("TARGET2", "2026-05-01", False),
        ("TARGET2", "2026-12-25", False),
        ("TARGET2", "2026-12-24", True),
        ("TARGET2", "2026-07-03", True),
        ("TARGET2", "2026-11-26", True),  # no US holidays in TARGET
        ("MX_BANXICO", "2026-09-16", False),
        ("MX_BANXICO", "2026-11-16", False),
        ("MX_BANXICO", "2026-11-26", True),
        ("IN_RBI", "2026-01-26", False),
        ("IN_RBI", "2026-10-02", False),
        ("IN_RBI", "2026-01-27", True),
        ("24x7", "2026-12-25", True),
        ("24x7", "2026-11-28", True),
    ],
)
def test_is_banking_day(cal_id: str, day: str, open_: bool):
    assert is_banking_day(cal_id, D(day)) is open_


@pytest.mark.parametrize(
    ("cal_id", "start", "n", "expected"),
    [
        ("US_FED", "2026-11-25", 1, "2026-11-27"),  # Wed + 1 skips Thanksgiving
        ("US_FED", "2026-11-25", 2, "2026-11-30"),  # ... and the weekend
        ("US_FED", "2026-11-27", 1, "2026-11-30"),
        ("US_FED", "2026-11-28", 1, "2026-11-30"),  # from a Saturday
        ("US_FED", "2026-12-24", 1, "2026-12-28"),
        ("US_FED", "2026-07-02", 1, "2026-07-03"),  # Fri before Sat Jul 4 is open
        ("US_FED", "2027-07-02", 1, "2027-07-06"),  # Mon Jul 5 closed for Sun Jul 4
        ("US_FED", "2026-12-30", 2, "2027-01-04"),  # across the year end
        ("US_FED", "2026-11-25", 0, "2026-11-25"),
        ("US_FED", "2026-11-26", 0, "2026-11-27"),  # n == 0 on a holiday: next banking day
        ("US_FED", "2026-11-28", 0, "2026-11-30"),
        ("US_FED", "2026-11-27", -1, "2026-11-25"),
        ("US_FED", "2026-11-30", -2, "2026-11-25"),
        ("US_FED", "2026-11-28", -1, "2026-11-27"),
        ("US_FED", "2027-07-06", -1, "2027-07-02"),
        ("US_FED", "2027-01-04", -2, "2026-12-30"),
        ("TARGET2", "2026-04-02", 1, "2026-04-07"),  # Good Friday + weekend + Easter Monday
        ("TARGET2", "2026-04-07", -1, "2026-04-02"),
        ("24x7", "2026-04-04", 1, "2026-04-05"),
        ("24x7", "2026-12-24", -3, "2026-12-21"),
    ],
)
def test_add_banking_days(cal_id: str, start: str, n: int, expected: str):
    assert add_banking_days(cal_id, D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("cal_id", "start", "end", "expected"),
    [
        ("US_FED", "2026-11-25", "2026-11-30", 2),  # (Wed, Mon]: Fri, Mon
        ("US_FED", "2026-11-25", "2026-11-25", 0),
        ("US_FED", "2026-11-30", "2026-11-25", -2),
        ("US_FED", "2026-11-26", "2026-11-27", 1),
        ("US_FED", "2025-12-31", "2026-12-31", 251),  # 261 weekdays - 10 closures
        ("US_FED", "2027-12-31", "2028-12-31", 251),  # 260 - 9
        ("TARGET2", "2026-04-02", "2026-04-07", 1),
        ("24x7", "2025-12-31", "2026-12-31", 365),
    ],
)
def test_banking_days_between(cal_id: str, start: str, end: str, expected: int):
    assert banking_days_between(cal_id, D(start), D(end)) == expected


def test_next_banking_day_is_strictly_after():
    assert next_banking_day("US_FED", D("2026-11-25")) == D("2026-11-27")
    assert next_banking_day("US_FED", D("2026-11-24")) == D("2026-11-25")
    assert next_banking_day("24x7", D("2026-12-31")) == D("2027-01-01")


def test_every_day_is_open_on_24x7():
    day = D("2024-01-01")
    while day.year < 2029:
        assert is_banking_day("24x7", day)
        day += timedelta(days=1)
    assert holidays_in("24x7", 2026) == []


def test_unknown_calendar_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown banking-day calendar 'US'"):
        calendar("US")
    with pytest.raises(ConfigError, match="US_FED"):
        is_banking_day("XNYS", D("2026-01-02"))


def test_calendars_mark_their_approximations():
    assert {c for c, cal in CALENDARS.items() if cal.uncertain} == {"MX_BANXICO", "IN_RBI"}
    assert all(cal.source for cal in CALENDARS.values())


def test_us_public_holidays_are_exactly_the_fed_holidays():
    # Tripwire for a `holidays` upgrade: §10.3 relies on the public category holding only the
    # 11 Fed holidays of §10.1 (Armistice Day = Veterans Day before 1954).
    fed = {
        "New Year's Day", "Martin Luther King Jr. Day", "Washington's Birthday", "Memorial Day",
        "Juneteenth National Independence Day", "Independence Day", "Labor Day", "Columbus Day",
        "Veterans Day", "Armistice Day", "Thanksgiving Day", "Christmas Day",
    }  # fmt: skip
    assert set(holidays.US(years=range(1950, 2101), observed=False).values()) <= fed


def test_datetimes_are_read_as_their_date():
    assert is_banking_day("US_FED", datetime(2026, 11, 26, 15, 0)) is False
    assert add_banking_days("US_FED", datetime(2026, 11, 25, 23, 59), 1) == D("2026-11-27")
    with pytest.raises(TypeError):
        is_banking_day("US_FED", "2026-11-26")  # type: ignore[arg-type]


def test_banking_day_table_joins_in_duckdb():
    table = banking_day_table("US_FED", D("2026-11-20"), D("2026-12-31"))
    assert list(table.columns) == ["day", "is_banking_day", "banking_day_index"]
    assert len(table) == 42
    con = duckdb.connect()
    try:
        con.register("cal", table)
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE cal)").fetchall())
        assert types == {"day": "DATE", "is_banking_day": "BOOLEAN", "banking_day_index": "BIGINT"}
        # add_banking_days(d, 1) as a join: the banking day whose index is index(d) + 1.
        row = con.execute(
            "SELECT b.day FROM cal a JOIN cal b ON b.banking_day_index = a.banking_day_index + 1"
            " AND b.is_banking_day WHERE a.day = DATE '2026-11-25'"
        ).fetchone()
    finally:
        con.close()
    assert row == (D("2026-11-27"),)
    first = table.iloc[0]
    for _, rec in table.iterrows():
        between = banking_days_between("US_FED", first["day"], rec["day"])
        assert rec["banking_day_index"] - first["banking_day_index"] == between


def test_empty_banking_day_table():
    table = banking_day_table("US_FED", D("2026-12-31"), D("2026-01-01"))
    assert table.empty and list(table.columns) == ["day", "is_banking_day", "banking_day_index"]


OVERRIDE_HEADER = "calendar,date,closed,reason,source\n"


@pytest.fixture
def overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "calendar_overrides.csv"
    monkeypatch.setattr(calendars, "OVERRIDES_CSV", path)
    calendars.clear_cache()
    yield path
    monkeypatch.undo()
    calendars.clear_cache()


def test_shipped_overrides_file_is_valid():
    calendars.load_overrides()


def test_overrides_close_and_open_days(overrides: Path):
    overrides.write_text(
        OVERRIDE_HEADER
        + "US_FED,2026-11-27,true,Ad-hoc closure,test\n"
        + "US_FED,2026-11-26,false,Opened for the test,test\n"
        + "US_FED,2026-11-28,false,Saturday opening,test\n",
        encoding="utf-8",
    )
    assert is_banking_day("US_FED", D("2026-11-26"))
    assert not is_banking_day("US_FED", D("2026-11-27"))
    assert is_banking_day("US_FED", D("2026-11-28"))
    assert add_banking_days("US_FED", D("2026-11-25"), 1) == D("2026-11-26")
    names = dict(holidays_in("US_FED", 2026))
    assert names[D("2026-11-27")] == "Ad-hoc closure"
    assert D("2026-11-26") not in names


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("FED,2026-11-27,true,x,y", "unknown calendar 'FED'"),
        ("US_FED,27/11/2026,true,x,y", "expected a date"),
        ("US_FED,2026-11-27,closed,x,y", "expected true or false"),
        ("US_FED,2026-11-27,true,,y", "field reason is empty"),
        ("US_FED,2026-11-27,true,x", "4 fields"),
    ],
)
def test_bad_override_names_file_and_line(overrides: Path, row: str, message: str):
    overrides.write_text(OVERRIDE_HEADER + "24x7,2026-01-01,false,x,y\n" + row + "\n", "utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        is_banking_day("US_FED", D("2026-01-02"))
    assert f"{overrides}, line 3" in str(err.value)


def test_duplicate_override_is_rejected(overrides: Path):
    overrides.write_text(OVERRIDE_HEADER + "US_FED,2026-11-27,true,x,y\n" * 2, "utf-8")
    with pytest.raises(ConfigError, match="line 3: second override for US_FED on 2026-11-27"):
        calendars.load_overrides()


days = st.dates(min_value=date(2001, 1, 1), max_value=date(2034, 12, 31))
cal_ids = st.sampled_from(sorted(CALENDARS))


@settings(deadline=None)
@given(cal_id=cal_ids, d=days, n=st.integers(min_value=1, max_value=400))
def test_add_banking_days_forward_property(cal_id: str, d: date, n: int):
    result = add_banking_days(cal_id, d, n)
    assert is_banking_day(cal_id, result)
    assert result > d
    assert banking_days_between(cal_id, d, result) == n


@settings(deadline=None)
@given(cal_id=cal_ids, d=days, n=st.integers(min_value=-400, max_value=400))
def test_add_banking_days_round_trip_property(cal_id: str, d: date, n: int):
    start = add_banking_days(cal_id, d, 0)  # the banking day on or after d
    assert is_banking_day(cal_id, start) and start >= d
    result = add_banking_days(cal_id, start, n)
    assert banking_days_between(cal_id, start, result) == n
    assert add_banking_days(cal_id, result, -n) == start
