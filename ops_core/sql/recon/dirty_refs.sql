-- The references to pair again: those of ledger rows staged since the kept pairs were made
-- ($ledger_seq) and of settlement items of files staged since (rx_new_paired), by the source
-- code the exact pass joins on. Inputs: recon_ledger_items, recon_ext_items, rx_new_paired;
-- $ledger_seq. Grain: one row per (source, reference).
CREATE OR REPLACE TEMP TABLE rx_dirty_ref AS
SELECT DISTINCT src, ref
FROM (
    SELECT src, ref FROM recon_ledger_items
    WHERE coalesce(seq, 0) > $ledger_seq AND rule_no IS NOT NULL
    UNION ALL
    SELECT CAST((ext_id // 1000000000) % 10 AS TINYINT), ref FROM recon_ext_items
    WHERE role = 'settlement' AND source_file_id IN (SELECT file_id FROM rx_new_paired)
)
WHERE ref IS NOT NULL
