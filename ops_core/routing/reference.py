"""Routing rule tables as data: fee schedule, route catalog, cut-off windows, bands, urgencies.

Each CSV in ``ops_core/reference`` is read with a checked header (``csvload.read_rows``), each
value is validated here, and ``sync`` replaces the DuckDB tables of migration 030 inside the
caller's transaction. Fee amounts are ``Decimal`` minor units of the rail's currency (network
fees are fractions of a cent); a fee row is effective on days in [effective_from, effective_to).
The values in fee_schedule.csv are illustrative demo values, not anyone's price list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from ops_core import calendars, money
from ops_core.errors import ConfigError, OpsError
from ops_core.reference.csvload import REFERENCE_DIR, CsvRow, read_rows

SERVICES = ("instant", "same_day", "next_day")


@dataclass(frozen=True)
class Table:
    """One rule table: its CSV, the CSV's columns, and how a row becomes a DuckDB row."""

    name: str
    csv: str
    columns: tuple[str, ...]
    parse: Callable[[CsvRow], tuple[Any, ...]]

    @property
    def path(self) -> Path:
        return REFERENCE_DIR / self.csv


def _decimal(row: CsvRow, field: str, *, minimum: Decimal = Decimal(0)) -> Decimal:
    text = row.required(field)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise row.error(f"field {field} is {text!r} (expected a decimal number)") from None
    if not value.is_finite() or value < minimum:
        raise row.error(f"field {field} is {text!r} (expected a number >= {minimum})")
    return value


def _optional_int(row: CsvRow, field: str) -> int | None:
    text = row.text(field)
    if text is None:
        return None
    if not text.isdigit() or int(text) <= 0:
        raise row.error(f"field {field} is {text!r} (expected a positive whole number)")
    return int(text)


def _choice(row: CsvRow, field: str, allowed: tuple[str, ...]) -> str:
    value = row.required(field)
    if value not in allowed:
        raise row.error(f"field {field} is {value!r} (expected one of {list(allowed)})")
    return value


def _currency(row: CsvRow, field: str) -> str:
    """A currency ops_core.money knows the exponent of."""
    value = row.required(field)
    try:
        money.exponent(value)
    except OpsError as exc:
        raise row.error(str(exc)) from None
    return value


def _optional_date(row: CsvRow, field: str) -> date | None:
    return row.iso_date(field) if row.text(field) else None


def _time(row: CsvRow, field: str) -> time:
    text = row.required(field)
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise row.error(f"field {field} is {text!r} (expected HH:MM)") from None


def _fee(row: CsvRow) -> tuple[Any, ...]:
    start, end = row.iso_date("effective_from"), _optional_date(row, "effective_to")
    if end is not None and end <= start:
        raise row.error("effective_to must be after effective_from")
    currency = _currency(row, "currency")
    return (
        row.required("rail_id"),
        row.required("partner_id"),
        _choice(row, "service", SERVICES),
        currency,
        _decimal(row, "fixed_fee_minor"),
        _decimal(row, "bps"),
        _decimal(row, "fx_spread_bps"),
        _decimal(row, "network_fee_minor"),
        _decimal(row, "gas_fee_minor"),
        start,
        end,
        row.required("source"),
    )


def _route(row: CsvRow) -> tuple[Any, ...]:
    return (
        row.required("rail_id"),
        row.required("partner_id"),
        _choice(row, "service", SERVICES),
        row.required("instrument"),
        row.boolean("push_ok"),
        row.boolean("pull_ok"),
        _optional_int(row, "max_amount_minor"),
        row.boolean("rail_limit_applies"),
        row.required("source"),
    )


def _window(row: CsvRow) -> tuple[Any, ...]:
    cal = row.required("calendar")
    if cal not in calendars.CALENDARS:
        raise row.error(f"unknown calendar {cal!r} (expected one of {sorted(calendars.CALENDARS)})")
    zone = row.required("timezone")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise row.error(f"unknown time zone {zone!r}") from None
    offset = row.required("settle_offset_days")
    if not offset.isdigit():
        raise row.error(f"field settle_offset_days is {offset!r} (expected 0 or more)")
    return (
        row.required("rail_id"),
        row.required("partner_id"),
        _choice(row, "service", SERVICES),
        cal,
        zone,
        _time(row, "cutoff_local"),
        _time(row, "settle_local"),
        int(offset),
        row.required("source"),
    )


def _usd_minor(row: CsvRow, field: str) -> int | None:
    """Whole US dollars in the CSV -> USD cents in the table."""
    if field == "upper_usd" and row.text(field) is None:
        return None
    value = _decimal(row, field)
    return money.to_minor(value, "USD")


def _band(row: CsvRow) -> tuple[Any, ...]:
    return (
        row.required("band"),
        row.required("label"),
        row.line,  # file order is display order
        _usd_minor(row, "lower_usd"),
        _usd_minor(row, "upper_usd"),
        row.required("source"),
    )


def _urgency(row: CsvRow) -> tuple[Any, ...]:
    return (
        _choice(row, "urgency", SERVICES),
        int(_decimal(row, "rank", minimum=Decimal(1))),
        row.required("label"),
        int(_decimal(row, "max_banking_days")),
        row.required("source"),
    )


