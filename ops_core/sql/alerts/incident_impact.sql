-- The payments an incident hit: logical payments (retries counted once, by the final
-- attempt's outcome, as in rollup_hourly) on its affected scopes, first attempted in
-- [$start, $end), that failed, were returned or are still pending; per client and currency.
-- Inputs: payments; incident_scopes (registered by ops_core.alerts.incidents: rail_id,
-- partner_id, client_id, NULL = any); $start, $end. Grain: client x currency.
WITH logical AS (
    SELECT
        original_payment_id,
        rail_id,
        partner_id,
        arg_max(client_id, attempt_no) AS client_id,
        arg_max(currency, attempt_no) AS currency,
        arg_max(amount_minor, attempt_no) AS amount_minor,
        arg_max(status, attempt_no) AS status,
        count(*) AS attempts
    FROM payments
    WHERE original_created_at >= $start AND original_created_at < $end
    GROUP BY original_payment_id, rail_id, partner_id
),
hit AS (
    SELECT DISTINCT l.*
    FROM logical AS l
    JOIN incident_scopes AS s
        ON (s.rail_id IS NULL OR s.rail_id = l.rail_id)
        AND (s.partner_id IS NULL OR s.partner_id = l.partner_id)
        AND (s.client_id IS NULL OR s.client_id = l.client_id)
    WHERE l.status IN ('failed', 'returned', 'pending')
)
SELECT
    h.client_id,
    coalesce(c.name, h.client_id) AS client,
    h.currency,
    count(*) AS payments,
    count(*) FILTER (WHERE h.status = 'pending') AS pending,
    sum(h.amount_minor) AS amount_minor
FROM hit AS h
LEFT JOIN clients AS c USING (client_id)
GROUP BY ALL
ORDER BY payments DESC, h.client_id
