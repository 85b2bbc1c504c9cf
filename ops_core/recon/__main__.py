"""Run reconciliation: ``python -m ops_core.recon run [--db PATH] [--as-of ISO]``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from ops_core.config import add_db_argument, db_path
from ops_core.db import open_db
from ops_core.errors import OpsError
from ops_core.recon.engine import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops_core.recon", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="reconcile everything loaded so far")
    add_db_argument(run_cmd)
    run_cmd.add_argument("--as-of", help="the data's now, ISO time in UTC (default: the data's)")
    run_cmd.add_argument("--json", action="store_true", help="print the run record as JSON")
    args = parser.parse_args(argv)
    path = db_path(args.db)
    as_of = datetime.fromisoformat(args.as_of).replace(tzinfo=UTC) if args.as_of else None
    db = open_db(path)
    try:
        result = run(db, as_of=as_of)
    except OpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                {"run_id": result.run_id, "inputs": result.inputs, "counts": result.counts},
                indent=1,
            )
        )
        return 0
    b = result.counts["breaks"]
    print(
        f"{path}: run {result.run_id} as of {result.as_of:%Y-%m-%d %H:%M} UTC in "
        f"{result.seconds:.1f} s; staged {result.inputs['files_staged']} files "
        f"({result.inputs['items_staged']:,} items)"
    )
    print("ledger: " + ", ".join(f"{k} {v:,}" for k, v in result.counts["ledger"].items()))
    print("external: " + ", ".join(f"{k} {v:,}" for k, v in result.counts["external"].items()))
    print(
        f"breaks: {b['new']} new, {b['closed']} closed, {b['reopened']} reopened, "
        f"{b['escalated']} escalated; open: "
        + (", ".join(f"{k} {v}" for k, v in b["open"].items()) or "none")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
