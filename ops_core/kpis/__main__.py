"""Weekly KPI exports for schedulers::

    python -m ops_core.kpis export --week 2026-W46 --out DIR [--db PATH] [--rails ACH,RTP]

writes railyard-kpis-<week>.csv, .xlsx, .pdf and .png into DIR. Without --week: the last
complete ISO week (UTC) of the data. The database is opened read-only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ops_core import health
from ops_core.config import add_db_argument, db_path
from ops_core.db import Database
from ops_core.errors import OpsError
from ops_core.kpis.compute import REPORTING_CURRENCY, Scope, weekly_report
from ops_core.kpis.export import export_all
from ops_core.kpis.weeks import IsoWeek, last_complete


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops_core.kpis",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export", help="write the CSV, XLSX, PDF and PNG of one week")
    export.add_argument("--week", help="ISO week, e.g. 2026-W46 (default: last complete week)")
    export.add_argument("--out", required=True, type=Path, help="folder to write into")
    export.add_argument("--rails", default="", help="comma-separated rail ids (default: all)")
    export.add_argument("--currency", default=REPORTING_CURRENCY, help="reporting currency")
    add_db_argument(export)
    args = parser.parse_args(argv)
    try:
        paths = run_export(args)
    except OpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    return 0


def run_export(args: argparse.Namespace) -> dict[str, Path]:
    path = db_path(args.db)
    if not path.exists():
        raise OpsError(f"no database at {path} (build one: python -m ops_core.demo --db {path})")
    db = Database(path, read_only=True)
    try:
        cur = db.cursor()
        now = health.data_now(cur)
        week = IsoWeek.parse(args.week) if args.week else last_complete(now)
        rails = tuple(r.strip() for r in args.rails.split(",") if r.strip())
        known = {r[0] for r in cur.execute("SELECT rail_id FROM rails").fetchall()}
        unknown = sorted(set(rails) - known)
        if unknown:
            raise OpsError(
                f"unknown rails: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        report = weekly_report(cur, week, now, Scope(rails=rails, currency=args.currency))
        return export_all(report, args.out)
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
