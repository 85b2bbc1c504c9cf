-- Drop kept matches (tolerance, batch) one of whose items is gone from the ledger or the
-- external items: their partners are free to match again. Inputs: recon_matches, payments,
-- recon_ext_items. Grain: deletes match rows.
DELETE FROM recon_matches
WHERE match_id IN (
    SELECT u.match_id
    FROM (SELECT match_id, unnest(ext_ids) AS ext_id FROM recon_matches) AS u
    WHERE u.ext_id NOT IN (SELECT ext_id FROM recon_ext_items)
    UNION
    SELECT v.match_id
    FROM (SELECT match_id, unnest(ledger_ids) AS payment_id FROM recon_matches) AS v
    WHERE v.payment_id NOT IN (SELECT payment_id FROM payments)
)
