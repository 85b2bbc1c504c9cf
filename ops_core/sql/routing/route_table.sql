-- Route metrics over the UTC days [$start_day, $end_day): volume, success with retries counted
-- once, attempts, cost under the fee schedule effective each day, USD equivalents, and p50/p95
-- end-to-end latency of completed payments from the log histogram (per route and band: the
-- histogram is not split by corridor or direction).
-- Inputs: routing_route_costs, rollup_route_latency; list filters $rails, $currencies, $bands,
-- $services (an empty list means all).
-- Grain: rail x partner x service x direction x corridor (funding -> payout currency) x band.
WITH c AS (
    SELECT
        rail_id,
        partner_id,
        service,
        direction,
        source_currency,
        currency,
        band,
        CAST(sum(payments) AS BIGINT) AS payments,
        CAST(sum(attempts) AS BIGINT) AS attempts,
        CAST(sum(succeeded) AS BIGINT) AS succeeded,
        CAST(sum(failed) AS BIGINT) AS failed,
        CAST(sum(returned) AS BIGINT) AS returned,
        CAST(sum(pending) AS BIGINT) AS pending,
        sum(amount_minor) AS amount_minor,
        sum(amount_usd_minor) AS amount_usd_minor,
        sum(moved_usd_minor) AS moved_usd_minor,
        sum(cost_minor) AS cost_minor,
        CAST(sum(cost_minor * usd_minor_per_minor) AS DECIMAL(38, 6)) AS cost_usd_minor,
        count(*) FILTER (WHERE per_attempt_fee_minor IS NULL) AS rows_without_fees
    FROM routing_route_costs
    WHERE day >= $start_day AND day < $end_day
        AND (len($rails) = 0 OR list_contains($rails, rail_id))
        AND (len($currencies) = 0 OR list_contains($currencies, currency))
        AND (len($bands) = 0 OR list_contains($bands, band))
        AND (len($services) = 0 OR list_contains($services, service))
    GROUP BY ALL
),
h AS (
    SELECT rail_id, partner_id, service, band, bucket, sum(n) AS n
    FROM rollup_route_latency
    WHERE day >= $start_day AND day < $end_day
    GROUP BY ALL
),
cum AS (
    SELECT
        *,
        sum(n) OVER (PARTITION BY rail_id, partner_id, service, band ORDER BY bucket) AS running,
        sum(n) OVER (PARTITION BY rail_id, partner_id, service, band) AS total
    FROM h
),
lat AS (
    SELECT
        rail_id,
        partner_id,
        service,
        band,
        CAST(any_value(total) AS BIGINT) AS completed,
        pow(2, (min(bucket) FILTER (WHERE running >= 0.50 * total) + 0.5) / 4) AS p50_ms,
        pow(2, (min(bucket) FILTER (WHERE running >= 0.95 * total) + 0.5) / 4) AS p95_ms
    FROM cum
    GROUP BY ALL
)
SELECT c.*, lat.completed, lat.p50_ms, lat.p95_ms
FROM c
LEFT JOIN lat USING (rail_id, partner_id, service, band)
ORDER BY c.payments DESC, c.rail_id, c.partner_id, c.service, c.band
