-- 062: the exact pass's pairs kept across runs, so a run re-pairs only what changed.
-- A run used to pair every one of 10 million ledger items with every settlement item again,
-- resolve duplicates over all of them and write 10 million recon_matched rows (with the rule
-- as a string). Now the pairs are kept in recon_pairs: a run re-pairs only the references of
-- items staged since the pairs were made (and the items that share them), and all of them
-- only when what a pair depends on changed (recon_pairs_basis) or an item went away.
-- recon_matched becomes a view of the clean pairs.

-- Staging order of ledger rows: a run finds the rows staged since its pairs were made.
CREATE SEQUENCE recon_stage_seq START 1;
ALTER TABLE recon_ledger_items ADD COLUMN seq BIGINT;

-- One row per pair, unpaired in-scope item or left-over duplicate of the exact pass, for every
-- item no kept tolerance or batch match holds: outcome is rx_names('outcome') code (an
-- unpaired ledger item's verdict as of the last run), rule_no the rule's number
-- (recon_rule_no), other_id the item a duplicate repeats, run_id the run that made the row.
CREATE TABLE recon_pairs (
    payment_id BIGINT,
    ext_id     BIGINT,
    rule_no    USMALLINT,
    outcome    UTINYINT NOT NULL,
    other_id   BIGINT,
    run_id     BIGINT NOT NULL
);

-- The rule numbers recon_pairs were made with (recon/rule_numbers).
CREATE TABLE recon_rule_no (
    rule_no USMALLINT NOT NULL,
    rule_id VARCHAR NOT NULL
);

-- What the pairs were made from: a digest of the rules and of the staged ledger's basis, the
-- last ledger staging sequence number included and how many ledger rows there were then.
-- At most one row.
CREATE TABLE recon_pairs_basis (
    digest       VARCHAR NOT NULL,
    ledger_seq   BIGINT,
    ledger_count BIGINT NOT NULL
);

-- The staged files whose items the pairs include.
CREATE TABLE recon_paired_files (
    file_id BIGINT NOT NULL
);

DROP TABLE recon_matched;

-- A clean exact pair (same reference; amounts, currency, status and date agree or the amount
-- is within tolerance): one row serves both items (the state views of 051 read it).
CREATE VIEW recon_matched AS
SELECT p.payment_id, p.ext_id, n.rule_id, p.run_id
FROM recon_pairs AS p
LEFT JOIN recon_rule_no AS n ON n.rule_no = p.rule_no
WHERE p.outcome IN (0, 1) AND p.payment_id IS NOT NULL AND p.ext_id IS NOT NULL;
