"""Where things live. One place decides which database file is used."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO_ROOT / "data" / "railyard.duckdb"
DB_ENV = "RAILYARD_DB"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: an explicit --db wins, then $RAILYARD_DB, then data/railyard.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """Every command-line entry point takes the same --db option."""
    parser.add_argument(
        "--db",
        default=None,
        help=f"DuckDB file (default: ${DB_ENV} or {DEFAULT_DB.relative_to(REPO_ROOT)})",
    )
