-- Number the (rail, partner) pairs of newly staged payments that have no number yet
-- (recon_ledger_combos, migration 061): a staged ledger row names its pair by this number
-- (rx_scope says its rail, partner and exact rule) instead of carrying the strings. Numbers
-- are never reused or changed, so staged rows keep theirs.
-- Inputs: payments, rx_new_pay; $all (every payment is being staged).
-- Grain: inserts one row per new pair.
INSERT INTO recon_ledger_combos
SELECT
    CAST((SELECT coalesce(max(combo_no), 0) FROM recon_ledger_combos)
        + row_number() OVER (ORDER BY rail_id, partner_id) AS UINTEGER),
    rail_id,
    partner_id
FROM (
    SELECT DISTINCT rail_id, partner_id FROM payments
    WHERE $all OR payment_id IN (SELECT payment_id FROM rx_new_pay)
) AS n
WHERE NOT EXISTS (
    SELECT 1 FROM recon_ledger_combos AS c
    WHERE c.rail_id = n.rail_id AND c.partner_id = n.partner_id
)
