"""KPI values as text, the same on the page, in the PDF/PNG summary and in the exports."""

from __future__ import annotations

import math

from ops_core.kpis.definitions import BY_KEY, Kpi
from ops_core.money import format_money

STATUS_LABEL = {
    "met": "On target",
    "missed": "Off target",
    "no target": "No target",
    "no data": "No data",
}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def duration(seconds: float) -> str:
    """3.2 s, 16 min, 20.5 h, 2.8 d."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def value(kpi: Kpi | str, v, currency: str | None = None, compact: bool = True) -> str:
    """A KPI value for people: '98.3%', '83,942', '$29.5M', '20.5 h', '3.2 s'."""
    kpi = BY_KEY[kpi] if isinstance(kpi, str) else kpi
    if _missing(v):
        return "–"
    if kpi.unit == "percent":
        return f"{v * 100:.{kpi.places}f}%"
    if kpi.unit == "money":
        return format_money(int(v), currency or "USD", compact=compact)
    if kpi.unit == "hours":
        return f"{v:,.1f} h"  # always hours: the targets are in hours
    if kpi.unit == "seconds":
        return duration(v)
    return f"{v:,.0f}"


def change(kpi: Kpi | str, now, before) -> str:
    """Week-on-week change: '+0.4 pp' for percents, '+12%' relative, '+3' absolute."""
    kpi = BY_KEY[kpi] if isinstance(kpi, str) else kpi
    if _missing(now) or _missing(before):
        return "–"
    if kpi.unit == "percent":
        return _signed((now - before) * 100, max(kpi.places, 1), " pp")
    if kpi.change == "relative":
        if not before:
            return "new" if now else "±0%"
        return _signed((now - before) / abs(before) * 100, 0, "%")
    return _signed(now - before, 0, "")


def _signed(x: float, places: int, suffix: str) -> str:
    """'+1.2 pp', '-3%', and '±0.0 pp' when it rounds to zero (never '-0.0')."""
    text = f"{abs(x):,.{places}f}"
    if float(text.replace(",", "")) == 0:
        return f"±{text}{suffix}"
    return f"{'+' if x > 0 else '-'}{text}{suffix}"


def better(kpi: Kpi | str, now, before) -> bool | None:
    """Whether the change is for the better in the KPI's good direction (None: no change or
    no direction)."""
    kpi = BY_KEY[kpi] if isinstance(kpi, str) else kpi
    if _missing(now) or _missing(before) or kpi.direction == "neutral":
        return None
    if change(kpi, now, before).startswith("±"):  # no change at the precision shown
        return None
    return (now > before) == (kpi.direction == "up")


def target(kpi: Kpi | str, t) -> str:
    """'≥ 97.0%' or '≤ 0.50%' or '0' (a zero target)."""
    kpi = BY_KEY[kpi] if isinstance(kpi, str) else kpi
    if _missing(t):
        return ""
    if kpi.unit == "count" and t == 0:
        return "0"
    sign = "≥" if kpi.direction == "up" else "≤"
    return f"{sign} {value(kpi, t)}"
