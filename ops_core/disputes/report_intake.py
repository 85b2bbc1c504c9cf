"""Intake from card dispute reports (ops_core/ingest/DISPUTE_REPORT_FORMAT.md).

Called by the loader inside the file's transaction, after the report's rows are written:
each row opens the case of its dispute id (matched to the ledger payment by its network
transaction id), or moves an open case on to the stage the report shows, step by step
through the validated lifecycle (``lifecycle.check_stage``), or closes it with the outcome
the report gives. A row that shows a stage the case is already at (or past) changes
nothing, so loading the same report again changes nothing. A row the lifecycle refuses
(an illegal jump, a reason a push payment cannot carry) rejects the whole file naming the
line and the field.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import duckdb
import pandas as pd

from ops_core import sql
from ops_core.disputes import cases, lifecycle
from ops_core.disputes.intake import INTAKE_ACTOR
from ops_core.errors import FileRejected, OpsError

CARD_STAGES = ("inquiry", "chargeback", "representment", "pre_arbitration", "arbitration")
RAIL_OF = {"visa": "VISA_DIRECT", "mastercard": "MC_MOVE"}
DIRECTION_OF = {"AFT": "pull", "OCT": "push"}


@dataclass(frozen=True)
class ReportIntake:
    opened: int
    advanced: int
    closed: int
    unchanged: int
    warnings: tuple[str, ...] = ()


def intake_dispute_report(
    cur: duckdb.DuckDBPyConnection, file_id: int, name: str, *, actor: str = INTAKE_ACTOR
) -> ReportIntake:
    """Act on every row of loaded report ``file_id`` (``name``: for error messages)."""
    counts = {"opened": 0, "advanced": 0, "closed": 0, "unchanged": 0}
    warnings: list[str] = []
    for r in sql.query(cur, "disputes/report_candidates", file_id=file_id).to_dict("records"):
        try:
            for key in _apply(cur, r, actor, warnings):
                counts[key] += 1
        except OpsError as exc:
            if isinstance(exc, FileRejected):
                raise
            raise FileRejected(
                name, str(exc), line=int(r["source_line"]), field=_field_of(exc),
                expected="a move the dispute lifecycle allows",
            ) from None  # fmt: skip
    return ReportIntake(**counts, warnings=tuple(warnings))


def _apply(
    cur: duckdb.DuckDBPyConnection, r: dict[str, Any], actor: str, warnings: list[str]
) -> list[str]:
    r = {k: (None if _na(v) else v) for k, v in r.items()}  # NaN / NaT: not given
    case = _case(cur, r["network"], r["dispute_id"])
    done: list[str] = []
    if case is None:
        case = _open(cur, r, actor)
        done.append("opened")
    if case["status"] == "closed":
        if CARD_STAGES.index(r["stage"]) > CARD_STAGES.index(case["stage"]) or (
            r["outcome"] and r["outcome"] != case["outcome"]
        ):
            warnings.append(
                f"line {r['source_line']}: case {case['case_id']} is closed ({case['outcome']});"
                f" the report's {r['stage']} {r['outcome'] or ''} was not applied"
            )
        return done or ["unchanged"]
    if CARD_STAGES.index(r["stage"]) > CARD_STAGES.index(case["stage"]):
        case = _advance(cur, case, r, actor)
        if not done:
            done.append("advanced")
    if done and not _na(r["network_due_date"]):
        _compare_due(cur, case, r, actor)
    if r["outcome"]:
        cases.close(
            cur, case["case_id"], expected_version=case["version"], outcome=r["outcome"],
            actor=actor, at=_at(_day(r["stage_date"]), r["loaded_at"]),
        )  # fmt: skip
        done.append("closed")
    return done or ["unchanged"]


def _open(cur: duckdb.DuckDBPyConnection, r: dict[str, Any], actor: str) -> dict[str, Any]:
    """Open at the first stage the network allows; a report that first shows a later stage
    opens at the chargeback, on the dispute date, and moves on from there."""
    entry = r["stage"] if r["stage"] in lifecycle.ENTRY_STAGES[r["network"]] else "chargeback"
    matched = not _na(r["payment_id"])
    txn_type = r["payment_txn_type"] if matched else r["txn_type"]
    opened_at = _at(_day(r["dispute_date"]), r["loaded_at"])
    new = cases.NewCase(
        network=r["network"],
        reason_code=r["reason_code"],
        client_id=r["client_id"] if matched else "unmatched",
        rail_id=r["rail_id"] if matched else RAIL_OF[r["network"]],
        amount_minor=int(r["amount_minor"]),
        currency=r["currency"],
        opened_at=opened_at,
        stage=entry,
        stage_started_on=_day(r["stage_date"] if entry == r["stage"] else r["dispute_date"]),
        payment_id=int(r["payment_id"]) if matched else None,
        txn_type=txn_type,
        direction=r["direction"] if matched else DIRECTION_OF.get(txn_type or ""),
        transaction_on=_transaction_on(r),
        source="card_report",
        external_ref=r["dispute_id"],
    )
    case_id = cases.open_case(cur, new, actor=actor, at=opened_at)
    cases.event(cur, case_id, "intake", entry, _where(r), actor, opened_at)
    return _case(cur, r["network"], r["dispute_id"])  # type: ignore[return-value]


def _advance(
    cur: duckdb.DuckDBPyConnection, case: dict[str, Any], r: dict[str, Any], actor: str
) -> dict[str, Any]:
    path = _path(case["network"], case["rule_category"], case["stage"], r["stage"])
    if path is None:
        lifecycle.check_stage(case["network"], case["rule_category"], case["stage"], r["stage"])
    on = _day(r["stage_date"])
    at = _at(on, r["loaded_at"])
    version = case["version"]
    for stage in path or ():
        version = cases.advance(
            cur, case["case_id"], expected_version=version, to_stage=stage, on=on,
            actor=actor, at=at,
        )  # fmt: skip
    cases.event(cur, case["case_id"], "intake", r["stage"], _where(r), actor, at)
    return _case(cur, case["network"], case["external_ref"])  # type: ignore[return-value]


def _path(network: str, category: str, start: str, goal: str) -> list[str] | None:
    """The shortest run of allowed stage moves from ``start`` to ``goal`` (None: none)."""
    queue: deque[tuple[str, list[str]]] = deque([(start, [])])
    while queue:
        stage, steps = queue.popleft()
        for nxt in lifecycle.next_stages(network, category, stage):
            if nxt == goal:
                return [*steps, nxt]
            queue.append((nxt, [*steps, nxt]))
    return None


def _compare_due(
    cur: duckdb.DuckDBPyConnection, case: dict[str, Any], r: dict[str, Any], actor: str
) -> None:
    """Note on the timeline when the report's due date differs from the rule table's."""
    ours = cur.execute(
        "SELECT min(network_due) FROM dispute_deadlines WHERE case_id = ? AND stage = ?"
        " AND party = 'us'",
        [case["case_id"], case["stage"]],
    ).fetchone()[0]
    stated = _day(r["network_due_date"])
    if ours is not None and ours != stated:
        cases.event(
            cur, case["case_id"], "check", case["stage"],
            f"The report states the {case['stage']} is due {stated}; the rule table says"
            f" {ours}. Check the rule (reference/dispute_rules.csv) and the processor.",
            actor, _at(_day(r["stage_date"]), r["loaded_at"]),
        )  # fmt: skip


def _case(cur: duckdb.DuckDBPyConnection, network: str, ref: str) -> dict[str, Any] | None:
    res = cur.execute(
        "SELECT case_id, network, stage, status, outcome, version, rule_category, external_ref"
        " FROM dispute_cases WHERE network = ? AND external_ref = ?",
        [network, ref],
    )
    row = res.fetchone()
    return None if row is None else dict(zip([d[0] for d in res.description], row, strict=True))


def _where(r: dict[str, Any]) -> str:
    return (
        f"{r['stage']} reported in {r['original_name']} line {r['source_line']}"
        f" (dispute {r['dispute_id']}, network txn {r['network_txn_id']})"
    )


def _field_of(exc: OpsError) -> str:
    text = str(exc)
    if "push payment" in text or "reason" in text:
        return "reason_code"
    return "stage_date" if "cannot begin on" in text else "stage"


def _transaction_on(r: dict[str, Any]) -> date | None:
    if not _na(r["transaction_date"]):
        return _day(r["transaction_date"])
    return None if _na(r["final_at"]) else _day(r["final_at"])


def _at(day: date, loaded_at: Any) -> datetime:
    """Noon UTC of a report date, or the load time if that came first."""
    loaded = pd.Timestamp(loaded_at).to_pydatetime()
    return min(datetime.combine(day, time(12), UTC), loaded)


def _day(value: Any) -> date:
    return pd.Timestamp(value).date()


def _na(value: Any) -> bool:
    return value is None or bool(pd.isna(value))
