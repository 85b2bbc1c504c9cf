-- One source file to stage when it is loaded (ops_core.recon.staging), unless it already is.
-- Same shape as new_files, which a run uses for every file nobody staged yet.
-- Inputs: source_files, recon_staged_files; $file_id. Grain: zero or one row.
CREATE OR REPLACE TEMP TABLE rx_new_files AS
SELECT f.file_id, coalesce(f.control_ok, TRUE) AS trusted
FROM source_files AS f
WHERE f.file_id = $file_id
    AND f.file_id NOT IN (SELECT s.file_id FROM recon_staged_files AS s)
