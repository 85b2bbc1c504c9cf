-- Stages the logical payments a rollup refresh rebuilds from: those whose first attempt was
-- created at or after $since, computed once for both rollups (refresh_routes and
-- refresh_route_latency read this temp table).
-- Inputs: routing_payments (migration 030). Grain: one row per logical payment.
CREATE OR REPLACE TEMP TABLE routing_logical AS
SELECT *
FROM routing_payments
WHERE created_at >= $since
