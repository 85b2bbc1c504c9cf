-- A payment and its status history (payment_events), for the case page. Inputs: $payment_id.
-- Grain: one row per status event of the payment.
SELECT
    p.payment_id, p.client_id, p.rail_id, p.partner_id, p.direction, p.dc, p.txn_type,
    p.amount_minor, p.currency, p.created_at, p.status AS payment_status, p.code,
    p.ach_trace_number, p.end_to_end_id, p.network_txn_id, p.counterparty_name,
    e.seq, e.status AS event_status, e.event_at, e.code AS event_code
FROM payments AS p
LEFT JOIN payment_events AS e ON e.payment_id = p.payment_id
WHERE p.payment_id = $payment_id
ORDER BY e.seq
