-- Remove the fanned-out rows of duplicated references (replaced by rx_dupfix): those of their
-- payments here, those of their external items by dup_delete_ext. Two deletes, each a semi
-- join whose few ids DuckDB pushes into the scan of 10 million pairs; one delete of either
-- (an OR of two IN lists) tested every pair against both (0.135 s at 10M).
-- Inputs: rx_pairs_x, rx_dups. Grain: deletes pair rows.
DELETE FROM rx_pairs_x
WHERE payment_id IN (SELECT payment_id FROM rx_dups WHERE payment_id IS NOT NULL)
