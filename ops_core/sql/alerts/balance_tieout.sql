-- The latest balance tie-out of each bank account before each evaluation day: reconciliation's
-- opening balance plus movements against the statement's closing balance, and what is left
-- unexplained (recon_balances.unexplained_minor). The account's partner and rail come from
-- recon_accounts.
-- Inputs: recon_balances, recon_accounts (migration 050); $times. The rule is skipped while
-- the tables are missing. Grain: evaluation time x account.
WITH t AS (
    SELECT unnest($times) AS eval_at
),
latest AS (
    SELECT t.eval_at, b.account, max(b.day) AS day
    FROM t
    JOIN recon_balances AS b ON b.day < CAST(t.eval_at AS DATE)
    GROUP BY ALL
)
SELECT
    l.eval_at,
    a.rail_id,
    a.partner_id,
    l.account,
    l.day,
    b.unexplained_minor AS variance_minor,
    b.currency
FROM latest AS l
JOIN recon_balances AS b ON b.account = l.account AND b.day = l.day
LEFT JOIN recon_accounts AS a ON a.ext_source = 'bank_statement_lines' AND a.account = l.account
WHERE b.unexplained_minor IS NOT NULL
