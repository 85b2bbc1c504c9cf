-- Staged files whose items the kept pairs do not include yet (recon_paired_files).
-- Inputs: recon_staged_files, recon_paired_files. Grain: one row per such file.
CREATE OR REPLACE TEMP TABLE rx_new_paired AS
SELECT file_id FROM recon_staged_files
WHERE file_id NOT IN (SELECT file_id FROM recon_paired_files)
