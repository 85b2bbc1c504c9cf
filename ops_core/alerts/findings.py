"""What detectors return: one finding per (evaluation time, rule, scope) whose condition holds.

A finding explains itself (metric, value, baseline, threshold, a sentence) and links to the
affected payments: an app path with query parameters (``/rail-health?rails=RTP&...``), so
the link reproduces the view on any Railyard instance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import duckdb
import numpy as np
import pandas as pd

COLUMNS = [
    "at",
    "rule_id",
    "rail_id",
    "partner_id",
    "client_id",
    "subject",
    "severity",
    "title",
    "value",
    "baseline",
    "threshold",
    "unit",
    "explanation",
    "link",
    "impact_count",
    "impact_amount_minor",
    "currency",
    "window_start",
]
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Context:
    """Names for titles and sentences, the routes the data knows, the settings date."""

    rails: dict[str, str]
    partners: dict[str, str]
    clients: dict[str, str]
    currencies: dict[str, str]
    routes: pd.DataFrame
    on: date

    def route(self, rail: str | None, partner: str | None) -> str:
        """'RTP at Lakeshore Bank' (rail names without their parenthesis)."""
        name = self.rails.get(rail, rail).split(" (")[0] if rail else "all rails"
        return f"{name} at {self.partners.get(partner, partner)}" if partner else name


def context(cur: duckdb.DuckDBPyConnection, on: date) -> Context:
    def names(table: str, key: str) -> dict[str, str]:
        return dict(cur.execute(f"SELECT {key}, name FROM {table}").fetchall())

    routes = cur.execute("SELECT rail_id, partner_id FROM rail_partners ORDER BY ALL").df()
    return Context(
        names("rails", "rail_id"),
        names("partners", "partner_id"),
        names("clients", "client_id"),
        dict(cur.execute("SELECT rail_id, currency FROM rails").fetchall()),
        routes,
        on,
    )


TEXT = ("rule_id", "rail_id", "partner_id", "client_id", "subject", "severity", "title")
NUMBERS = ("value", "baseline", "threshold", "impact_count", "impact_amount_minor")
TIMES = ("at", "window_start")


def empty() -> pd.DataFrame:
    return _EMPTY.copy()


def route_findings(
    hit: pd.DataFrame,
    rule_id: str,
    ctx: Context,
    title: str,
    explain: Callable[[Any], str],
    link: Callable[[Any], str],
    **columns: Any,
) -> pd.DataFrame:
    """One finding per row of ``hit`` (rows with ``at``, ``rail_id``, ``partner_id``):
    ``columns`` give the other COLUMNS (Series aligned with ``hit``, or scalars); the title
    is ``"<title>: <rail at partner>"``; ``explain`` and ``link`` take each row as a tuple."""
    out = pd.DataFrame(
        {
            "at": hit["at"],
            "rule_id": rule_id,
            "rail_id": hit.rail_id,
            "partner_id": hit.partner_id,
            **columns,
        }
    )
    rows = list(hit.itertuples())
    out["title"] = [f"{title}: {ctx.route(r.rail_id, r.partner_id)}" for r in rows]
    out["explanation"] = [explain(r) for r in rows]
    out["link"] = [link(r) for r in rows]
    return out.reindex(columns=COLUMNS)


def normalize(df: pd.DataFrame) -> pd.DataFrame:
    """Findings with one fixed dtype per column, so frames from every rule concatenate."""
    df = df.reindex(columns=COLUMNS)
    for col in COLUMNS:
        if col in TIMES:
            df[col] = pd.to_datetime(df[col], utc=True)
        elif col in NUMBERS:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        else:
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df


_EMPTY = normalize(pd.DataFrame(columns=COLUMNS))


def scope_key(rail=None, partner=None, client=None, subject=None) -> str:
    """The dedupe key of an alert's scope: 'RTP|LAKESHORE|*|*'."""
    return "|".join("*" if _blank(v) else str(v) for v in (rail, partner, client, subject))


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v == ""


