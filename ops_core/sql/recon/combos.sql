-- Every (rail, partner) pair of the ledger, numbered: rx_ledger_x names a payment's pair by
-- this number (rx_scope says its rail, partner and exact rule) instead of carrying the strings.
-- Inputs: payments. Grain: one row per (rail, partner) pair.
CREATE OR REPLACE TEMP TABLE rx_combo AS
SELECT CAST(row_number() OVER (ORDER BY rail_id, partner_id) AS UINTEGER) AS combo_no,
    rail_id, partner_id
FROM (SELECT DISTINCT rail_id, partner_id FROM payments)
