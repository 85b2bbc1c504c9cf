-- Every staged ledger payment as the later steps read it: recon_ledger_items (written narrow
-- by ledger.sql) with its rail, partner, rule and source from rx_scope, its currency decoded
-- by rx_currency (engine._register_currencies: not a join, which reordered the later steps'
-- joins and took them from 4 s to 10 s at 3M rows) and its flow and status as strings. A
-- view: a step pays for the strings of the rows it reads.
-- Inputs: recon_ledger_items, rx_scope, rx_currency, rx_names. Grain: one row per payment attempt.
CREATE OR REPLACE TEMP VIEW rx_ledger AS
SELECT
    x.payment_id,
    s.rail_id,
    s.partner_id,
    s.rule_id,
    x.rule_no,
    s.ext_source,
    x.src,
    x.ref,
    CASE WHEN x.l_in THEN 'in' ELSE 'out' END AS flow,
    x.amount_minor,
    rx_currency(x.cur) AS currency,
    rx_names('status')[x.st + 1] AS status,
    x.item_day,
    x.late_from
FROM recon_ledger_items AS x
JOIN rx_scope AS s ON s.combo_no = x.combo_no
