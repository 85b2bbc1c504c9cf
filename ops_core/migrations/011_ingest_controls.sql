-- 011: the control-total policy of ops_core/ingest/controls.py, recorded per loaded file.
-- control_ok is FALSE when a file loaded although a control total, count, hash or balance
-- disagreed with its records (each mismatch is listed in warnings); reconciliation treats
-- the figures of such a file as untrusted. Nullable only because DuckDB cannot add a
-- NOT NULL column to a table that other tables reference; the loader always writes it.
ALTER TABLE source_files ADD COLUMN control_ok BOOLEAN DEFAULT TRUE;
