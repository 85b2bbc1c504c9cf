-- The tables and views a console query can read, with their columns, for the schema browser.
-- Inputs: none (runs on the console's snapshot connection). Grain: one row per column.
SELECT
    c.table_name,
    t.table_type,
    c.column_name,
    c.data_type,
    c.ordinal_position
FROM information_schema.columns AS c
JOIN information_schema.tables AS t
    USING (table_catalog, table_schema, table_name)
WHERE c.table_schema = 'main' AND c.table_catalog = current_database()
ORDER BY c.table_name, c.ordinal_position
