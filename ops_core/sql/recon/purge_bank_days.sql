-- Forget the bank movements of files no longer loaded (their items go by purge_items).
-- Inputs: recon_ext_bank_days, source_files. Grain: deletes rows.
DELETE FROM recon_ext_bank_days
WHERE file_id NOT IN (SELECT file_id FROM source_files)
