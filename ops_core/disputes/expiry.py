"""Close the cases whose response window passed without a response (issue 5).

Run when the deadlines are evaluated: by the demo build and by a job or the CLI
(``python -m ops_core.disputes expire``), never on a page render. A case still ``new`` or
``in_review`` (``waiting`` means we answered) whose open deadline of ours at its current
stage has a network date before ``today`` is closed with outcome ``expired``, audited as the
``system`` actor. An ACH return follows the Nacha rule instead (domain.md §1.4): once its
dishonor window has closed it is ``accepted`` when it was timely, ``expired`` when it was
late and could have been dishonored (``intake.close_if_window_passed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from ops_core import sql
from ops_core.disputes import cases, intake

SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class ExpiryResult:
    closed: dict[int, str]  # case_id -> outcome

    @property
    def expired(self) -> int:
        return sum(1 for outcome in self.closed.values() if outcome == "expired")


def expire_passed(
    cur: duckdb.DuckDBPyConnection,
    today: date,
    *,
    actor: str = SYSTEM_ACTOR,
    at: datetime | None = None,
) -> ExpiryResult:
    """Close every unanswered case whose network deadline passed before ``today``. ``at`` is
    when the evaluation runs (default now); a case is never closed before it opened."""
    closed: dict[int, str] = {}
    for r in sql.query(cur, "disputes/expired_candidates", today=today).itertuples():
        case_id = int(r.case_id)
        if r.network == "nacha":
            if intake.close_if_window_passed(cur, case_id, today, actor):
                closed[case_id] = _outcome(cur, case_id)
            continue
        due = r.network_due.date() if isinstance(r.network_due, datetime) else r.network_due
        when = _when(cur, case_id, at)
        cases.event(
            cur,
            case_id,
            "check",
            r.stage,
            f"Response window ended {due} without a response ({r.rule_id}): expired",
            actor,
            when,
        )
        cases.close(
            cur, case_id, expected_version=int(r.version), outcome="expired", actor=actor, at=when
        )
        closed[case_id] = "expired"
    return ExpiryResult(closed)


def _when(cur: duckdb.DuckDBPyConnection, case_id: int, at: datetime | None) -> datetime:
    opened = cur.execute(
        "SELECT opened_at FROM dispute_cases WHERE case_id = ?", [case_id]
    ).fetchone()[0]
    return max(opened, at or datetime.now(UTC))


def _outcome(cur: duckdb.DuckDBPyConnection, case_id: int) -> str:
    return cur.execute("SELECT outcome FROM dispute_cases WHERE case_id = ?", [case_id]).fetchone()[
        0
    ]
