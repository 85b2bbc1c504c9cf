"""Display formatting: money, rates, durations, times in the viewer's zone."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from ops_core.money import format_money

RAG_COLOR = {"red": "red", "amber": "orange", "green": "green", "grey": "gray"}
RAG_LABEL = {"red": "RED", "amber": "AMBER", "green": "GREEN", "grey": "NO DATA"}


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def pct(value, places: int = 1) -> str:
    return "–" if missing(value) else f"{value * 100:.{places}f}%"


def duration(ms) -> str:
    """Milliseconds as a short human duration: 850 ms, 2.7 s, 13 min, 20 h, 3.1 d."""
    if missing(ms):
        return "–"
    s = ms / 1000
    if s < 1:
        return f"{ms:.0f} ms"
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        return f"{s / 60:.0f} min"
    if s < 86400 * 2:
        return f"{s / 3600:.0f} h"
    return f"{s / 86400:.1f} d"


def money(minor, currency: str, compact: bool = True) -> str:
    return "–" if missing(minor) else format_money(int(minor), currency, compact=compact)


def local(ts: datetime | pd.Timestamp, tz: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC instant shown in the viewer's zone, with the zone's abbreviation."""
    if missing(ts):
        return "–"
    t = pd.Timestamp(ts)
    t = t.tz_localize("UTC") if t.tzinfo is None else t
    t = t.tz_convert(ZoneInfo(tz))
    return f"{t.strftime(fmt)} {t.tzname()}"


def change(now, before) -> str | None:
    """Relative change for st.metric deltas ('+12%'), None when there is no baseline."""
    if missing(now) or missing(before) or not before:
        return None
    change = (now - before) / before * 100
    return None if abs(change) < 0.5 else f"{change:+.0f}%"


def pd_local_date(ts, tz: str):
    """The calendar date of a UTC instant in the viewer's zone."""
    return pd.Timestamp(ts).tz_convert(ZoneInfo(tz)).date()


def money_column(df: pd.DataFrame, compact: bool = True, column: str = "amount_minor") -> list[str]:
    """Format a DataFrame's minor-unit amounts with each row's own currency."""
    return [money(a, c, compact) for a, c in zip(df[column], df.currency, strict=True)]


def names(df: pd.DataFrame, key: str) -> dict[str, str]:
    """id -> display name, for select widgets."""
    return dict(zip(df[key], df["name"], strict=True))


def table_height(df: pd.DataFrame, most: int = 400) -> int:
    """Pixel height that fits a dataframe's rows (no empty rows), up to ``most``."""
    return min(most, 35 * (len(df) + 1) + 3)
