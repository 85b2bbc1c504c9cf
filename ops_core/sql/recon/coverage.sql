-- Which days each external source has reported, per rail and partner: a ledger item is judged
-- only inside the range its source covers (before it: not covered; after it: still awaited).
-- Items whose rail the source does not say (pacs.002) give the source's range for any rail.
-- From each staged file's range (recon_ext_coverage, written when the file was staged), not
-- from the 10 million staged items. Inputs: recon_ext_coverage.
-- Grain: one row per (source, rail, partner), rail NULL = any.
CREATE OR REPLACE TEMP TABLE rx_cov AS
SELECT source_table, rail_id, partner_id, min(first_day) AS first_day, max(last_day) AS last_day
FROM recon_ext_coverage
GROUP BY source_table, rail_id, partner_id
