-- Ledger items the exact pass left unpaired that moved money, dated near an unpaired external
-- item (a window of any rule is at most a month): what the tolerance and batch passes may still
-- match. Inputs: rx_pairs, rx_xl, payments, rx_left_e. Grain: one row per payment.
CREATE OR REPLACE TEMP TABLE rx_left_l AS
SELECT l.*, x.outcome, p.client_id, p.counterparty_name
FROM rx_pairs AS x
JOIN rx_xl AS l ON l.payment_id = x.payment_id
JOIN payments AS p ON p.payment_id = x.payment_id
WHERE x.ext_id IS NULL
    AND x.outcome IN ('missing_at_bank', 'in_flight', 'not_covered')
    AND l.status IN ('completed', 'returned')
    AND l.item_day >= (SELECT min(value_date) FROM rx_left_e) - INTERVAL 31 DAY
    AND l.item_day <= (SELECT max(value_date) FROM rx_left_e) + INTERVAL 31 DAY
