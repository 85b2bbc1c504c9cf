-- Every ledger payment with what reconciliation needs: the exact rule of its rail and partner,
-- its reference under that rule, its flow (a pull brings money in), the day it went final
-- (created, while pending), the day from which a statement date counts as late, whether a kept
-- tolerance/batch match holds it, and its verdict should nothing match it: failed payments
-- move no money, items outside the source's reported days are not covered, items before their
-- due day (in the rail's banking days) are in flight, the rest are missing at the bank.
-- Written narrow (rx_ledger_x): the payment's (rail, partner) as its rx_scope number, the
-- rule as its number, the currency as its cur_code (rx_cur), flow, status and verdict as
-- one-byte codes; the rx_ledger view
-- (ledger_view) reads them back as strings. Ten million rows of nine string columns took
-- most of this step (measured at 3M rows: 0.75 s of 0.6-0.8 s writing the table).
-- The codes: rx_names('status') and rx_names('verdict') (macro_names).
-- Inputs: payments, rx_scope, rx_cur, rx_days, rx_rule_no, recon_matches; $as_of_day.
-- Grain: one row per payment attempt.
CREATE OR REPLACE TEMP TABLE rx_ledger_x AS
WITH held AS (
    SELECT DISTINCT unnest(ledger_ids) AS payment_id FROM recon_matches
),
p AS (
    SELECT *, utc_day(coalesce(final_at, created_at)) AS item_day FROM payments
),
d AS (
    SELECT n.rule_no, d.day, d.late_from, d.due_day
    FROM rx_days AS d
    JOIN rx_rule_no AS n ON n.rule_id = d.rule_id
)
SELECT
    p.payment_id,
    s.combo_no,
    s.rule_no,
    s.src,
    CASE s.ledger_key
        WHEN 'ach_trace_number' THEN p.ach_trace_number
        WHEN 'end_to_end_id' THEN p.end_to_end_id
        WHEN 'uetr' THEN p.uetr
        WHEN 'network_txn_id' THEN p.network_txn_id
        WHEN 'tx_hash_log_index' THEN p.tx_hash || ':' || p.log_index
    END AS ref,
    p.dc = 'debit' AS l_in,  -- a pull (the ledger debits the customer) brings money in
    p.amount_minor,
    c.cur,
    rx_code('status', p.status) AS st,
    p.item_day,
    d.late_from,
    h.payment_id IS NOT NULL AS held,
    CASE
        WHEN s.rule_no IS NULL THEN rx_code('verdict', 'not_covered')
        WHEN p.status = 'failed' THEN rx_code('verdict', 'no_movement')
        WHEN s.first_day IS NULL OR p.item_day < s.first_day THEN rx_code('verdict', 'not_covered')
        WHEN $as_of_day < d.due_day OR s.last_day < d.due_day - INTERVAL 1 DAY
            THEN rx_code('verdict', 'in_flight')
        ELSE rx_code('verdict', 'missing_at_bank')
    END AS verdict
FROM p
JOIN rx_scope AS s ON s.rail_id = p.rail_id AND s.partner_id = p.partner_id
JOIN rx_cur AS c ON c.currency = p.currency
LEFT JOIN d ON d.rule_no = s.rule_no AND d.day = p.item_day
LEFT JOIN held AS h ON h.payment_id = p.payment_id
