"""What the dispute pages read: the deadline board, the month grid, one case in full.

Plain functions over a cursor returning DataFrames and dataclasses; no UI code (the pages
render them).
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from ops_core import audit, sql
from ops_core.disputes import deadlines, rules
from ops_core.disputes.lifecycle import STAGE_LABELS


@dataclass(frozen=True)
class CaseDetail:
    case: dict[str, Any]
    deadlines: pd.DataFrame
    evidence: pd.DataFrame
    timeline: pd.DataFrame
    payment: pd.DataFrame  # the payment joined to its status events (empty when unknown)
    audit: pd.DataFrame


def board(cur: duckdb.DuckDBPyConnection, start: date, end: date, today: date) -> pd.DataFrame:
    """Open deadlines due in [start, end] (ours also when already past), with urgency, the
    rule's source and whether it is uncertain."""
    df = sql.query(cur, "disputes/deadline_board", start=start, end=end)
    soon = rules.settings().due_soon_days
    sources = {r.rule_id: r.source for r in rules.rules()}
    df["internal_due"] = pd.to_datetime(df.internal_due).dt.date
    df["network_due"] = pd.to_datetime(df.network_due).dt.date
    df["urgency"] = [
        deadlines.urgency(p, i, n, today, soon)
        for p, i, n in zip(df.party, df.internal_due, df.network_due, strict=True)
    ]
    df["source"] = df.rule_id.map(sources)
    df["stage_label"] = df.stage.map(STAGE_LABELS)
    return df


def month_weeks(year: int, month: int) -> list[list[date]]:
    """The weeks (Monday first) covering a month, with the neighbouring months' days."""
    return pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def case_list(cur: duckdb.DuckDBPyConnection, open_only: bool = True) -> pd.DataFrame:
    return sql.query(cur, "disputes/case_list", open_only=open_only)


def case_detail(cur: duckdb.DuckDBPyConnection, case_id: int) -> CaseDetail | None:
    found = sql.query(cur, "disputes/case", case_id=case_id)
    if found.empty:
        return None
    case = {k: (None if _na(v) else v) for k, v in found.iloc[0].to_dict().items()}
    sources = {r.rule_id: r.source for r in rules.rules()}
    dl = sql.query(cur, "disputes/case_deadlines", case_id=case_id)
    dl["source"] = dl.rule_id.map(sources)
    payment = (
        sql.query(cur, "disputes/payment_history", payment_id=int(case["payment_id"]))
        if case["payment_id"] is not None
        else pd.DataFrame()
    )
    return CaseDetail(
        case=case,
        deadlines=dl,
        evidence=sql.query(cur, "disputes/case_evidence", case_id=case_id),
        timeline=sql.query(cur, "disputes/case_timeline", case_id=case_id),
        payment=payment,
        audit=audit.history(cur, "dispute", case_id),
    )


def _na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
