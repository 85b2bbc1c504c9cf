"""Dispute jobs: ``python -m ops_core.disputes expire [--db PATH] [--today YYYY-MM-DD]``.

``expire`` evaluates the deadlines: every unanswered case whose response window has passed
is closed as expired (ACH returns: accepted or expired by the Nacha rule), audited as
``system`` (ops_core.disputes.expiry). Run it daily from a scheduler; it is idempotent.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from zoneinfo import ZoneInfo

from ops_core import health, rollups
from ops_core.config import add_db_argument, db_path
from ops_core.db import open_db
from ops_core.disputes.expiry import expire_passed

TEAM_ZONE = ZoneInfo("America/New_York")  # the team's day, as the demo build counts it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops_core.disputes", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    expire = sub.add_parser("expire", help="close cases whose response window has passed")
    add_db_argument(expire)
    expire.add_argument("--today", help="evaluate as of this date (default: the data's today)")
    args = parser.parse_args(argv)
    db = open_db(db_path(args.db))
    try:
        with db.transaction() as cur:
            now = health.data_now(cur)
            today = (
                date.fromisoformat(args.today) if args.today else now.astimezone(TEAM_ZONE).date()
            )
            result = expire_passed(cur, today, at=now)
            if result.closed:
                rollups.bump_version(cur)
    finally:
        db.close()
    for case_id, outcome in sorted(result.closed.items()):
        print(f"case {case_id}: {outcome}")
    print(f"{len(result.closed)} case(s) closed ({result.expired} expired) as of {today}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
