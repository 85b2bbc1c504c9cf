-- Latency percentiles over time from the log-latency histogram (not split by client).
-- Inputs: rollup_latency; $start, $end, $grain, $tz, $rails, $partners.
-- Grain: rail x time bucket in the viewer's zone (rails differ by orders of magnitude, so
-- their latencies are never pooled).
WITH h AS (
    SELECT rail_id, date_trunc($grain, timezone($tz, hour)) AS t, bucket, sum(n) AS n
    FROM rollup_latency
    WHERE hour >= $start AND hour < $end
      AND list_contains($rails, rail_id)
      AND list_contains($partners, partner_id)
    GROUP BY ALL
),
c AS (
    SELECT
        *,
        sum(n) OVER (PARTITION BY rail_id, t ORDER BY bucket) AS cum,
        sum(n) OVER (PARTITION BY rail_id, t) AS total
    FROM h
)
SELECT
    rail_id,
    t AS bucket,
    any_value(total) AS attempts,
    pow(2, (min(bucket) FILTER (WHERE cum >= 0.50 * total) + 0.5) / 4) AS p50_ms,
    pow(2, (min(bucket) FILTER (WHERE cum >= 0.95 * total) + 0.5) / 4) AS p95_ms,
    pow(2, (min(bucket) FILTER (WHERE cum >= 0.99 * total) + 0.5) / 4) AS p99_ms
FROM c
GROUP BY rail_id, t
ORDER BY rail_id, t
