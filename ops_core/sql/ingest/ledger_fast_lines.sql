-- The line of every payment a fast ledger insert wrote (ledger_fast_insert): the statement
-- appends the file's rows in its order, so inside the loader's transaction their row ids
-- run from $first in that order, as ledger_type's temporary table's do; the file's n-th row
-- (from 0) is on line $start + n (the rows fill the lines after the header: ledger.py
-- checks that; with blank lines between rows, ledger_fast_lines_mapped numbers them).
-- Inputs: payments; $file_id, $first, $start. Grain: one update per payment of the file.
UPDATE payments
SET source_line = rowid - $first + $start
WHERE source_file_id = $file_id
