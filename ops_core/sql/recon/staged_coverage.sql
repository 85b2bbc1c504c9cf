-- The days each newly staged file reports, per source, rail and partner (migration 064): what
-- recon/coverage groups instead of every staged item. Runs after stage_external, in a run and
-- when the loader stages a file. Inputs: rx_new_files, recon_ext_items; $run_id.
-- Grain: inserts one row per new file, source, rail and partner with dated settlement items.
INSERT INTO recon_ext_coverage
SELECT e.source_file_id, e.source_table, e.rail_id, e.partner_id, min(e.value_date),
    max(e.value_date)
FROM recon_ext_items AS e
WHERE e.source_file_id IN (SELECT file_id FROM rx_new_files) AND e.run_id = $run_id
    AND e.role = 'settlement' AND e.value_date IS NOT NULL
GROUP BY e.source_file_id, e.source_table, e.rail_id, e.partner_id
