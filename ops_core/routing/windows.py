"""Cut-off windows as instants: when a banking-day route next takes a payment, and settles it.

A route with rows in ``route_windows`` (Same Day and next-day ACH, domain.md §2.6) takes a
payment at the first cut-off at or after its creation, on a banking day of the route's calendar,
and settles it ``settle_offset_days`` banking days later at the settlement time. Expanding every
window over every banking day of the data's range gives a small table that SQL can ASOF-join
payments to, so the what-if needs no per-payment Python.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from ops_core import calendars


def banking_days(cal_ids: list[str], start: date, end: date) -> pd.DataFrame:
    """calendar x day over [start, end] with the banking-day flag and running index."""
    parts = [calendars.banking_day_table(c, start, end).assign(calendar=c) for c in cal_ids]
    columns = ["calendar", "day", "is_banking_day", "banking_day_index"]
    return pd.concat(parts)[columns] if parts else pd.DataFrame(columns=columns)


def window_instants(windows: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Every (route, cut-off) instant on the banking days in [start, end], with its settlement.

    ``windows`` has the columns of table ``route_windows``. Times are wall-clock times in the
    window's zone, so daylight-saving changes move the UTC instant, as they do for the Fed.
    """
    rows = []
    for w in windows.itertuples(index=False):
        table = calendars.banking_day_table(w.calendar, start, end)
        days = [d for d, ok in zip(table.day, table.is_banking_day, strict=True) if ok]
        zone = ZoneInfo(w.timezone)
        for day in days:
            settle_day = calendars.add_banking_days(w.calendar, day, w.settle_offset_days)
            rows.append(
                (
                    w.rail_id,
                    w.partner_id,
                    w.service,
                    w.calendar,
                    w.timezone,
                    _at(day, w.cutoff_local, zone),
                    _at(settle_day, w.settle_local, zone),
                    settle_day,
                )
            )
    columns = ["rail_id", "partner_id", "service", "calendar", "timezone"]
    columns += ["cutoff_at", "settle_at", "settle_day"]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("cutoff_at", "settle_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _at(day: date, local: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, local, tzinfo=zone)


def refresh_tables(cur: duckdb.DuckDBPyConnection, start: date, end: date) -> int:
    """Rebuild routing_banking_days and route_window_instants over [start, end]."""
    windows = cur.execute("SELECT * FROM route_windows").df()
    cal_ids = sorted(set(windows.calendar))
    days = banking_days(cal_ids, start, end)
    instants = window_instants(windows, start, end)
    cur.execute("DELETE FROM routing_banking_days")
    cur.execute("DELETE FROM route_window_instants")
    cur.register("routing_days_frame", days)
    cur.register("routing_instants_frame", instants)
    try:
        cur.execute("INSERT INTO routing_banking_days BY NAME SELECT * FROM routing_days_frame")
        cur.execute(
            "INSERT INTO route_window_instants BY NAME SELECT * FROM routing_instants_frame"
        )
    finally:
        cur.unregister("routing_days_frame")
        cur.unregister("routing_instants_frame")
    return len(instants)
