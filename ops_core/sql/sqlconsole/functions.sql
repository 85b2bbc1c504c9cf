-- DuckDB's own scalar, aggregate, window and macro functions: the console's function allowlist
-- (less ops_core.sqlconsole.checks.DENIED_FUNCTIONS). Table functions are never listed here.
-- Inputs: none. Grain: one row per function name.
SELECT DISTINCT lower(function_name) AS function_name
FROM duckdb_functions()
WHERE internal AND function_type IN ('scalar', 'aggregate', 'window', 'macro')
ORDER BY 1
