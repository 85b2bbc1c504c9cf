-- Forget external items whose source file is gone (a demo rebuild or a deleted upload).
-- Inputs: recon_ext_items, source_files. Grain: deletes item rows.
DELETE FROM recon_ext_items
WHERE source_file_id NOT IN (SELECT file_id FROM source_files)
