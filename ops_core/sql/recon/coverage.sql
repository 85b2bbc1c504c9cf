-- Which days each external source has reported, per rail and partner: a ledger item is judged
-- only inside the range its source covers (before it: not covered; after it: still awaited).
-- Items whose rail the source does not say (pacs.002) give the source's range for any rail.
-- Inputs: recon_ext_items. Grain: one row per (source, rail, partner), rail NULL = any.
CREATE OR REPLACE TEMP TABLE rx_cov AS
SELECT source_table, rail_id, partner_id, min(value_date) AS first_day, max(value_date) AS last_day
FROM recon_ext_items
WHERE role = 'settlement' AND value_date IS NOT NULL
GROUP BY source_table, rail_id, partner_id
