-- Rebuilds rollup_codes for attempts created at or after $since.
-- Inputs: payments that failed or were returned with a code. Grain: hour x rail x partner x
-- client x status x code.
INSERT INTO rollup_codes
SELECT
    date_trunc('hour', created_at) AS hour,
    rail_id,
    partner_id,
    client_id,
    status,
    code_scheme,
    code,
    count(*) AS n,
    sum(amount_minor) AS amount_minor
FROM payments
WHERE created_at >= $since AND code IS NOT NULL AND status IN ('failed', 'returned')
GROUP BY ALL
