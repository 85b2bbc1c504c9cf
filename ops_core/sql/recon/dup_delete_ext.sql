-- Remove the fanned-out rows of duplicated references left after dup_delete: those of their
-- external items. Inputs: rx_pairs_x, rx_dups. Grain: deletes pair rows.
DELETE FROM rx_pairs_x
WHERE ext_id IN (SELECT ext_id FROM rx_dups WHERE ext_id IS NOT NULL)
