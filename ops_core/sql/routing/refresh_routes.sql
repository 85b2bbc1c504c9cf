-- Rebuilds rollup_routes from the staged logical payments (those first created at or after the
-- refresh's cut-off).
-- Inputs: temp table routing_logical (stage_logical: logical payments with service, corridor
-- and band, from the view routing_payments).
-- Grain: UTC day x rail x partner x service x direction x funding currency x currency x band.
INSERT INTO rollup_routes
SELECT
    utc_day(created_at) AS day,
    rail_id,
    partner_id,
    service,
    direction,
    source_currency,
    currency,
    band,
    count(*) AS payments,
    sum(attempts) AS attempts,
    count(*) FILTER (WHERE status = 'completed') AS succeeded,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    count(*) FILTER (WHERE status = 'returned') AS returned,
    count(*) FILTER (WHERE status = 'pending') AS pending,
    sum(amount_minor) AS amount_minor,
    sum(attempt_amount_minor) AS attempt_amount_minor,
    coalesce(sum(amount_minor) FILTER (WHERE status = 'completed'), 0) AS succeeded_amount_minor
FROM routing_logical
GROUP BY ALL
