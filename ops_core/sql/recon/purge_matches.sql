-- Drop kept matches (tolerance, batch) one of whose items is gone from the ledger or the
-- external items: their partners are free to match again. Whether an item still exists is
-- asked for the matches' items only (a semi join built on them, not a hash table of every
-- payment). Inputs: recon_matches, payments, recon_ext_items. Grain: deletes match rows.
DELETE FROM recon_matches
WHERE match_id IN (
    SELECT u.match_id
    FROM (SELECT match_id, unnest(ext_ids) AS ext_id FROM recon_matches) AS u
    WHERE u.ext_id NOT IN (
        SELECT ext_id FROM recon_ext_items
        WHERE ext_id IN (SELECT unnest(ext_ids) FROM recon_matches))
    UNION
    SELECT v.match_id
    FROM (SELECT match_id, unnest(ledger_ids) AS payment_id FROM recon_matches) AS v
    WHERE v.payment_id NOT IN (
        SELECT payment_id FROM payments
        WHERE payment_id IN (SELECT unnest(ledger_ids) FROM recon_matches))
)
