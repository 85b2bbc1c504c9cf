-- Rebuilds rollup_hourly for first attempts created at or after $since.
-- Inputs: logical_payments (migration 053: (original_payment_id, rail, partner), retries on
-- the same route once, with the client, currency, status and amount of the highest attempt).
-- Grain: hour x rail x partner x client x currency.
INSERT INTO rollup_hourly
SELECT
    utc_hour(created_at) AS hour,
    rail_id,
    partner_id,
    client_id,
    currency,
    sum(attempts) AS attempts,
    count(*) AS payments,
    count(*) FILTER (WHERE status = 'completed') AS succeeded,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    count(*) FILTER (WHERE status = 'returned') AS returned,
    count(*) FILTER (WHERE status = 'pending') AS pending,
    sum(amount_minor) AS amount_minor,
    coalesce(sum(amount_minor) FILTER (WHERE status = 'completed'), 0) AS succeeded_amount_minor
FROM logical_payments
WHERE created_at >= $since
GROUP BY ALL
