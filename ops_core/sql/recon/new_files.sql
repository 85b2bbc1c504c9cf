-- Source files not yet turned into reconciliation items (staging is incremental).
-- Inputs: source_files, recon_staged_files. Grain: one row per new file.
CREATE OR REPLACE TEMP TABLE rx_new_files AS
SELECT f.file_id, coalesce(f.control_ok, TRUE) AS trusted
FROM source_files AS f
WHERE f.file_id NOT IN (SELECT s.file_id FROM recon_staged_files AS s)
