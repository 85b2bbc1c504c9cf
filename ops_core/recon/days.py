"""Per-rule date windows in the rail's banking days, as a table SQL joins on (rule, day).

For every rule and every day of the data's range: the day from which a settlement date is late
(``late_after_days`` banking days after the ledger's final day have passed), the day an
unmatched item is due (past it, it is missing, not in flight), and the tolerance/batch window
(``date_window_days`` banking days either side). Computed once per run from
``calendars.banking_day_table`` with index arithmetic, so the SQL never loops over calendars.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import pandas as pd
import pyarrow as pa

from ops_core.calendars import banking_day_table

PAD_DAYS = 60  # room for windows of up to ~30 banking days at either end of the range
ANY_RAIL_CALENDAR = "24x7"
COLUMNS = ("rule_id", "day", "idx", "late_from", "due_day", "win_lo", "win_hi")


@dataclass(frozen=True)
class DayRule:
    rule_id: str
    calendar: str
    late_after_days: int | None
    date_window_days: int | None


def rule_days(rules: Iterable[DayRule], start: date, end: date) -> pd.DataFrame:
    """One row per (rule, day) in [start, end]: idx, late_from, due_day, win_lo, win_hi."""
    frames = [_one(rule, start, end) for rule in rules]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return pd.concat(frames, ignore_index=True)


# A run asks for the same rules over the same range as the run before (0.09 s a run for the
# 17 rules of the demo and benchmark): each rule's days are kept per process, as the
# calendars they come from are (ops_core.calendars). Callers must not change the frame.
@lru_cache(maxsize=512)
def _one(rule: DayRule, start: date, end: date) -> pd.DataFrame:
    table = banking_day_table(rule.calendar, start - timedelta(PAD_DAYS), end + timedelta(PAD_DAYS))
    days = table["day"].astype(object)
    idx = table["banking_day_index"].to_numpy()
    banking = table[table["is_banking_day"]]
    first = pd.Series(banking["day"].astype(object).to_numpy(), index=banking["banking_day_index"])
    late = rule.late_after_days
    window = rule.date_window_days or 0

    def nth(offset: int) -> pd.Series:
        return pd.Series(first.reindex(idx + offset).to_numpy())

    win_hi = nth(window + 1).map(lambda d: d - timedelta(1) if isinstance(d, date) else None)
    frame = pd.DataFrame(
        {
            "rule_id": rule.rule_id,
            "day": days,
            "idx": idx,
            "late_from": nth(late + 1) if late is not None else None,
            "due_day": nth((late or 0) + 1),
            "win_lo": nth(-window),
            "win_hi": win_hi,
        }
    )
    keep = (frame["day"] >= start) & (frame["day"] <= end)
    return frame[keep].reset_index(drop=True)


def as_arrow(frame: pd.DataFrame) -> pa.Table:
    """The frame with proper DATE columns for DuckDB (NaT/None become NULL)."""
    dates = {
        c: pa.array(_dates(frame[c]), pa.date32()) for c in COLUMNS if c not in ("rule_id", "idx")
    }
    return pa.table(
        {
            "rule_id": pa.array(frame["rule_id"].astype(str).tolist(), pa.string()),
            "day": dates["day"],
            "idx": pa.array(frame["idx"].astype("int64").tolist(), pa.int64()),
            "late_from": dates["late_from"],
            "due_day": dates["due_day"],
            "win_lo": dates["win_lo"],
            "win_hi": dates["win_hi"],
        }
    )


def _dates(values: Iterable) -> list[date | None]:
    return [v if isinstance(v, date) else None for v in values]


def calendars_by_rail(rails: Mapping[str, str], rail_id: str) -> str:
    """The calendar of a rule's rail ('*' and unknown rails count every day)."""
    return rails.get(rail_id, ANY_RAIL_CALENDAR)
