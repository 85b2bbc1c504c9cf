-- Stages the logical payments a rollup refresh rebuilds from: those whose first attempt was
-- created at or after $since, computed once for both rollups (refresh_routes and
-- refresh_route_latency read this temp table), with only the columns they read (the USD
-- amount is a DECIMAL(38) product per payment; the band is computed from it inside the view).
-- Inputs: routing_payments (migrations 030, 053). Grain: one row per logical payment.
CREATE OR REPLACE TEMP TABLE routing_logical AS
SELECT
    created_at,
    rail_id,
    partner_id,
    service,
    direction,
    source_currency,
    currency,
    band,
    attempts,
    status,
    amount_minor,
    attempt_amount_minor,
    final_at
FROM routing_payments
WHERE created_at >= $since
