-- No payment to stage by id (none is new, or all are: see $all in ledger.sql).
-- Grain: an empty table.
CREATE OR REPLACE TEMP TABLE rx_new_pay (payment_id BIGINT)
