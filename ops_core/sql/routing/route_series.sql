-- Route metrics over time: per $grain ('day' or 'week') and route (rail x partner x service),
-- payments, success with retries counted once, cost, amount sent and amount completed in USD,
-- and p95 latency.
-- Inputs: routing_route_costs, rollup_route_latency over UTC days [$start_day, $end_day);
-- filters $rails, $currencies, $bands, $services (empty list = all).
-- Grain: time bucket x rail x partner x service.
WITH c AS (
    SELECT
        date_trunc($grain, day) AS bucket,
        rail_id,
        partner_id,
        service,
        CAST(sum(payments) AS BIGINT) AS payments,
        CAST(sum(succeeded) AS BIGINT) AS succeeded,
        CAST(sum(payments - pending) AS BIGINT) AS decided,
        sum(amount_usd_minor) AS amount_usd_minor,
        sum(moved_usd_minor) AS moved_usd_minor,
        CAST(sum(cost_minor * usd_minor_per_minor) AS DECIMAL(38, 6)) AS cost_usd_minor
    FROM routing_route_costs
    WHERE day >= $start_day AND day < $end_day
        AND (len($rails) = 0 OR list_contains($rails, rail_id))
        AND (len($currencies) = 0 OR list_contains($currencies, currency))
        AND (len($bands) = 0 OR list_contains($bands, band))
        AND (len($services) = 0 OR list_contains($services, service))
    GROUP BY ALL
),
h AS (
    SELECT date_trunc($grain, day) AS t, rail_id, partner_id, service, bucket, sum(n) AS n
    FROM rollup_route_latency
    WHERE day >= $start_day AND day < $end_day
        AND (len($bands) = 0 OR list_contains($bands, band))
    GROUP BY ALL
),
cum AS (
    SELECT
        *,
        sum(n) OVER (PARTITION BY t, rail_id, partner_id, service ORDER BY bucket) AS running,
        sum(n) OVER (PARTITION BY t, rail_id, partner_id, service) AS total
    FROM h
),
lat AS (
    SELECT
        t,
        rail_id,
        partner_id,
        service,
        pow(2, (min(bucket) FILTER (WHERE running >= 0.95 * total) + 0.5) / 4) AS p95_ms
    FROM cum
    GROUP BY t, rail_id, partner_id, service
)
SELECT c.*, lat.p95_ms
FROM c
LEFT JOIN lat
    ON lat.t = c.bucket
    AND lat.rail_id = c.rail_id
    AND lat.partner_id = c.partner_id
    AND lat.service = c.service
ORDER BY c.bucket, c.rail_id, c.partner_id, c.service
