-- The external items to pair again: every item of a file staged since the kept pairs were
-- made and every settlement item with a reference to pair again (rx_dirty_ref).
-- Inputs: recon_ext_items, rx_new_paired, rx_dirty_ref. Grain: one row per external item.
CREATE OR REPLACE TEMP TABLE rx_dirty_e AS
SELECT ext_id FROM recon_ext_items WHERE source_file_id IN (SELECT file_id FROM rx_new_paired)
UNION
SELECT e.ext_id
FROM recon_ext_items AS e
JOIN rx_dirty_ref AS d ON d.src = CAST((e.ext_id // 1000000000) % 10 AS TINYINT) AND d.ref = e.ref
WHERE e.role = 'settlement'
