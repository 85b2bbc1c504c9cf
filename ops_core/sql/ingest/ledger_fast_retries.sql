-- A fast ledger insert (ledger_fast_insert) wrote every retry with its own created_at as
-- original_created_at; this sets the first attempt's, now that the file's payments are in
-- the ledger with it (the first attempt is in this file or loaded before).
-- Inputs: payments; $file_id. Grain: one update per retry of the file.
UPDATE payments
SET original_created_at = o.created_at
FROM payments AS o
WHERE payments.source_file_id = $file_id
    AND payments.original_payment_id <> payments.payment_id
    AND o.payment_id = payments.original_payment_id
