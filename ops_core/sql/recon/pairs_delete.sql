-- Drop the kept pairs this run makes again ($all: every one; else those of the items paired
-- again), and those of items a kept tolerance or batch match now holds (the exact pass leaves
-- held items out). Inputs: recon_pairs, rx_dirty_l, rx_dirty_e, recon_matches; $all.
-- Grain: deletes pair rows.
DELETE FROM recon_pairs
WHERE $all
    OR payment_id IN (SELECT payment_id FROM rx_dirty_l)
    OR ext_id IN (SELECT ext_id FROM rx_dirty_e)
    OR payment_id IN (SELECT unnest(ledger_ids) FROM recon_matches)
    OR ext_id IN (
        SELECT unnest(ext_ids) FROM recon_matches WHERE pass = 'tolerance'
        UNION
        SELECT ext_ids[1] FROM recon_matches WHERE pass = 'batch'
    )
