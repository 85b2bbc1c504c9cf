-- Rebuilds rollup_latency for attempts created at or after $since.
-- Inputs: payments with a final_at. Grain: hour x rail x partner x log-latency bucket.
-- bucket = floor(4 * log2(latency ms)): quarter-octave buckets (see migration 002).
INSERT INTO rollup_latency
SELECT
    utc_hour(created_at) AS hour,
    rail_id,
    partner_id,
    floor(4 * log2(greatest(epoch_ms(final_at) - epoch_ms(created_at), 1)))::SMALLINT AS bucket,
    count(*) AS n
FROM payments
WHERE created_at >= $since AND final_at IS NOT NULL
GROUP BY ALL
