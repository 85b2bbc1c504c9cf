-- 067: each staged statement file's settled bank movements per account and day, kept per file.
-- The balance tie-out summed every settled bank statement line per account and day on every
-- run (5 million lines at the benchmark's size, 0.15 s a run). Each file's sums are now
-- worked out once, when it is staged (recon/staged_bank_days), and a run adds up these few
-- rows; a removed file's rows go with its items (purge_bank_days). One row per staged file,
-- account and value date with settled bank statement lines (signed: money in positive).
CREATE TABLE recon_ext_bank_days (
    file_id BIGINT NOT NULL,
    account VARCHAR,
    day     DATE,
    signed  HUGEINT NOT NULL,
    n       BIGINT NOT NULL
);

INSERT INTO recon_ext_bank_days
SELECT source_file_id, account, value_date,
    sum(CASE flow WHEN 'in' THEN amount_minor ELSE -amount_minor END), count(*)
FROM recon_ext_items
WHERE source_table = 'bank_statement_lines' AND ext_status = 'settled'
GROUP BY source_file_id, account, value_date;
