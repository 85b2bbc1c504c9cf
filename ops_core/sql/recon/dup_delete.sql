-- Remove the fanned-out rows of duplicated references (replaced by rx_dupfix).
-- Inputs: rx_pairs_x, rx_dups. Grain: deletes pair rows.
DELETE FROM rx_pairs_x
WHERE payment_id IN (SELECT payment_id FROM rx_dups WHERE payment_id IS NOT NULL)
    OR ext_id IN (SELECT ext_id FROM rx_dups WHERE ext_id IS NOT NULL)
