-- 063: recon_pairs' small columns are written with a fixed compression.
-- A first run writes one recon_pairs row per pair (10 million at the benchmark's size).
-- DuckDB tries every compression method on every column segment it writes and keeps the
-- best; for the four columns whose method is known in advance (the rule number packs into a
-- few bits, the outcome is mostly 'ok', other_id mostly NULL and run_id one number per run)
-- that analysis cost about 0.2 of the 0.85 s the 10 million rows took (measured on a copy
-- of the table, 2 rounds each). The ids keep DuckDB's choice. Same columns and data.
CREATE TABLE recon_pairs_063 (
    payment_id BIGINT,
    ext_id     BIGINT,
    rule_no    USMALLINT USING COMPRESSION bitpacking,
    outcome    UTINYINT USING COMPRESSION rle NOT NULL,
    other_id   BIGINT USING COMPRESSION rle,
    run_id     BIGINT USING COMPRESSION rle NOT NULL
);

INSERT INTO recon_pairs_063 SELECT * FROM recon_pairs;

DROP TABLE recon_pairs;

ALTER TABLE recon_pairs_063 RENAME TO recon_pairs;
