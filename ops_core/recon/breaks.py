"""The break workflow: statuses, who owns a break, notes, resolution; single and bulk edits.

Every edit a person makes goes through ``ops_core.audit.update`` (version-checked, each field
audited) inside a transaction. A save made against a version someone else already changed is
refused with a ConflictError naming their change; bulk edits apply row by row and report the
rows that conflicted instead of overwriting them. Two saves racing at the same instant make
DuckDB refuse the second transaction: that is reported as a conflict too, never swallowed.

Statuses: open -> investigating -> (escalated) -> resolved | written_off; a closed break can be
reopened. Closing needs a resolution category. The engine escalates breaks whose SLA passed
and closes those that stop differing (resolution ``auto_cleared``), also audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from ops_core import audit, rollups
from ops_core.access import User, actor_name, require
from ops_core.db import Database, once_more_on_conflict
from ops_core.errors import ConflictError, OpsError

BREAK = audit.Editable(
    "recon_breaks",
    "break_id",
    frozenset(
        {
            "status",
            "assignee",
            "queue",
            "notes",
            "resolution_category",
            "resolved_at",
            "resolved_by",
        }
    ),
    "break",
)
CATEGORY_LABELS = {
    "missing_at_bank": "Missing at bank",
    "unknown_bank_item": "Unknown bank item",
    "amount_mismatch": "Amount mismatch",
    "duplicate": "Duplicate",
    "currency_fx": "Currency / FX variance",
    "fee_variance": "Fee variance",
    "late_settlement": "Late settlement",
    "status_mismatch": "Status mismatch",
    "unmatched_return": "Unmatched return",
    "unexplained_balance": "Unexplained balance",
}
STATUSES = ("open", "investigating", "escalated", "resolved", "written_off")
OPEN = ("open", "investigating", "escalated")
CLOSED = ("resolved", "written_off")
STATUS_LABELS = {
    "open": "Open",
    "investigating": "Investigating",
    "escalated": "Escalated",
    "resolved": "Resolved",
    "written_off": "Written off",
}
TRANSITIONS = {
    "open": ("investigating", "escalated", "resolved", "written_off"),
    "investigating": ("open", "escalated", "resolved", "written_off"),
    "escalated": ("investigating", "resolved", "written_off"),
    "resolved": ("open",),
    "written_off": ("open",),
}
# Why a break was closed. auto_cleared is the engine's: the items matched on a later run.
RESOLUTIONS = {
    "booked_adjustment": "Adjustment booked in the ledger",
    "bank_corrected": "Bank, network or chain corrected it",
    "timing_difference": "Timing difference: settled later",
    "duplicate_reversed": "Duplicate reversed or refunded",
    "fee_accepted": "Fee accepted and booked",
    "return_booked": "Return booked in the ledger",
    "false_positive": "Not a break (rule or data error)",
    "written_off": "Written off (small or unrecoverable)",
    "auto_cleared": "Cleared by a later run (now matches)",
}
PERSON_RESOLUTIONS = tuple(k for k in RESOLUTIONS if k != "auto_cleared")
# (first day, last day or None, label): age = days since the day the money moved or should have.
AGE_BUCKETS = (
    (0, 1, "0-1 d"),
    (2, 3, "2-3 d"),
    (4, 7, "4-7 d"),
    (8, 14, "8-14 d"),
    (15, 30, "15-30 d"),
    (31, None, "31+ d"),
)
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def age_bucket(days: int) -> str:
    """The aging bucket label of an age in days (negative ages count as 0)."""
    for first, last, label in AGE_BUCKETS:
        if days >= first and (last is None or days <= last):
            return label
    return AGE_BUCKETS[0][2]


@dataclass(frozen=True)
class Saved:
    version: int
    changes: tuple[audit.Change, ...]


def save(
    cur: duckdb.DuckDBPyConnection,
    break_id: int,
    *,
    expected_version: int,
    actor: str | User,
    at: datetime | None = None,
    **fields: str | None,
) -> Saved:
    """Change status, assignee, queue, notes and/or resolution_category of one break, inside the
    caller's transaction. Closing needs a resolution; reopening clears it. A ``User`` actor
    needs ``edit_breaks`` (PermissionDenied otherwise); the audit records ``actor_name``."""
    if isinstance(actor, User):
        require(actor, "edit_breaks")
    unknown = set(fields) - {"status", "assignee", "queue", "notes", "resolution_category"}
    if unknown:
        raise OpsError(f"break fields that cannot be edited: {sorted(unknown)}")
    row = cur.execute(
        "SELECT status, resolution_category, version FROM recon_breaks WHERE break_id = ?",
        [break_id],
    ).fetchone()
    if row is None:
        raise OpsError(f"break {break_id} does not exist")
    if row[2] != expected_version:  # someone saved first: audit.update names their change
        audit.update(cur, BREAK, break_id, expected_version=expected_version,
                     changes={"notes": None}, actor=actor)  # fmt: skip
    changes = _changes(row, fields, actor_name(actor), at or datetime.now(UTC))
    version, diffs = audit.update(
        cur, BREAK, break_id, expected_version=expected_version, changes=changes, actor=actor
    )
    return Saved(version, tuple(diffs))


def _changes(row: tuple, fields: Mapping[str, str | None], actor: str, at: datetime) -> dict:
    status, resolution, _ = row
    changes = {k: _clean(v) for k, v in fields.items()}
    target = changes.get("status") or status
    if target not in STATUSES:
        raise OpsError(f"unknown status {target!r} (expected one of {list(STATUSES)})")
    if target != status and target not in TRANSITIONS[status]:
        raise OpsError(
            f"a break that is {STATUS_LABELS[status].lower()} cannot become "
            f"{STATUS_LABELS[target].lower()} (allowed: {', '.join(TRANSITIONS[status])})"
        )
    chosen = changes.get("resolution_category", resolution)
    if target in CLOSED:
        chosen = chosen or ("written_off" if target == "written_off" else None)
        if chosen not in PERSON_RESOLUTIONS and not (chosen == resolution and target == status):
            raise OpsError(
                "choose a resolution category to close the break "
                f"(one of {', '.join(PERSON_RESOLUTIONS)})"
            )
        changes["resolution_category"] = chosen
        if target != status:
            changes.update(resolved_at=at, resolved_by=actor)
    elif target != status and status in CLOSED:
        changes.update(resolution_category=None, resolved_at=None, resolved_by=None)
    elif "resolution_category" in changes and changes["resolution_category"] is not None:
        raise OpsError("a resolution category is set when the break is resolved or written off")
    return changes


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def edit(
    db: Database, break_id: int, *, expected_version: int, actor: str | User, **fields
) -> Saved:
    """``save`` in its own transaction; a racing transaction is reported as a conflict."""

    def attempt() -> Saved:
        with db.transaction() as cur:
            saved = save(cur, break_id, expected_version=expected_version, actor=actor, **fields)
            if saved.changes:
                rollups.bump_version(cur)
            return saved

    try:
        return once_more_on_conflict(attempt)
    except duckdb.TransactionException as exc:
        raise ConflictError(
            f"break {break_id} was being saved by someone else at the same moment; reload to "
            f"see their change, then make yours again ({exc})"
        ) from None


@dataclass(frozen=True)
class BulkResult:
    """What a bulk edit did, row by row: nothing is overwritten silently."""

    updated: tuple[int, ...] = ()
    unchanged: tuple[int, ...] = ()
    conflicts: dict[int, str] = field(default_factory=dict)
    refused: dict[int, str] = field(default_factory=dict)


def bulk_edit(
    db: Database, versions: Mapping[int, int], *, actor: str | User, **fields: str | None
) -> BulkResult:
    """Apply the same change to many breaks, each checked against the version the person saw
    (``versions``: break_id -> version). Conflicting or refused rows are reported and left as
    they are; the others are saved and audited, all in one transaction."""
    if isinstance(actor, User):
        require(actor, "edit_breaks")  # before anything is read: nothing is half-done

    def attempt() -> BulkResult:
        updated, unchanged, conflicts, refused = [], [], {}, {}
        with db.transaction() as cur:
            for break_id, version in sorted(versions.items()):
                try:
                    saved = save(cur, break_id, expected_version=version, actor=actor, **fields)
                except ConflictError as exc:
                    conflicts[break_id] = str(exc)
                except OpsError as exc:
                    refused[break_id] = str(exc)
                else:
                    (updated if saved.changes else unchanged).append(break_id)
            if updated:
                rollups.bump_version(cur)
        return BulkResult(tuple(updated), tuple(unchanged), conflicts, refused)

    try:
        return once_more_on_conflict(attempt)
    except duckdb.TransactionException as exc:
        message = f"saved by someone else at the same moment; nothing was changed ({exc})"
        return BulkResult(conflicts={b: message for b in versions})


def versions(cur: duckdb.DuckDBPyConnection, break_ids: list[int]) -> dict[int, int]:
    """The current version of each break (what a page holds when it shows them)."""
    rows = cur.execute(
        "SELECT break_id, version FROM recon_breaks WHERE break_id IN (SELECT unnest(?))",
        [list(break_ids)],
    ).fetchall()
    return dict(rows)
