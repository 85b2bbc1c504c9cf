-- Status history for every demo payment: created, submitted, then its terminal status and,
-- for ACH returns, the return. Inputs: payments. Grain: one row per status change.
INSERT INTO payment_events
SELECT payment_id, 1, 'created', created_at, NULL FROM payments
UNION ALL
SELECT
    payment_id, 2, 'submitted',
    created_at + to_milliseconds(20 + hash(payment_id) % 400),
    NULL
FROM payments
UNION ALL
SELECT
    payment_id, 3,
    CASE WHEN status = 'failed' THEN 'failed' ELSE 'completed' END,
    final_at,
    CASE WHEN status = 'failed' THEN code END
FROM payments
WHERE final_at IS NOT NULL
UNION ALL
SELECT payment_id, 4, 'returned', returned_at, code FROM payments WHERE returned_at IS NOT NULL
