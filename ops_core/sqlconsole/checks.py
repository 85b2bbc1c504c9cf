"""Check a console query before it runs: one read-only SELECT over known tables and functions.

This is the first of two guards. The query is parsed with sqlglot (in the dialect it was
written in) and refused unless it is exactly one SELECT (or WITH ... SELECT, or a set operation
of SELECTs) that reads only Railyard's tables and calls only allowlisted functions; what runs is
sqlglot's DuckDB rendering of the tree that was checked, never the text as typed. The second
guard is the connection (``ops_core.sqlconsole.engine``): read-only, external access off,
configuration locked, so a query that slipped past this module still cannot touch the disk,
the network or a setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

from ops_core.errors import OpsError

DIALECTS = {
    "duckdb": "DuckDB",
    "postgres": "Postgres",
    "snowflake": "Snowflake",
    "bigquery": "BigQuery",
    "redshift": "Redshift",
    "mysql": "MySQL",
    "tsql": "SQL Server",
    "trino": "Trino",
    "databricks": "Databricks",
    "sqlite": "SQLite",
}

# Table functions a query may read from: generated rows only, never a file, URL or catalog.
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest", "json_each", "json_tree"})

# Built-in scalars a query may not call although DuckDB lists them: they sleep, write the log,
# move sequences or the random seed, read settings, or turn text into SQL.
DENIED_FUNCTIONS = frozenset(
    {
        "write_log",
        "sleep_ms",
        "pg_sleep",
        "nextval",
        "currval",
        "setseed",
        "current_setting",
        "current_query",
        "json_serialize_sql",
        "json_deserialize_sql",
        "json_execute_serialized_sql",
    }
)

# Calls that are SQL syntax rather than catalog functions (CAST(x AS INT), EXTRACT(...)).
SYNTAX_CALLS = frozenset(
    {"cast", "try_cast", "extract", "exists", "columns", "grouping", "coalesce", "array", "unnest"}
)

# Statement kinds refused wherever they appear (also inside a CTE or a subquery).
_FORBIDDEN_KINDS = """
    DML DDL Command Copy Set Pragma Use Into Attach Detach Install Export Transaction Commit
    Rollback Describe Summarize Drop Alter TruncateTable LoadData Analyze Refresh Show Kill
    Grant Revoke Comment Cache Uncache
