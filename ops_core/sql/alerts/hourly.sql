-- Logical payments and attempt latency per hour, rail and partner, for the seasonal
-- baselines of the success-rate and latency rules (ops_core.rail_health.mark_anomalies).
-- Inputs: rollup_hourly, rollup_latency; $start, $end (UTC instants; hours in [start, end)).
-- Grain: hour x rail x partner. p95_ms comes from the quarter-octave latency histogram
-- (migration 002), so it is within about 9% of the exact value. The failed amount counts
-- failed and returned payments (money that did not arrive).
WITH counts AS (
    SELECT
        hour,
        rail_id,
        partner_id,
        any_value(currency) AS currency,
        sum(payments) AS payments,
        sum(succeeded) AS succeeded,
        sum(failed + returned) AS failed,
        sum(pending) AS pending,
        sum(amount_minor - succeeded_amount_minor) AS unsettled_amount_minor
    FROM rollup_hourly
    WHERE hour >= $start AND hour < $end
    GROUP BY ALL
),
h AS (
    SELECT hour, rail_id, partner_id, bucket, sum(n) AS n
    FROM rollup_latency
    WHERE hour >= $start AND hour < $end
    GROUP BY ALL
),
c AS (
    SELECT
        *,
        sum(n) OVER (PARTITION BY hour, rail_id, partner_id ORDER BY bucket) AS cum,
        sum(n) OVER (PARTITION BY hour, rail_id, partner_id) AS total
    FROM h
),
lat AS (
    SELECT
        hour,
        rail_id,
        partner_id,
        any_value(total) AS attempts,
        pow(2, (min(bucket) FILTER (WHERE cum >= 0.95 * total) + 0.5) / 4) AS p95_ms
    FROM c
    GROUP BY ALL
)
SELECT
    coalesce(counts.hour, lat.hour) AS hour,
    coalesce(counts.rail_id, lat.rail_id) AS rail_id,
    coalesce(counts.partner_id, lat.partner_id) AS partner_id,
    counts.currency,
    coalesce(counts.payments, 0) AS payments,
    coalesce(counts.succeeded, 0) AS succeeded,
    coalesce(counts.failed, 0) AS failed,
    coalesce(counts.pending, 0) AS pending,
    coalesce(counts.unsettled_amount_minor, 0) AS unsettled_amount_minor,
    coalesce(lat.attempts, 0) AS attempts,
    lat.p95_ms
FROM counts
FULL OUTER JOIN lat USING (hour, rail_id, partner_id)
ORDER BY rail_id, partner_id, hour
