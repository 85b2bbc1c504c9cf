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
from ops_core.access import masking
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


def board(
    cur: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    today: date,
    partner: str | None = None,
) -> pd.DataFrame:
    """Open deadlines due in [start, end] (ours also when already past), with urgency, the
    rule's source and whether it is uncertain. ``partner``: only cases on that partner's
    payments, clients pseudonymised (partner screen-share mode)."""
    df = _scoped(cur, sql.query(cur, "disputes/deadline_board", start=start, end=end), partner)
    soon = rules.settings().due_soon_days
    sources = {r.rule_id: r.source for r in rules.rules()}
    df["internal_due"] = pd.to_datetime(df.internal_due).dt.date
    df["network_due"] = pd.to_datetime(df.network_due).dt.date
    df["processor_due"] = pd.to_datetime(df.processor_due).dt.date
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


def case_list(
    cur: duckdb.DuckDBPyConnection, open_only: bool = True, partner: str | None = None
) -> pd.DataFrame:
    return _scoped(cur, sql.query(cur, "disputes/case_list", open_only=open_only), partner)


def case_detail(
    cur: duckdb.DuckDBPyConnection, case_id: int, partner: str | None = None
) -> CaseDetail | None:
    """One case in full; None when it does not exist or (``partner`` given) is not on that
    partner's payments. In a partner's view client names are pseudonyms, the counterparty is
    masked and free text (notes, timeline, audit values) has client names replaced."""
    found = sql.query(cur, "disputes/case", case_id=case_id)
    if found.empty or (partner is not None and case_id not in partner_cases(cur, partner)):
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
    detail = CaseDetail(
        case=case,
        deadlines=dl,
        evidence=sql.query(cur, "disputes/case_evidence", case_id=case_id),
        timeline=sql.query(cur, "disputes/case_timeline", case_id=case_id),
        payment=payment,
        audit=audit.history(cur, "dispute", case_id),
    )
    return detail if partner is None else _masked_detail(cur, detail)


def partner_cases(cur: duckdb.DuckDBPyConnection, partner: str) -> set[int]:
    """Cases on payments of ``partner`` (a case not linked to a ledger payment belongs to
    no partner's view)."""
    rows = cur.execute(
        "SELECT c.case_id FROM dispute_cases AS c JOIN payments AS p USING (payment_id)"
        " WHERE p.partner_id = ?",
        [partner],
    ).fetchall()
    return {int(r[0]) for r in rows}


def _client_names(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(cur.execute("SELECT client_id, name FROM clients").fetchall())


def _scoped(cur: duckdb.DuckDBPyConnection, df: pd.DataFrame, partner: str | None):
    if partner is None:
        return df
    keep = df[df.case_id.isin(partner_cases(cur, partner))].reset_index(drop=True)
    return masking.mask_frame(keep, _client_names(cur))


def _masked_detail(cur: duckdb.DuckDBPyConnection, d: CaseDetail) -> CaseDetail:
    names = _client_names(cur)

    def text(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
        df = masking.mask_frame(df, names)
        for col in cols:
            if col in df.columns:
                df[col] = df[col].map(
                    lambda v: masking.mask_text(v, names) if isinstance(v, str) else v
                )
        return df

    case = masking.mask_record(d.case, names)
    if case.get("notes"):
        case["notes"] = masking.mask_text(case["notes"], names)
    return CaseDetail(
        case=case,
        deadlines=d.deadlines,
        evidence=text(d.evidence, "note"),
        timeline=text(d.timeline, "detail"),
        payment=masking.mask_frame(d.payment, names),
        audit=text(d.audit, "old_value", "new_value"),
    )


def _na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
