-- Status history of the payments a ledger export added (ops_core/ingest/ledger.py): created,
-- then the final status (completed or failed, at final_at), then the return for returned
-- payments, so latency and stuck views read loaded payments like the demo's.
-- Inputs: payments; $file_id. Grain: one row per status change.
INSERT INTO payment_events
SELECT payment_id, 1, 'created', created_at, NULL
FROM payments
WHERE source_file_id = $file_id
UNION ALL
SELECT
    payment_id,
    2,
    CASE WHEN status = 'failed' THEN 'failed' ELSE 'completed' END,
    final_at,
    CASE WHEN status = 'failed' THEN code END
FROM payments
WHERE source_file_id = $file_id AND final_at IS NOT NULL
UNION ALL
SELECT payment_id, 3, 'returned', returned_at, code
FROM payments
WHERE source_file_id = $file_id AND returned_at IS NOT NULL
