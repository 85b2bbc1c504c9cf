-- Candidate external items for a ledger payment nobody matched: same currency, booked within
-- $days days, amount within $pct percent, not already matched; scored like the tolerance pass
-- (0.5 amount, 0.3 date, 0.2 counterparty). Inputs: payments, recon_ext_items,
-- recon_ext_state; $payment_id, $days, $pct; $partner (NULL = any; else items of that partner
-- only). Grain: one row per candidate, best first.
WITH l AS (
    SELECT payment_id, amount_minor, currency, counterparty_name,
        CAST(coalesce(final_at, created_at) AS DATE) AS day,
        CASE dc WHEN 'debit' THEN 'in' ELSE 'out' END AS flow
    FROM payments WHERE payment_id = $payment_id
)
SELECT
    e.ext_id, e.source_table, e.ref, e.amount_minor, e.currency, e.flow, e.value_date,
    e.counterparty, s.state,
    round(0.5 * (1 - least(abs(e.amount_minor - l.amount_minor) / greatest(l.amount_minor, 1), 1))
        + 0.3 * greatest(1 - abs(e.value_date - l.day) / ($days + 1.0), 0)
        + 0.2 * CASE
            WHEN l.counterparty_name IS NULL OR e.counterparty IS NULL THEN 0
            WHEN contains(lower(e.counterparty), lower(l.counterparty_name)) THEN 1
            ELSE jaro_winkler_similarity(lower(e.counterparty), lower(l.counterparty_name))
        END, 3) AS score
FROM l
JOIN recon_ext_items AS e
    ON e.currency = l.currency
    AND e.value_date BETWEEN l.day - $days AND l.day + $days
    AND abs(e.amount_minor - l.amount_minor) <= l.amount_minor * $pct / 100
    AND (e.flow IS NULL OR e.flow = l.flow)
LEFT JOIN recon_ext_state AS s ON s.ext_id = e.ext_id
WHERE coalesce(s.state, '') NOT IN ('matched', 'linked') AND e.role = 'settlement'
    AND (CAST($partner AS VARCHAR) IS NULL OR e.partner_id = CAST($partner AS VARCHAR))
ORDER BY score DESC, e.ext_id
LIMIT 10
