"""Build the demo database: ``python -m ops_core.demo [--db PATH] [--payments N]``."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from ops_core.config import add_db_argument, db_path
from ops_core.db import open_db
from ops_core.demo.build import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops_core.demo", description=__doc__)
    add_db_argument(parser)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--payments", type=int, default=1_000_000, help="first attempts to draw")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--as-of", help="end of the data, ISO time in UTC (default: now)")
    parser.add_argument(
        "--no-files",
        action="store_true",
        help="skip writing and loading the external files (bank statements, returns, ...)",
    )
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when the database has payments"
    )
    args = parser.parse_args(argv)
    path = db_path(args.db)
    db = open_db(path)
    try:
        if args.if_missing and _has_payments(db):
            print(f"{path}: demo data present, reusing it")
            return 0
        as_of = datetime.fromisoformat(args.as_of).replace(tzinfo=UTC) if args.as_of else None
        result = build(
            db,
            seed=args.seed,
            payments=args.payments,
            days=args.days,
            as_of=as_of,
            files=not args.no_files,
        )
    finally:
        db.close()
    print(
        f"{path}: {result.payments:,} payments ({result.attempts:,} attempts) up to "
        f"{result.as_of:%Y-%m-%d %H:%M} UTC in {result.seconds:.1f} s"
    )
    return 0


def _has_payments(db) -> bool:
    cur = db.cursor()
    return cur.execute("SELECT count(*) > 0 FROM (SELECT 1 FROM payments LIMIT 1)").fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
