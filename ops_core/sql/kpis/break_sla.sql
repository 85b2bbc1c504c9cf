-- KPI break_sla: SLA compliance per ISO week (UTC): of the breaks whose SLA fell due in the
-- week (sla_due_at), the share resolved or written off by then (resolved_at <= sla_due_at).
-- Inputs: recon_breaks (migration 050); $start, $end, $rails, $all_rails.
-- Grain: week (DATE) x series ('all').
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
SELECT
    CAST(date_trunc('week', sla_due_at AT TIME ZONE 'UTC') AS DATE) AS week,
    'all' AS series,
    CAST(count(*) FILTER (WHERE resolved_at <= sla_due_at) AS DOUBLE) / count(*) AS value,
    CAST(count(*) FILTER (WHERE resolved_at <= sla_due_at) AS DOUBLE) AS numerator,
    CAST(count(*) AS DOUBLE) AS denominator
FROM recon_breaks
WHERE sla_due_at >= $start AND sla_due_at < $end
  AND ($all_rails OR list_contains($rails, rail_id))
  AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
GROUP BY ALL
ORDER BY week
