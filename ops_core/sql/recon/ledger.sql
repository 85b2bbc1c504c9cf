-- Every ledger payment with what reconciliation needs: the exact rule of its rail and partner,
-- its reference under that rule, its flow (a pull brings money in), the day it went final
-- (created, while pending), the day from which a statement date counts as late, whether a kept
-- tolerance/batch match holds it, and its verdict should nothing match it: failed payments
-- move no money, items outside the source's reported days are not covered, items before their
-- due day (in the rail's banking days) are in flight, the rest are missing at the bank.
-- Inputs: payments, rx_scope, rx_days, recon_matches; $as_of_day.
-- Grain: one row per payment attempt.
CREATE OR REPLACE TEMP TABLE rx_ledger AS
WITH held AS (
    SELECT DISTINCT unnest(ledger_ids) AS payment_id FROM recon_matches
),
p AS (
    SELECT *, CAST(coalesce(final_at, created_at) AS DATE) AS item_day FROM payments
)
SELECT
    p.payment_id,
    p.rail_id,
    p.partner_id,
    s.rule_id,
    s.ext_source,
    s.src,
    CASE s.ledger_key
        WHEN 'ach_trace_number' THEN p.ach_trace_number
        WHEN 'end_to_end_id' THEN p.end_to_end_id
        WHEN 'uetr' THEN p.uetr
        WHEN 'network_txn_id' THEN p.network_txn_id
        WHEN 'tx_hash_log_index' THEN p.tx_hash || ':' || p.log_index
    END AS ref,
    CASE p.dc WHEN 'debit' THEN 'in' ELSE 'out' END AS flow,
    p.amount_minor,
    p.currency,
    p.status,
    p.item_day,
    d.late_from,
    h.payment_id IS NOT NULL AS held,
    CASE
        WHEN s.rule_id IS NULL THEN 'not_covered'
        WHEN p.status = 'failed' THEN 'no_movement'
        WHEN s.first_day IS NULL OR p.item_day < s.first_day THEN 'not_covered'
        WHEN $as_of_day < d.due_day OR s.last_day < d.due_day - INTERVAL 1 DAY THEN 'in_flight'
        ELSE 'missing_at_bank'
    END AS verdict
FROM p
LEFT JOIN rx_scope AS s ON s.rail_id = p.rail_id AND s.partner_id = p.partner_id
LEFT JOIN rx_days AS d ON d.rule_id = s.rule_id AND d.day = p.item_day
LEFT JOIN held AS h ON h.payment_id = p.payment_id
