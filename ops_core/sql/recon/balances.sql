-- Balance tie-out per bank account and day: the statement's opening balance plus the ledger's
-- movements against the statement's closing balance (BAI2 010/015, camt OPBD/CLBD, MT940
-- 60/62; domain.md §3.3, §4.3). Ledger movements of a day = the ledger amounts behind each of
-- the day's bank lines (an exact pair, a kept match's payments, a card batch's net, a linked
-- return) plus the payments of the account's rail and partner missing at the bank that day.
-- Only lines that are not a clean exact pair can differ from the ledger behind them, so the
-- item-level differences ("explained") are summed over those and the missing payments, and
-- ledger movements = bank movements - explained. variance = closing - (opening + ledger
-- movements); gap = opening - the previous statement's closing; unexplained = variance -
-- explained + gap: money the statement's balances show but its lines do not (a break).
-- Inputs: bank_balances, recon_ext_bank_days, recon_ext_items, rx_eexc, rx_lexc, rx_pairs,
-- rx_ledger, rx_returns, recon_matches, recon_accounts; $run_id.
-- Grain: one row per account and statement day.
INSERT INTO recon_balances
WITH
bal AS (
    SELECT account, as_of AS day, currency,
        arg_max(amount_minor, source_file_id)
            FILTER (WHERE balance_type IN ('010', 'OPBD', '60F', '60M')) AS opening,
        arg_max(amount_minor, source_file_id)
            FILTER (WHERE balance_type IN ('015', 'CLBD', '62F', '62M')) AS closing,
        max(source_file_id) AS source_file_id
    FROM bank_balances
    WHERE as_of IS NOT NULL
    GROUP BY account, as_of, currency
),
bank AS (
    -- each staged file's settled movements per account and day (recon_ext_bank_days, written
    -- when the file was staged), added up: not every staged line again
    SELECT account, day, sum(signed) AS signed, CAST(sum(n) AS BIGINT) AS n
    FROM recon_ext_bank_days
    WHERE account IN (SELECT account FROM bal)
    GROUP BY account, day
),
odd AS (
    SELECT ext_id FROM rx_eexc
    UNION
    -- on the code, not rx_pairs' string outcome (made for each of 10 million pairs)
    SELECT ext_id FROM rx_pairs
    WHERE outcome_code = rx_code('outcome', 'ok_tolerance') AND ext_id IS NOT NULL
    UNION
    SELECT ext_ids[1] FROM recon_matches
),
lines AS MATERIALIZED (
    SELECT e.ext_id, e.account, e.value_date AS day,
        CASE e.flow WHEN 'in' THEN e.amount_minor ELSE -e.amount_minor END AS signed
    FROM odd
    JOIN recon_ext_items AS e ON e.ext_id = odd.ext_id
    WHERE e.source_table = 'bank_statement_lines' AND e.ext_status = 'settled'
),
behind AS (
    -- an exact pair (clean within tolerance, or a break): the ledger's own signed amount
    SELECT x.ext_id,
        CASE l.flow WHEN 'in' THEN l.amount_minor ELSE -l.amount_minor END AS signed
    FROM rx_pairs AS x
    JOIN lines AS b ON b.ext_id = x.ext_id
    JOIN rx_ledger AS l ON l.payment_id = x.payment_id
    UNION ALL
    -- a kept one-to-one or many-to-one match: its payments
    SELECT m.ext_id, CASE l.flow WHEN 'in' THEN l.amount_minor ELSE -l.amount_minor END
    FROM (SELECT ext_ids[1] AS ext_id, unnest(ledger_ids) AS payment_id FROM recon_matches) AS m
    JOIN lines AS b ON b.ext_id = m.ext_id
    JOIN rx_ledger AS l ON l.payment_id = m.payment_id
    UNION ALL
    -- a card batch: what the network's report says it settled (its net)
    SELECT m.line_id, sum(e.net_minor)
    FROM (SELECT ext_ids[1] AS line_id, unnest(ext_ids[2:]) AS ext_id FROM recon_matches
          WHERE kind = 'batch_to_line') AS m
    JOIN recon_ext_items AS e ON e.ext_id = m.ext_id
    GROUP BY m.line_id
    UNION ALL
    -- a linked return: the original's amount, moving the way the return line moves
    SELECT r.ext_id, sign(b.signed) * l.amount_minor
    FROM rx_returns AS r
    JOIN lines AS b ON b.ext_id = r.ext_id
    JOIN rx_ledger AS l ON l.payment_id = r.payment_id
    WHERE r.outcome IN ('linked', 'amount_mismatch')
),
per_line AS (
    SELECT b.account, b.day, b.signed - coalesce(sum(h.signed), 0) AS diff
    FROM lines AS b
    LEFT JOIN behind AS h ON h.ext_id = b.ext_id
    GROUP BY b.ext_id, b.account, b.day, b.signed
),
missing AS (
    SELECT a.account, l.item_day AS day,
        sum(CASE l.flow WHEN 'in' THEN l.amount_minor ELSE -l.amount_minor END) AS signed
    FROM rx_lexc AS s
    JOIN rx_ledger AS l ON l.payment_id = s.payment_id
    JOIN recon_accounts AS a
        ON a.ext_source = 'bank_statement_lines'
        AND a.rail_id = l.rail_id AND a.partner_id = l.partner_id
    WHERE s.category = 'missing_at_bank'
    GROUP BY a.account, l.item_day
),
explained AS (
    SELECT account, day, sum(diff) AS diff FROM per_line GROUP BY account, day
),
tie AS (
    SELECT
        bal.account, bal.day, bal.currency, bal.opening, bal.closing, bal.source_file_id,
        coalesce(bk.signed, 0) AS bank_moves,
        coalesce(ex.diff, 0) - coalesce(mi.signed, 0) AS explained,
        coalesce(bk.n, 0) AS n,
        coalesce(bal.opening - lag(bal.closing) OVER (
            PARTITION BY bal.account, bal.currency ORDER BY bal.day), 0) AS gap
    FROM bal
    LEFT JOIN explained AS ex ON ex.account = bal.account AND ex.day = bal.day
    LEFT JOIN missing AS mi ON mi.account = bal.account AND mi.day = bal.day
    LEFT JOIN bank AS bk ON bk.account = bal.account AND bk.day = bal.day
)
SELECT
    $run_id, account, day, currency, opening,
    bank_moves - explained,
    bank_moves,
    opening + bank_moves - explained,
    closing,
    closing - (opening + bank_moves - explained),
    explained,
    gap,
    closing - opening - bank_moves + gap,
    n, source_file_id
FROM tie
