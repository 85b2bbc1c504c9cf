"""Named SQL statements: ``ops_core/sql/<area>/<name>.sql``, DuckDB dialect, ``$params``.

Each file holds one statement with a header comment saying what it computes, its inputs
and its grain. ``query`` is the one function that runs them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).parent


@cache
def statement(name: str) -> str:
    """The text of ``<area>/<name>.sql``."""
    path = (SQL_DIR / f"{name}.sql").resolve()
    if SQL_DIR not in path.parents:
        raise ValueError(f"not a Railyard SQL name: {name!r}")
    return path.read_text()


def all_statements() -> list[str]:
    return sorted(str(p.relative_to(SQL_DIR).with_suffix("")) for p in SQL_DIR.rglob("*.sql"))


def query(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run a named statement with bound parameters and return a DataFrame."""
    return cur.execute(statement(name), params).df()


def execute(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    cur.execute(statement(name), params)
