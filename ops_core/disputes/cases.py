"""Dispute cases: open, move through the stages, edit, close. Every change a person makes goes
through ``ops_core.audit.update`` (version-checked, field-by-field audit) inside the caller's
transaction; every move also lands on the case's timeline (``dispute_events``).

Stage and status moves are checked against the transition tables of ``lifecycle``; deadlines
are (re)computed from the rule table whenever a case enters a stage (``rules``, ``deadlines``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from ops_core import audit
from ops_core.access import User, actor_name, entity_action, require
from ops_core.disputes import deadlines, lifecycle, rules
from ops_core.errors import ConflictError, OpsError

CASE = audit.Editable(
    "dispute_cases",
    "case_id",
    frozenset(
        {
            "stage",
            "stage_started_on",
            "status",
            "outcome",
            "amount_recovered_minor",
            "assignee",
            "notes",
            "closed_at",
        }
    ),
    "dispute",
)
EVIDENCE = audit.Editable(
    "dispute_evidence", "evidence_id", frozenset({"status", "note"}), "dispute_evidence"
)
EVIDENCE_STATUSES = ("missing", "requested", "received", "submitted", "not_applicable")
CARD_NETWORKS = ("visa", "mastercard")
DEFAULT_ENTRY = {
    "visa": "chargeback",
    "mastercard": "chargeback",
    "nacha": "return",
    "reg_e": "notice",
}


@dataclass(frozen=True)
class NewCase:
    """What intake (a file, the ledger or a person) knows when a dispute arrives."""

    network: str
    reason_code: str
    client_id: str
    rail_id: str
    amount_minor: int
    currency: str
    opened_at: datetime
    stage: str | None = None  # default: the network's usual first stage
    stage_started_on: date | None = None  # default: the opening date
    payment_id: int | None = None
    txn_type: str | None = None
    direction: str | None = None
    transaction_on: date | None = None
    source: str = "manual"
    external_ref: str | None = None
    new_account: bool = False  # Reg E: transfer within 30 days of the first deposit
    assignee: str | None = None


def open_case(
    cur: duckdb.DuckDBPyConnection, new: NewCase, *, actor: str | User, at: datetime | None = None
) -> int:
    """Create a case with its evidence checklist and the deadlines of its first stage.
    A ``User`` actor must be allowed to edit disputes (PermissionDenied before any write)."""
    if isinstance(actor, User):
        require(actor, entity_action(CASE.entity))
    at = at or datetime.now(UTC)
    reason = rules.reason(new.network, new.reason_code)
    stage = new.stage or DEFAULT_ENTRY[new.network]
    lifecycle.check_entry(new.network, stage)
    _check_rights(new, reason)
    if new.amount_minor <= 0:
        raise OpsError(f"the disputed amount must be positive (got {new.amount_minor})")
    rule_category = (
        "new_account" if new.network == "reg_e" and new.new_account else reason.rule_category
    )
    start = new.stage_started_on or new.opened_at.date()
    status = _entry_status(new.network, stage, rule_category, start)
    case_id = cur.execute(
        "INSERT INTO dispute_cases (network, payment_id, client_id, rail_id, txn_type, direction,"
        " rights, reason_code, reason_category, rule_category, stage, stage_started_on, status,"
        " amount_disputed_minor, currency, transaction_on, opened_at, source, external_ref,"
        " assignee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING case_id",
        [
            new.network,
            new.payment_id,
            new.client_id,
            new.rail_id,
            new.txn_type,
            new.direction,
            rights(new.network, new.direction),
            new.reason_code,
            reason.category,
            rule_category,
            stage,
            start,
            status,
            new.amount_minor,
            new.currency,
            new.transaction_on,
            new.opened_at,
            new.source,
            new.external_ref,
            new.assignee,
        ],
    ).fetchone()[0]
    audit.record(
        cur,
        actor=actor,
        entity=CASE.entity,
        entity_id=str(case_id),
        field="created",
        old=None,
        new=f"{new.network} {new.reason_code} at {stage} (source {new.source})",
    )
    event(cur, case_id, "opened", stage, f"{reason.title} ({new.reason_code})", actor, at)
    _add_checklist(cur, case_id, new.network, reason, rule_category)
    _schedule(cur, case_id, stage, start, actor, at)
    return case_id


def rights(network: str, direction: str | None) -> str:
    """Push-to-card (OCT) credits have narrow dispute rights; pulls (AFT, debits) full (§6.5)."""
    return "limited" if network in CARD_NETWORKS and direction == "push" else "full"


def _check_rights(new: NewCase, reason: rules.Reason) -> None:
    if new.direction == "push" and not reason.push_allowed:
        allowed = sorted(
            r.code
            for (net, _), r in rules.reasons().items()
            if net == new.network and r.push_allowed
        )
        raise OpsError(
            f"{new.network} reason {new.reason_code} cannot be used on a push payment"
            f" ({new.txn_type or 'credit'}): push-to-card has limited dispute rights"
            f" (domain.md §6.5); allowed: {', '.join(allowed) or 'none'}"
        )


def _entry_status(network: str, stage: str, rule_category: str, start: date) -> str:
    parties = {r.party for r in rules.rules_for(network, stage, rule_category, start)}
    return "new" if "us" in parties or not parties - {"check"} else "waiting"


def _add_checklist(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    network: str,
    reason: rules.Reason,
    rule_category: str,
) -> None:
    items = rules.checklist(network, reason.code, reason.category, rule_category)
    if not items:
        return
    # one statement, not executemany: DuckDB runs executemany row by row
    cur.execute(
        "INSERT INTO dispute_evidence (case_id, position, item, required)"
        " SELECT $case, unnest($positions), unnest($items), unnest($required)",
        {
            "case": case_id,
            "positions": list(range(1, len(items) + 1)),
            "items": [e.item for e in items],
            "required": [e.required for e in items],
        },
    )


def event(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    kind: str,
    stage: str | None,
    detail: str,
    actor: str | User,
    at: datetime | None = None,
) -> None:
    cur.execute(
        "INSERT INTO dispute_events (case_id, event_at, actor, kind, stage, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [case_id, at or datetime.now(UTC), actor_name(actor), kind, stage, detail],
    )


def _schedule(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    stage: str,
    start: date,
    actor: str | User,
    at: datetime,
) -> None:
    """Store the deadlines of the stage the case just entered; checks are judged at once."""
    case = _row(cur, case_id)
    anchors = {
        "stage_start": start,
        "case_opened": case["opened_at"].date(),
        "payment_settled": case["transaction_on"],
    }
    offset = rules.offset_for(case["network"], stage, case["rule_category"], start)
    for rule in rules.rules_for(case["network"], stage, case["rule_category"], start):
        anchor = anchors[rule.anchor]
        if anchor is None:
            continue  # e.g. no settlement date known: the check cannot be made
        d = deadlines.compute(rule, anchor, offset=offset)
        late = start > d.network_due if rule.party == "check" else None
        cur.execute(
            "INSERT INTO dispute_deadlines (case_id, stage, rule_id, party, action, start_on,"
            " network_due, internal_due, calendar, uncertain, computed_at, done_at, late,"
            " processor_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                case_id,
                stage,
                rule.rule_id,
                rule.party,
                rule.action,
                anchor,
                d.network_due,
                d.internal_due,
                rule.calendar,
                rule.uncertain,
                at,
                at if rule.party == "check" else None,
                late,
                d.processor_due,
            ],
        )
        if late:
            event(
                cur,
                case_id,
                "check",
                stage,
                f"Late: {stage} began {start}, after the limit {d.network_due} ({rule.rule_id}:"
                f" {rule.action})",
                actor,
                at,
            )


def _settle(
    cur: duckdb.DuckDBPyConnection, case_id: int, at: datetime, on: date | None = None
) -> None:
    """Mark done the deadlines that no longer run: other stages, ours once we have answered
    (waiting) and all of them once the case is closed. Ours are late when answered (``on``,
    the network date of the answer, else the day of ``at``) after the network's deadline."""
    case = _row(cur, case_id)
    answered = case["status"] in ("waiting", "closed")
    cur.execute(
        "UPDATE dispute_deadlines SET done_at = $at,"
        " late = CASE WHEN party = 'us' THEN $on > network_due END"
        " WHERE case_id = $case AND done_at IS NULL AND ("
        "   stage <> $stage OR $closed OR (party = 'us' AND $answered))",
        {
            "at": at,
            "on": on or at.date(),
            "case": case_id,
            "stage": case["stage"],
            "closed": case["status"] == "closed",
            "answered": answered,
        },
    )


