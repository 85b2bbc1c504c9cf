-- The balance tie-out of the last run per account and day, newest day first.
-- Inputs: recon_balances, recon_accounts; $start, $end (DATE); $partner (NULL = every account;
-- else that partner's accounts only). Grain: one row per account x day.
SELECT b.*, a.partner_id, a.rail_id
FROM recon_balances AS b
LEFT JOIN (
    SELECT account, any_value(partner_id) AS partner_id, any_value(rail_id) AS rail_id
    FROM recon_accounts GROUP BY account
) AS a ON a.account = b.account
WHERE b.day BETWEEN $start AND $end
    AND (CAST($partner AS VARCHAR) IS NULL OR a.partner_id = CAST($partner AS VARCHAR))
ORDER BY b.day DESC, b.account
