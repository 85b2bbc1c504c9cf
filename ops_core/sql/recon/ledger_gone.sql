-- Forget the staged ledger rows of payments that are gone (a demo rebuild).
-- Inputs: recon_ledger_items, payments. Grain: deletes staged rows.
DELETE FROM recon_ledger_items
WHERE payment_id NOT IN (SELECT payment_id FROM payments)
