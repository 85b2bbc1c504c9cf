-- Stage ledger payments for reconciliation (recon_ledger_items, migration 061): the exact rule
-- of each payment's rail and partner, its reference under that rule, its flow (a pull brings
-- money in), the day it went final (created, while pending) and the day from which a
-- statement date counts as late. Staged once and kept: a run stages the payments nobody has
-- staged ($all: every payment, on a first run or when the basis changed, engine.stage_ledger).
-- What depends on the run (held by a kept match; the verdict should nothing match) is not
-- staged: pass_exact and verdicts work it out.
-- Written narrow: the payment's (rail, partner) as its recon_ledger_combos number, the rule
-- as its number, the currency as its cur_code (rx_cur), flow and status as one-byte codes;
-- the rx_ledger view (ledger_view) reads them back as strings. Ten million rows of nine
-- string columns took most of this step (measured at 3M rows: 0.75 s of 0.6-0.8 s writing
-- the table). The codes: rx_names('status') (macro_names).
-- Inputs: payments, rx_new_pay, rx_scope, rx_cur, rx_days, rx_rule_no; $all, $seq.
-- Grain: inserts one row per payment attempt staged.
INSERT INTO recon_ledger_items
WITH
p AS (
    SELECT *, utc_day(coalesce(final_at, created_at)) AS item_day FROM payments
    WHERE $all OR payment_id IN (SELECT payment_id FROM rx_new_pay)
),
d AS (
    SELECT n.rule_no, d.day, d.late_from
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
    $seq AS seq  -- this staging's number (recon_stage_seq): runs find what is new by it
FROM p
JOIN rx_scope AS s ON s.rail_id = p.rail_id AND s.partner_id = p.partner_id
JOIN rx_cur AS c ON c.currency = p.currency
LEFT JOIN d ON d.rule_no = s.rule_no AND d.day = p.item_day
