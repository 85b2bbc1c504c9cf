-- Drill-down: the payment attempts behind a view, newest first, at most $limit rows.
-- Inputs: payments; $start, $end, $rails, $partners, $clients, $statuses, $codes (empty list =
-- any code), $limit. Grain: one row per attempt.
SELECT
    payment_id,
    original_payment_id,
    attempt_no,
    created_at,
    rail_id,
    partner_id,
    client_id,
    direction,
    txn_type,
    amount_minor,
    currency,
    status,
    code,
    epoch_ms(final_at) - epoch_ms(created_at) AS latency_ms,
    coalesce(ach_trace_number, end_to_end_id, network_txn_id, tx_hash) AS reference,
    counterparty_name,
    counterparty_account
FROM payments
WHERE created_at >= $start AND created_at < $end
  AND list_contains($rails, rail_id)
  AND list_contains($partners, partner_id)
  AND list_contains($clients, client_id)
  AND list_contains($statuses, status)
  AND (len($codes) = 0 OR list_contains($codes, code))
ORDER BY created_at DESC
LIMIT $limit
