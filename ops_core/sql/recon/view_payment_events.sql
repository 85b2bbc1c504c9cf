-- The ledger's status history of some payments (for a break's timeline).
-- Inputs: payment_events; $ids (BIGINT[]). Grain: one row per event.
SELECT payment_id, seq, status, event_at, code
FROM payment_events
WHERE list_contains($ids, payment_id)
ORDER BY event_at, payment_id, seq
