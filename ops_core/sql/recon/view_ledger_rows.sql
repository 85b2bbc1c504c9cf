-- Ledger payments by id with their reconciliation state (the ledger side of a break).
-- Inputs: payments, recon_ledger_state, clients; $ids (BIGINT[]); $partner (NULL = any; else
-- that partner's payments only). Grain: one row per payment.
SELECT
    p.payment_id, p.rail_id, p.partner_id, c.name AS client, p.direction, p.dc,
    CASE p.dc WHEN 'debit' THEN 'in' ELSE 'out' END AS flow, p.txn_type, p.amount_minor,
    p.currency, p.status, p.code, p.created_at, p.final_at, p.returned_at,
    coalesce(p.ach_trace_number, p.end_to_end_id, p.network_txn_id,
        p.tx_hash || ':' || p.log_index) AS reference,
    p.uetr, p.counterparty_name, p.counterparty_account, s.state, s.rule_id, s.reason
FROM payments AS p
LEFT JOIN recon_ledger_state AS s ON s.payment_id = p.payment_id
LEFT JOIN clients AS c ON c.client_id = p.client_id
WHERE list_contains($ids, p.payment_id)
    AND (CAST($partner AS VARCHAR) IS NULL OR p.partner_id = CAST($partner AS VARCHAR))
ORDER BY p.payment_id