def _row(cur: duckdb.DuckDBPyConnection, case_id: int) -> dict[str, Any]:
    res = cur.execute("SELECT * FROM dispute_cases WHERE case_id = ?", [case_id])
    row = res.fetchone()
    if row is None:
        raise OpsError(f"dispute case {case_id} does not exist")
    return dict(zip([d[0] for d in res.description], row, strict=True))


def current(cur: duckdb.DuckDBPyConnection, case_id: int, expected_version: int) -> dict[str, Any]:
    """The case row if it is still at ``expected_version``; ConflictError naming who changed it."""
    case = _row(cur, case_id)
    if case["version"] != expected_version:
        raise ConflictError(
            audit.conflict_message(cur, CASE, case_id, expected_version, case["version"])
        )
    return case


def _open(case: dict[str, Any]) -> None:
    if case["status"] == "closed":
        raise OpsError(f"dispute case {case['case_id']} is closed ({case['outcome']}): it is final")


def advance(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    *,
    expected_version: int,
    to_stage: str,
    on: date,
    actor: str | User,
    at: datetime | None = None,
) -> int:
    """Move the case to its next stage, begun on the network date ``on``. Returns the version."""
    at = at or datetime.now(UTC)
    case = current(cur, case_id, expected_version)
    _open(case)
    lifecycle.check_stage(case["network"], case["rule_category"], case["stage"], to_stage)
    if on < case["stage_started_on"]:
        raise OpsError(f"{to_stage} cannot begin on {on}, before {case['stage']} began")
    status = _entry_status(case["network"], to_stage, case["rule_category"], on)
    version, _ = audit.update(
        cur,
        CASE,
        case_id,
        expected_version=expected_version,
        changes={"stage": to_stage, "stage_started_on": on, "status": status},
        actor=actor,
    )
    event(cur, case_id, "stage", to_stage, f"{case['stage']} → {to_stage} on {on}", actor, at)
    _settle(cur, case_id, at, on)
    _schedule(cur, case_id, to_stage, on, actor, at)
    return version


