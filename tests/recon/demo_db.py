"""A demo database with the demo's external files loaded and reconciled (pages, browser)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ops_core.db import open_db
from ops_core.ingest import demo_files
from ops_core.recon.demo import run_demo
from tests.conftest import AS_OF

DAYS = 7  # the furthest injected discrepancy is 4+ days back (tests/ingest/test_demo_files.py)


def prepare(demo_path: Path, folder: Path) -> Path:
    """Copy the session's demo database into ``folder``; load its files and reconcile it unless
    the demo build already did (ops_core.demo.build wires ``run_demo`` after the files)."""
    path = folder / "railyard.duckdb"
    shutil.copy(demo_path, path)
    db = open_db(path)
    try:
        cur = db.cursor()
        runs = cur.execute("SELECT count(*) FROM recon_runs WHERE status = 'done'").fetchone()[0]
        cur.close()
        if not runs:
            demo_files.write_and_load(db, folder / "files", AS_OF, days=DAYS)
            run_demo(db, AS_OF)
    finally:
        db.close()
    return path
