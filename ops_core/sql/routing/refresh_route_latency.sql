-- Rebuilds rollup_route_latency from the staged logical payments that completed. Latency is end
-- to end: first attempt created -> final attempt's final status, so a retry's wait counts.
-- bucket = floor(4 * log2(ms)), the quarter-octave buckets of rollup_latency (migration 002).
-- Inputs: temp table routing_logical (stage_logical).
-- Grain: UTC day x rail x partner x service x band x bucket.
INSERT INTO rollup_route_latency
SELECT
    utc_day(created_at) AS day,
    rail_id,
    partner_id,
    service,
    band,
    floor(4 * log2(greatest(epoch_ms(final_at) - epoch_ms(created_at), 1)))::SMALLINT AS bucket,
    count(*) AS n
FROM routing_logical
WHERE status = 'completed' AND final_at IS NOT NULL
GROUP BY ALL