def set_status(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    *,
    expected_version: int,
    to: str,
    actor: str | User,
    at: datetime | None = None,
) -> int:
    """new → in review → waiting (we answered) → in review ...; closing goes through ``close``."""
    at = at or datetime.now(UTC)
    case = current(cur, case_id, expected_version)
    if to == "closed":
        raise OpsError("close a case with an outcome (won, lost, accepted, expired)")
    lifecycle.check_status(case["status"], to)
    version, _ = audit.update(
        cur, CASE, case_id, expected_version=expected_version, changes={"status": to}, actor=actor
    )
    event(cur, case_id, "status", case["stage"], f"{case['status']} → {to}", actor, at)
    _settle(cur, case_id, at)
    return version


def close(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    *,
    expected_version: int,
    outcome: str,
    actor: str | User,
    recovered_minor: int | None = None,
    at: datetime | None = None,
) -> int:
    """Close with an outcome. Won recovers the disputed amount unless told otherwise."""
    at = at or datetime.now(UTC)
    case = current(cur, case_id, expected_version)
    lifecycle.check_status(case["status"], "closed")
    if outcome not in lifecycle.OUTCOMES:
        raise OpsError(f"unknown outcome {outcome!r} (expected {', '.join(lifecycle.OUTCOMES)})")
    disputed = case["amount_disputed_minor"]
    recovered = (
        recovered_minor if recovered_minor is not None else (disputed if outcome == "won" else 0)
    )
    if not 0 <= recovered <= disputed:
        raise OpsError(
            f"recovered amount {recovered} must be between 0 and the disputed {disputed}"
        )
    version, _ = audit.update(
        cur,
        CASE,
        case_id,
        expected_version=expected_version,
        changes={
            "status": "closed",
            "outcome": outcome,
            "amount_recovered_minor": recovered,
            "closed_at": at,
        },
        actor=actor,
    )
    event(cur, case_id, "outcome", case["stage"], f"closed: {outcome}", actor, at)
    _settle(cur, case_id, at)
    return version


def add_note(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    *,
    expected_version: int,
    text: str,
    actor: str | User,
    at: datetime | None = None,
) -> int:
    """Append a dated, signed line to the case notes (never rewrites what others wrote)."""
    at = at or datetime.now(UTC)
    text = text.strip()
    if not text:
        raise OpsError("the note is empty")
    case = current(cur, case_id, expected_version)
    line = f"[{at:%Y-%m-%d %H:%M} UTC, {actor_name(actor)}] {text}"
    notes = f"{case['notes']}\n{line}" if case["notes"] else line
    version, _ = audit.update(
        cur, CASE, case_id, expected_version=expected_version, changes={"notes": notes}, actor=actor
    )
    event(cur, case_id, "note", case["stage"], text, actor, at)
    return version


def assign(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    *,
    expected_version: int,
    assignee: str | None,
    actor: str | User,
    at: datetime | None = None,
) -> int:
    case = current(cur, case_id, expected_version)
    version, diffs = audit.update(
        cur,
        CASE,
        case_id,
        expected_version=expected_version,
        changes={"assignee": assignee or None},
        actor=actor,
    )
    if diffs:
        event(
            cur,
            case_id,
            "assignee",
            case["stage"],
            f"assigned to {assignee or 'nobody'}",
            actor,
            at,
        )
    return version


def set_evidence(
    cur: duckdb.DuckDBPyConnection,
    evidence_id: int,
    *,
    expected_version: int,
    status: str,
    actor: str | User,
    note: str | None = None,
    at: datetime | None = None,
) -> int:
    if status not in EVIDENCE_STATUSES:
        raise OpsError(
            f"unknown evidence status {status!r} (expected {', '.join(EVIDENCE_STATUSES)})"
        )
    changes: dict[str, Any] = {"status": status}
    if note is not None:
        changes["note"] = note or None
    version, diffs = audit.update(
        cur, EVIDENCE, evidence_id, expected_version=expected_version, changes=changes, actor=actor
    )
    if diffs:
        case_id, item = cur.execute(
            "SELECT case_id, item FROM dispute_evidence WHERE evidence_id = ?", [evidence_id]
        ).fetchone()
        event(cur, case_id, "evidence", None, f"{item}: {status}", actor, at)
    return version
