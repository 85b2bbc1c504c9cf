-- The settled bank movements of each newly staged statement file per account and day
-- (migration 067): what the balance tie-out adds up instead of every staged line. Runs after
-- stage_external, in a run and when the loader stages a file.
-- Inputs: rx_new_files, recon_ext_items; $run_id.
-- Grain: inserts one row per new file, account and value date with settled lines.
INSERT INTO recon_ext_bank_days
SELECT e.source_file_id, e.account, e.value_date,
    sum(CASE e.flow WHEN 'in' THEN e.amount_minor ELSE -e.amount_minor END), count(*)
FROM recon_ext_items AS e
WHERE e.source_file_id IN (SELECT file_id FROM rx_new_files) AND e.run_id = $run_id
    AND e.source_table = 'bank_statement_lines' AND e.ext_status = 'settled'
GROUP BY e.source_file_id, e.account, e.value_date
