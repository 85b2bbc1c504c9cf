-- Ledger payments that reached a final status in [$since, $until): what the demo's bank,
-- network and chain files report (ops_core/ingest/demo_files.py). Inputs: payments,
-- clients; $since, $until (TIMESTAMPTZ), $rails (VARCHAR[]). Grain: one row per attempt.
SELECT
    p.payment_id,
    p.rail_id,
    p.partner_id,
    p.client_id,
    c.name AS client_name,
    p.direction,
    p.dc,
    p.txn_type,
    p.amount_minor,
    p.currency,
    CAST(timezone('UTC', p.final_at) AS TIMESTAMP) AS final_at,  -- naive UTC: cheap to fetch
    CAST(p.final_at AS DATE) AS final_day,
    p.status,
    CAST(timezone('UTC', p.returned_at) AS TIMESTAMP) AS returned_at,
    p.code,
    p.ach_trace_number,
    p.end_to_end_id,
    p.uetr,
    p.network_txn_id,
    p.tx_hash,
    p.log_index,
    p.counterparty_name,
    p.counterparty_account
FROM payments AS p
JOIN clients AS c USING (client_id)
WHERE p.rail_id IN (SELECT unnest($rails))
    AND p.final_at >= $since
    AND p.final_at < $until
    AND p.status IN ('completed', 'failed', 'returned')
ORDER BY p.final_at, p.payment_id
