-- Take out the unpaired ledger items' rows (put back with their verdict by verdicts_insert).
-- Inputs: rx_pairs_x. Grain: deletes one row per unpaired ledger item.
DELETE FROM rx_pairs_x WHERE ext_id IS NULL
