"""Run the KPI definitions for a run of ISO weeks and judge the selected week against the one
before and against its target."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd

from ops_core import sql
from ops_core.access import partner_view
from ops_core.kpis.definitions import (
    AGE_BUCKETS,
    BY_KEY,
    KPIS,
    PROBES,
    Kpi,
    Target,
    nacha_limits_bps,
    targets,
)
from ops_core.kpis.weeks import IsoWeek, trailing

REPORTING_CURRENCY = "USD"
SPARK_WEEKS = 12
COLUMNS = ["week", "series", "currency", "value", "numerator", "denominator"]
_PARAM = re.compile(r"\$(\w+)")


PARTNER_NOTE = "company-wide: not shown in a partner view"


@dataclass(frozen=True)
class Scope:
    """What the KPIs cover. Empty ``rails`` = every rail. ``partner``: one partner's
    screen-share view (issue 8): the KPIs whose SQL takes ``$partner`` count that partner's
    payments and breaks only; the company-wide rest (ACH return rates, disputes) are left out
    with ``PARTNER_NOTE``."""

    rails: tuple[str, ...] = ()
    currency: str = REPORTING_CURRENCY
    partner: str | None = None

    def describe(self, rail_names: dict[str, str] | None = None) -> str:
        names = [(rail_names or {}).get(r, r) for r in self.rails]
        if self.partner is not None:
            rails = ", ".join(names) if names else "its rails"
            return f"Partner: {self.partner} · rails: {rails} · totals in {self.currency}"
        rails = ", ".join(names) if names else "all rails"
        return f"Rails: {rails} · all clients · totals in {self.currency}"


def scoped_out(statement: str, scope: Scope) -> bool:
    """Whether ``statement`` cannot be narrowed to ``scope``'s partner (no ``$partner``)."""
    return scope.partner is not None and "partner" not in _PARAM.findall(sql.statement(statement))


@dataclass(frozen=True)
class KpiResult:
    kpi: Kpi
    available: bool
    reason: str | None  # why it is not available
    frame: pd.DataFrame  # COLUMNS, one row per (week, series) the SQL returned


@dataclass(frozen=True)
class Report:
    week: IsoWeek
    weeks: tuple[IsoWeek, ...]  # the sparkline's weeks, oldest first, ending with ``week``
    scope: Scope
    as_of: datetime
    results: tuple[KpiResult, ...]
    rail_names: dict[str, str] = field(default_factory=dict)
    targets: dict[tuple[str, str], Target] = field(default_factory=dict)

    def result(self, key: str) -> KpiResult:
        return next(r for r in self.results if r.kpi.key == key)

    def summary(self) -> pd.DataFrame:
        """One row per (KPI, series): this week, last week, change, target, status, history.
        Values stay plain Python objects (money: int minor units), never coerced to float."""
        rows = [row for r in self.results for row in _summary_rows(self, r)]
        return pd.DataFrame(rows, dtype=object).astype({"available": bool})


