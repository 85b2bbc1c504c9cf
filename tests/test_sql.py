"""Every named SQL statement parses as DuckDB SQL and binds on a migrated database."""

import re

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
    # sqlglot does not know DuckDB's per-column compression clause (migration 063): the rest
    # of the statement must parse
    text = re.sub(r"\bUSING COMPRESSION \w+", "", path.read_text(), flags=re.IGNORECASE)
    assert sqlglot.parse(text, read="duckdb")


def test_migrations_063_066_fix_the_pairs_compression(tmp_path):
    from ops_core.db import open_db

    ddl = (
        open_db(tmp_path / "x.duckdb")
        .cursor()
        .execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'recon_pairs'")
        .fetchone()[0]
    )
    assert "outcome UTINYINT USING COMPRESSION RLE" in ddl
    assert "rule_no USMALLINT USING COMPRESSION BitPacking" in ddl
    assert "payment_id BIGINT USING COMPRESSION Uncompressed" in ddl  # 066


@pytest.mark.parametrize("table", ["recon_ext_items", "recon_ledger_items"])
def test_migration_065_stores_the_staged_references_uncompressed(tmp_path, table):
    from ops_core.db import open_db

    ddl = (
        open_db(tmp_path / "x.duckdb")
        .cursor()
        .execute("SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table])
        .fetchone()[0]
    )
    assert '"ref" VARCHAR USING COMPRESSION Uncompressed' in ddl


def test_statement_names_cannot_escape_the_sql_folder():
    with pytest.raises(ValueError, match="not a Railyard SQL name"):
        sql.statement("../db")
