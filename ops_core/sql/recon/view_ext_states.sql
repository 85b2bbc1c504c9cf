-- External items by source, rail, partner, day and state (unknown items count against the
-- bank side's match rate). Inputs: recon_ext_state, recon_ext_items; $start, $end (DATE);
-- $partner (NULL = every partner; else items of that partner, or paired with its payments).
-- Grain: one row per source x rail x partner x day x state x currency.
SELECT
    e.source_table,
    coalesce(e.rail_id, p.rail_id) AS rail_id,
    coalesce(e.partner_id, p.partner_id) AS partner_id,
    e.value_date AS day,
    s.state,
    e.currency,
    count(*) AS items,
    sum(e.amount_minor) AS amount_minor
FROM recon_ext_state AS s
JOIN recon_ext_items AS e ON e.ext_id = s.ext_id
LEFT JOIN payments AS p ON p.payment_id = s.payment_id
WHERE e.value_date BETWEEN $start AND $end
    AND (CAST($partner AS VARCHAR) IS NULL OR coalesce(e.partner_id, p.partner_id) = CAST($partner AS VARCHAR))
GROUP BY ALL
