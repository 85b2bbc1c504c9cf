-- Record the files this run staged (with their item counts) so no later run stages them again.
-- Inputs: rx_new_files, recon_ext_items; $run_id, $now. Grain: one row per staged file.
INSERT INTO recon_staged_files
SELECT n.file_id, $run_id, count(e.ext_id), $now
FROM rx_new_files AS n
LEFT JOIN recon_ext_items AS e ON e.source_file_id = n.file_id AND e.run_id = $run_id
GROUP BY n.file_id
