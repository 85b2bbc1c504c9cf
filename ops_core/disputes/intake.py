"""Dispute intake: ACH unauthorized returns from the ledger and from loaded NACHA return files,
and cases opened by hand from a payment. Card dispute reports: ``report_intake`` (run by the
loader in the report's transaction).

A return whose dishonor window (5 banking days, domain.md §1.4) had already closed when it
reached us is opened and closed at once: ``accepted`` when it was timely, ``expired`` when it
was late and could have been dishonored with R68. Intake is idempotent: a return already on a
case (same payment or same original trace number) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from ops_core import sql
from ops_core.access import User
from ops_core.disputes import cases, lifecycle
from ops_core.errors import OpsError

UNAUTHORIZED_CODES = ["R05", "R07", "R10", "R11", "R29"]  # domain.md §1.2, §7.1
INTAKE_ACTOR = "intake"
STAGE_ORDER = ("return", "dishonored", "contested")
CARD_RAILS = {"VISA_DIRECT": "visa", "MC_MOVE": "mastercard"}
REG_E_RAILS = ("RTP", "FEDNOW")


@dataclass(frozen=True)
class IntakeResult:
    opened: int
    advanced: int
    closed_at_intake: int
    skipped: int


def intake_ledger_returns(
    cur: duckdb.DuckDBPyConnection, today: date, *, actor: str = INTAKE_ACTOR
) -> IntakeResult:
    """Open a Nacha case for every unauthorized ACH debit return in the ledger not yet on one."""
    rows = sql.query(cur, "disputes/ledger_return_candidates", codes=UNAUTHORIZED_CODES)
    opened = closed = 0
    for r in rows.itertuples():
        new = cases.NewCase(
            network="nacha",
            reason_code=r.code,
            client_id=r.client_id,
            rail_id=r.rail_id,
            amount_minor=int(r.amount_minor),
            currency=r.currency,
            opened_at=r.returned_at.to_pydatetime(),
            stage="return",
            stage_started_on=_date(r.return_on),
            payment_id=int(r.payment_id),
            txn_type=r.txn_type,
            direction=r.direction,
            transaction_on=_date(r.settled_on),
            source="ledger",
            external_ref=r.ach_trace_number,
        )
        case_id = cases.open_case(cur, new, actor=actor, at=new.opened_at)
        opened += 1
        closed += close_if_window_passed(cur, case_id, today, actor)
    return IntakeResult(opened, 0, closed, 0)


def ingest_tables_exist(cur: duckdb.DuckDBPyConnection) -> bool:
    found = cur.execute(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_name IN ('ach_returns', 'source_files')"
    ).fetchone()[0]
    return found == 2


def intake_ach_files(
    cur: duckdb.DuckDBPyConnection, today: date, *, actor: str = INTAKE_ACTOR
) -> IntakeResult:
    """Act on loaded NACHA files: unauthorized returns open cases; dishonored (R61–R70) and
    contested dishonored (R71–R77) returns move the case of the same original entry on."""
    if not ingest_tables_exist(cur):
        return IntakeResult(0, 0, 0, 0)
    rows = sql.query(cur, "disputes/file_return_candidates", codes=UNAUTHORIZED_CODES)
    opened = advanced = closed = skipped = 0
    for r in rows.to_dict("records"):
        target = {"return": "return", "dishonored": "dishonored", "contested": "contested"}[
            r["kind"]
        ]
        on = _julian(r["return_settlement_date"], r["return_year"], _date(r["loaded_on"]))
        existing = _case_for_trace(cur, r["original_trace"])
        if existing is None:
            case_id = cases.open_case(
                cur, _file_case(r, target, on), actor=actor, at=r["loaded_at"]
            )
            opened += 1
            closed += close_if_window_passed(cur, case_id, today, actor)
        elif _moves_on(existing, target):
            _advance_to(cur, existing, target, on, r, actor)
            advanced += 1
        else:
            skipped += 1
    return IntakeResult(opened, advanced, closed, skipped)


def open_from_payment(
    cur: duckdb.DuckDBPyConnection,
    payment_id: int,
    *,
    reason_code: str,
    actor: str | User,
    opened_at: datetime | None = None,
    stage: str | None = None,
    amount_minor: int | None = None,
    external_ref: str | None = None,
    new_account: bool = False,
) -> int:
    """Open a case by hand on a ledger payment: the network follows from its rail."""
    p = cur.execute("SELECT * FROM payments WHERE payment_id = ?", [payment_id]).df()
    if p.empty:
        raise OpsError(f"payment {payment_id} does not exist")
    pay = p.iloc[0]
    network = network_for(pay.rail_id, pay.dc)
    opened_at = opened_at or datetime.now(UTC)
    new = cases.NewCase(
        network=network,
        reason_code=reason_code,
        client_id=pay.client_id,
        rail_id=pay.rail_id,
        amount_minor=int(amount_minor or pay.amount_minor),
        currency=pay.currency,
        opened_at=opened_at,
        stage=stage,
        stage_started_on=opened_at.date(),
        payment_id=int(payment_id),
        txn_type=pay.txn_type,
        direction=pay.direction,
        transaction_on=_date(pay.final_at) if not pd.isna(pay.final_at) else None,
        source="manual",
        external_ref=external_ref,
        new_account=new_account,
    )
    return cases.open_case(cur, new, actor=actor, at=opened_at)


def network_for(rail_id: str, dc: str) -> str:
    """Which dispute network a payment's rail belongs to (ACH debits, card rails, RTP/FedNow)."""
    if rail_id in CARD_RAILS:
        return CARD_RAILS[rail_id]
    if rail_id == "ACH" and dc == "debit":
        return "nacha"
    if rail_id in REG_E_RAILS or rail_id == "ACH":
        return "reg_e"
    raise OpsError(
        f"payments on {rail_id} cannot be disputed here (card rails, ACH, RTP and FedNow only)"
    )