""".split()
_FORBIDDEN = tuple(c for n in _FORBIDDEN_KINDS if (c := getattr(exp, n, None)) is not None)

_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")


class QueryRefused(OpsError):
    """The console will not run this query; the message says why and what is allowed."""


@dataclass(frozen=True)
class Catalog:
    """What a query may read: table and view names (lower case) and callable functions."""

    tables: frozenset[str]
    functions: frozenset[str]

    def allows_function(self, name: str) -> bool:
        name = name.lower()
        if name in DENIED_FUNCTIONS or name.startswith("__internal"):
            return False
        return name in self.functions or name in SYNTAX_CALLS


@dataclass(frozen=True)
class Checked:
    """A query that passed: its checked tree and the DuckDB text that will run."""

    source: str
    dialect: str
    tree: exp.Query
    sql: str  # DuckDB dialect, comments dropped, as it will run (before the row limit)
    tables: tuple[str, ...]

    @property
    def transpiled(self) -> bool:
        return self.dialect != "duckdb"


def check(text: str, catalog: Catalog, dialect: str = "duckdb") -> Checked:
    """Parse and check one query; raise QueryRefused with a reason a person can act on."""
    if dialect not in DIALECTS:
        raise QueryRefused(f"Unknown SQL dialect {dialect!r}; choose one of {sorted(DIALECTS)}.")
    tree = _one_query(_parse(text, dialect))
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN):
            raise QueryRefused(
                f"Only reading is allowed: this query contains {_kind(node)}. "
                "The console runs a single SELECT (or WITH ... SELECT)."
            )
        if isinstance(node, exp.Func):
            _check_function(node, catalog)
    tables = _check_tables(tree, catalog)
    return Checked(text, dialect, tree, _render(tree, dialect), tables)


def limited(checked: Checked, rows: int) -> str:
    """The DuckDB text that runs: the checked query capped at ``rows`` rows (plus one, to
    tell whether more exist). Built as a tree around the checked one, never by pasting text."""
    outer = exp.select("*").from_(checked.tree.subquery("result", copy=True)).limit(rows + 1)
    return outer.sql(dialect="duckdb", comments=False)


def _render(tree: exp.Query, dialect: str) -> str:
    """The DuckDB text of ``tree``; refused when sqlglot cannot translate a part faithfully
    (it would otherwise drop it, e.g. the format of Snowflake's TO_VARCHAR(ts, 'YYYY-MM'))."""
    try:
        return tree.sql(
            dialect="duckdb", pretty=True, comments=False, unsupported_level=ErrorLevel.RAISE
        )
    except UnsupportedError as exc:
        raise QueryRefused(
            f"Could not translate this {DIALECTS[dialect]} SQL to DuckDB faithfully: {exc}. "
            "Rewrite that part in DuckDB SQL."
        ) from None


def _parse(text: str, dialect: str) -> list[exp.Expression]:
    if not text.strip():
        raise QueryRefused("Write a query first.")
    try:
        parsed = sqlglot.parse(text, read=dialect)
    except (ParseError, TokenError) as exc:
        first = str(exc).splitlines()[0]
        raise QueryRefused(f"Could not read this as {DIALECTS[dialect]} SQL: {first}") from None
    return [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]


def _one_query(statements: list[exp.Expression]) -> exp.Query:
    if len(statements) != 1:
        kinds = ", ".join(_kind(s) for s in statements) or "nothing"
        raise QueryRefused(
            f"Run one statement at a time: found {len(statements)} ({kinds}). "
            "Remove the extra statements (a ';' ends a statement, even after a comment)."
        )
    tree = statements[0]
    while isinstance(tree, exp.Subquery | exp.Paren) and isinstance(tree.this, exp.Query):
        tree = tree.this
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise QueryRefused(
            f"Only SELECT queries can run here, not {_kind(tree)}. "
            "The console reads data and never changes it."
        )
    return tree


def _kind(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Column | exp.Identifier):
        return node.sql().upper()  # a lone word such as CHECKPOINT
    if isinstance(node, exp.Into):
        return "SELECT ... INTO"
    if isinstance(node, exp.Query):
        return "SELECT"
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(node).__name__).upper()


def _check_function(node: exp.Func, catalog: Catalog) -> None:
    name = _call_name(node)
    if _in_from(node):
        if name not in TABLE_FUNCTIONS:
            raise QueryRefused(
                f"The table function {name or type(node).__name__}() is not allowed: queries "
                "read Railyard's tables, never files or URLs. Allowed table functions: "
                f"{', '.join(sorted(TABLE_FUNCTIONS))}."
            )
        return
    if name is not None and not catalog.allows_function(name):
        raise QueryRefused(
            f"The function {name}() is not allowed in the console (it reads files or settings, "
            "has side effects, or is not a DuckDB function)."
        )


def _call_name(node: exp.Func) -> str | None:
    """The function name DuckDB will see: the anonymous name, or the head of the DuckDB
    rendering of a typed node (None for syntax with no call, such as CASE or [1, 2])."""
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    found = _CALL.match(node.sql(dialect="duckdb"))
    return found.group(1).lower() if found else None


def _in_from(node: exp.Expression) -> bool:
    """Whether ``node`` is read as a table (FROM f(...), JOIN f(...), LATERAL f(...))."""
    return node.arg_key == "this" and isinstance(
        node.parent, exp.Table | exp.From | exp.Join | exp.Lateral
    )


def _check_tables(tree: exp.Query, catalog: Catalog) -> tuple[str, ...]:
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    read: list[str] = []
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.Func):
            continue  # a table function, checked with the functions
        name, schema = table.name.lower(), table.db.lower()
        if not isinstance(table.this, exp.Identifier) or table.catalog:
            raise QueryRefused(f"Cannot read {exp.table_name(table)}: name a Railyard table.")
        if schema == "information_schema" or (not schema and name in ctes):
            continue
        if schema in ("", "main") and name in catalog.tables:
            read.append(name)
            continue
        looks_like_path = any(c in name for c in "/\\:") or re.search(r"\.\w{2,8}$", name)
        hint = " Files and URLs cannot be read here." if looks_like_path else ""
        raise QueryRefused(
            f"There is no table {exp.table_name(table)} in Railyard's data.{hint} "
            "The schema beside the editor lists what can be read."
        )
    return tuple(dict.fromkeys(read))