def floor_hour(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def utc(t) -> datetime:
    return pd.Timestamp(t).tz_convert(UTC).to_pydatetime()


def hhmm(t) -> str:
    return f"{utc(t):%Y-%m-%d %H:%M} UTC"


def app_link(path: str, **params) -> str:
    """An app URL path with query parameters; lists are comma-joined, empty values dropped."""
    clean = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value if not _blank(v))
        if not _blank(value):
            clean[key] = str(value)
    return f"/{path}?{urlencode(clean, safe=',')}" if clean else f"/{path}"


def rail_health_link(
    start: datetime, end: datetime, rails=(), partners=(), clients=(), grain="hour", **extra
) -> str:
    """Rail Health over the UTC days covering [start, end] (its dates are whole days)."""
    last = utc(end) - timedelta(microseconds=1)
    if grain == "hour" and last - utc(start) > timedelta(days=14):
        grain = "day"
    return app_link(
        "rail-health",
        rails=list(rails),
        partners=list(partners),
        clients=list(clients),
        start=f"{utc(start):%Y-%m-%d}",
        end=f"{max(last, utc(start)):%Y-%m-%d}",
        grain=grain,
        **extra,
    )


def streaks(
    hourly: pd.DataFrame, keys: list[str], impact: list[str], gap: timedelta = HOUR
) -> pd.DataFrame:
    """Per scope (``keys``), consecutive firing rows: adds ``streak`` (rows in a row firing,
    ending at this one), ``streak_start`` and the ``impact`` columns summed over the streak
    (``<col>_run``). Rows more than ``gap`` apart break a streak (a missing hour, or a longer
    stretch of hours nobody could judge)."""
    df = hourly.sort_values([*keys, "hour"]).reset_index(drop=True)
    if df.empty:
        return df.assign(streak=[], streak_start=[], **{f"{c}_run": [] for c in impact})
    same = (df[keys].shift() == df[keys]).all(axis=1)
    contiguous = same & (df.hour - df.hour.shift() <= pd.Timedelta(gap))
    breaks = ~(df.fire & contiguous & df.fire.shift(fill_value=False))
    run = breaks.cumsum()
    df["streak"] = np.where(df.fire, df.groupby(run).cumcount() + 1, 0)
    df["streak_start"] = df.groupby(run).hour.transform("min")
    for c in impact:
        df[f"{c}_run"] = df.groupby(run)[c].cumsum()
    return df


def at_times(
    hourly: pd.DataFrame,
    times: list[datetime],
    keys: list[str],
    hold: timedelta = timedelta(0),
    sustain: str = "sustain_hours",
) -> pd.DataFrame:
    """The rows firing for each evaluation time ``t``: per scope, the latest judged hour that
    ended by ``t`` (at most ``hold`` before the last full hour: quiet hours nobody can judge
    neither fire nor clear an alert), if it fires and has fired ``sustain`` rows in a row.
    Adds column ``at``."""
    if hourly.empty:
        return hourly.assign(at=pd.Series(dtype="datetime64[ns, UTC]"))
    last = pd.DataFrame({"at": pd.to_datetime(list(times), utc=True)})
    last["hour"] = (last["at"].dt.floor("h") - pd.Timedelta(HOUR)).astype("datetime64[ns, UTC]")
    scopes = hourly[keys].drop_duplicates()
    left = scopes.merge(last, how="cross").sort_values("hour")
    right = hourly.assign(hour=hourly.hour.astype("datetime64[ns, UTC]")).sort_values("hour")
    out = pd.merge_asof(
        left, right, on="hour", by=keys, tolerance=pd.Timedelta(hold), direction="backward"
    )
    out = out[out.fire.eq(True)]
    return out[out.streak >= out[sustain]].reset_index(drop=True)


def severity(value: pd.Series, critical: pd.Series, worse: str = "higher") -> pd.Series:
    hit = value >= critical if worse == "higher" else value <= critical
    return pd.Series(np.where(hit.fillna(False), "critical", "warning"), index=value.index)
