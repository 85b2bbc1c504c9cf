"""Every named SQL statement parses as DuckDB SQL and binds on a migrated database."""

import pytest
import sqlglot

from ops_core import sql
from ops_core.db import migration_files


@pytest.mark.parametrize("name", sql.all_statements())
def test_statement_parses_and_has_a_header(name):
    text = sql.statement(name)
    assert text.lstrip().startswith("--"), f"{name}.sql needs a header comment"
    parsed = sqlglot.parse(text, read="duckdb")
    assert len([p for p in parsed if p is not None]) == 1, f"{name}.sql holds one statement"


@pytest.mark.parametrize("path", migration_files(), ids=lambda p: p.name)
def test_migration_parses(path):
    assert sqlglot.parse(path.read_text(), read="duckdb")


def test_statement_names_cannot_escape_the_sql_folder():
    with pytest.raises(ValueError, match="not a Railyard SQL name"):
        sql.statement("../db")
