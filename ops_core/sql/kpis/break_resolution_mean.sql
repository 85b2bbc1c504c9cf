-- KPI break_resolution_mean: mean hours from detection to resolution of the breaks closed
-- (resolved or written off) in each ISO week (UTC), by resolved_at.
-- Inputs: recon_breaks (migration 050); $start, $end, $rails, $all_rails.
-- Grain: week (DATE) x series ('all'); denominator = breaks closed.
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
SELECT
    CAST(date_trunc('week', resolved_at AT TIME ZONE 'UTC') AS DATE) AS week,
    'all' AS series,
    avg(epoch(resolved_at) - epoch(detected_at)) / 3600 AS value,
    CAST(NULL AS DOUBLE) AS numerator,
    CAST(count(*) AS DOUBLE) AS denominator
FROM recon_breaks
WHERE status IN ('resolved', 'written_off')
  AND resolved_at >= $start AND resolved_at < $end
  AND ($all_rails OR list_contains($rails, rail_id))
  AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
GROUP BY ALL
ORDER BY week
