-- Ledger items by rail, partner, day and reconciliation state, for match rates: matched over
-- judged (matched + break + resolved); in flight, no movement and not covered shown apart.
-- Inputs: recon_ledger_state, payments; $start, $end (DATE, the ledger's final day); $partner
-- (NULL = every partner; else that partner's payments only).
-- Grain: one row per rail x partner x day x state x currency.
SELECT
    p.rail_id,
    p.partner_id,
    CAST(coalesce(p.final_at, p.created_at) AS DATE) AS day,
    s.state,
    p.currency,
    count(*) AS items,
    sum(p.amount_minor) AS amount_minor
FROM recon_ledger_state AS s
JOIN payments AS p ON p.payment_id = s.payment_id
WHERE CAST(coalesce(p.final_at, p.created_at) AS DATE) BETWEEN $start AND $end
    AND (CAST($partner AS VARCHAR) IS NULL OR p.partner_id = CAST($partner AS VARCHAR))
GROUP BY ALL
