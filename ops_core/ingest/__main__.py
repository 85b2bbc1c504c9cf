"""python -m ops_core.ingest [--db PATH] [--format F] [--actor NAME] [--strict] PATH...

Loads each file in its own transaction and prints one line per file, then one indented
line per warning; after the last file, rebuilds once the rollups that ledger files changed.
A file whose control totals disagree with its records loads flagged (control_ok = false)
unless --strict, which rejects it (controls.py). The exit code is 1 if any file was
rejected, 0 otherwise.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from ops_core import derived
from ops_core.config import add_db_argument, db_path
from ops_core.db import open_db
from ops_core.errors import OpsError
from ops_core.ingest.loader import load_file


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ops_core.ingest", description="Load bank, rail and chain files."
    )
    add_db_argument(parser)
    parser.add_argument(
        "--format",
        default=None,
        help="nacha, bai2, iso20022, mt940, card_csv[:profile], usdc_logs, usdc_csv, "
        "ledger_csv, ledger_parquet, or csv:<profile> for a CSV with a saved mapping "
        "(default: detect)",
    )
    parser.add_argument("--actor", default=None, help="who is loading (default: OS user)")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="reject a file on any control total, count or balance mismatch "
        "(default: load it flagged, with a warning per mismatch)",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    actor = args.actor or getpass.getuser()
    db = open_db(db_path(args.db))
    rejected = 0
    try:
        for path in args.paths:
            try:
                result = load_file(
                    db, path, name=path, format=args.format, actor=actor, strict=args.strict
                )
            except OpsError as exc:
                rejected += 1
                print(f"REJECTED {exc}")
                continue
            verb = "already loaded" if result.already_loaded else "loaded"
            flag = "" if result.control_ok else " CONTROLS-MISMATCH"
            print(
                f"{verb} {result.name}: format={result.format} rows={result.rows} "
                f"file_id={result.file_id}{flag}"
            )
            for warning in result.warnings:
                print(f"  warning: {warning}")
        if derived.catch_up(db):
            print("rollups rebuilt from the loaded ledger payments")
    finally:
        db.close()
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
