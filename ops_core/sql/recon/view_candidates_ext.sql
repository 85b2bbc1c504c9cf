-- Candidate ledger payments for an external item nobody matched: same currency, final within
-- $days days, amount within $pct percent, not already matched; scored like the tolerance pass.
-- Inputs: recon_ext_items, payments, recon_ledger_state; $ext_id, $days, $pct; $partner (NULL =
-- any; else that partner's payments only).
-- Grain: one row per candidate, best first.
WITH e AS (
    SELECT ext_id, amount_minor, currency, value_date, counterparty, flow
    FROM recon_ext_items WHERE ext_id = $ext_id
)
SELECT
    p.payment_id, p.rail_id, p.partner_id,
    coalesce(p.ach_trace_number, p.end_to_end_id, p.network_txn_id,
        p.tx_hash || ':' || p.log_index) AS reference,
    p.amount_minor, p.currency, CASE p.dc WHEN 'debit' THEN 'in' ELSE 'out' END AS flow,
    CAST(coalesce(p.final_at, p.created_at) AS DATE) AS day, p.status, p.counterparty_name,
    s.state,
    round(0.5 * (1 - least(abs(e.amount_minor - p.amount_minor) / greatest(p.amount_minor, 1), 1))
        + 0.3 * greatest(1 - abs(e.value_date - CAST(coalesce(p.final_at, p.created_at) AS DATE))
            / ($days + 1.0), 0)
        + 0.2 * CASE
            WHEN p.counterparty_name IS NULL OR e.counterparty IS NULL THEN 0
            WHEN contains(lower(e.counterparty), lower(p.counterparty_name)) THEN 1
            ELSE jaro_winkler_similarity(lower(e.counterparty), lower(p.counterparty_name))
        END, 3) AS score
FROM e
JOIN payments AS p
    ON p.currency = e.currency
    AND p.final_at >= CAST(e.value_date - $days AS TIMESTAMPTZ)
    AND p.final_at < CAST(e.value_date + $days + 1 AS TIMESTAMPTZ)
    AND abs(p.amount_minor - e.amount_minor) <= e.amount_minor * $pct / 100
    AND (e.flow IS NULL OR e.flow = CASE p.dc WHEN 'debit' THEN 'in' ELSE 'out' END)
LEFT JOIN recon_ledger_state AS s ON s.payment_id = p.payment_id
WHERE coalesce(s.state, '') NOT IN ('matched', 'no_movement')
    AND (CAST($partner AS VARCHAR) IS NULL OR p.partner_id = CAST($partner AS VARCHAR))
ORDER BY score DESC, p.payment_id
LIMIT 10
