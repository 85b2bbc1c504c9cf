"""Named routing statements returned as DataFrames whose money stays exact.

``ops_core.sql.query`` goes through ``.df()``, which turns DECIMAL and HUGEINT into float64.
Routing's costs are DECIMAL minor units, so its reads go through Arrow instead: DECIMAL and
HUGEINT columns arrive as ``decimal.Decimal`` objects, counts cast to BIGINT stay int64.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from ops_core import sql


def frame(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run the named SELECT with bound parameters; DECIMAL columns hold ``Decimal`` values."""
    relation = cur.sql(sql.statement(name), params=params)
    return relation.to_arrow_table().to_pandas()
