-- A partner's attempt-latency histogram per rail and week counted back from $end (k = 0: the
-- 7 days before $end), so percentiles can be read for any span of weeks.
-- Inputs: rollup_latency (quarter-octave buckets, migration 002); $partner, $end, $weeks.
-- Grain: week back (k) x rail x bucket.
SELECT
    CAST(floor((epoch($end) - epoch(hour)) / 604800) AS INTEGER) AS k,
    rail_id,
    bucket,
    sum(n) AS n
FROM rollup_latency
WHERE partner_id = $partner
  AND hour >= $end - to_days(7 * CAST($weeks AS INTEGER)) AND hour < $end
GROUP BY ALL
ORDER BY rail_id, k, bucket
