-- 064: which days each staged file reports, kept per file.
-- A run used to find the days each external source has reported (per rail and partner) by
-- grouping every staged external item (recon/coverage: 0.13 to 0.16 s a run at 10M items).
-- Each file's range is now worked out once, when the file is staged (recon/staged_coverage),
-- and a run groups these few rows; a removed file's rows go with its items (purge_coverage).
-- One row per staged file, source, rail and partner with settlement items that have a date.
CREATE TABLE recon_ext_coverage (
    file_id      BIGINT NOT NULL,
    source_table VARCHAR NOT NULL,
    rail_id      VARCHAR,
    partner_id   VARCHAR,
    first_day    DATE NOT NULL,
    last_day     DATE NOT NULL
);

INSERT INTO recon_ext_coverage
SELECT source_file_id, source_table, rail_id, partner_id, min(value_date), max(value_date)
FROM recon_ext_items
WHERE role = 'settlement' AND value_date IS NOT NULL
GROUP BY source_file_id, source_table, rail_id, partner_id;
