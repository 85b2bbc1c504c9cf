-- Forget the reported days of files no longer loaded (their items go by purge_items).
-- Inputs: recon_ext_coverage, source_files. Grain: deletes coverage rows.
DELETE FROM recon_ext_coverage
WHERE file_id NOT IN (SELECT file_id FROM source_files)
