-- The verdict of every kept unpaired ledger item (pass_exact writes a new one as
-- missing_at_bank): failed payments move no money, items outside the days their source has
-- reported are not covered, items before their due day (in the rail's banking days) or whose
-- source has not reported up to the day before it are in flight, the rest are missing at
-- the bank. Worked out every run, for all of them: it depends on the run's date and on what
-- has arrived. A row whose verdict changes takes this run's number.
-- verdicts_delete and verdicts_insert put the rows back with it (an UPDATE of the same rows
-- took 0.28 s for 32k of 3 million rows; a delete and an insert a few milliseconds).
-- Inputs: recon_pairs, recon_ledger_items, rx_scope, rx_days; $as_of_day, $run_id.
-- Grain: one row per unpaired ledger item.
CREATE OR REPLACE TEMP TABLE rx_verdicts AS
WITH v AS (
    SELECT
        x.*,
        rx_code('outcome', 'not_covered') + CASE
            WHEN l.st = rx_code('status', 'failed') THEN rx_code('verdict', 'no_movement')
            WHEN s.first_day IS NULL OR l.item_day < s.first_day
                THEN rx_code('verdict', 'not_covered')
            WHEN $as_of_day < d.due_day OR s.last_day < d.due_day - INTERVAL 1 DAY
                THEN rx_code('verdict', 'in_flight')
            ELSE rx_code('verdict', 'missing_at_bank')
        END AS verdict
    FROM recon_pairs AS x
    JOIN recon_ledger_items AS l ON l.payment_id = x.payment_id
    JOIN rx_scope AS s ON s.combo_no = l.combo_no
    LEFT JOIN rx_days AS d ON d.rule_id = s.rule_id AND d.day = l.item_day
    WHERE x.ext_id IS NULL
        AND x.outcome BETWEEN rx_code('outcome', 'not_covered')
            AND rx_code('outcome', 'missing_at_bank')
)
SELECT payment_id, ext_id, rule_no, verdict AS outcome, other_id,
    CASE WHEN verdict = outcome THEN run_id ELSE $run_id END AS run_id
FROM v
