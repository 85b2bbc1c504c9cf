-- Attempts pending longer than their route allows, at each evaluation time.
-- Inputs: payments; stuck_cuts (registered by ops_core.alerts.stuck: eval_at, rail_id, partner_id,
-- created_before = the instant an attempt must have been created before to be stuck then,
-- created_after = how far back to look, min_age_seconds = a lower bound of that age, used to
-- keep only the few slow attempts before the range join).
-- An attempt is pending at eval_at when it was created before and had no final status by then.
-- Grain: evaluation time x rail x partner.
WITH bounds AS (
    SELECT
        rail_id,
        partner_id,
        min(min_age_seconds) AS min_age_seconds,
        min(created_after) AS lo,
        max(created_before) AS hi
    FROM stuck_cuts
    GROUP BY ALL
),
slow AS (
    SELECT p.payment_id, p.rail_id, p.partner_id, p.client_id, p.created_at, p.final_at,
        p.amount_minor, p.currency
    FROM payments AS p
    JOIN bounds AS b ON b.rail_id = p.rail_id AND b.partner_id = p.partner_id
    WHERE p.created_at >= b.lo AND p.created_at < b.hi
      AND (p.final_at IS NULL OR epoch(p.final_at) - epoch(p.created_at) > b.min_age_seconds)
)
SELECT
    c.eval_at,
    s.rail_id,
    s.partner_id,
    count(*) AS stuck,
    sum(s.amount_minor) AS amount_minor,
    any_value(s.currency) AS currency,
    min(s.created_at) AS oldest,
    max(s.created_at) AS newest,
    list(DISTINCT s.client_id ORDER BY s.client_id) AS clients
FROM stuck_cuts AS c
JOIN slow AS s
    ON s.rail_id = c.rail_id
    AND s.partner_id = c.partner_id
    AND s.created_at < c.created_before
    AND s.created_at >= c.created_after
    AND (s.final_at IS NULL OR s.final_at > c.eval_at)
GROUP BY ALL
ORDER BY c.eval_at, s.rail_id, s.partner_id
