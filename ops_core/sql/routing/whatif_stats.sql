-- Expected behaviour of every route for every amount band, learnt from the UTC days
-- [$stats_start, $stats_end): success with retries counted once, shrunk towards the route's
-- rate over all bands with weight $prior_weight (a band with few payments borrows strength),
-- attempts per logical payment (fees accrue per attempt), and p50/p95 end-to-end latency
-- (the band's own when it has at least 20 completed payments, else the route's).
-- Inputs: route_catalog, amount_bands, rollup_routes, rollup_route_latency.
-- Grain: route (rail x partner x service) x band. Kept in a temp table for the what-if.
CREATE OR REPLACE TEMP TABLE routing_route_stats AS
WITH c AS (
    SELECT
        rail_id,
        partner_id,
        service,
        band,
        sum(payments) AS payments,
        sum(attempts) AS attempts,
        sum(succeeded) AS succeeded,
        sum(payments - pending) AS decided
    FROM rollup_routes
    WHERE day >= $stats_start AND day < $stats_end
    GROUP BY ALL
),
r AS (
    SELECT
        rail_id,
        partner_id,
        service,
        sum(payments) AS payments,
        sum(attempts) AS attempts,
        sum(succeeded) AS succeeded,
        sum(decided) AS decided
    FROM c
    GROUP BY ALL
),
h AS (
    SELECT rail_id, partner_id, service, band, bucket, sum(n) AS n
    FROM rollup_route_latency
    WHERE day >= $stats_start AND day < $stats_end
    GROUP BY ALL
),
h_all AS (
    SELECT rail_id, partner_id, service, '*' AS band, bucket, sum(n) AS n
    FROM h
    GROUP BY ALL
),
cum AS (
    SELECT
        *,
        sum(n) OVER (PARTITION BY rail_id, partner_id, service, band ORDER BY bucket) AS running,
        sum(n) OVER (PARTITION BY rail_id, partner_id, service, band) AS total
    FROM (SELECT * FROM h UNION ALL SELECT * FROM h_all)
),
lat AS (
    SELECT
        rail_id,
        partner_id,
        service,
        band,
        any_value(total) AS completed,
        pow(2, (min(bucket) FILTER (WHERE running >= 0.50 * total) + 0.5) / 4) AS p50_ms,
        pow(2, (min(bucket) FILTER (WHERE running >= 0.95 * total) + 0.5) / 4) AS p95_ms
    FROM cum
    GROUP BY ALL
)
SELECT
    k.rail_id,
    k.partner_id,
    k.service,
    b.band,
    CAST(coalesce(c.payments, 0) AS BIGINT) AS payments,
    CAST(coalesce(c.decided, 0) AS BIGINT) AS sample,
    CAST(coalesce(c.succeeded, 0) AS BIGINT) AS succeeded,
    CASE WHEN r.decided > 0 THEN
        (coalesce(c.succeeded, 0) + $prior_weight * r.succeeded / r.decided)
        / (coalesce(c.decided, 0) + $prior_weight)
    END AS success,
    -- Exact to 10^-6 without floating point: fees are multiplied by it.
    CAST(
        CASE
            WHEN c.payments >= 20 THEN (c.attempts * 1000000) // c.payments
            WHEN r.payments > 0 THEN (r.attempts * 1000000) // r.payments
        END AS DECIMAL(18, 0)
    ) * 0.000001 AS attempts_per_payment,
    CASE WHEN bl.completed >= 20 THEN bl.p50_ms ELSE rl.p50_ms END AS p50_ms,
    CASE WHEN bl.completed >= 20 THEN bl.p95_ms ELSE rl.p95_ms END AS p95_ms
FROM route_catalog AS k
CROSS JOIN amount_bands AS b
LEFT JOIN c ON c.rail_id = k.rail_id AND c.partner_id = k.partner_id
    AND c.service = k.service AND c.band = b.band
LEFT JOIN r ON r.rail_id = k.rail_id AND r.partner_id = k.partner_id AND r.service = k.service
LEFT JOIN lat AS bl ON bl.rail_id = k.rail_id AND bl.partner_id = k.partner_id
    AND bl.service = k.service AND bl.band = b.band
LEFT JOIN lat AS rl ON rl.rail_id = k.rail_id AND rl.partner_id = k.partner_id
    AND rl.service = k.service AND rl.band = '*'
