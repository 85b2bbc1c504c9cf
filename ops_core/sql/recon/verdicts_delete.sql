-- Take out the unpaired ledger items' rows (put back with their verdict by verdicts_insert).
-- Inputs: recon_pairs. Grain: deletes one row per unpaired ledger item.
DELETE FROM recon_pairs
WHERE ext_id IS NULL
    AND outcome BETWEEN rx_code('outcome', 'not_covered') AND rx_code('outcome', 'missing_at_bank')
