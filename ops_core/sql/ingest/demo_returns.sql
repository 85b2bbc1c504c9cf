-- ACH returns received in [$since, $until): the entries of the demo's NACHA return files
-- (ops_core/ingest/demo_files.py). Inputs: payments, clients; $since, $until.
-- Grain: one row per returned ACH attempt.
SELECT
    p.payment_id,
    p.partner_id,
    p.client_id,
    c.name AS client_name,
    p.dc,
    p.txn_type,
    p.amount_minor,
    CAST(timezone('UTC', p.final_at) AS TIMESTAMP) AS final_at,  -- naive UTC: cheap to fetch
    CAST(timezone('UTC', p.returned_at) AS TIMESTAMP) AS returned_at,
    CAST(p.returned_at AS DATE) AS return_day,
    p.code,
    p.ach_trace_number,
    p.counterparty_name,
    p.counterparty_account
FROM payments AS p
JOIN clients AS c USING (client_id)
WHERE p.rail_id = 'ACH'
    AND p.status = 'returned'
    AND p.returned_at >= $since
    AND p.returned_at < $until
ORDER BY p.returned_at, p.payment_id