def missing_tables(cur: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> list[str]:
    have = {
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    return [t for t in tables if t not in have]


def availability(cur: duckdb.DuckDBPyConnection, kpi: Kpi) -> str | None:
    """None when the KPI can be computed, else why not ("not available yet")."""
    if not kpi.needs:
        return None
    gone = missing_tables(cur, kpi.needs)
    if gone:
        return f"not available yet: this database has no {', '.join(gone)} table"
    probe, why = PROBES[kpi.needs]
    # ``probe`` is a table name from PROBES (a constant), never user input
    if cur.execute(f"SELECT count(*) FROM {probe}").fetchone()[0] == 0:
        return f"not available yet: {why}"
    return None


def params_for(
    cur: duckdb.DuckDBPyConnection,
    statement: str,
    weeks: list[IsoWeek],
    scope: Scope,
    now: datetime,
    extra: Mapping[str, object],
) -> dict[str, object]:
    """The bound parameters ``statement`` names, and only those (DuckDB refuses extras)."""
    every = [r[0] for r in cur.execute("SELECT rail_id FROM rails ORDER BY rail_id").fetchall()]
    offered = {
        "start": weeks[0].start,
        "end": weeks[-1].end,
        "rails": list(scope.rails or every),
        "all_rails": not scope.rails,
        "currency": scope.currency,
        "partner": scope.partner,
        "now": now,
        **nacha_limits_bps(weeks[-1].end.date()),
        **extra,
    }
    wanted = set(_PARAM.findall(sql.statement(statement)))
    return {k: v for k, v in offered.items() if k in wanted}


def run_kpi(
    cur: duckdb.DuckDBPyConnection, kpi: Kpi, weeks: list[IsoWeek], scope: Scope, now: datetime
) -> KpiResult:
    name = f"kpis/{kpi.sql}"
    reason = PARTNER_NOTE if scoped_out(name, scope) else availability(cur, kpi)
    if reason:
        return KpiResult(kpi, False, reason, pd.DataFrame(columns=COLUMNS))
    df = sql.query(cur, name, **params_for(cur, name, weeks, scope, now, kpi.params))
    if "currency" not in df:
        df["currency"] = scope.currency if kpi.unit == "money" else None
    df["week"] = pd.to_datetime(df["week"]).dt.date
    return KpiResult(kpi, True, None, df[COLUMNS].reset_index(drop=True))


def weekly_report(
    cur: duckdb.DuckDBPyConnection,
    week: IsoWeek,
    now: datetime,
    scope: Scope | None = None,
    n_weeks: int = SPARK_WEEKS,
    keys: tuple[str, ...] | None = None,
) -> Report:
    """Every KPI (or those in ``keys``) for the ``n_weeks`` weeks ending with ``week``."""
    scope = scope or Scope()
    weeks = trailing(week, n_weeks)
    kpis = [BY_KEY[k] for k in keys] if keys else list(KPIS)
    rails = cur.execute(
        "SELECT rail_id, name FROM rails WHERE CAST($p AS VARCHAR) IS NULL OR rail_id IN"
        " (SELECT rail_id FROM rail_partners WHERE partner_id = CAST($p AS VARCHAR))"
        " ORDER BY rail_id",
        {"p": scope.partner},
    ).fetchall()
    return Report(
        week=week,
        weeks=tuple(weeks),
        scope=scope,
        as_of=now,
        results=tuple(run_kpi(cur, k, weeks, scope, now) for k in kpis),
        rail_names=dict(rails),
        targets=targets(week.end.date()),
    )


def rows_behind(
    cur: duckdb.DuckDBPyConnection,
    key: str,
    week: IsoWeek,
    now: datetime,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """The rows a KPI's number for ``week`` is made of (drill-through); empty when the KPI is
    not available yet, or company-wide in a partner's view (whose rows come masked)."""
    kpi, scope = BY_KEY[key], scope or Scope()
    name = f"kpis/rows/{kpi.rows}"
    if availability(cur, kpi) or scoped_out(name, scope):
        return pd.DataFrame()
    df = sql.query(cur, name, **params_for(cur, name, [week], scope, now, kpi.params))
    if scope.partner is None:
        return df
    return partner_view.load(cur, scope.partner).frame(df)


def series_order(report: Report, result: KpiResult) -> list[str]:
    """'all' first (when the KPI has a headline), then rails in rails order, or age buckets."""
    found = set(result.frame.series)
    head = ["all"] if result.kpi.headline else []
    if result.kpi.series == "rail":
        rails = [r for r in report.rail_names if not report.scope.rails or r in report.scope.rails]
        return head + [r for r in rails if r in found or result.kpi.unit == "count"]
    if result.kpi.series == "age":
        return head + list(AGE_BUCKETS)
    return head


def _summary_rows(report: Report, result: KpiResult):
    kpi = result.kpi
    if not result.available:
        yield _row(report, kpi, "all", None, [], result.reason)
        return
    frame = result.frame
    for series in series_order(report, result):
        part = frame[frame.series == series]
        currency = part.currency.dropna().iloc[0] if part.currency.notna().any() else None
        if kpi.unit == "money" and currency is None:
            currency = report.scope.currency if series == "all" else None
        by_week = {w: v for w, v in zip(part.week, part.value, strict=True)}
        fill = 0 if kpi.unit in ("count", "money") else None
        history = [_plain(by_week.get(w.monday, fill)) for w in report.weeks]
        if kpi.unit == "count":
            history = [None if v is None else round(v) for v in history]
        this = part[part.week == report.week.monday]
        yield _row(report, kpi, series, currency, history, None, this)


def _row(report, kpi, series, currency, history, reason, this=None) -> dict:
    target = report.targets.get((kpi.key, series))
    now_v = history[-1] if history else None
    last_v = history[-2] if len(history) > 1 else None
    has = this is not None and not this.empty
    return {
        "section": kpi.section,
        "kpi": kpi.key,
        "name": kpi.name,
        "series": series,
        "series_name": series_name(report, kpi, series),
        "unit": kpi.unit,
        "currency": currency,
        "direction": kpi.direction,
        "this_week": now_v,
        "last_week": last_v,
        "change": None if now_v is None or last_v is None else now_v - last_v,
        "target": None if target is None else float(target.value),
        "status": status(kpi.direction, now_v, target),
        "numerator": _plain(this.numerator.iloc[0]) if has else None,
        "denominator": _plain(this.denominator.iloc[0]) if has else None,
        "history": history,
        "available": reason is None,
        "note": reason,
    }


def series_name(report: Report, kpi: Kpi, series: str) -> str:
    if series == "all":
        if kpi.key == "value":
            return f"All {report.scope.currency} rails"
        return "All rails" if kpi.series == "rail" else "All"
    return report.rail_names.get(series, series)


def status(direction: str, value, target: Target | None) -> str:
    """'met', 'missed', 'no target' or 'no data', judged in the KPI's good direction."""
    if value is None:
        return "no data"
    if target is None or direction == "neutral":
        return "no target"
    v, t = Decimal(str(value)), target.value
    ok = v >= t if direction == "up" else v <= t
    return "met" if ok else "missed"


def _plain(v):
    """A plain Python number (None for missing), so rows compare and serialise simply."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, np.integer | int) and not isinstance(v, bool):
        return int(v)
    return float(v)


def week_of_data(cur: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and last day with payments in the rollups (None, None when empty)."""
    row = cur.execute("SELECT min(hour), max(hour) FROM rollup_hourly").fetchone()
    return (row[0].date() if row[0] else None, row[1].date() if row[1] else None)
