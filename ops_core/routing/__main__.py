"""Rebuild routing's rule tables and rollups: ``python -m ops_core.routing [--db PATH]``."""

from __future__ import annotations

import argparse
import sys
import time

from ops_core.config import add_db_argument, db_path
from ops_core.db import open_db
from ops_core.routing.refresh import refresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops_core.routing", description=__doc__)
    add_db_argument(parser)
    args = parser.parse_args(argv)
    path = db_path(args.db)
    db = open_db(path)
    started = time.perf_counter()
    try:
        with db.transaction() as cur:
            refresh(cur)
            rows = cur.execute("SELECT count(*) FROM rollup_routes").fetchone()[0]
    finally:
        db.close()
    print(
        f"{path}: routing rollups rebuilt ({rows:,} rows) in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
