-- KPI dispute_deadlines_missed: our dispute responses (dispute_deadlines.party = 'us') whose
-- network deadline fell in each ISO week and was missed: answered after it (late) or still
-- unanswered once it had passed by $now, the data's now. A case conceded on purpose (outcome
-- 'accepted', e.g. a timely ACH return whose dishonor window we let run out) missed nothing.
-- Target: zero.
-- Inputs: dispute_deadlines, dispute_cases (migration 020); $start, $end, $rails, $now.
-- Grain: week (DATE of the Monday) x series ('all'); denominator = our deadlines due.
WITH due AS (
    SELECT
        CAST(date_trunc('week', d.network_due) AS DATE) AS week,
        coalesce(c.outcome, '') <> 'accepted'
        AND coalesce(d.late, d.done_at IS NULL AND d.network_due < CAST($now AS DATE)) AS missed
    FROM dispute_deadlines AS d
    JOIN dispute_cases AS c ON c.case_id = d.case_id
    WHERE d.party = 'us'
      AND d.network_due >= CAST($start AS DATE) AND d.network_due < CAST($end AS DATE)
      AND list_contains($rails, c.rail_id)
)
SELECT
    week,
    'all' AS series,
    CAST(count(*) FILTER (WHERE missed) AS DOUBLE) AS value,
    CAST(count(*) FILTER (WHERE missed) AS DOUBLE) AS numerator,
    CAST(count(*) AS DOUBLE) AS denominator
FROM due
GROUP BY week
ORDER BY week
