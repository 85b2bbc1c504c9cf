-- The ledger items to pair again: every row staged since the kept pairs were made and every
-- row with a reference to pair again (rx_dirty_ref). Inputs: recon_ledger_items,
-- rx_dirty_ref; $ledger_seq (a row staged before migration 062 has no number: 0).
-- Grain: one row per payment.
CREATE OR REPLACE TEMP TABLE rx_dirty_l AS
SELECT payment_id FROM recon_ledger_items WHERE coalesce(seq, 0) > $ledger_seq
UNION
SELECT l.payment_id
FROM recon_ledger_items AS l
JOIN rx_dirty_ref AS d ON d.src = l.src AND d.ref = l.ref
