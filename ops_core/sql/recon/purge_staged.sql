-- Forget the staging record of files that are gone, so a file loaded again is staged again.
-- Inputs: recon_staged_files, source_files. Grain: deletes staging rows.
DELETE FROM recon_staged_files
WHERE file_id NOT IN (SELECT file_id FROM source_files)
