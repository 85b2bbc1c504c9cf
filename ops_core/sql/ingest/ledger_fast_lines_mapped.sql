-- ledger_fast_lines for a file with blank lines between its rows: the file's n-th row (from
-- 0, by row id from $first as there) is on the line ledger.py found for it (bulk.row_lines).
-- Inputs: payments, temp table ledger_lines (position, line); $file_id, $first. Grain: one
-- update per payment of the file.
UPDATE payments
SET source_line = l.line
FROM ledger_lines AS l
WHERE payments.source_file_id = $file_id AND l.position = payments.rowid - $first
