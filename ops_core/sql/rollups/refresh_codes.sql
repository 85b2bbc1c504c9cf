-- Rebuilds rollup_codes for failures and returns that happened at or after $since.
-- Inputs: payments that failed or were returned with a code. Grain: hour x rail x partner x
-- client x status x code, by the hour the code arrived (an ACH return counts when it comes
-- back, days after the entry), so "today's return codes" means codes received today.
INSERT INTO rollup_codes
SELECT
    utc_hour(coalesce(returned_at, final_at, created_at)) AS hour,
    rail_id,
    partner_id,
    client_id,
    status,
    code_scheme,
    code,
    count(*) AS n,
    sum(amount_minor) AS amount_minor
FROM payments
WHERE coalesce(returned_at, final_at, created_at) >= $since
  AND code IS NOT NULL
  AND status IN ('failed', 'returned')
GROUP BY ALL