def _rate(row: CsvRow) -> tuple[Any, ...]:
    currency = _currency(row, "currency")
    per_unit = _decimal(row, "usd_per_unit")
    # USD cents per minor unit: 1 USDC minor unit (10^-6) at $1 is 10^-4 cents.
    per_minor = per_unit.scaleb(money.exponent("USD") - money.exponent(currency))
    start = row.iso_date("effective_from")
    return (currency, start, None, per_unit, per_minor, row.required("source"))


def _funding(row: CsvRow) -> tuple[Any, ...]:
    return (row.required("country"), row.required("currency"), row.required("source"))


TABLES: tuple[Table, ...] = (
    Table(
        "fee_schedule",
        "fee_schedule.csv",
        (
            "rail_id",
            "partner_id",
            "service",
            "currency",
            "fixed_fee_minor",
            "bps",
            "fx_spread_bps",
            "network_fee_minor",
            "gas_fee_minor",
            "effective_from",
            "effective_to",
            "source",
        ),
        _fee,
    ),
    Table(
        "route_catalog",
        "route_constraints.csv",
        (
            "rail_id",
            "partner_id",
            "service",
            "instrument",
            "push_ok",
            "pull_ok",
            "max_amount_minor",
            "rail_limit_applies",
            "source",
        ),
        _route,
    ),
    Table(
        "route_windows",
        "route_windows.csv",
        (
            "rail_id",
            "partner_id",
            "service",
            "calendar",
            "timezone",
            "cutoff_local",
            "settle_local",
            "settle_offset_days",
            "source",
        ),
        _window,
    ),
    Table(
        "amount_bands",
        "amount_bands.csv",
        ("band", "label", "lower_usd", "upper_usd", "source"),
        _band,
    ),
    Table(
        "urgencies",
        "urgencies.csv",
        ("urgency", "rank", "label", "max_banking_days", "source"),
        _urgency,
    ),
    Table(
        "fx_reference_rates",
        "fx_reference_rates.csv",
        ("currency", "usd_per_unit", "effective_from", "source"),
        _rate,
    ),
    Table(
        "funding_currencies",
        "funding_currencies.csv",
        ("country", "currency", "source"),
        _funding,
    ),
)


def read_table(table: Table, path: Path | None = None) -> list[tuple[Any, ...]]:
    """The checked rows of one rule table (ConfigError naming the file and line)."""
    return [table.parse(row) for row in read_rows(path or table.path, table.columns)]


def sync(cur: duckdb.DuckDBPyConnection, paths: dict[str, Path] | None = None) -> dict[str, int]:
    """Replace every routing rule table from its CSV (``paths`` overrides per table name)."""
    counts = {}
    for table in TABLES:
        rows = read_table(table, (paths or {}).get(table.name))
        cur.execute(f"DELETE FROM {table.name}")
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            cur.executemany(f"INSERT INTO {table.name} VALUES ({marks})", rows)
        counts[table.name] = len(rows)
    _close_rate_ranges(cur)
    check(cur)
    return counts


def _close_rate_ranges(cur: duckdb.DuckDBPyConnection) -> None:
    """A rate is effective until the next rate of its currency starts."""
    cur.execute(
        "UPDATE fx_reference_rates AS x SET effective_to = n.next_from FROM ("
        " SELECT currency, effective_from,"
        "  lead(effective_from) OVER (PARTITION BY currency ORDER BY effective_from) AS next_from"
        " FROM fx_reference_rates) AS n"
        " WHERE x.currency = n.currency AND x.effective_from = n.effective_from"
    )


# Each check: a query returning offending rows, and the message that explains them.
_CHECKS: tuple[tuple[str, str], ...] = (
    (
        "SELECT a.rail_id, a.partner_id, a.service, a.effective_from FROM fee_schedule a"
        " JOIN fee_schedule b USING (rail_id, partner_id, service)"
        " WHERE a.effective_from < b.effective_from"
        " AND (a.effective_to IS NULL OR a.effective_to > b.effective_from)",
        "fee_schedule.csv: two rows of the same route overlap",
    ),
    (
        "SELECT rail_id, partner_id, service FROM route_catalog c WHERE NOT EXISTS ("
        " SELECT 1 FROM fee_schedule f WHERE f.rail_id = c.rail_id"
        " AND f.partner_id = c.partner_id AND f.service = c.service)",
        "route_constraints.csv: a route has no fee_schedule.csv row",
    ),
    (
        "SELECT f.rail_id, f.currency, r.currency FROM fee_schedule f JOIN rails r USING (rail_id)"
        " WHERE f.currency <> r.currency",
        "fee_schedule.csv: fees are in the rail's currency (rails.csv)",
    ),
    (
        "SELECT rail_id, partner_id, service FROM route_windows"
        " EXCEPT SELECT rail_id, partner_id, service FROM route_catalog",
        "route_windows.csv: windows for a route that route_constraints.csv does not list",
    ),
    (
        "SELECT a.band FROM amount_bands a WHERE a.upper_usd_minor IS NOT NULL AND NOT EXISTS ("
        " SELECT 1 FROM amount_bands b WHERE b.lower_usd_minor = a.upper_usd_minor)",
        "amount_bands.csv: bands must be contiguous (each upper bound is the next lower bound)",
    ),
)


def check(cur: duckdb.DuckDBPyConnection) -> None:
    """Cross-row rules the CSVs must satisfy; ConfigError listing the offending rows."""
    for query, message in _CHECKS:
        bad = cur.execute(query).fetchall()
        if bad:
            raise ConfigError(f"{message}: {bad}")
