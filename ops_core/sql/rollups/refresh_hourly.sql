-- Rebuilds rollup_hourly for first attempts created at or after $since.
-- Inputs: payments. Grain: hour x rail x partner x client x currency.
-- A logical payment is (original_payment_id, rail, partner): retries on the same route count
-- once, with the status of their highest attempt.
INSERT INTO rollup_hourly
WITH logical AS (
    SELECT
        original_payment_id,
        rail_id,
        partner_id,
        arg_max(client_id, attempt_no) AS client_id,
        arg_max(currency, attempt_no) AS currency,
        min(original_created_at) AS created_at,
        count(*) AS attempts,
        arg_max(status, attempt_no) AS status,
        arg_max(amount_minor, attempt_no) AS amount_minor
    FROM payments
    WHERE original_created_at >= $since
    GROUP BY original_payment_id, rail_id, partner_id
)
SELECT
    date_trunc('hour', created_at) AS hour,
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
FROM logical
GROUP BY ALL
