"""Reconcile the demo world after its external files are loaded, and give a few breaks a
history, so the pages show a team at work: an investigation with a note, an assignment, a
resolved fee. Deterministic for a given demo build.

Wiring (ops_core/demo/build.py, after ``demo_files.write_and_load(db, out_dir, as_of)``)::

    from ops_core.recon.demo import run_demo
    run_demo(db, as_of)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ops_core.db import Database
from ops_core.recon import breaks, engine

# (category, who works it, status, note): applied to the oldest open break of each category.
STORY = (
    (
        "fee_variance",
        "demo operator",
        "investigating",
        "Lakeshore netted a 2.50 fee from this ACH credit. Asked our relationship manager whether "
        "the new per-item fee applies from this month; book it if confirmed.",
    ),
    (
        "status_mismatch",
        "Priya Raman",
        "investigating",
        "FedNow says RJCT AM04 but our ledger completed it. Checking the client's account before "
        "we tell them; do not retry yet.",
    ),
    (
        "late_settlement",
        "Marco Diaz",
        None,
        "Meridian booked this two banking days late. Third time this month: raise at the "
        "quarterly review.",
    ),
    (
        "duplicate",
        "demo operator",
        "investigating",
        "Visa settled this transaction twice. Opened a case with the processor for the reversal.",
    ),
)
DEMO_ACTOR = "demo generator"


def run_demo(db: Database, as_of: datetime) -> dict[str, Any]:
    """Reconcile the (re)built demo world from scratch as of ``as_of`` and seed the breaks'
    story; a summary dict. The rebuild replaced the ledger and the files, so earlier runs,
    breaks and their audit trail are forgotten first (the external items the loader staged
    with the new files are kept; those of removed files are purged by the run)."""
    engine.reset(db, staging=False)
    result = engine.run(db, as_of=as_of)
    told = _tell(db)
    return {
        "run_id": result.run_id,
        "seconds": round(result.seconds, 2),
        "counts": result.counts,
        "story": told,
    }


def _tell(db: Database) -> list[int]:
    told = []
    for category, who, status, note in STORY:
        cur = db.cursor()
        row = cur.execute(
            "SELECT break_id, version FROM recon_breaks WHERE category = ? AND status IN"
            " ('open', 'escalated') ORDER BY item_date, break_id LIMIT 1",
            [category],
        ).fetchone()
        cur.close()
        if row is None:
            continue
        fields: dict[str, str] = {"assignee": who, "notes": note}
        if status:
            fields["status"] = status
        breaks.edit(db, row[0], expected_version=row[1], actor=who, **fields)
        told.append(row[0])
    return told
