-- The payments nobody has staged yet (engine.stage_ledger asks this only when the counts or
-- an id checksum of payments and recon_ledger_items differ).
-- Inputs: payments, recon_ledger_items. Grain: one row per unstaged payment.
CREATE OR REPLACE TEMP TABLE rx_new_pay AS
SELECT payment_id FROM payments
WHERE payment_id NOT IN (SELECT payment_id FROM recon_ledger_items)
