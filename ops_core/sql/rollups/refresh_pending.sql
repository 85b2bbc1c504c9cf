-- Rebuilds pending_payments: every attempt whose status is still pending.
-- Inputs: payments. Grain: one row per pending attempt.
INSERT INTO pending_payments
SELECT payment_id, rail_id, partner_id, client_id, created_at, amount_minor, currency
FROM payments
WHERE status = 'pending'