def close_if_window_passed(
    cur: duckdb.DuckDBPyConnection, case_id: int, today: date, actor: str
) -> int:
    row = cur.execute(
        "SELECT c.version, c.opened_at, max(d.network_due) FILTER (WHERE d.party = 'us'),"
        " bool_or(d.late) FILTER (WHERE d.party = 'check')"
        " FROM dispute_cases c JOIN dispute_deadlines d USING (case_id)"
        " WHERE c.case_id = ? GROUP BY ALL",
        [case_id],
    ).fetchone()
    if row is None or row[2] is None or row[2] >= today:
        return 0
    version, opened_at, due, late = row
    at = max(opened_at, datetime.combine(due + timedelta(days=1), datetime.min.time(), UTC))
    outcome = "expired" if late else "accepted"
    why = "the return was late and could have been dishonored (R68)" if late else "timely return"
    cases.event(cur, case_id, "check", "return", f"Dishonor window ended {due}: {why}", actor, at)
    cases.close(cur, case_id, expected_version=version, outcome=outcome, actor=actor, at=at)
    return 1


def _case_for_trace(cur: duckdb.DuckDBPyConnection, trace: str | None) -> dict[str, Any] | None:
    if not trace:
        return None
    res = cur.execute(
        "SELECT case_id, stage, status, version, rule_category FROM dispute_cases"
        " WHERE network = 'nacha' AND external_ref = ?",
        [trace],
    )
    row = res.fetchone()
    return None if row is None else dict(zip([d[0] for d in res.description], row, strict=True))


def _moves_on(case: dict[str, Any], target: str) -> bool:
    return case["status"] != "closed" and STAGE_ORDER.index(target) > STAGE_ORDER.index(
        case["stage"]
    )


def _advance_to(
    cur: duckdb.DuckDBPyConnection,
    case: dict[str, Any],
    target: str,
    on: date,
    r: dict[str, Any],
    actor: str,
) -> None:
    version = case["version"]
    at = r["loaded_at"]
    for stage in STAGE_ORDER[STAGE_ORDER.index(case["stage"]) + 1 : STAGE_ORDER.index(target) + 1]:
        lifecycle.check_stage("nacha", case["rule_category"], case["stage"], stage)
        version = cases.advance(
            cur,
            case["case_id"],
            expected_version=version,
            to_stage=stage,
            on=on,
            actor=actor,
            at=at,
        )
        case = {**case, "stage": stage}
    cases.event(
        cur,
        case["case_id"],
        "intake",
        target,
        f"{r['return_code']} in file {r['source_file_id']} line {r['source_line']}",
        actor,
        at,
    )


def _file_case(r: dict[str, Any], stage: str, on: date) -> cases.NewCase:
    return cases.NewCase(
        network="nacha",
        reason_code=r["return_code"],
        client_id=r["client_id"] or "unmatched",
        rail_id="ACH",
        amount_minor=int(r["amount_minor"]),
        currency=r["currency"],
        opened_at=r["loaded_at"],
        stage=stage,
        stage_started_on=on,
        payment_id=None if pd.isna(r["payment_id"]) else int(r["payment_id"]),
        txn_type=r["txn_type"],
        direction=r["direction"] or "pull",
        transaction_on=None if pd.isna(r["settled_on"]) else _date(r["settled_on"]),
        source="ach_file",
        external_ref=r["original_trace"],
    )


def _julian(jjj: str | None, year: int, loaded_on: date) -> date:
    """A NACHA Julian settlement date (day of year, 3 digits) near the file's load date."""
    if not jjj or not str(jjj).strip().isdigit() or not 1 <= int(jjj) <= 366:
        return loaded_on
    day = date(int(year), 1, 1) + timedelta(days=int(jjj) - 1)
    return date(int(year) - 1, 1, 1) + timedelta(days=int(jjj) - 1) if day > loaded_on else day


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()
