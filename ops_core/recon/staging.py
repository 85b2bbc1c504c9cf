"""Stage a file's external rows for reconciliation when the file is loaded (issue 4, Speed).

The ingest loader calls ``stage_loaded_file(cur, file_id)`` inside the file's own transaction,
after its rows are written: the rows are normalised into ``recon_ext_items`` once, when they
arrive (``stage_external``, the statement a run uses), so a reconciliation run does not
re-normalise millions of rows. The cost moves to load time and is proportional to the file.

A ledger file's payments are staged the same way (``engine.stage_payments``: the ledger
side of reconciliation, ``recon_ledger_items``, migration 061), so a run stages only what
nobody staged.

A run still stages every file nobody staged (``new_files``): files loaded before the rule
tables were first synced (the hook then leaves the file to the run, which syncs the rules
first), files written straight into the tables (tests, the benchmark's generator) and files
loaded before this hook existed. Staged items keep the rules in force when they were staged,
as they did when only runs staged (staging has always been incremental).
"""

from __future__ import annotations

import duckdb

from ops_core import sql
from ops_core.recon.engine import stage_new_files, stage_payments

LOAD_RUN_ID = 0  # run_id of items and files staged at load time (runs count from 1)


def stage_loaded_file(cur: duckdb.DuckDBPyConnection, file_id: int) -> int | None:
    """Stage one loaded file in the caller's transaction: the number of external items it
    gave (its payments, for a ledger file, are staged too), or None when the rule tables
    are still empty (the next run stages it)."""
    if cur.execute("SELECT count(*) FROM recon_rules").fetchone()[0] == 0:
        return None
    cur.execute(sql.statement("recon/new_file"), {"file_id": file_id})
    stage_new_files(cur, LOAD_RUN_ID)
    row = cur.execute(
        "SELECT items FROM recon_staged_files WHERE file_id = ? AND run_id = ?",
        [file_id, LOAD_RUN_ID],
    ).fetchone()
    cur.execute("DROP TABLE rx_new_files")
    ledger = "SELECT count(*) FROM payments WHERE source_file_id = ?"
    if cur.execute(ledger, [file_id]).fetchone()[0]:
        stage_payments(cur)
    return int(row[0]) if row else 0
